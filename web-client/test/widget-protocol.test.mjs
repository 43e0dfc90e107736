// The widget against a scripted gateway: what it does with the parts of the protocol that the
// gateway is about to gain (README, "Protocol (v1)") — a viewer's first connection asks for
// `last=<lines>` finals; 4410 (room closed or expired) is final like 4404; a gateway that shuts
// down sends {"type":"closing","retryAfterMs":N} and closes with 1001, after which viewers come
// back in N ms with `since`, and speakers start speaking again, microphone kept open.
//
// No Java here: a host server serves the built widget, Playwright plays the gateway's sockets
// (routeWebSocket) and WHIP endpoint (route; the SDP answer comes from a peer connection in a
// second page), so these tests need nothing the gateway does not do yet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startHostServer } from './support/host-server.mjs';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';

let hosts;
let browser;

before(async () => {
  hosts = await startHostServer();
  hosts.file('/widget.js', fs.readFileSync(path.join(WEB, 'dist', 'widget.js')), 'text/javascript');
  hosts.file('/widget-pcm16.worklet.js', fs.readFileSync(path.join(WEB, 'public', 'widget-pcm16.worklet.js')), 'text/javascript');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
});

after(async () => {
  await browser?.close();
  await hosts?.close();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what, predicate, timeoutMs = 10_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * A page with `widgets` (markup), whose caption and speaker sockets are answered by `sockets`
 * (a list each new socket is pushed onto, with its URL and the messages the page sent on it).
 * Records the widgets' events, and every microphone stream the page was given.
 */
async function scriptedPage(widgets, { speak } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const sockets = [];
  await page.routeWebSocket(/\/v1\/rooms\//, (ws) => {
    const s = { ws, url: new URL(ws.url()), at: Date.now(), text: [], binary: 0 };
    sockets.push(s);
    ws.onMessage((m) => {
      if (typeof m === 'string') s.text.push(JSON.parse(m));
      else s.binary++;
    });
    if (speak && s.url.pathname.endsWith('/speak')) speak(s);
  });
  await page.addInitScript(() => {
    window.__statuses = [];
    window.__captions = [];
    window.__streams = [];
    document.addEventListener('parley-status', (e) => window.__statuses.push({ ...e.detail, at: Date.now() }));
    document.addEventListener('parley-caption', (e) => window.__captions.push(e.detail));
    const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (c) => {
      const stream = await getUserMedia(c);
      window.__streams.push(stream);
      return stream;
    };
  });
  await page.goto(hosts.page('/scripted.html', `<!doctype html><html lang="en"><head><meta charset="utf-8">
<script src="/widget.js"></script></head><body>${widgets}</body></html>`));
  const statuses = (channel) => page.evaluate((c) => window.__statuses.filter((s) => s.channel === c), channel);
  return { page, errors, sockets, statuses };
}

/** A scripted speaker socket: "ready" to every start. */
function readyToStart(s) {
  s.ws.onMessage((m) => {
    if (typeof m !== 'string') {
      s.binary++;
      return;
    }
    const msg = JSON.parse(m);
    s.text.push(msg);
    if (msg.type === 'start') s.ws.send(JSON.stringify({ type: 'ready', language: 'en', engine: 'scripted', task: 'transcribe' }));
  });
}

const caption = (seq, text) => JSON.stringify({ type: 'caption', seq, segment: seq, final: true, lang: 'en', text });

test('a viewer asks for its last lines, comes back after a shutdown when told, and stops at 4410', { timeout: 60_000 }, async () => {
  const { page, errors, sockets, statuses } = await scriptedPage(
    '<parley-captions id="a" room="r1" token="t1" lines="4" picker="false"></parley-captions>' +
    '<parley-captions id="b" room="r2" token="t2" picker="false"></parley-captions>');
  try {
    const of = (room) => sockets.filter((s) => s.url.pathname === `/v1/rooms/${room}/captions`);
    await waitFor('both viewers to connect', () => of('r1').length === 1 && of('r2').length === 1);
    // The first connection asks for as many finals as the widget shows (`lines`, 3 by default).
    assert.equal(of('r1')[0].url.searchParams.get('last'), '4');
    assert.equal(of('r1')[0].url.searchParams.get('since'), null);
    assert.equal(of('r2')[0].url.searchParams.get('last'), '3');

    const [first] = of('r1');
    first.ws.send(caption(7, 'Hello there.'));
    await waitFor('the final', () => page.evaluate(() => window.__captions.length === 1));
    first.ws.send(JSON.stringify({ type: 'closing', code: 'server_shutdown', message: 'restarting', retryAfterMs: 1500 }));
    const closedAt = Date.now();
    await first.ws.close({ code: 1001, reason: 'server_shutdown' });
    // The other viewer is told to wait longer than a widget waits: 30 s at most.
    const [other] = of('r2');
    other.ws.send(JSON.stringify({ type: 'closing', code: 'server_shutdown', message: 'restarting', retryAfterMs: 600_000 }));
    await other.ws.close({ code: 1001, reason: 'server_shutdown' });

    await waitFor('the viewer to come back', () => of('r1').length === 2, 5000);
    const [, second] = of('r1');
    const waited = second.at - closedAt;
    assert.ok(waited >= 1400 && waited < 3000, `came back after ${waited} ms, asked for 1500`);
    assert.equal(second.url.searchParams.get('since'), '7', 'with since: nothing is missed');
    assert.equal(second.url.searchParams.get('last'), null);
    const reconnecting = (await statuses('captions')).filter((s) => s.state === 'reconnecting');
    assert.deepEqual(reconnecting.map((s) => [s.code, s.delay]), [[1001, 1500], [1001, 30000]]);

    // The replay overlaps what was shown: each final once.
    second.ws.send(caption(7, 'Hello there.'));
    second.ws.send(caption(8, 'And welcome.'));
    await waitFor('the next final', () => page.evaluate(() => window.__captions.length === 2));

    // 4410: the room was closed or expired. No reconnect follows.
    await second.ws.close({ code: 4410, reason: 'room_closed' });
    await waitFor('the error', async () => (await statuses('captions')).some((s) => s.state === 'error' && s.code === 4410));
    await sleep(1500);
    assert.equal(of('r1').length, 2, 'no reconnect after 4410');
    const shown = await page.evaluate(() => document.querySelector('#a').shadowRoot.querySelector('[part~="status"]').textContent);
    assert.match(shown, /closed or has expired/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a speaker over the PCM socket speaks again after a shutdown, with the same microphone', { timeout: 60_000 }, async () => {
  let refuse = false;
  const { page, errors, sockets, statuses } = await scriptedPage(
    '<parley-captions mode="speaker" room="r1" token="t1" transport="websocket"></parley-captions>', {
      speak: (s) => {
        if (!refuse) {
          readyToStart(s);
          return;
        }
        // The gateway came back without the room.
        s.ws.onMessage(() => {
          s.ws.send(JSON.stringify({ type: 'error', code: 'room_not_found', message: 'no such room' }));
          s.ws.close({ code: 4404, reason: 'room_not_found' });
        });
      },
    });
  try {
    const speakSockets = () => sockets.filter((s) => s.url.pathname.endsWith('/speak'));
    await page.locator('parley-captions [part~="start"]').click();
    await waitFor('audio on the speaker socket', () => speakSockets()[0]?.binary > 10);

    const [first] = speakSockets();
    first.ws.send(JSON.stringify({ type: 'closing', code: 'server_shutdown', message: 'restarting', retryAfterMs: 1000 }));
    await first.ws.close({ code: 1001, reason: 'server_shutdown' });
    await waitFor('audio on a second speaker socket', () => speakSockets()[1]?.binary > 10, 5000);
    const states = (await statuses('speaker')).map((s) => s.state);
    assert.deepEqual(states.slice(-3), ['reconnecting', 'connecting', 'live'], `speaker states: ${states}`);
    const waiting = (await statuses('speaker')).find((s) => s.state === 'reconnecting');
    assert.equal(waiting.delay, 1000);
    assert.equal(speakSockets()[1].text[0].type, 'start');
    assert.equal(await page.evaluate(() => window.__streams.length), 1, 'one microphone, kept open');

    // A 1001 without notice: the widget's own backoff; and a gateway back without the room
    // ends it, microphone released.
    refuse = true;
    await speakSockets()[1].ws.close({ code: 1001 });
    await waitFor('the speaker to give up', async () => (await statuses('speaker')).some((s) => s.state === 'error'), 5000);
    assert.equal(speakSockets().length, 3);
    assert.equal(await page.evaluate(() => window.__streams[0].getTracks().every((t) => t.readyState === 'ended')), true);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a speaker over WebRTC speaks again when its caption socket hears the gateway shut down', { timeout: 60_000 }, async () => {
  // The far end of the WHIP sessions: a peer connection in another page answers each offer.
  const peer = await browser.newPage();
  await peer.goto(hosts.page('/blank.html', '<!doctype html><title>peer</title>'));
  const { page, errors, sockets, statuses } = await scriptedPage(
    '<parley-captions mode="speaker" room="r1" token="t1" transport="webrtc"></parley-captions>');
  const whip = { posts: 0, deletes: 0 };
  try {
    await page.route('**/whip**', async (route) => {
      const req = route.request();
      if (req.method() === 'DELETE') {
        whip.deletes++;
        return route.fulfill({ status: 204 });
      }
      whip.posts++;
      const answer = await peer.evaluate(async (offer) => {
        const pc = new RTCPeerConnection();
        (window.pcs ||= []).push(pc);
        await pc.setRemoteDescription({ type: 'offer', sdp: offer });
        await pc.setLocalDescription(await pc.createAnswer());
        await new Promise((resolve) => {
          if (pc.iceGatheringState === 'complete') resolve();
          pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
          setTimeout(resolve, 2000);
        });
        return pc.localDescription.sdp;
      }, req.postData());
      return route.fulfill({ status: 201, contentType: 'application/sdp', headers: { Location: `/v1/whip/s${whip.posts}` }, body: answer });
    });
    await page.locator('parley-captions [part~="start"]').click();
    const live = async () => (await statuses('speaker')).filter((s) => s.state === 'live' && s.transport === 'webrtc').length;
    await waitFor('the speaker to be live over WebRTC', async () => (await live()) === 1, 15_000);

    // WHIP has no channel back: the widget hears it on its caption socket.
    const [captions] = sockets.filter((s) => s.url.pathname.endsWith('/captions'));
    captions.ws.send(JSON.stringify({ type: 'closing', code: 'server_shutdown', message: 'restarting', retryAfterMs: 800 }));
    await captions.ws.close({ code: 1001, reason: 'server_shutdown' });
    await waitFor('the speaker to be live again', async () => (await live()) === 2, 15_000);
    assert.equal(whip.posts, 2, 'a second WHIP session');
    assert.equal(whip.deletes, 1, 'the first one ended');
    const waiting = (await statuses('speaker')).find((s) => s.state === 'reconnecting');
    assert.equal(waiting.delay, 800);
    assert.equal(await page.evaluate(() => window.__streams.length), 1, 'one microphone, kept open');
    await page.locator('parley-captions [part~="start"]').click();
    await waitFor('the speaker to stop', async () => (await statuses('speaker')).some((s) => s.state === 'closed'));
    assert.equal(await page.evaluate(() => window.__streams[0].getTracks().every((t) => t.readyState === 'ended')), true);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await peer.close();
  }
});
