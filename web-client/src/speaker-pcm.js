// The speaker fallback when WebRTC is not there (no RTCPeerConnection, or a gateway without
// WHIP): 16 kHz PCM from an AudioWorklet over the speaker WebSocket (README, "Speaker socket").
// It costs more bandwidth than Opus over WebRTC (256 kbit/s) and has no jitter handling, but
// works through anything that passes a WebSocket.

import WORKLET_SOURCE from '../public/widget-pcm16.worklet.js';
import { GOING_AWAY, retryAfter } from './closing.js';
import { besideWidget, socketAuth, wsUrl } from './server-url.js';

const WORKLET_FILE = 'widget-pcm16.worklet.js';

const STOP_TIMEOUT_MS = 5000;
const READY_TIMEOUT_MS = 10000;
// Past this much unsent audio (16 s) the network is not keeping up; frames are dropped rather
// than piling up in the browser, and the gateway's rate limit would refuse them anyway.
const MAX_BUFFERED_BYTES = 512 * 1024;

export class PcmError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Starts streaming `stream`'s audio into the room. Resolves once the gateway said "ready", with
 * the session: { ctx, stop(), setMuted(muted) }. `onEnd(error)` is called if the gateway or the
 * network ends the session (not after stop()); when the gateway went away (its "closing"
 * notice, or a 1001 close), the error has `resumable` set and `retryAfter`, the wait it asked
 * for (-1: none). The microphone stream is the caller's, and stays open.
 */
export async function startPcm({ stream, server, room, token, language, speaker, onError, onEnd }) {
  const ctx = await audioContext(stream);
  let socket = null;
  let node = null;
  let source = null;
  const cleanupAudio = () => {
    if (node) {
      node.port.postMessage({ stop: true });
      node.port.onmessage = null;
      node.disconnect();
    }
    if (source) source.disconnect();
    ctx.close().catch(() => {});
  };
  try {
    await loadWorklet(ctx, server);
    await ctx.resume();
    source = ctx.createMediaStreamSource(stream);
    node = new AudioWorkletNode(ctx, 'parley-pcm16', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    source.connect(node);
    // The node writes no output (it stays silent); being connected to the destination only
    // makes every browser pull it through the graph.
    node.connect(ctx.destination);

    const auth = socketAuth(token);
    socket = new WebSocket(wsUrl(server, `/v1/rooms/${encodeURIComponent(room)}/speak`, auth.query), auth.protocols);
    socket.binaryType = 'arraybuffer';
    const ready = await handshake(socket, { language, speaker }, onError);
    // Frames before "ready" were dropped: the gateway would refuse audio before start.
    node.port.onmessage = (e) => {
      if (socket.readyState === WebSocket.OPEN && socket.bufferedAmount < MAX_BUFFERED_BYTES) socket.send(e.data);
    };
    let stopping = false;
    let stopped = null;
    let closing = null;
    socket.onmessage = (e) => {
      const msg = parse(e.data);
      if (!msg) return;
      if (msg.type === 'stopped' && stopped) stopped();
      if (msg.type === 'closing') closing = msg;
      // Captions also arrive here; the widget shows them from its caption socket instead.
      if (msg.type === 'error') onError({ code: msg.code, message: msg.message });
    };
    socket.onclose = (e) => {
      if (stopped) stopped();
      if (stopping) return;
      cleanupAudio();
      if (closing || e.code === GOING_AWAY) {
        const error = new PcmError((closing && closing.code) || 'server_shutdown', 'The gateway went away.');
        error.resumable = true;
        error.retryAfter = retryAfter(closing);
        onEnd(error);
        return;
      }
      onEnd(new PcmError(e.reason || 'connection_lost', `The speaker connection closed (${e.code}).`));
    };
    return {
      ctx,
      ready,
      setMuted(muted) {
        node.port.postMessage({ muted });
      },
      // Stops the microphone at once; the gateway then finishes what it has and says "stopped".
      async stop() {
        if (stopping) return;
        stopping = true;
        cleanupAudio();
        if (socket.readyState === WebSocket.OPEN) {
          await new Promise((resolve) => {
            stopped = resolve;
            setTimeout(resolve, STOP_TIMEOUT_MS);
            socket.send(JSON.stringify({ type: 'stop' }));
          });
        }
        socket.onclose = socket.onmessage = null;
        if (socket.readyState !== WebSocket.CLOSED) socket.close(1000);
      },
    };
  } catch (e) {
    cleanupAudio();
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.close();
    }
    throw e;
  }
}

/**
 * Adds the PCM processor to the context, from one of two sources that each work where the other
 * may not: the file the gateway serves beside widget.js, which a page's Content-Security-Policy
 * allows when it allows widget.js (script-src 'self' on the gateway's own pages), but which a
 * worklet fetches with CORS, which the gateway does not answer for its static files; and the
 * copy inlined in widget.js, through a Blob URL, which needs no CORS but which a script-src
 * without blob: blocks. A page on the script's own origin tries the file first, any other the
 * copy first.
 */
async function loadWorklet(ctx, server) {
  const file = besideWidget(WORKLET_FILE, server);
  const fromFile = () => ctx.audioWorklet.addModule(file);
  const fromCopy = async () => {
    const url = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'text/javascript' }));
    try {
      await ctx.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
  };
  const sameOrigin = new URL(file, location.href).origin === location.origin;
  const [first, second] = sameOrigin ? [fromFile, fromCopy] : [fromCopy, fromFile];
  try {
    await first();
  } catch {
    await second();
  }
}

/**
 * A context at 16 kHz, so that the worklet only converts, where the browser can feed it the
 * microphone at that rate (Chrome resamples; Firefox refuses to connect a stream to a context
 * at another rate). Otherwise one at the device's rate, and the worklet decimates.
 */
async function audioContext(stream) {
  try {
    const ctx = new AudioContext({ sampleRate: 16000, latencyHint: 'interactive' });
    try {
      ctx.createMediaStreamSource(stream).disconnect();
      return ctx;
    } catch {
      ctx.close().catch(() => {});
    }
  } catch {
    // sampleRate not supported here.
  }
  return new AudioContext({ latencyHint: 'interactive' });
}

// Sends "start" once the socket is open and waits for "ready" (or a refusal).
function handshake(socket, { language, speaker }, onError) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail('timeout', 'The gateway did not answer.'), READY_TIMEOUT_MS);
    function fail(code, message, reported) {
      clearTimeout(timer);
      socket.onopen = socket.onmessage = socket.onclose = null;
      const error = new PcmError(code, message);
      // Already told through onError: the caller need not tell it again.
      error.reported = !!reported;
      reject(error);
    }
    socket.onopen = () => socket.send(JSON.stringify({
      type: 'start', format: 'pcm_s16le', sampleRate: 16000, channels: 1, language, speaker,
    }));
    socket.onmessage = (e) => {
      const msg = parse(e.data);
      if (!msg) return;
      if (msg.type === 'ready') {
        clearTimeout(timer);
        resolve(msg);
      } else if (msg.type === 'error') {
        onError({ code: msg.code, message: msg.message });
        // A refused start (unsupported_language, capacity_reached...) leaves the socket open
        // but unusable for audio: give up rather than wait for the timeout.
        fail(msg.code, msg.message, true);
        socket.close();
      }
    };
    socket.onclose = (e) => {
      fail(e.reason || 'connection_failed', `Could not open the speaker connection (${e.code}).`);
    };
  });
}

function parse(data) {
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
