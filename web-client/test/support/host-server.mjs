// A customer's web server on its own origin: it serves host pages that embed the widget from
// the gateway's origin, as a real site would (cross-origin script, API calls and sockets).
import http from 'node:http';

export async function startHostServer() {
  const pages = new Map();
  const server = http.createServer((req, res) => {
    const html = pages.get(new URL(req.url, 'http://host').pathname);
    if (!html) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    /** Serves `html` at `pathname`; returns the page's URL. */
    page(pathname, html) {
      pages.set(pathname, html);
      return origin + pathname;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
