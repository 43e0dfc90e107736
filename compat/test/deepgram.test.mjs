// Deepgram's official `@deepgram/sdk` against Parley's /v1/listen: an application written for
// Deepgram's live and pre-recorded APIs works by pointing the SDK's environment at Parley.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DeepgramClient } from '@deepgram/sdk';
import WebSocket from 'ws';
import { startGateway } from '../../web-client/test/support/gateway.mjs';
import { clip, ffmpeg, pcmOf, tempDir, wordErrorRate } from './fixtures.mjs';

const KEY = 'compat-test-api-key-0123456789';
/** Whisper base on these clips scores 0.02–0.07 as PCM (bench/results/asr.json); a cut at Finalize costs a word or two. */
const WER_BOUND = 0.15;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let gateway;
const dir = tempDir();
const speech = clip();

function client(key = KEY) {
  return new DeepgramClient({
    apiKey: key,
    environment: { base: gateway.url, production: gateway.url.replace(/^http/, 'ws'), agent: gateway.url, agentRest: gateway.url },
  });
}

before(async () => {
  gateway = await startGateway({ args: ['--data', path.join(dir, 'data'), '--api-key', KEY] });
});

after(async () => {
  await gateway?.stop();
  fs.rmSync(dir, { recursive: true, force: true }); // the converted clips and the gateway's data
});

/** Sends 16 kHz PCM in 100 ms messages, twice as fast as real time (as an app streaming a recording might). */
async function stream(socket, pcm) {
  for (let at = 0; at < pcm.length; at += 3200) {
    socket.sendMedia(pcm.subarray(at, Math.min(pcm.length, at + 3200)));
    await sleep(50);
  }
}

test('live: interim and final Results with words and times, SpeechStarted, UtteranceEnd, Finalize and a closing Metadata', async () => {
  const socket = await client().listen.v1.connect({
    model: 'nova-3', language: 'en', encoding: 'linear16', sample_rate: 16000, channels: 1,
    interim_results: 'true', punctuate: 'true', smart_format: 'true', vad_events: 'true', utterance_end_ms: '1000',
    keyterm: 'Dashwood', reconnectAttempts: 0,
  });
  const messages = [];
  socket.on('message', (m) => messages.push(m));
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.connect();
  await socket.waitForOpen();

  const pcm = pcmOf(speech.wav);
  const half = Math.floor(pcm.length / 4) * 2;
  await stream(socket, pcm.subarray(0, half));
  // Finalize mid-sentence: what was said so far comes back at once as a final, and the stream goes on.
  socket.sendFinalize({ type: 'Finalize' });
  const deadline = Date.now() + 30_000;
  while (!messages.some((m) => m.type === 'Results' && m.from_finalize) && Date.now() < deadline) await sleep(50);
  assert.ok(messages.some((m) => m.type === 'Results' && m.is_final && m.from_finalize), 'a final from Finalize');
  await stream(socket, pcm.subarray(half));
  await stream(socket, Buffer.alloc(16000 * 2 * 1.5));
  socket.sendCloseStream({ type: 'CloseStream' });
  await Promise.race([closed, sleep(60_000)]);

  const results = messages.filter((m) => m.type === 'Results');
  const finals = results.filter((m) => m.is_final);
  assert.ok(results.some((m) => !m.is_final), 'interim results were sent');
  assert.ok(finals.some((m) => m.speech_final), 'a final at the end of speech says speech_final');
  const heard = finals.map((m) => m.channel.alternatives[0].transcript).join(' ');
  const wer = wordErrorRate(speech.reference, heard);
  assert.ok(wer <= WER_BOUND, `WER ${wer}: ${heard}`);
  let last = -1;
  for (const m of finals) {
    const alt = m.channel.alternatives[0];
    assert.ok(alt.confidence >= 0 && alt.confidence <= 1);
    for (const w of alt.words) {
      assert.ok(typeof w.word === 'string' && typeof w.punctuated_word === 'string', JSON.stringify(w));
      assert.ok(w.start >= last - 0.05 && w.end >= w.start && w.confidence >= 0 && w.confidence <= 1, JSON.stringify(w));
      assert.ok(w.start >= m.start - 0.05 && w.end <= m.start + m.duration + 0.05, `word inside its result: ${JSON.stringify(w)}`);
      last = w.start;
    }
  }
  assert.ok(messages.some((m) => m.type === 'SpeechStarted'), 'vad_events: SpeechStarted');
  assert.ok(messages.some((m) => m.type === 'UtteranceEnd' && m.last_word_end > 0), 'utterance_end_ms: UtteranceEnd');
  const metadata = messages.at(-1);
  assert.equal(metadata.type, 'Metadata');
  assert.ok(Math.abs(metadata.duration - (pcm.length / 32000 + 1.5)) < 0.5, JSON.stringify(metadata));
});

test('live: Ogg Opus (encoding=opus), as a browser\'s MediaRecorder writes it, sent in chunks cut anywhere', async () => {
  const ogg = path.join(dir, 'live.ogg');
  ffmpeg(['-i', speech.wav, '-af', 'apad=pad_dur=1.5', '-c:a', 'libopus', '-b:a', '32k', ogg]);
  const bytes = fs.readFileSync(ogg);
  const socket = await client().listen.v1.connect({ model: 'nova-3', language: 'en', encoding: 'opus', reconnectAttempts: 0 });
  const messages = [];
  socket.on('message', (m) => messages.push(m));
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.connect();
  await socket.waitForOpen();
  for (let at = 0; at < bytes.length; at += 1000) {
    socket.sendMedia(bytes.subarray(at, Math.min(bytes.length, at + 1000)));
    await sleep(20);
  }
  socket.sendCloseStream({ type: 'CloseStream' });
  await Promise.race([closed, sleep(60_000)]);
  const heard = messages.filter((m) => m.type === 'Results' && m.is_final)
    .map((m) => m.channel.alternatives[0].transcript).join(' ');
  assert.ok(wordErrorRate(speech.reference, heard) <= WER_BOUND, heard);
});

test('live into a Parley room: the Deepgram client gets its Results while a widget viewer reads Spanish', async () => {
  const res = await fetch(`${gateway.url}/v1/rooms`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } });
  assert.equal(res.status, 201);
  const room = await res.json();
  const viewer = new WebSocket(`${gateway.url.replace(/^http/, 'ws')}/v1/rooms/${room.room}/captions?lang=es`,
    { headers: { Authorization: `Bearer ${room.viewerToken}` } });
  const spanish = [];
  viewer.on('message', (data) => {
    const m = JSON.parse(String(data));
    if (m.type === 'caption' && m.final) spanish.push(m);
  });
  await new Promise((resolve, reject) => { viewer.once('open', resolve); viewer.once('error', reject); });

  // The room's own speaker token is the Deepgram key here: it opens that room and nothing else.
  const socket = await client(room.speakerToken).listen.v1.connect({
    model: 'nova-3', language: 'en', encoding: 'linear16', sample_rate: 16000, reconnectAttempts: 0,
    queryParams: { room: room.room, speaker: 'Ana' },
  });
  const messages = [];
  socket.on('message', (m) => messages.push(m));
  const closed = new Promise((resolve) => socket.on('close', resolve));
  socket.connect();
  await socket.waitForOpen();
  await stream(socket, pcmOf(speech.wav));
  await stream(socket, Buffer.alloc(16000 * 2 * 1.5));
  socket.sendCloseStream({ type: 'CloseStream' });
  await Promise.race([closed, sleep(60_000)]);
  const finals = messages.filter((m) => m.type === 'Results' && m.is_final);
  const heard = finals.map((m) => m.channel.alternatives[0].transcript).join(' ');
  assert.ok(wordErrorRate(speech.reference, heard) <= WER_BOUND, heard);
  const deadline = Date.now() + 30_000;
  while (spanish.length < finals.filter((m) => m.channel.alternatives[0].transcript).length && Date.now() < deadline) {
    await sleep(100);
  }
  viewer.close();
  assert.ok(spanish.length >= 1 && spanish.every((c) => c.lang === 'es' && c.speaker === 'Ana'), JSON.stringify(spanish));
  assert.ok(spanish.map((c) => c.text).join(' ').length > 20, JSON.stringify(spanish));
});

test('live: a wrong key and an unknown encoding are refused at the handshake', async () => {
  for (const [dg, args] of [[client('wrong-key'), {}], [client(), { encoding: 'amr-wb', sample_rate: 16000 }]]) {
    const socket = await dg.listen.v1.connect({ model: 'nova-3', reconnectAttempts: 0, ...args });
    const failed = new Promise((resolve) => {
      socket.on('error', (e) => resolve(e));
      socket.on('close', (e) => resolve(e));
    });
    socket.connect();
    const outcome = await Promise.race([failed, sleep(10_000).then(() => 'timeout')]);
    assert.notEqual(outcome, 'timeout', 'the connection was refused');
    assert.notEqual(socket.readyState, 1, 'and never opened');
    socket.close();
  }
});

test('pre-recorded: a file in, Deepgram\'s response shape out, with utterances and Parley\'s translations', async () => {
  const ogg = path.join(dir, 'speech.ogg');
  ffmpeg(['-i', speech.wav, '-c:a', 'libopus', '-b:a', '32k', ogg]);
  const response = await client().listen.v1.media.transcribeFile(fs.createReadStream(ogg),
    { model: 'nova-3', smart_format: true, utterances: true }, { queryParams: { translate: 'es' } });
  const alt = response.results.channels[0].alternatives[0];
  const wer = wordErrorRate(speech.reference, alt.transcript);
  assert.ok(wer <= WER_BOUND, `WER ${wer}: ${alt.transcript}`);
  assert.ok(alt.words.length > 10 && alt.words.every((w) => w.end >= w.start));
  assert.ok(response.metadata.duration > 1 && response.metadata.request_id);
  assert.ok(response.results.utterances.length >= 1);
  const es = alt.translations.find((t) => t.language === 'es');
  assert.ok(es && es.translation.length > 20, JSON.stringify(alt.translations));
});

test('pre-recorded: bad input gets Deepgram-shaped errors, and the server stays up', async () => {
  const notAudio = path.join(dir, 'notes.wav');
  fs.writeFileSync(notAudio, 'not audio\n'.repeat(100));
  await assert.rejects(client().listen.v1.media.transcribeFile(fs.createReadStream(notAudio), { model: 'nova-3' }),
    (e) => e.statusCode === 415 && /not an audio file/.test(JSON.stringify(e.body)));
  await assert.rejects(client('wrong-key').listen.v1.media.transcribeFile(fs.createReadStream(speech.wav), { model: 'nova-3' }),
    (e) => e.statusCode === 401 && e.body.err_code === 'INVALID_AUTH');
  assert.equal((await fetch(`${gateway.url}/healthz`)).status, 200);
});
