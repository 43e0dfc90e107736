// <parley-captions>: live captions of a Parley room, embeddable in any page with one script
// tag. Two modes:
//   viewer  (default) reads the room's captions, in a chosen language or as spoken;
//   speaker streams the microphone into the room (WebRTC/WHIP, or PCM over a WebSocket) and
//           shows the speaker's own captions under the controls.
//
// Attributes (all optional, all live: changing one takes effect at once, or at the next start
// for the speaker-only ones):
//   room, token     the room and its token (viewer token; speaker token in speaker mode). When
//                   absent, taken from the page URL's query parameters parley-room and
//                   parley-token, so that one embed page serves every room through a shared
//                   link (embed.html?parley-room=...&parley-token=...).
//   mode            "viewer" | "speaker"
//   lang            caption language; absent or empty: as spoken
//   lines           finals kept on screen, and replayed on connecting (default 3)
//   server          gateway base URL (default: where widget.js was loaded from)
//   picker          show the caption language picker: default shown in viewer mode, hidden in
//                   speaker mode; "false", "0", "no", "off" hide it, any other value shows it
//   low-confidence  words recognised with a confidence below this are marked (default 0.5)
//   speaker mode only:
//   language        the language spoken, sent to the gateway (default "auto": identified)
//   speaker         the name shown with the captions (default "Speaker")
//   transport       "auto" (WebRTC, falling back to the WebSocket) | "webrtc" | "websocket"
//
// Events (bubbling, composed CustomEvents): parley-caption (detail: the caption message),
// parley-status (detail: {channel, state, transport?, code?, delay?, attempt?}), parley-error
// (detail: {code, message}). Properties: state, lastFinalSeq, speaking, muted (settable);
// methods start() and stop() in speaker mode.
//
// A gateway that shuts down (closing.js) does not stop a speaker: the microphone stays open and
// the widget starts speaking again once the gateway is back, a few tries with backoff, then an
// error. What is said in the gap is lost.

import { CaptionView } from './caption-view.js';
import { GOING_AWAY } from './closing.js';
import { el } from './dom.js';
import { captionLanguages, languageLabel } from './languages.js';
import { LevelMeter } from './level-meter.js';
import { serverBase } from './server-url.js';
import { startPcm } from './speaker-pcm.js';
import { startWhip } from './speaker-whip.js';
import { applyStyles } from './styles.js';
import { ViewerConnection } from './viewer-connection.js';

const DEFAULT_LINES = 3;
const DEFAULT_THRESHOLD = 0.5;
// A WebRTC session that has not connected by then is taken as failed: ICE's own verdict can
// take half a minute, too long for somebody waiting to speak.
const WEBRTC_CONNECT_MS = 10000;
// Speaking again after the gateway went away: this many tries, 1 s doubling to 8 s apart where
// the gateway named no wait, before the widget gives up and releases the microphone.
const MAX_RESUMES = 5;
const RESUME_FIRST_MS = 1000;
const RESUME_MAX_MS = 8000;
// Failures another try cannot fix: a resume ends on them at once.
const FINAL_SPEAK_ERRORS = new Set(['unauthorized', 'forbidden', 'room_not_found', 'room_closed',
  'unsupported_language', 'bad_server_url', 'no_room', 'microphone']);
const MIC_CONSTRAINTS = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
};

const CAPTION_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: '',
};
const TRANSPORT_NAME = { webrtc: 'WebRTC', websocket: 'WebSocket' };

export class ParleyCaptions extends HTMLElement {
  static get observedAttributes() {
    return ['room', 'token', 'mode', 'lang', 'lines', 'server', 'picker', 'low-confidence',
      'language', 'speaker', 'transport'];
  }

  constructor() {
    super();
    this.view = new CaptionView();
    this.meter = new LevelMeter();
    this.picker = el('select', { class: 'picker', part: 'picker', 'aria-label': 'Caption language' });
    this.startButton = el('button', { type: 'button', class: 'start', part: 'start' }, 'Start speaking');
    this.muteButton = el('button', { type: 'button', class: 'mute', part: 'mute', 'aria-pressed': 'false' }, 'Mute');
    this.statusLine = el('span', { class: 'status', part: 'status', role: 'status' });
    // The controls' labels are English whatever the host element's lang (the captions carry
    // their own lang per line).
    const bar = el('div', { class: 'bar', lang: 'en' }, this.picker, this.startButton, this.muteButton, this.meter.root, this.statusLine);
    const root = this.attachShadow({ mode: 'open' });
    root.append(el('div', { class: 'box' }, bar, this.view.root));
    applyStyles(root);

    this.picker.addEventListener('change', () => {
      // Through the attribute, so the page sees it, and attributeChangedCallback reconnects.
      if (this.picker.value) this.setAttribute('lang', this.picker.value);
      else this.removeAttribute('lang');
    });
    this.startButton.addEventListener('click', () => (this.speakState === 'closed' || this.speakState === 'error'
      ? this.start() : this.stop()));
    this.muteButton.addEventListener('click', () => {
      this.muted = !this.muted;
    });

    this.conn = null;
    this.captionState = 'closed';
    this.captionText = '';
    this.captionError = null;
    this.speakState = 'closed';
    this.speakText = '';
    this.speakGen = 0;
    this.resumes = 0;
    this.resumeTimer = 0;
    this.session = null;
    this.stream = null;
    this.isMuted = false;
    this.reconnectQueued = false;
    this.shownPickerFor = null;
  }

  // ---- public API ----

  /** 'connecting' | 'live' | 'reconnecting' | 'closed' | 'error': of the captions in viewer mode, of the speaking in speaker mode. */
  get state() {
    return this.mode === 'speaker' ? this.speakState : this.captionState;
  }

  /** Seq of the last final caption received; -1 before any. */
  get lastFinalSeq() {
    return this.conn ? this.conn.lastFinalSeq : -1;
  }

  get speaking() {
    return !!this.session;
  }

  get muted() {
    return this.isMuted;
  }

  set muted(value) {
    this.isMuted = !!value;
    // A disabled track sends silence (WebRTC) or feeds silence to the worklet (PCM); the
    // worklet is also told, so silence goes out even where a browser ignores `enabled`.
    if (this.stream) for (const t of this.stream.getAudioTracks()) t.enabled = !this.isMuted;
    if (this.session && this.session.setMuted) this.session.setMuted(this.isMuted);
    this.muteButton.setAttribute('aria-pressed', String(this.isMuted));
    this.muteButton.textContent = this.isMuted ? 'Unmute' : 'Mute';
  }

  // ---- attributes ----

  get mode() {
    return this.getAttribute('mode') === 'speaker' ? 'speaker' : 'viewer';
  }

  get room() {
    return this.getAttribute('room') || pageParam('parley-room');
  }

  get token() {
    return this.getAttribute('token') || pageParam('parley-token');
  }

  // `lang` itself is HTMLElement's own property, which reflects the attribute already.
  get captionLang() {
    return (this.getAttribute('lang') || '').trim();
  }

  get lines() {
    const n = parseInt(this.getAttribute('lines'), 10);
    return n >= 1 ? n : DEFAULT_LINES;
  }

  get threshold() {
    const t = parseFloat(this.getAttribute('low-confidence'));
    return Number.isFinite(t) ? t : DEFAULT_THRESHOLD;
  }

  get showPicker() {
    const v = this.getAttribute('picker');
    if (v === null) return this.mode === 'viewer';
    return !/^(false|0|no|off)$/i.test(v.trim());
  }

  get transport() {
    const t = this.getAttribute('transport');
    return t === 'webrtc' || t === 'websocket' ? t : 'auto';
  }

  get server() {
    return serverBase(this.getAttribute('server'));
  }

  connectedCallback() {
    this.layout(false);
    this.reconnect();
  }

  disconnectedCallback() {
    this.reconnectQueued = false;
    this.closeCaptions();
    this.stop().catch(() => {});
  }

  attributeChangedCallback(name, before, after) {
    if (before === after || !this.isConnected) return;
    switch (name) {
      case 'room':
      case 'token':
      case 'server':
        // The speaking session belongs to the room it started in.
        this.stop().catch(() => {});
        this.queueReconnect();
        break;
      case 'lang':
        this.queueReconnect();
        break;
      case 'mode':
        if (this.mode !== 'speaker') this.stop().catch(() => {});
        this.layout();
        this.updateStatus();
        break;
      case 'picker':
        this.layout();
        break;
      case 'lines':
        this.view.setLines(this.lines);
        break;
      case 'low-confidence':
        this.view.threshold = this.threshold;
        break;
      default:
        // language, speaker, transport: read at the next start().
    }
  }

  // A page that sets room and token one after the other gets one connection, not two.
  queueReconnect() {
    if (this.reconnectQueued) return;
    this.reconnectQueued = true;
    queueMicrotask(() => {
      if (!this.reconnectQueued) return;
      this.reconnectQueued = false;
      if (this.isConnected) this.reconnect();
    });
  }

  /** Shows the controls of the mode; `fill` the picker too (reconnect() does it otherwise). */
  layout(fill = true) {
    const speaker = this.mode === 'speaker';
    this.startButton.hidden = !speaker;
    this.muteButton.hidden = !speaker;
    this.meter.root.hidden = !speaker;
    this.picker.hidden = !this.showPicker;
    this.view.setLines(this.lines);
    this.view.threshold = this.threshold;
    this.updateButtons();
    if (fill && !this.picker.hidden) this.fillPicker();
  }

  // ---- captions ----

  /** A fresh caption connection for the current room, token and language; the display starts over. */
  reconnect() {
    // Whatever was queued is covered by this (an upgrade calls attributeChangedCallback for
    // each attribute, then connectedCallback).
    this.reconnectQueued = false;
    this.closeCaptions();
    this.view.clear();
    this.captionError = null;
    this.updateButtons();
    if (!this.picker.hidden) this.fillPicker();
    const room = this.room;
    if (!room) {
      this.setCaptionState({ state: 'closed' }, 'No room.');
      return;
    }
    let server;
    try {
      server = this.server;
    } catch {
      this.report('captions', { code: 'bad_server_url', message: `Not a URL: ${this.getAttribute('server')}` });
      return;
    }
    const conn = new ViewerConnection({
      server, room, token: this.token, lang: this.captionLang, last: this.lines,
      onCaption: (c) => {
        if (this.conn !== conn) return;
        this.view.show(c);
        this.fire('parley-caption', c);
      },
      onStatus: (s) => {
        if (this.conn !== conn) return;
        this.setCaptionState(s);
        // WHIP has no channel back: the caption socket is how a WebRTC speaker hears that the
        // gateway is going away (the PCM socket hears it itself).
        if (s.state === 'reconnecting' && s.code === GOING_AWAY && this.session && this.session.kind === 'webrtc') {
          this.resumeSpeaking(s.delay);
        }
      },
      onError: (e) => {
        if (this.conn !== conn) return;
        this.captionError = e;
        this.fire('parley-error', e);
        this.updateStatus();
      },
    });
    this.conn = conn;
    conn.open();
  }

  closeCaptions() {
    if (!this.conn) return;
    this.conn.close();
    this.conn = null;
    this.setCaptionState({ state: 'closed' });
  }

  setCaptionState(s, text) {
    this.captionState = s.state;
    if (s.state === 'live') this.captionError = null;
    if (s.state === 'error') {
      this.captionText = this.captionError ? this.captionError.message || this.captionError.code : 'Error';
    } else if (s.state === 'reconnecting' && s.delay) {
      this.captionText = reconnectingText(s.delay);
    } else {
      this.captionText = text !== undefined ? text : CAPTION_TEXT[s.state];
    }
    this.updateStatus();
    this.fire('parley-status', { channel: 'captions', ...s });
  }

  async fillPicker() {
    let server;
    try {
      server = this.server;
    } catch {
      return;
    }
    const want = this.captionLang;
    const sync = (langs) => {
      if (this.shownPickerFor !== server || this.picker.options.length === 0) {
        this.picker.replaceChildren(new Option('As spoken', ''));
        for (const l of langs) this.picker.add(new Option(languageLabel(l.lang, l.name), l.lang));
        this.shownPickerFor = langs.length ? server : null;
      }
      // A language set by the page but not (or not yet) offered is still shown as chosen.
      if (want && ![...this.picker.options].some((o) => o.value === want)) this.picker.add(new Option(want, want));
      this.picker.value = want;
    };
    sync([]);
    try {
      const langs = await captionLanguages(server);
      if (this.captionLang === want) sync(langs);
    } catch {
      // Without the list the picker offers "as spoken" and the current language only.
    }
  }

  // ---- speaking ----

  /** Starts speaking into the room (speaker mode). Resolves when live, or failed (see state). */
  async start() {
    if (this.mode !== 'speaker' || this.session || this.speakState === 'connecting' || this.speakState === 'reconnecting') return;
    const gen = ++this.speakGen;
    this.resumes = 0;
    const room = this.room;
    if (!room) {
      this.report('speaker', { code: 'no_room', message: 'No room to speak in.' });
      return;
    }
    this.setSpeakState('connecting', undefined, 'Starting the microphone…');
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia(MIC_CONSTRAINTS);
    } catch (e) {
      if (gen === this.speakGen) this.report('speaker', { code: 'microphone', message: microphoneText(e) });
      return;
    }
    if (gen !== this.speakGen) {
      stopTracks(stream);
      return;
    }
    this.stream = stream;
    this.muted = false;
    await this.openSession(gen);
  }

  /** Streams this.stream into the room: over WebRTC, unless told otherwise or it cannot; else PCM over the WebSocket. */
  async openSession(gen) {
    this.webrtcConnected = false;
    const stream = this.stream;
    let options;
    try {
      options = this.speakOptions();
    } catch {
      this.speakFailed({ code: 'bad_server_url', message: `Not a URL: ${this.getAttribute('server')}` });
      return;
    }
    const transport = this.transport;
    if (transport !== 'websocket') {
      this.setSpeakState('connecting', 'webrtc', 'Connecting (WebRTC)…');
      try {
        const session = await startWhip({ ...options, onConnectionState: (s) => this.webrtcState(gen, s) });
        if (gen !== this.speakGen) {
          session.stop().catch(() => {});
          return;
        }
        this.session = { kind: 'webrtc', stop: () => session.stop() };
        this.meter.attach(stream);
        this.connectTimer = setTimeout(() => this.webrtcState(gen, 'failed'), WEBRTC_CONNECT_MS);
        this.updateButtons();
        return;
      } catch (e) {
        if (gen !== this.speakGen) return;
        if (!(transport === 'auto' && e.fallback)) {
          this.speakFailed({ code: e.code || 'webrtc_failed', message: e.message });
          return;
        }
      }
    }
    await this.startWebSocket(gen, options);
  }

  async startWebSocket(gen, options) {
    this.setSpeakState('connecting', 'websocket', 'Connecting (WebSocket)…');
    try {
      const session = await startPcm({
        ...options,
        onError: (e) => gen === this.speakGen && this.report('speaker', e, false),
        onEnd: (e) => {
          if (gen !== this.speakGen) return;
          if (e.resumable) this.resumeSpeaking(e.retryAfter);
          else this.speakFailed({ code: e.code, message: e.message });
        },
      });
      if (gen !== this.speakGen) {
        session.stop().catch(() => {});
        return;
      }
      this.session = { kind: 'websocket', stop: () => session.stop(), setMuted: (m) => session.setMuted(m) };
      session.setMuted(this.isMuted);
      this.meter.attach(options.stream, session.ctx);
      this.setSpeakState('live', 'websocket');
    } catch (e) {
      if (gen !== this.speakGen) return;
      this.speakFailed({ code: e.code || 'websocket_failed', message: e.message }, e.reported);
    }
  }

  webrtcState(gen, state) {
    if (gen !== this.speakGen || !this.session || this.session.kind !== 'webrtc') return;
    if (state === 'connected') {
      clearTimeout(this.connectTimer);
      this.webrtcConnected = true;
      this.setSpeakState('live', 'webrtc');
    } else if (state === 'disconnected') {
      // ICE often recovers on its own from a short network change.
      this.setSpeakState('reconnecting', 'webrtc', 'Reconnecting (WebRTC)…');
    } else if (state === 'failed') {
      clearTimeout(this.connectTimer);
      const session = this.session;
      this.session = null;
      session.stop().catch(() => {});
      if (this.transport === 'auto' && !this.webrtcConnected) {
        // Media could not get through (UDP blocked, say): the WebSocket usually can.
        this.startWebSocket(gen, this.speakOptions());
      } else {
        this.speakFailed({ code: 'webrtc_failed', message: 'The WebRTC connection failed.' });
      }
    }
  }

  speakOptions() {
    return {
      stream: this.stream, server: this.server, room: this.room, token: this.token,
      language: this.getAttribute('language') || 'auto', speaker: this.getAttribute('speaker') || 'Speaker',
    };
  }

  /** Stops speaking: the gateway finishes the last utterance, the microphone is released. */
  async stop() {
    this.speakGen++;
    clearTimeout(this.connectTimer);
    clearTimeout(this.resumeTimer);
    this.webrtcConnected = false;
    const session = this.session;
    const stream = this.stream;
    this.session = null;
    this.stream = null;
    this.meter.detach();
    if (this.speakState === 'closed' || this.speakState === 'error') {
      if (stream) stopTracks(stream);
      return;
    }
    if (session) {
      this.speakText = 'Stopping…';
      this.updateStatus();
      // Over WebSocket the worklet stops at once and the microphone can go; over WebRTC the
      // session is ended first (WHIP DELETE), then the track.
      const done = session.stop();
      if (session.kind === 'websocket') stopTracks(stream);
      try {
        await done;
      } catch {
        // Stopping is best effort: the gateway also notices a closed connection.
      }
    }
    if (stream) stopTracks(stream);
    this.setSpeakState('closed', undefined, 'Stopped.');
  }

  /**
   * The gateway went away while this widget was speaking (its closing notice, or a 1001 close):
   * the session goes, the microphone stays, and a new session starts after `delay` ms (what the
   * gateway asked for; -1: the backoff), a few times before the widget gives up.
   */
  resumeSpeaking(delay) {
    if (!this.stream) return;
    clearTimeout(this.connectTimer);
    clearTimeout(this.resumeTimer);
    const session = this.session;
    this.session = null;
    if (session) session.stop().catch(() => {});
    this.meter.detach();
    const gen = ++this.speakGen;
    if (this.resumes >= MAX_RESUMES) {
      this.speakFailed({ code: 'connection_lost', message: 'The gateway went away and did not come back.' });
      return;
    }
    const wait = delay >= 0 ? delay : Math.min(RESUME_FIRST_MS * 2 ** this.resumes, RESUME_MAX_MS);
    this.resumes++;
    this.setSpeakState('reconnecting', this.speakTransport, `Speaking again in ${seconds(wait)} s…`, { delay: wait, attempt: this.resumes });
    this.resumeTimer = setTimeout(() => {
      if (gen === this.speakGen) this.openSession(gen);
    }, wait);
  }

  speakFailed(e, reported) {
    // A session that failed to open while resuming (the gateway not back yet): another try.
    if (this.resumes > 0 && this.stream && !FINAL_SPEAK_ERRORS.has(e.code)) {
      this.resumeSpeaking(-1);
      return;
    }
    clearTimeout(this.connectTimer);
    const session = this.session;
    this.session = null;
    if (session) session.stop().catch(() => {});
    if (this.stream) stopTracks(this.stream);
    this.stream = null;
    this.meter.detach();
    this.speakGen++;
    this.report('speaker', e, true, reported);
  }

  setSpeakState(state, transport, text, extra) {
    this.speakState = state;
    if (state === 'live') this.resumes = 0;
    this.speakTransport = transport;
    this.speakText = text !== undefined ? text
      : state === 'live' ? `Live — ${TRANSPORT_NAME[transport]}` : '';
    this.updateButtons();
    this.updateStatus();
    const detail = { channel: 'speaker', state, ...extra };
    if (transport) detail.transport = transport;
    this.fire('parley-status', detail);
  }

  // ---- shared ----

  /**
   * Reports an error: a parley-error event and the status line. `fatal` errors also set the
   * channel's state to "error" (the captions connection does that itself, with its close code).
   */
  report(channel, e, fatal = true, reported = false) {
    if (!reported) this.fire('parley-error', { code: e.code, message: e.message });
    if (channel === 'captions') {
      this.captionError = e;
      this.setCaptionState({ state: 'error' });
    } else if (fatal) {
      this.setSpeakState('error', undefined, e.message || e.code);
    } else {
      this.speakText = e.message || e.code;
      this.updateStatus();
    }
  }

  updateButtons() {
    const active = this.speakState === 'connecting' || this.speakState === 'live' || this.speakState === 'reconnecting';
    this.startButton.textContent = active ? 'Stop' : 'Start speaking';
    this.startButton.classList.toggle('live', active);
    this.startButton.disabled = !active && !this.room;
    this.muteButton.disabled = !this.session;
  }

  updateStatus() {
    const parts = [];
    if (this.mode === 'speaker' && this.speakText) parts.push(this.speakText);
    // In speaker mode "Live" would read as "on air": the caption socket only speaks up when it
    // is not live.
    if (this.captionText && (this.mode === 'viewer' || this.captionState !== 'live')) parts.push(this.captionText);
    this.statusLine.textContent = parts.join(' · ');
    const failed = this.captionState === 'error' || (this.mode === 'speaker' && this.speakState === 'error');
    this.statusLine.classList.toggle('error', failed);
  }

  fire(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

function pageParam(name) {
  try {
    return new URLSearchParams(location.search).get(name) || '';
  } catch {
    return '';
  }
}

function reconnectingText(ms) {
  return `Reconnecting in ${seconds(ms)} s…`;
}

function seconds(ms) {
  return Math.round(ms / 100) / 10;
}

function stopTracks(stream) {
  for (const t of stream.getTracks()) t.stop();
}

function microphoneText(e) {
  if (e && e.name === 'NotAllowedError') return 'Microphone access was refused.';
  if (e && e.name === 'NotFoundError') return 'No microphone found.';
  if (!navigator.mediaDevices) return 'The microphone needs a secure (https) page.';
  return `Microphone: ${e && e.message || e}`;
}
