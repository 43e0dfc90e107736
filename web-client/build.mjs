// Builds dist/widget.js, the one script a host page includes: `npm run build`.
//
// One IIFE, minified, for ES2020 browsers, with no source map (neither inline nor beside it:
// the gateway serves the file as it is, to anyone). The AudioWorklet processor has to be its
// own script for the browser: the gateway serves it as a file (public/widget-pcm16.worklet.js),
// and a copy is minified separately and inlined as a string (files named *.worklet.js), which
// the widget loads through a Blob URL where it cannot load the file (speaker-pcm.js).
//
// The widget is meant to be cheap to embed: the build fails if it grows past 50 KB gzipped.

import { build, transform } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const OUT = 'dist/widget.js';
const GZIP_BUDGET = 50 * 1024;
const TARGET = 'es2020';

const workletAsText = {
  name: 'worklet-as-text',
  setup(b) {
    b.onLoad({ filter: /\.worklet\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { code } = await transform(source, { minify: true, target: TARGET, loader: 'js' });
      return { contents: code, loader: 'text' };
    });
  },
};

await build({
  entryPoints: ['src/index.js'],
  outfile: OUT,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: TARGET,
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  banner: { js: '/* Parley captions widget: <parley-captions> */' },
  plugins: [workletAsText],
  logLevel: 'warning',
});

const bytes = await readFile(OUT);
const gzipped = gzipSync(bytes, { level: 9 }).length;
console.log(`${OUT}: ${bytes.length} bytes, ${gzipped} bytes gzipped (budget ${GZIP_BUDGET})`);
if (gzipped > GZIP_BUDGET) {
  console.error(`${OUT} is over its budget: ${gzipped} > ${GZIP_BUDGET} bytes gzipped`);
  process.exit(1);
}
