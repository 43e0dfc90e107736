// The widget's entry point, bundled by build.mjs into dist/widget.js (one classic script, an
// IIFE, which the gateway serves at /widget.js). Including it defines <parley-captions>;
// elements already in the page upgrade at that moment.
//
// A page may include the script twice (two embeds, one by a CMS): defining the element a
// second time would throw, so the first definition stays.

import { ParleyCaptions } from './parley-captions.js';

if (!customElements.get('parley-captions')) customElements.define('parley-captions', ParleyCaptions);
