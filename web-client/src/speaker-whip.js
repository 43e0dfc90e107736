// The speaker's preferred path: the microphone over WebRTC, signalled with WHIP (RFC 9725).
// WebRTC brings Opus at a fraction of PCM's bandwidth, jitter buffering and loss concealment,
// and the browser's own echo cancellation and noise suppression stay in the loop.
//
// WHIP is one HTTP exchange: POST the SDP offer, get the SDP answer back with the session's
// URL in Location, DELETE that URL to end the session. No trickle ICE: the offer is sent once
// its candidates are gathered (or after 2 s, with what was found by then), which the gateway,
// reachable directly and with no STUN/TURN servers configured, does not need more than.

import { httpUrl } from './server-url.js';

const ICE_GATHER_MS = 2000;
const DELETE_WAIT_MS = 2000;
// Statuses that mean "this gateway has no (working) WHIP endpoint" rather than "you may not":
// in transport="auto" the widget then falls back to the PCM WebSocket.
const FALLBACK_STATUSES = new Set([404, 405, 501, 503]);

export class WhipError extends Error {
  constructor(code, message, { status = 0, fallback = false } = {}) {
    super(message);
    this.code = code;
    this.status = status;
    // Whether the PCM WebSocket may be tried instead.
    this.fallback = fallback;
  }
}

/**
 * Publishes `stream`'s audio into the room. Resolves once the answer is applied, with the
 * session { pc, stop() }; media flows when pc.connectionState reaches "connected", and
 * `onConnectionState(state)` reports every change.
 */
export async function startWhip({ stream, server, room, token, language, speaker, onConnectionState }) {
  if (typeof RTCPeerConnection === 'undefined') {
    throw new WhipError('webrtc_unavailable', 'This browser has no WebRTC.', { fallback: true });
  }
  const pc = new RTCPeerConnection();
  let resource = null;
  try {
    for (const track of stream.getAudioTracks()) pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    await pc.setLocalDescription(await pc.createOffer());
    await iceGathered(pc);
    const url = httpUrl(server, `/v1/rooms/${encodeURIComponent(room)}/whip`, { language, speaker });
    let res;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/sdp', ...bearer(token) },
        body: pc.localDescription.sdp,
      });
    } catch (e) {
      // No answer at all: gateway down, or CORS refused. Not a refusal of this speaker.
      throw new WhipError('network', `Could not reach the gateway's WHIP endpoint (${e.message}).`, { fallback: true });
    }
    if (!res.ok) {
      const body = await errorBody(res);
      throw new WhipError(body.code || `http_${res.status}`, body.message || `WHIP was refused (HTTP ${res.status}).`,
        { status: res.status, fallback: FALLBACK_STATUSES.has(res.status) });
    }
    const answer = await res.text();
    // Location may be relative: it is resolved against the URL that answered.
    const location = res.headers.get('Location');
    if (location) resource = new URL(location, res.url || url).href;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    pc.onconnectionstatechange = () => onConnectionState(pc.connectionState);
    return {
      pc,
      // Ends the session on the gateway (which then finalizes the last utterance), then here.
      async stop() {
        pc.onconnectionstatechange = null;
        if (resource) await endSession(resource, token);
        pc.close();
      },
    };
  } catch (e) {
    pc.close();
    if (resource) endSession(resource, token);
    throw e;
  }
}

function bearer(token) {
  return token ? { Authorization: 'Bearer ' + token } : {};
}

// Resolves when gathering is complete, or after ICE_GATHER_MS at the latest.
function iceGathered(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, ICE_GATHER_MS);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

/**
 * DELETE the WHIP session. `keepalive` lets the request outlive the page when the widget is
 * removed because the page is being closed; a browser that will not send a keepalive request
 * needing a CORS preflight rejects it at once, and it is sent again without. Waits at most
 * DELETE_WAIT_MS: the gateway also notices the peer connection closing.
 */
function endSession(resource, token) {
  const send = (keepalive) => fetch(resource, { method: 'DELETE', headers: bearer(token), keepalive });
  const sent = send(true).catch(() => send(false)).catch(() => {});
  return Promise.race([sent, new Promise((resolve) => setTimeout(resolve, DELETE_WAIT_MS))]);
}

// The gateway's {"type":"error","code","message"}, or nothing usable.
async function errorBody(res) {
  try {
    const body = await res.json();
    return body && typeof body === 'object' ? body : {};
  } catch {
    return {};
  }
}
