// The widget's own CSS, inside its shadow root, so that neither the host page's styles break
// it nor its styles leak into the page. Host pages theme it in two ways that cross the shadow
// boundary on purpose:
//  - CSS custom properties, set on parley-captions or any ancestor (they inherit):
//      --parley-font, --parley-font-size, --parley-line-height, --parley-color,
//      --parley-background, --parley-partial-color, --parley-uncertain-color,
//      --parley-speaker-color, --parley-error-color, --parley-accent, --parley-radius,
//      --parley-padding
//  - ::part() selectors for anything else: captions, final, partial, uncertain, speaker,
//    picker, start, mute, level, status.
// The defaults are those of broadcast captions: light text on a dark, slightly see-through box.
//
// The CSS goes in as a constructed stylesheet (adoptedStyleSheets), not a <style> element: a
// host page whose Content-Security-Policy has a style-src without 'unsafe-inline' blocks a
// <style> element even inside a shadow root, but not a stylesheet built through the CSSOM.

import { el } from './dom.js';

const CSS = `
:host {
  display: block;
  font-family: var(--parley-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: var(--parley-font-size, 1.25rem);
  line-height: var(--parley-line-height, 1.4);
  color: var(--parley-color, #fff);
}
:host([hidden]), [hidden] { display: none !important; }
.box {
  background: var(--parley-background, rgba(16, 18, 24, .88));
  border-radius: var(--parley-radius, 8px);
  padding: var(--parley-padding, .6em .8em);
}
.bar {
  display: flex; flex-wrap: wrap; align-items: center; gap: .5em;
  font-size: .7em; line-height: 1.3; margin-bottom: .4em;
}
button, select {
  font: inherit; color: inherit; background: transparent;
  border: 1px solid currentColor; border-radius: calc(var(--parley-radius, 8px) / 2);
  padding: .25em .7em; cursor: pointer;
}
button:disabled { opacity: .45; cursor: default; }
option { color: #111; background: #fff; }
button:focus-visible, select:focus-visible { outline: 2px solid var(--parley-accent, #4f8cff); outline-offset: 2px; }
.start.live, .mute[aria-pressed="true"] {
  background: var(--parley-accent, #4f8cff); border-color: var(--parley-accent, #4f8cff); color: #fff;
}
.level {
  width: 6em; height: .5em; border-radius: .25em; overflow: hidden;
  background: rgba(127, 127, 127, .35);
}
.level span {
  display: block; height: 100%; background: var(--parley-accent, #4f8cff);
  transform-origin: left; transform: scaleX(var(--level, 0));
}
.status { flex: 1 1 8em; min-width: 0; opacity: .8; }
.status.error { opacity: 1; color: var(--parley-error-color, #ff8a80); }
.captions { min-height: 1.4em; }
.final, .partial { margin: 0; overflow-wrap: anywhere; }
/* By default a partial is the caption colour, faded, whatever --parley-color is. */
.partial { color: var(--parley-partial-color, color-mix(in srgb, var(--parley-color, #fff) 62%, transparent)); }
.uncertain {
  color: var(--parley-uncertain-color, #ffd54f);
  text-decoration: underline dotted; text-underline-offset: .2em;
}
.speaker { font-weight: 600; color: var(--parley-speaker-color, inherit); }
.speaker::after { content: ":"; }
`;

let sheet = null;

/**
 * Gives a widget's shadow root its CSS: one constructed stylesheet shared by every widget of
 * the page, or, in a browser without constructable stylesheets (Safari before 16.4), a <style>
 * element, which works wherever the page's policy allows inline styles.
 */
export function applyStyles(root) {
  if ('adoptedStyleSheets' in root) {
    try {
      if (!sheet) {
        const s = new CSSStyleSheet();
        s.replaceSync(CSS);
        sheet = s;
      }
      root.adoptedStyleSheets = [sheet];
      return;
    } catch {
      // A CSSStyleSheet that cannot be constructed: the <style> element below.
    }
  }
  root.prepend(el('style', null, CSS));
}
