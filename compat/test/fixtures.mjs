// The clips the compatibility tests send, from the shared evaluation set, and the files made from
// them by Debian's ffmpeg (which the test command installs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { testdataDir, wordErrorRate as werOf } from '../../web-client/test/support/speech.mjs';

/** Word error rate of a hypothesis against a reference, as a number. */
export function wordErrorRate(reference, hypothesis) {
  return werOf(reference, hypothesis).rate;
}

/** The first LibriVox clip of the evaluation set and its reference transcript. */
export function clip() {
  const dir = testdataDir();
  const tsv = fs.readFileSync(path.join(dir, 'audio/references.tsv'), 'utf8').split('\n').slice(1);
  for (const line of tsv) {
    const [file, text] = line.split('\t');
    if (file && file.startsWith('librivox')) {
      return { wav: path.join(dir, 'audio', file.trim()), reference: text.trim() };
    }
  }
  throw new Error('no LibriVox clip in the evaluation set');
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'parley-compat-'));
}

/** Runs ffmpeg; throws with its output when it fails. */
export function ffmpeg(args) {
  const r = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
}

/** The 16-bit PCM of a canonical 16 kHz mono WAV (the clips' format), without its header. */
export function pcmOf(wav) {
  const buf = fs.readFileSync(wav);
  let at = 12;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'data') return buf.subarray(at + 8, at + 8 + size);
    at += 8 + size + (size & 1);
  }
  throw new Error(`${wav} has no data chunk`);
}
