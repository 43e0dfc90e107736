// Runs on the audio thread: gathers the microphone's 128-sample blocks into ~100 ms chunks
// of 16-bit PCM and hands them to the page, which sends them over the speaker socket.
class PcmChunker extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.round(sampleRate / 10);
    this.chunk = new Int16Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    let peak = 0;
    for (let i = 0; i < channel.length; i++) {
      const v = Math.max(-1, Math.min(1, channel[i]));
      peak = Math.max(peak, Math.abs(v));
      this.chunk[this.filled++] = v < 0 ? v * 0x8000 : v * 0x7fff;
      if (this.filled === this.size) {
        // The buffer is transferred, not copied, and is unusable here afterwards.
        this.port.postMessage({ pcm: this.chunk.buffer, peak }, [this.chunk.buffer]);
        this.chunk = new Int16Array(this.size);
        this.filled = 0;
        peak = 0;
      }
    }
    return true;
  }
}
registerProcessor('pcm-chunker', PcmChunker);
