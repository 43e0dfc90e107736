// Where the gateway is. A host page embeds the widget with one tag,
//   <script src="https://GATEWAY/widget.js"></script>
// and usually serves itself from another origin, so the default gateway is the origin the
// widget script was loaded from, not the page's. document.currentScript is only set while a
// classic script runs its top level, so it has to be read here, once, at load time; later
// (in a custom element callback) it is null. Loaded as a module or inlined, there is no
// script URL, and the page's own origin is the best guess.

const SCRIPT_URL = (() => {
  try {
    const src = document.currentScript && document.currentScript.src;
    if (src) return new URL(src, location.href).href;
  } catch {
    // An unparsable src: as if there were none.
  }
  return '';
})();
const SCRIPT_ORIGIN = SCRIPT_URL ? new URL(SCRIPT_URL).origin : location.origin;

/**
 * The gateway's base URL without a trailing slash: the `server` attribute when set (absolute,
 * or relative to the page; it may carry a path prefix when the gateway sits behind a proxy),
 * otherwise the widget script's origin.
 */
export function serverBase(attr) {
  const base = attr && attr.trim() ? new URL(attr.trim(), location.href).href : SCRIPT_ORIGIN;
  return base.replace(/\/+$/, '');
}

/**
 * A file the gateway serves beside widget.js (the PCM worklet): next to the script, or, when
 * there is no script URL, at the root of `server`.
 */
export function besideWidget(name, server) {
  return SCRIPT_URL ? new URL(name, SCRIPT_URL).href : `${server}/${name}`;
}

/** An HTTP(S) URL on the gateway; `path` starts with "/". */
export function httpUrl(base, path, query) {
  return base + path + queryString(query);
}

/** The WebSocket URL for a gateway path: ws: beside http:, wss: beside https:. */
export function wsUrl(base, path, query) {
  return base.replace(/^http/, 'ws') + path + queryString(query);
}

// Parameters left undefined, null or empty are left out, so "no lang" really is absent.
function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? '?' + s : '';
}

// Characters a WebSocket subprotocol may hold (an RFC 7230 token).
const TOKEN_CHARS = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * How a socket presents its room token. Browsers cannot set headers on a WebSocket, so the
 * token travels as a subprotocol "parley.token.<token>" beside "parley.v1" (README, Protocol).
 * A token that is not a valid subprotocol would make `new WebSocket` throw, so such a token
 * goes in the `token` query parameter instead, which the gateway also accepts.
 */
export function socketAuth(token) {
  if (!token) return { protocols: ['parley.v1'], query: {} };
  if (TOKEN_CHARS.test(token)) return { protocols: ['parley.v1', 'parley.token.' + token], query: {} };
  return { protocols: ['parley.v1'], query: { token } };
}
