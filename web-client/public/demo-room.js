// What the widget demo pages (index.html, meeting.html, support.html) share: making a room,
// keeping it in the page's URL fragment so that a reload shows the same room, the gateway's API
// key where it has one, and the gateway's languages. The widget itself needs none of this: it
// only takes a room and a token.
//
// The fragment comes from whoever made the link: its values are data, used through
// URLSearchParams, attributes and textContent, never as markup.

const API_KEY_ITEM = 'parley-api-key';

class RoomError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * POST /v1/rooms with `body` (e.g. {task: "translate"}), and the API key if the page has one:
 * resolves to {room, task, speakerToken, viewerToken}; rejects with a RoomError.
 */
export async function createRoom(body = {}) {
  const headers = { 'Content-Type': 'application/json' };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const res = await fetch('/v1/rooms', { method: 'POST', headers, body: JSON.stringify(body) });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new RoomError(res.status, answer.code, answer.message || `HTTP ${res.status}`);
  return answer;
}

/**
 * Wires the page's "New room" button and reopens the room the URL fragment keeps: each room,
 * new or kept, goes to {@code useRoom}. `body()`, if given, is the body of each room's POST.
 */
export function offerRooms(useRoom, { body = () => ({}) } = {}) {
  const info = document.querySelector('#room-info');
  const newRoom = document.querySelector('#new-room');
  newRoom.onclick = async () => {
    try {
      const r = await createRoom(body());
      saveRoomInHash(r);
      useRoom(r);
    } catch (e) {
      if (e.code === 'unauthorized') {
        // The gateway has an API key: ask for it, and try again with it.
        const had = !!apiKey();
        askForApiKey(newRoom).focus();
        info.textContent = had ? 'The gateway did not accept this API key.'
          : 'This gateway makes rooms only with its API key: enter it, then New room.';
      } else {
        info.textContent = `Could not make a room: ${e.message}`;
      }
    }
  };
  if (apiKey()) askForApiKey(newRoom);
  const saved = roomFromHash();
  if (saved) useRoom(saved);
}

/**
 * The "API key" field, made once, before `button` (which Enter in the field presses). The key is
 * kept in sessionStorage: it survives a reload, not the tab.
 */
function askForApiKey(button) {
  let input = document.querySelector('#api-key');
  if (input) return input;
  input = document.createElement('input');
  input.type = 'password';
  input.id = 'api-key';
  input.autocomplete = 'off';
  input.value = apiKey();
  input.addEventListener('input', () => storeApiKey(input.value.trim()));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') button.click();
  });
  const label = document.createElement('label');
  label.append('API key ', input);
  button.before(label);
  return input;
}

// sessionStorage can be unavailable (storage blocked): the key then lives as long as the page.
let keptKey = '';

function apiKey() {
  try {
    return sessionStorage.getItem(API_KEY_ITEM) || '';
  } catch {
    return keptKey;
  }
}

function storeApiKey(key) {
  keptKey = key;
  try {
    if (key) sessionStorage.setItem(API_KEY_ITEM, key);
    else sessionStorage.removeItem(API_KEY_ITEM);
  } catch {
    // Kept in keptKey only.
  }
}

/** The room kept in the fragment (#room=..&speak=..&view=..), or null; absent tokens are ''. */
function roomFromHash() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const room = hash.get('room');
  return room ? { room, speakerToken: hash.get('speak') || '', viewerToken: hash.get('view') || '' } : null;
}

/** Keeps the room in the fragment: the tokens never reach a server log through it. */
function saveRoomInHash(r) {
  const hash = new URLSearchParams({ room: r.room, speak: r.speakerToken, view: r.viewerToken });
  history.replaceState(null, '', `#${hash}`);
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
