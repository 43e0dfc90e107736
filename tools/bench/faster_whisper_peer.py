"""faster-whisper (CTranslate2) as the peer of Parley's Whisper, for ./parley bench asr.

Transcribes the given clips with the same CTranslate2 model folder that Parley loads, in each
configuration asked for, on 2 threads, and prints one JSON object: per configuration the
hypotheses and the seconds each repetition of the whole set took. Scoring is left to the
benchmark, so that both engines are scored by the same normaliser.

usage: faster_whisper_peer.py MODEL_DIR REPS CONFIG... -- CLIP...
       CONFIG is COMPUTE_TYPE:BEAM, e.g. int8:1 float32:5
"""
import json
import sys
import time

from faster_whisper import WhisperModel


def main():
    args = sys.argv[1:]
    split = args.index("--")
    model_dir, reps, configs, clips = args[0], int(args[1]), args[2:split], args[split + 1:]
    out = []
    for config in configs:
        compute_type, beam = config.split(":")
        beam = int(beam)
        print(f"[peer] faster-whisper {compute_type} beam {beam}: loading", file=sys.stderr, flush=True)
        model = WhisperModel(model_dir, device="cpu", compute_type=compute_type, cpu_threads=2)
        # Warm-up on the first clip, as Parley's side gets.
        list(model.transcribe(clips[0], beam_size=beam, language="en")[0])
        seconds = []
        hypotheses = []
        for rep in range(reps):
            print(f"[peer] faster-whisper {compute_type} beam {beam}: pass {rep + 1}/{reps}", file=sys.stderr, flush=True)
            total = 0.0
            hyps = []
            for clip in clips:
                t0 = time.perf_counter()
                segments, _ = model.transcribe(clip, beam_size=beam, language="en")
                text = "".join(s.text for s in segments)
                total += time.perf_counter() - t0
                hyps.append(text.strip())
            seconds.append(total)
            hypotheses = hyps
        out.append({"computeType": compute_type, "beam": beam, "seconds": seconds, "hypotheses": hypotheses})
        del model
    print(json.dumps({"engine": "faster-whisper", "threads": 2, "configs": out}))


if __name__ == "__main__":
    main()
