// The speech a fake microphone plays: real clips of the shared evaluation set, with their
// reference transcripts, joined into one WAV with pauses between them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const RATE = 16000;

export function testdataDir() {
  const candidates = [process.env.PARLEY_TESTDATA, path.resolve(ROOT, '../shared/testdata')].filter(Boolean);
  for (const c of candidates) {
    if (fs.existsSync(path.join(c, 'audio/references.tsv'))) return c;
  }
  throw new Error(`evaluation data not found in ${candidates.join(', ')} (set PARLEY_TESTDATA)`);
}

function references() {
  const tsv = fs.readFileSync(path.join(testdataDir(), 'audio/references.tsv'), 'utf8');
  const refs = new Map();
  for (const line of tsv.split('\n').slice(1)) {
    const [file, text] = line.split('\t');
    if (file && text) refs.set(file.trim(), text.trim());
  }
  return refs;
}

/** 16-bit mono PCM samples of a 16 kHz WAV file (the clips' format). */
function readPcm(file) {
  const buf = fs.readFileSync(file);
  let offset = 12;
  let fmt = null;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      fmt = { channels: buf.readUInt16LE(offset + 10), rate: buf.readUInt32LE(offset + 12), bits: buf.readUInt16LE(offset + 22) };
    } else if (id === 'data') {
      if (!fmt || fmt.channels !== 1 || fmt.rate !== RATE || fmt.bits !== 16) {
        throw new Error(`${file}: expected 16 kHz mono 16-bit PCM, found ${JSON.stringify(fmt)}`);
      }
      return new Int16Array(buf.buffer.slice(buf.byteOffset + offset + 8, buf.byteOffset + offset + 8 + size));
    }
    offset += 8 + size + (size & 1);
  }
  throw new Error(`${file}: no data chunk`);
}

function writeWav(file, samples) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length * 2, 40);
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.length * 2)]));
}

/**
 * Writes `lead` seconds of silence, then each clip whose name starts with `prefix` followed by
 * `pause` seconds of silence, then `tail` seconds; returns the file, its duration and the
 * reference text of what is said in it.
 */
export function composeSpeech(outFile, { prefix = 'librivox', lead = 2, pause = 1.5, tail = 3, limit = Infinity } = {}) {
  const refs = references();
  const names = [...refs.keys()].filter((n) => n.startsWith(prefix)).sort().slice(0, limit);
  const parts = [new Int16Array(lead * RATE)];
  for (const n of names) {
    parts.push(readPcm(path.join(testdataDir(), 'audio', n)), new Int16Array(Math.round(pause * RATE)));
  }
  parts.push(new Int16Array(tail * RATE));
  const total = parts.reduce((s, p) => s + p.length, 0);
  const all = new Int16Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  writeWav(outFile, all);
  return { file: outFile, seconds: total / RATE, reference: names.map((n) => refs.get(n)).join(' '), clips: names.length };
}

// Word error rate with the normalisation of the Java scorer (speech/.../eval/TranscriptNormalizer)
// for text without numbers: case, punctuation and the abbreviations Whisper writes.
const ABBREVIATIONS = { mr: 'mister', mrs: 'missus', dr: 'doctor', st: 'saint' };

export function words(text) {
  return text.normalize('NFKC').toLowerCase().replace(/’/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ').replace(/(^|\s)'+|'+(?=\s|$)/g, ' ')
    .trim().split(/\s+/).filter(Boolean).map((w) => ABBREVIATIONS[w] ?? w);
}

export function wordErrorRate(reference, hypothesis) {
  const ref = words(reference);
  const hyp = words(hypothesis);
  let prev = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const cur = [i];
    for (let j = 1; j <= hyp.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return { rate: prev[hyp.length] / Math.max(1, ref.length), errors: prev[hyp.length], words: ref.length };
}
