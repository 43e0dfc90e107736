// A customer's web server on its own origin: it serves host pages that embed the widget from
// the gateway's origin, as a real site would (cross-origin script, API calls and sockets). For
// tests that script the gateway instead of running it, it serves the widget too.
import http from 'node:http';

export async function startHostServer() {
  const pages = new Map();
  const server = http.createServer((req, res) => {
    const page = pages.get(new URL(req.url, 'http://host').pathname);
    if (!page) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': page.type }).end(page.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    /** Serves `html` at `pathname`; returns the page's URL. */
    page(pathname, html) {
      return this.file(pathname, html, 'text/html; charset=utf-8');
    },
    /** Serves `body` at `pathname` as `type`; returns its URL. */
    file(pathname, body, type) {
      pages.set(pathname, { body, type });
      return origin + pathname;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
