// A TCP relay between a browser page and the gateway that the test can cut, like a network drop:
// cut() destroys every open connection and refuses new ones until restore().
import net from 'node:net';

export async function startProxy(targetUrl) {
  const target = new URL(targetUrl);
  const open = new Set();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream };
    open.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    cut() {
      refusing = true;
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      open.clear();
    },
    restore() {
      refusing = false;
    },
    close: () => new Promise((r) => {
      for (const { client, upstream } of open) {
        client.destroy();
        upstream.destroy();
      }
      server.close(r);
    }),
  };
}
