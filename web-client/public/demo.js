// The plain demo page: create a room, speak into it, and watch it in two languages.
// Protocol: DESIGN.md "Wire protocol (v1)". Tokens travel as a WebSocket subprotocol,
// beside "parley.v1", because browsers cannot set headers on a WebSocket.

const $ = (sel) => document.querySelector(sel);
const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
let room = null;

function openSocket(path, token) {
  return new WebSocket(`${wsBase}${path}`, ['parley.v1', `parley.token.${token}`]);
}

// ---- room ----

async function newRoom() {
  const task = $('#translate-task').checked ? 'translate' : 'transcribe';
  const res = await fetch('/v1/rooms', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ task }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(body.message);
  useRoom(body);
  history.replaceState(null, '', `#room=${body.room}&speak=${body.speakerToken}&view=${body.viewerToken}`);
}

function useRoom(r) {
  room = r;
  $('#room-info').textContent = `Room ${r.room}`;
  const link = $('#viewer-link');
  link.href = `${location.pathname}#room=${r.room}&view=${r.viewerToken}`;
  link.hidden = false;
  $('#speak').disabled = !r.speakerToken;
  document.querySelectorAll('.viewer').forEach((panel) => watch(panel));
  $('#transcripts').innerHTML = ` · transcript: ${['vtt', 'srt', 'json']
    .map((f) => `<a href="/v1/rooms/${r.room}/transcript?format=${f}&token=${r.viewerToken}">${f}</a>`).join(' ')}`;
}

// ---- viewers ----

function watch(panel) {
  panel.socket?.close(1000);
  const lang = panel.querySelector('.lang').value;
  const box = panel.querySelector('.captions');
  box.replaceChildren();
  panel.lastSeq = -1;
  connectViewer(panel, lang, box);
}

function connectViewer(panel, lang, box) {
  const since = panel.lastSeq >= 0 ? `&since=${panel.lastSeq}` : '';
  const query = lang ? `lang=${lang}${since}` : since.replace(/^&/, '');
  const socket = openSocket(`/v1/rooms/${room.room}/captions?${query}`, room.viewerToken);
  panel.socket = socket;
  socket.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type === 'caption') render(box, msg, panel);
    else if (msg.type === 'error') console.warn('viewer', msg.code, msg.message);
  };
  socket.onclose = (e) => {
    // Reconnect unless the page closed it; `since` makes sure no final is missed meanwhile.
    if (panel.socket === socket && e.code !== 1000 && e.code < 4400) {
      setTimeout(() => connectViewer(panel, lang, box), 1000);
    }
  };
}

function render(box, c, panel) {
  let line = box.querySelector(`[data-segment="${c.segment}"]`);
  if (!line) {
    line = document.createElement('p');
    line.dataset.segment = c.segment;
    box.append(line);
  }
  line.className = c.final ? 'final' : 'partial';
  line.replaceChildren();
  const who = document.createElement('span');
  who.className = 'who';
  who.textContent = c.speaker;
  line.append(who);
  const flagged = new Set(c.flagged || []);
  // Words as spans, so that uncertain ones can be marked: low recognition confidence, or
  // flagged by the translator as unknown to it.
  const words = c.words && c.final
    ? c.words.map((w) => ({ text: w.w, mark: w.conf !== undefined && w.conf < 0.5 ? 'low' : '' }))
    : c.text.split(' ').map((w) => ({ text: w, mark: flagged.has(w.replace(/[.,;:!?]$/, '')) ? 'flagged' : '' }));
  words.forEach((w, i) => {
    if (i) line.append(' ');
    const span = document.createElement('span');
    span.textContent = w.text;
    if (w.mark) span.className = w.mark;
    line.append(span);
  });
  if (c.final) {
    panel.lastSeq = Math.max(panel.lastSeq, c.seq);
    if (!c.text) line.remove();
  }
  box.scrollTop = box.scrollHeight;
}

async function fillLanguages() {
  const res = await fetch('/v1/languages');
  const langs = await res.json();
  const selects = document.querySelectorAll('.lang');
  selects.forEach((sel, i) => {
    sel.add(new Option('As spoken', ''));
    for (const l of langs.captionLanguages) sel.add(new Option(`${l.name} (${l.lang})`, l.lang));
    sel.value = i === 0 ? 'en' : (langs.captionLanguages.some((l) => l.lang === 'es') ? 'es' : 'en');
    sel.onchange = () => room && watch(sel.closest('.viewer'));
  });
  const spoken = $('#speaker-lang');
  if (langs.autoDetect) spoken.add(new Option('any language (detected)', 'auto'));
  for (const l of langs.recognition) spoken.add(new Option(`${l.name} (${l.lang})`, l.lang));
  spoken.value = langs.autoDetect ? 'auto' : 'en';
  const task = $('#translate-task');
  task.disabled = !(langs.tasks || []).includes('translate');
}

// ---- speaker ----

let speaking = null;

async function startSpeaking() {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  const ctx = new AudioContext();
  await ctx.audioWorklet.addModule('pcm-worklet.js');
  const source = ctx.createMediaStreamSource(stream);
  const chunker = new AudioWorkletNode(ctx, 'pcm-chunker');
  source.connect(chunker);

  const socket = openSocket(`/v1/rooms/${room.room}/speak`, room.speakerToken);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => socket.send(JSON.stringify({
    type: 'start', format: 'pcm_s16le', sampleRate: ctx.sampleRate, channels: 1,
    language: $('#speaker-lang').value || 'auto', speaker: $('#speaker-name').value || 'Speaker',
  }));
  socket.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type === 'ready') $('#speaker-status').textContent = `live (${msg.engine}, ${msg.language}, ${msg.task})`;
    if (msg.type === 'error') $('#speaker-status').textContent = `error: ${msg.code} — ${msg.message}`;
  };
  socket.onclose = () => { if (speaking) stopSpeaking(); };
  chunker.port.onmessage = ({ data }) => {
    $('#level').value = data.peak;
    if (socket.readyState === WebSocket.OPEN) socket.send(data.pcm);
  };
  speaking = { stream, ctx, socket };
  $('#speak').textContent = 'Stop';
  $('#speak').classList.add('live');
}

function stopSpeaking() {
  const s = speaking;
  speaking = null;
  s.stream.getTracks().forEach((t) => t.stop());
  s.ctx.close();
  if (s.socket.readyState === WebSocket.OPEN) s.socket.send(JSON.stringify({ type: 'stop' }));
  $('#speak').textContent = 'Start speaking';
  $('#speak').classList.remove('live');
  $('#speaker-status').textContent = 'stopped';
  $('#level').value = 0;
}

// ---- start ----

$('#new-room').onclick = () => newRoom().catch((e) => { $('#room-info').textContent = e.message; });
$('#speak').onclick = () => (speaking ? stopSpeaking() : startSpeaking().catch((e) => {
  $('#speaker-status').textContent = `microphone: ${e.message}`;
}));

await fillLanguages();
const hash = new URLSearchParams(location.hash.slice(1));
if (hash.get('room')) useRoom({ room: hash.get('room'), speakerToken: hash.get('speak'), viewerToken: hash.get('view') });
