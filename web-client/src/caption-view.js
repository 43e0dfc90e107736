// Renders captions as a caption block, the way live subtitles look: the last few finals and,
// under them, the partial(s) still being spoken. Nothing scrolls and nothing piles up: only
// `lines` finals stay in the DOM, which also keeps a long meeting from growing the page.
//
// Accessibility: finals go into a role="log" aria-live="polite" container, so a screen reader
// reads each sentence once, when it is final. Partials change every second and would make it
// read the same words over and over, so they are aria-hidden.

import { el } from './dom.js';

// Segments being spoken at once: one per speaker, normally. More means partials whose final
// never came (a dropped connection); the oldest go.
const MAX_PARTIALS = 4;
const CLOSED_SEGMENTS_KEPT = 64;

export class CaptionView {
  constructor() {
    this.finals = el('div', { class: 'finals', role: 'log', 'aria-live': 'polite', 'aria-label': 'Captions' });
    this.partialBox = el('div', { class: 'partials', 'aria-hidden': 'true' });
    this.root = el('div', { class: 'captions', part: 'captions' }, this.finals, this.partialBox);
    this.lines = 3;
    this.threshold = 0.5;
    this.clear();
  }

  clear() {
    this.finals.replaceChildren();
    this.partialBox.replaceChildren();
    this.partials = new Map();
    this.closedSegments = new Set();
    this.speakers = new Set();
  }

  setLines(n) {
    this.lines = n;
    this.trim();
  }

  /** Shows one caption message (already deduplicated by the connection). */
  show(c) {
    this.noteSpeaker(c.speaker);
    const key = String(c.segment);
    if (!c.final) {
      if (this.closedSegments.has(key)) return;
      let line = this.partials.get(key);
      if (!line) {
        line = el('p', { class: 'partial', part: 'partial', 'aria-hidden': 'true' });
        this.partialBox.append(line);
        this.partials.set(key, line);
        if (this.partials.size > MAX_PARTIALS) this.dropPartial(this.partials.keys().next().value);
      }
      this.fill(line, c);
      return;
    }
    // The final replaces the segment's partial.
    this.dropPartial(key);
    this.closedSegments.add(key);
    if (this.closedSegments.size > CLOSED_SEGMENTS_KEPT) {
      this.closedSegments.delete(this.closedSegments.values().next().value);
    }
    // An utterance can end in nothing (a cough the recognizer dropped): its final is empty
    // and only closes the partial.
    if (!c.text || !c.text.trim()) return;
    const line = el('p', { class: 'final', part: 'final' });
    line.dataset.seq = c.seq;
    this.fill(line, c);
    this.finals.append(line);
    this.trim();
  }

  dropPartial(key) {
    const line = this.partials.get(key);
    if (line) {
      line.remove();
      this.partials.delete(key);
    }
  }

  trim() {
    while (this.finals.childElementCount > this.lines) this.finals.firstElementChild.remove();
  }

  // Names are only worth their space once a second voice is in the room. Until then lines
  // carry the name in data-speaker only (so their text is the caption alone, for screen
  // readers and copy-paste); when the second voice comes, the lines on screen get theirs.
  noteSpeaker(name) {
    if (!name || this.speakers.has(name)) return;
    this.speakers.add(name);
    if (this.speakers.size === 2) {
      for (const line of this.root.querySelectorAll('p[data-speaker]')) line.prepend(...speakerLabel(line.dataset.speaker));
    }
  }

  fill(line, c) {
    line.dataset.segment = c.segment;
    // lang lets a screen reader pronounce the caption in its language; dir="auto" sets Arabic
    // or Hebrew right to left.
    if (c.lang) line.lang = c.lang;
    line.dir = 'auto';
    // The original sentence, on hover, for translated captions.
    if (c.source && c.source.text) line.title = c.source.text;
    const nodes = [];
    if (c.speaker) {
      line.dataset.speaker = c.speaker;
      if (this.speakers.size > 1) nodes.push(...speakerLabel(c.speaker));
    }
    const { text, marks } = markedText(c, this.threshold);
    let at = 0;
    for (const [s, e] of marks) {
      if (s > at) nodes.push(text.slice(at, s));
      nodes.push(el('span', { class: 'uncertain', part: 'uncertain' }, text.slice(s, e)));
      at = e;
    }
    if (at < text.length) nodes.push(text.slice(at));
    line.replaceChildren(...nodes);
  }
}

function speakerLabel(name) {
  return [el('span', { class: 'speaker', part: 'speaker' }, name), ' '];
}

/**
 * The caption's text and the [start, end) ranges in it to mark as uncertain: words the
 * recognizer gave a confidence below the threshold (captions in the spoken language carry
 * `words`), and words the translator did not know (translations carry `flagged`).
 */
export function markedText(c, threshold) {
  let text = c.text || '';
  let marks = [];
  const words = Array.isArray(c.words) ? c.words.filter((w) => w && typeof w.w === 'string' && w.w.trim()) : [];
  if (words.length) {
    // Words are found in the text in order, so the text keeps its own spacing and
    // punctuation (and no spaces appear in languages written without them).
    let cursor = 0;
    for (const w of words) {
      const word = w.w.trim();
      const i = text.indexOf(word, cursor);
      if (i < 0) {
        marks = null;
        break;
      }
      if (isLow(w, threshold)) marks.push([i, i + word.length]);
      cursor = i + word.length;
    }
    if (!marks) {
      // Words and text disagree (should not happen): show the words, which carry the marks.
      text = '';
      marks = [];
      for (const w of words) {
        if (text) text += ' ';
        if (isLow(w, threshold)) marks.push([text.length, text.length + w.w.trim().length]);
        text += w.w.trim();
      }
    }
  }
  if (Array.isArray(c.flagged)) {
    for (const f of c.flagged) {
      if (typeof f === 'string' && f.trim()) marks.push(...occurrences(text, f.trim()));
    }
  }
  return { text, marks: merge(marks) };
}

function isLow(w, threshold) {
  return typeof w.conf === 'number' && w.conf < threshold;
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;

// Whole-word occurrences of `word`: "sol" is flagged in "el sol," but not in "soledad".
function occurrences(text, word) {
  const found = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = text[i - 1];
    const after = text[i + word.length];
    if ((!before || !WORD_CHAR.test(before)) && (!after || !WORD_CHAR.test(after))) {
      found.push([i, i + word.length]);
    }
  }
  return found;
}

function merge(ranges) {
  ranges.sort((a, b) => a[0] - b[0]);
  const out = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
