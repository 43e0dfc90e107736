// OpenAI's official `openai` package against Parley's /v1/audio endpoints: an application written
// for OpenAI's transcription API works by changing its base URL and key.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';
import { startGateway } from '../../web-client/test/support/gateway.mjs';
import { clip, ffmpeg, tempDir, wordErrorRate } from './fixtures.mjs';

const KEY = 'compat-test-api-key-0123456789';
/** Whisper base on these clips scores 0.02–0.07 as PCM (bench/results/asr.json); Opus at 32 kbit/s costs a little. */
const WER_BOUND = 0.15;

let gateway;
let client;
const dir = tempDir();
const speech = clip();

before(async () => {
  gateway = await startGateway({
    args: ['--data', path.join(dir, 'data'), '--api-key', KEY, '--mt-model', 'none',
      // Files up to an hour: the two-hour upload below is beyond it.
      '--limit', 'maxFileSeconds=3600'],
  });
  client = new OpenAI({ apiKey: KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await gateway?.stop();
  fs.rmSync(dir, { recursive: true, force: true }); // the converted clips and the gateway's data
});

test('a WAV and the same speech as Ogg/Opus are transcribed: text, SRT and verbose JSON with words', async () => {
  const ogg = path.join(dir, 'speech.ogg');
  ffmpeg(['-i', speech.wav, '-c:a', 'libopus', '-b:a', '32k', ogg]);
  for (const file of [speech.wav, ogg]) {
    const json = await client.audio.transcriptions.create({ file: fs.createReadStream(file), model: 'whisper-1' });
    const wer = wordErrorRate(speech.reference, json.text);
    assert.ok(wer <= WER_BOUND, `${path.basename(file)}: WER ${wer}: ${json.text}`);
  }
  const srt = await client.audio.transcriptions.create({
    file: fs.createReadStream(ogg), model: 'whisper-1', response_format: 'srt',
  });
  assert.match(srt, /^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n\S/);
  const verbose = await client.audio.transcriptions.create({
    file: fs.createReadStream(speech.wav), model: 'whisper-1', response_format: 'verbose_json',
    timestamp_granularities: ['word', 'segment'], language: 'en',
  });
  assert.equal(verbose.language, 'english');
  assert.ok(verbose.duration > 1);
  assert.ok(verbose.segments.length >= 1 && verbose.segments[0].end > verbose.segments[0].start);
  assert.ok(verbose.words.length > 10, JSON.stringify(verbose.words));
  for (const w of verbose.words) {
    assert.ok(w.end >= w.start && w.end <= verbose.duration + 0.5, JSON.stringify(w));
  }
  const text = await client.audio.translations.create({ file: fs.createReadStream(speech.wav), model: 'whisper-1' });
  assert.ok(wordErrorRate(speech.reference, text.text) <= WER_BOUND, `English stays English: ${text.text}`);
});

test('bad input gets OpenAI-shaped errors with a clear message, and the server stays up', async () => {
  const wrongKey = new OpenAI({ apiKey: 'not-the-key', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  await assert.rejects(wrongKey.audio.transcriptions.create({ file: fs.createReadStream(speech.wav), model: 'whisper-1' }),
    (e) => e instanceof OpenAI.AuthenticationError && e.status === 401 && /API key/.test(e.message));

  const notAudio = path.join(dir, 'notes.mp3');
  fs.writeFileSync(notAudio, 'minutes of the meeting, not a recording\n'.repeat(50));
  await assert.rejects(client.audio.transcriptions.create({ file: fs.createReadStream(notAudio), model: 'whisper-1' }),
    (e) => e.status === 415 && e.code === 'unsupported_media_type' && /not an audio file/.test(e.message));

  const cut = path.join(dir, 'cut.wav');
  const whole = fs.readFileSync(speech.wav);
  fs.writeFileSync(cut, whole.subarray(0, whole.length / 2));
  await assert.rejects(client.audio.transcriptions.create({ file: fs.createReadStream(cut), model: 'whisper-1' }),
    (e) => e.status === 400 && e.code === 'corrupt_media' && /cut short|truncated/.test(e.message));

  // Two hours of (silent) Opus: a small upload, refused from its declared length before any decoding.
  const long = path.join(dir, 'two-hours.ogg');
  ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '7200', '-c:a', 'libopus', '-b:a', '6k', long]);
  await assert.rejects(client.audio.transcriptions.create({ file: fs.createReadStream(long), model: 'whisper-1' }),
    (e) => e.status === 413 && e.code === 'media_too_long' && /longer than/.test(e.message));

  await assert.rejects(client.audio.transcriptions.create({
    file: fs.createReadStream(speech.wav), model: 'whisper-1', response_format: 'docx',
  }), (e) => e.status === 400 && e.code === 'invalid_request');

  const health = await fetch(`${gateway.url}/healthz`);
  assert.equal(health.status, 200);
  const again = await client.audio.transcriptions.create({ file: fs.createReadStream(speech.wav), model: 'whisper-1' });
  assert.ok(again.text.length > 20, again.text);
});
