// Meeting captions: one speaker widget and viewer widgets in several languages, all on one
// room. The page only makes the room and hands each widget its room and token; speaking,
// captions, reconnecting and the language pickers are the widgets' own.

import { gatewayLanguages, offerRooms, viewerLink } from './demo-room.js';

const $ = (sel) => document.querySelector(sel);
const speakerWidget = $('#speaker');
let room = null;

function useRoom(r) {
  room = r;
  $('#room-info').textContent = `Room ${r.room}`;
  speakerWidget.setAttribute('room', r.room);
  speakerWidget.setAttribute('token', r.speakerToken);
  for (const w of document.querySelectorAll('#viewers parley-captions')) giveRoom(w);
  const link = viewerLink(r);
  $('#share-link').value = link;
  $('#open-link').href = link;
  $('#share').hidden = false;
}

function giveRoom(widget) {
  if (!room) return;
  widget.setAttribute('room', room.room);
  widget.setAttribute('token', room.viewerToken);
}

function addViewer(lang) {
  const widget = document.createElement('parley-captions');
  widget.setAttribute('mode', 'viewer');
  widget.setAttribute('lines', '4');
  if (lang) widget.setAttribute('lang', lang);
  giveRoom(widget);
  const remove = document.createElement('button');
  remove.className = 'remove';
  remove.textContent = '×';
  remove.title = 'Remove this viewer';
  const card = document.createElement('article');
  card.className = 'viewer-card';
  card.append(widget, remove);
  // Removing the widget from the page closes its connection (disconnectedCallback).
  remove.onclick = () => card.remove();
  $('#viewers').append(card);
}

$('#copy-link').onclick = () => navigator.clipboard?.writeText($('#share-link').value);
$('#speaker-name').oninput = (e) => speakerWidget.setAttribute('speaker', e.target.value || 'Speaker');
$('#speaker-lang').onchange = (e) => speakerWidget.setAttribute('language', e.target.value);
$('#add-viewer').onclick = () => addViewer($('#add-lang').value);

// English and Spanish viewers from the start; others on demand.
addViewer('en');
addViewer('es');
offerRooms(useRoom);

gatewayLanguages().then((langs) => {
  const add = $('#add-lang');
  add.add(new Option('as spoken', ''));
  for (const l of langs.captionLanguages || []) add.add(new Option(`${l.name} (${l.lang})`, l.lang));
  add.value = (langs.captionLanguages || []).some((l) => l.lang === 'fr') ? 'fr' : '';
  const spoken = $('#speaker-lang');
  if (!langs.autoDetect) spoken.replaceChildren();
  for (const l of langs.recognition || []) spoken.add(new Option(`${l.name} (${l.lang})`, l.lang));
  spoken.value = langs.autoDetect ? 'auto' : 'en';
  if (!spoken.value && spoken.options.length) spoken.selectedIndex = 0;
  speakerWidget.setAttribute('language', spoken.value);
}).catch((e) => {
  $('#room-info').textContent = `The gateway did not answer (${e.message}).`;
});
