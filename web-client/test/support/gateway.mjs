// Starts the real gateway (the Java build under gateway/target) on a free port, with its default
// engines, as `./parley run` would, and stops it when the tests end.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export async function startGateway({ args = [], timeoutMs = 180_000 } = {}) {
  const java = process.env.PARLEY_JAVA || (process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java');
  const child = spawn(java, [
    '--enable-native-access=ALL-UNNAMED', '--add-modules', 'jdk.incubator.vector',
    `-Djava.util.logging.config.file=${ROOT}/gateway/src/main/resources/logging.properties`,
    '-cp', `${ROOT}/gateway/target/classes:${ROOT}/gateway/target/lib/*`,
    'io.parley.gateway.Main', '--port', '0', ...args,
  ], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      const m = /Parley is listening on (http:\/\/\S+?)\/? /.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${code} before listening:\n${log}`));
    });
  });
  // Keep draining its output, or the JVM blocks on a full pipe.
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  child.stdout.on('data', (c) => { log += c; });
  child.stderr.on('data', (c) => { log += c; });
  return {
    url,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** POST /v1/rooms: {room, speakerToken, viewerToken}. */
export async function createRoom(gatewayUrl) {
  const res = await fetch(`${gatewayUrl}/v1/rooms`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`room not created: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Every final of a room in one language, from the transcript API. */
export async function transcript(gatewayUrl, room, lang) {
  const res = await fetch(`${gatewayUrl}/v1/rooms/${room.room}/transcript?format=json&lang=${lang}`, {
    headers: { Authorization: `Bearer ${room.viewerToken}` },
  });
  if (!res.ok) throw new Error(`transcript: ${res.status} ${await res.text()}`);
  return res.json();
}
