// The plain demo page: make a room (or reopen the one the link keeps), speak into it with a
// <parley-captions mode="speaker">, and read it in two languages with two viewer widgets, each
// with its own language picker. As on meeting.html and support.html, the page only hands the
// widgets a room and a token: sockets, microphone, reconnecting and rendering are the widget's,
// which inserts caption text as text.
//
// Whatever comes from the link (room and tokens in the fragment) is data: it reaches the page
// through textContent, attributes and URLSearchParams, never as markup.

import { gatewayLanguages, offerRooms, viewerLink } from './demo-room.js';

const $ = (sel) => document.querySelector(sel);
const speaker = $('#speaker');
const viewers = () => document.querySelectorAll('#viewers parley-captions');

function useRoom(r) {
  $('#room-info').textContent = `Room ${r.room}`;
  // A viewer's link (#room=..&view=..) has no speaker token: nothing to speak with.
  $('#speaker-panel').hidden = !r.speakerToken;
  if (r.speakerToken) {
    speaker.setAttribute('room', r.room);
    speaker.setAttribute('token', r.speakerToken);
  }
  // The speaker token also allows watching.
  const token = r.viewerToken || r.speakerToken;
  for (const w of viewers()) {
    w.setAttribute('room', r.room);
    w.setAttribute('token', token);
  }
  // Shared with others: only ever the viewer token.
  const link = $('#viewer-link');
  link.hidden = !r.viewerToken;
  if (r.viewerToken) link.href = viewerLink(r);
  showTranscripts(r.room, token);
}

/** Links to the room's transcript as spoken, in each format the gateway exports. */
function showTranscripts(room, token) {
  const links = ['vtt', 'srt', 'json'].map((format) => {
    const url = new URL(`/v1/rooms/${encodeURIComponent(room)}/transcript`, location.href);
    url.search = new URLSearchParams({ format, token }).toString();
    const a = document.createElement('a');
    a.href = url.href;
    a.textContent = format;
    return a;
  });
  const box = $('#transcripts');
  box.replaceChildren(' · transcript:', ...links.flatMap((a) => [' ', a]));
  box.hidden = false;
}

$('#speaker-name').oninput = (e) => speaker.setAttribute('speaker', e.target.value || 'Speaker');
$('#speaker-lang').onchange = (e) => speaker.setAttribute('language', e.target.value);

offerRooms(useRoom, {
  // "Caption all speech in English": Whisper's translate task for the whole room.
  body: () => ($('#translate-task').checked ? { task: 'translate' } : {}),
});

gatewayLanguages().then((langs) => {
  const spoken = $('#speaker-lang');
  if (!langs.autoDetect) spoken.replaceChildren();
  for (const l of langs.recognition || []) spoken.add(new Option(`${l.name} (${l.lang})`, l.lang));
  spoken.value = langs.autoDetect ? 'auto' : 'en';
  if (!spoken.value && spoken.options.length) spoken.selectedIndex = 0;
  speaker.setAttribute('language', spoken.value);
  $('#translate-task').disabled = !(langs.tasks || []).includes('translate');
  // The second viewer reads Spanish where the gateway has it, else as spoken.
  if (!(langs.captionLanguages || []).some((l) => l.lang === 'es')) viewers()[1].removeAttribute('lang');
}).catch((e) => {
  $('#room-info').textContent = `The gateway did not answer (${e.message}).`;
});
