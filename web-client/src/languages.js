// The caption languages a gateway offers (GET /v1/languages, field captionLanguages), for the
// language picker. A page with several widgets on one gateway asks once: the answer is the
// same for all of them and does not change while the gateway runs.

import { httpUrl } from './server-url.js';

const cache = new Map();

/** Resolves to [{lang, name}]; rejects when the gateway cannot be asked (then the next call asks again). */
export function captionLanguages(server) {
  let answer = cache.get(server);
  if (!answer) {
    answer = fetch(httpUrl(server, '/v1/languages'))
      .then((res) => {
        if (!res.ok) throw new Error(`GET /v1/languages: HTTP ${res.status}`);
        return res.json();
      })
      .then((body) => (Array.isArray(body.captionLanguages) ? body.captionLanguages : [])
        .filter((l) => l && typeof l.lang === 'string'));
    answer.catch(() => cache.delete(server));
    cache.set(server, answer);
  }
  return answer;
}

/**
 * "español (Spanish)": a language by its own name first, since that is the name a reader of it
 * looks for, and the gateway's English name beside it.
 */
export function languageLabel(lang, englishName) {
  let own = '';
  try {
    own = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) || '';
  } catch {
    // An unknown code, or no Intl.DisplayNames.
  }
  const english = englishName || lang;
  if (!own || own === lang || own.toLowerCase() === english.toLowerCase()) return english;
  return `${own} (${english})`;
}
