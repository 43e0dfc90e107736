// The microphone level, so that a speaker sees at a glance that the widget hears them (and
// that mute works). An AnalyserNode reads the signal and requestAnimationFrame draws it: the
// browser pauses drawing in hidden tabs, where nobody looks at the bar anyway, while the audio
// itself keeps flowing over its own path (WebRTC or the PCM worklet).

import { el } from './dom.js';

export class LevelMeter {
  constructor() {
    this.bar = el('span');
    this.root = el('div', {
      class: 'level', part: 'level', role: 'meter', 'aria-label': 'Microphone level',
      'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0,
    }, this.bar);
    this.frame = 0;
    this.ctx = null;
    this.ownsContext = false;
    this.source = null;
    this.shownNow = 0;
  }

  /**
   * Starts showing the level of `stream`. The PCM path passes its AudioContext to share it;
   * the WebRTC path has none, and the meter makes a small one of its own.
   */
  attach(stream, ctx) {
    this.detach();
    try {
      this.ownsContext = !ctx;
      this.ctx = ctx || new AudioContext();
      if (this.ownsContext) this.ctx.resume().catch(() => {});
      this.source = this.ctx.createMediaStreamSource(stream);
      const analyser = this.ctx.createAnalyser();
      analyser.fftSize = 1024;
      this.source.connect(analyser);
      const samples = new Float32Array(analyser.fftSize);
      let level = 0;
      const draw = () => {
        analyser.getFloatTimeDomainData(samples);
        let sum = 0;
        for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
        // RMS in dBFS, -60..0 dB onto 0..1: speech sits in the upper half, silence at 0.
        const db = 10 * Math.log10(sum / samples.length + 1e-12);
        const target = Math.min(1, Math.max(0, (db + 60) / 60));
        // Rise at once, fall slowly, like a VU meter: the bar does not flicker between words.
        level = target > level ? target : level * 0.9 + target * 0.1;
        this.show(level);
        this.frame = requestAnimationFrame(draw);
      };
      this.frame = requestAnimationFrame(draw);
    } catch {
      // No Web Audio (or a context that cannot take the stream): no meter, audio unaffected.
      this.detach();
    }
  }

  // The level is the custom property --level (0..1) on part="level", which the bar's CSS
  // scales by, and which a host page (or a test) can read or use in its own ::part(level) CSS.
  show(level) {
    this.root.style.setProperty('--level', level.toFixed(3));
    // The ARIA value in steps of ten, so assistive technology is not told 60 times a second.
    const now = Math.round(level * 10) * 10;
    if (now !== this.shownNow) {
      this.shownNow = now;
      this.root.setAttribute('aria-valuenow', now);
    }
  }

  detach() {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.source) this.source.disconnect();
    this.source = null;
    if (this.ctx && this.ownsContext) this.ctx.close().catch(() => {});
    this.ctx = null;
    this.show(0);
  }
}
