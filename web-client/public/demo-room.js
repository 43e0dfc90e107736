// What the widget demo pages (meeting.html, support.html) share: making a room, keeping it in
// the page's URL fragment so that a reload shows the same room, and the gateway's languages.
// The widget itself needs none of this: it only takes a room and a token.

/** POST /v1/rooms: {room, task, speakerToken, viewerToken}. */
async function createRoom() {
  const res = await fetch('/v1/rooms', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
  return body;
}

/**
 * Wires the page's "New room" button and reopens the room the URL fragment keeps: each room,
 * new or kept, goes to {@code useRoom}.
 */
export function offerRooms(useRoom) {
  document.querySelector('#new-room').onclick = async () => {
    try {
      const r = await createRoom();
      saveRoomInHash(r);
      useRoom(r);
    } catch (e) {
      document.querySelector('#room-info').textContent = `Could not make a room: ${e.message}`;
    }
  };
  const saved = roomFromHash();
  if (saved) useRoom(saved);
}

/** The room kept in the fragment (#room=..&speak=..&view=..), or null. */
function roomFromHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const room = hash.get('room');
  return room ? { room, speakerToken: hash.get('speak'), viewerToken: hash.get('view') } : null;
}

/** Keeps the room in the fragment: the tokens never reach a server log through it. */
function saveRoomInHash(r) {
  history.replaceState(null, '', `#room=${r.room}&speak=${r.speakerToken}&view=${r.viewerToken}`);
}

/** A viewer's link to the room: embed.html, which takes room and token from its query. */
export function viewerLink(r) {
  const url = new URL('embed.html', location.href);
  url.search = new URLSearchParams({ 'parley-room': r.room, 'parley-token': r.viewerToken }).toString();
  url.hash = '';
  return url.href;
}

let languages = null;

/** GET /v1/languages, once per page. */
export function gatewayLanguages() {
  if (!languages) languages = fetch('/v1/languages').then((res) => {
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  });
  return languages;
}
