// The caption socket of one viewer (README, "Viewer socket"), kept open across network drops.
//
// The gateway numbers captions with a room-wide `seq` and keeps every final, so a viewer that
// comes back with `since=<seq of the last final it saw>` is replayed every final it missed.
// That makes reconnecting safe, and this class does it on its own: any close it did not ask
// for is followed by a new socket after an exponential backoff (0.5 s doubling to 8 s, back to
// 0.5 s once a socket opens), except for the refusals that another try cannot fix (4400 bad
// parameters, 4401 no or wrong token, 4403 token not allowed, 4404 no such room, 4410 room
// closed or expired). A gateway that shuts down says so first, {"type":"closing",
// "retryAfterMs":N}, then closes with 1001: the next try waits N ms (at most 30 s) instead,
// when the gateway expects to be back. A replayed final can overlap one already shown, so
// finals are deduplicated by seq here, once, and everything downstream (the view, the
// parley-caption event) sees each final once.

import { retryAfter } from './closing.js';
import { socketAuth, wsUrl } from './server-url.js';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;
const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4404, 4410]);
// Seqs of finals remembered for deduplication. Replays only go back to the last final seen,
// so a window this long covers any overlap while keeping a day-long room from growing it.
const SEEN_FINALS_KEPT = 2000;

export class ViewerConnection {
  /**
   * @param {object} o
   * @param {string} o.server   gateway base URL (server-url.js)
   * @param {string} o.room
   * @param {string} o.token    viewer (or speaker) token
   * @param {string} [o.lang]   caption language; empty for "as spoken"
   * @param {number} [o.last]   finals to be replayed on the first connection (the gateway's
   *                            default when absent)
   * @param {(caption: object) => void} o.onCaption
   * @param {(status: {state: string, code?: number, delay?: number, attempt?: number}) => void} o.onStatus
   * @param {(error: {code: string, message: string}) => void} o.onError
   */
  constructor(o) {
    this.o = o;
    this.socket = null;
    this.timer = 0;
    this.delay = FIRST_DELAY_MS;
    this.lastFinalSeq = -1;
    this.seenFinals = new Set();
    this.closed = false;
    this.attempt = 0;
    this.lastError = null;
    this.retryAfter = -1;
  }

  open() {
    this.closed = false;
    this.attempt = 0;
    this.o.onStatus({ state: 'connecting' });
    this.connect();
  }

  /** Closes for good: no reconnect follows. */
  close() {
    this.closed = true;
    clearTimeout(this.timer);
    const s = this.socket;
    this.socket = null;
    if (s) {
      detach(s);
      if (s.readyState === WebSocket.CONNECTING || s.readyState === WebSocket.OPEN) s.close(1000);
    }
  }

  connect() {
    const { server, room, token, lang } = this.o;
    const auth = socketAuth(token);
    const query = { lang: lang || undefined, ...auth.query };
    // The first socket asks for the last few finals (as many as the view shows: the gateway
    // would otherwise replay its default number, which the view would mostly drop); a
    // reconnect for every final after the last one shown, so that none is missed.
    if (this.lastFinalSeq >= 0) query.since = this.lastFinalSeq;
    else if (this.o.last > 0) query.last = this.o.last;
    this.lastError = null;
    this.retryAfter = -1;
    let socket;
    try {
      socket = new WebSocket(wsUrl(server, `/v1/rooms/${encodeURIComponent(room)}/captions`, query), auth.protocols);
    } catch (e) {
      // A malformed server URL: retrying cannot help.
      this.o.onError({ code: 'bad_server_url', message: String(e && e.message || e) });
      this.o.onStatus({ state: 'error' });
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.delay = FIRST_DELAY_MS;
      this.attempt = 0;
      this.o.onStatus({ state: 'live' });
    };
    socket.onmessage = (e) => this.receive(e.data);
    socket.onclose = (e) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closed) return;
      if (FATAL_CLOSE_CODES.has(e.code)) {
        // The gateway sends {"type":"error"} before such a close; when it did not arrive
        // (a proxy in between), the close reason is the error code.
        if (!this.lastError) this.o.onError({ code: e.reason || 'closed_' + e.code, message: closeText(e.code) });
        this.o.onStatus({ state: 'error', code: e.code });
        return;
      }
      // The status is told once per try, with the wait before it, so that a page (or a test)
      // can follow the backoff. A shutting-down gateway's retryAfterMs replaces one step of it.
      let delay = this.delay;
      if (this.retryAfter >= 0) delay = this.retryAfter;
      else this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
      this.attempt++;
      this.o.onStatus({ state: 'reconnecting', code: e.code, delay, attempt: this.attempt });
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  receive(data) {
    if (typeof data !== 'string') return;
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.type === 'caption') {
      if (msg.final) {
        if (this.seenFinals.has(msg.seq)) return;
        this.seenFinals.add(msg.seq);
        if (this.seenFinals.size > SEEN_FINALS_KEPT) {
          // A Set iterates in insertion order: the first is the oldest.
          this.seenFinals.delete(this.seenFinals.values().next().value);
        }
        if (msg.seq > this.lastFinalSeq) this.lastFinalSeq = msg.seq;
      }
      this.o.onCaption(msg);
    } else if (msg.type === 'error') {
      this.lastError = msg;
      this.o.onError({ code: msg.code, message: msg.message });
    } else if (msg.type === 'closing') {
      this.retryAfter = retryAfter(msg);
    }
  }
}

function detach(socket) {
  socket.onopen = socket.onmessage = socket.onclose = null;
}

function closeText(code) {
  return {
    4400: 'The gateway refused the request.',
    4401: 'A valid room token is needed.',
    4403: 'This token does not allow that.',
    4404: 'No such room.',
    4410: 'The room was closed or has expired.',
  }[code];
}
