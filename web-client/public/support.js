// A support call: two parties in one room, side by side. Each has a speaker widget (its own
// name and spoken language) and a viewer widget in its own language, so the agent reads the
// customer in English and the customer reads the agent in theirs. Both speak with the room's
// one speaker token; the gateway tells their captions apart by the speaker name.

import { gatewayLanguages, offerRooms } from './demo-room.js';

const $ = (sel) => document.querySelector(sel);

function useRoom(r) {
  $('#room-info').textContent = `Room ${r.room}`;
  for (const w of document.querySelectorAll('parley-captions')) {
    w.setAttribute('room', r.room);
    w.setAttribute('token', w.getAttribute('mode') === 'speaker' ? r.speakerToken : r.viewerToken);
  }
}

// The customer's language is both what their speaker widget tells the gateway they speak and
// what their viewer widget reads in.
function setCustomerLanguage(lang, name) {
  $('#customer .speaks').setAttribute('language', lang);
  $('#customer .reads').setAttribute('lang', lang);
  $('#customer-lang-name').textContent = name;
}

offerRooms(useRoom);

gatewayLanguages().then((langs) => {
  // Languages the customer can both be recognised in and read captions in.
  const heard = new Set((langs.recognition || []).map((l) => l.lang));
  const choices = (langs.captionLanguages || []).filter((l) => heard.has(l.lang));
  if (!choices.length) return;
  const select = $('#customer-lang');
  select.replaceChildren(...choices.map((l) => new Option(`${l.name} (${l.lang})`, l.lang)));
  const initial = choices.find((l) => l.lang === 'es') || choices.find((l) => l.lang !== 'en') || choices[0];
  select.value = initial.lang;
  setCustomerLanguage(initial.lang, initial.name);
  select.onchange = () => {
    const l = choices.find((c) => c.lang === select.value);
    setCustomerLanguage(l.lang, l.name);
  };
}).catch((e) => {
  $('#room-info').textContent = `The gateway did not answer (${e.message}).`;
});
