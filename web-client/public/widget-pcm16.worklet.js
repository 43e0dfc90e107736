// Runs on the audio rendering thread (AudioWorkletGlobalScope), not in the page: the speaker
// fallback's microphone path when WebRTC is not available. It turns the microphone's 128-sample
// float blocks into what the speaker socket takes best: 16 kHz mono 16-bit little-endian PCM in
// 20 ms frames (320 samples, 640 bytes), posted to the page, which sends each as one binary
// WebSocket frame.
//
// The AudioContext runs at 16 kHz where the browser allows it, and then this only converts.
// Otherwise it runs at the device rate (44.1 or 48 kHz, typically) and this decimates: a
// windowed-sinc low-pass below the new Nyquist frequency (8 kHz) first, so that the energy above
// it does not fold back into the speech band as aliasing, then linear interpolation at the
// output instants, which handles ratios that are not whole numbers (44.1 kHz / 16 kHz).
//
// The widget loads it in one of two ways (speaker-pcm.js): as this file, which the gateway
// serves beside widget.js from public/ (what a page with a strict Content-Security-Policy
// allows), or as a copy that the build (build.mjs) minifies and inlines into widget.js, through
// a Blob URL (what a page on another origin can load without CORS on this file). It lives in
// public/, not src/, because the gateway serves public/ and only widget.js from dist/.

const OUT_RATE = 16000;
const FRAME_SAMPLES = 320;
const CUTOFF_HZ = 7000;

class Pcm16Processor extends AudioWorkletProcessor {
  constructor() {
    super();
    // `sampleRate` is the context's rate, a global of the worklet scope.
    this.ratio = sampleRate / OUT_RATE;
    this.taps = sampleRate > OUT_RATE ? lowPass(CUTOFF_HZ / sampleRate, oddLength(sampleRate)) : null;
    if (this.taps) {
      // Each sample is written twice, n apart, so the last n samples are always contiguous
      // at [at, at + n) and the filter needs no wrap-around test in its inner loop.
      this.history = new Float32Array(2 * this.taps.length);
      this.at = 0;
    }
    this.prev = 0;
    this.t = 1; // where the next output sample lies, in input samples after `prev`
    this.frame = new DataView(new ArrayBuffer(FRAME_SAMPLES * 2));
    this.filled = 0;
    this.muted = false;
    this.running = true;
    this.port.onmessage = (e) => {
      if ('muted' in e.data) this.muted = !!e.data.muted;
      if (e.data.stop) this.running = false;
    };
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        const y = this.taps ? this.filter(channel[i]) : channel[i];
        while (this.t <= 1) {
          this.emit(this.prev + (y - this.prev) * this.t);
          this.t += this.ratio;
        }
        this.t -= 1;
        this.prev = y;
      }
    }
    // Returning false lets the browser collect the node once the page has stopped it.
    return this.running;
  }

  filter(x) {
    const n = this.taps.length;
    const h = this.history;
    h[this.at] = x;
    h[this.at + n] = x;
    this.at = this.at + 1 === n ? 0 : this.at + 1;
    let y = 0;
    for (let k = 0, j = this.at; k < n; k++, j++) y += this.taps[k] * h[j];
    return y;
  }

  emit(v) {
    // Muted: silence goes on flowing rather than nothing, so that the gateway's voice detector
    // sees the utterance end and finalizes it.
    const s = this.muted ? 0 : Math.max(-1, Math.min(1, v));
    this.frame.setInt16(this.filled * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    if (++this.filled === FRAME_SAMPLES) {
      // Transferred, not copied: the buffer is the page's now, and a new one is made.
      const buffer = this.frame.buffer;
      this.port.postMessage(buffer, [buffer]);
      this.frame = new DataView(new ArrayBuffer(FRAME_SAMPLES * 2));
      this.filled = 0;
    }
  }
}

// About 1.3 ms of taps at any rate (61 at 48 kHz, 57 at 44.1 kHz). With the cutoff at 7 kHz and a
// Hamming window the response is flat to 6 kHz (-0.3 dB), -6 dB at 7 kHz, -30 dB at 8 kHz and
// -55 dB or less from 9 kHz up (what would fold back onto 7 kHz and below).
function oddLength(rate) {
  return 2 * Math.round(rate / 1600) + 1;
}

// A windowed-sinc low-pass with cutoff `fc` (cycles per sample), Hamming window, unit DC gain.
function lowPass(fc, n) {
  const taps = new Float32Array(n);
  const mid = (n - 1) / 2;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * x) / (Math.PI * x);
    taps[i] = sinc * (0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1)));
    sum += taps[i];
  }
  for (let i = 0; i < n; i++) taps[i] /= sum;
  return taps;
}

registerProcessor('parley-pcm16', Pcm16Processor);
