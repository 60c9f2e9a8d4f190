/**
 * Bundles the terminal UI (src/tui.ts with Ink, React and the engine) into dist/tui.js, replacing
 * the one-line module tsc wrote there. Loading Ink and React as hundreds of small ES modules takes
 * most of a second; one minified file with React's production build takes a fraction of it, which
 * is what lets the first frame appear within a few Node start-ups (bench/tui.ts). What the first
 * frame does not need (the check and resource registries, the SDK glue, the sandbox) is split
 * into dist/tui-chunks/ and loaded on first use. The AWS SDK, the native SQLite binding and pino
 * stay in node_modules. ECS_LAB_BUILD_DEBUG=1 leaves the output unminified (for profiling).
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { NODE_BUNDLE } from './bundle-options.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Ink imports react-devtools-core only when DEV=true; it is not installed, so stand in for it. */
const noDevtools: Plugin = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

/**
 * yoga-layout decodes its inlined WebAssembly through fetch() of a data: URL, which loads Node's
 * whole fetch implementation (undici) before the first frame. Its own synchronous base64 path does
 * the same without it. The build fails if yoga-layout changes so that the patch no longer applies.
 */
const yogaWithoutFetch: Plugin = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = 'function ya(){return w||"function"!=typeof fetch?';
      if (source.split(from).length !== 2) throw new Error(`${args.path}: the wasm loading code changed; review scripts/build-tui.ts`);
      return { contents: source.replace(from, 'function ya(){return w||!0?'), loader: 'js' };
    });
  },
};

/**
 * Ink measures and tokenises every line of every frame again (its caches live one frame). Most
 * lines do not change between frames, so one cache kept across frames (emptied when it grows)
 * roughly halves the cost of a frame, and with it the time from a key to the frame it changes.
 */
const inkOutputCache: Plugin = {
  name: 'ink-output-cache',
  setup(b) {
    b.onLoad({ filter: /ink[\\/]build[\\/]output\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = '    caches = new OutputCaches();';
      if (source.split(from).length !== 2) throw new Error(`${args.path}: Output's caches changed; review scripts/build-tui.ts`);
      const shared = [
        'const sharedCaches = new OutputCaches();',
        'function framesCaches() {',
        '    if (sharedCaches.styledChars.size + sharedCaches.widths.size > 20000) {',
        '        sharedCaches.styledChars.clear();',
        '        sharedCaches.widths.clear();',
        '        sharedCaches.blockWidths.clear();',
        '    }',
        '    return sharedCaches;',
        '}',
        'export default class Output {',
      ].join('\n');
      return { contents: source.replace('export default class Output {', shared).replace(from, '    caches = framesCaches();'), loader: 'js' };
    });
  },
};

/** Ink measures the widest line of every text on every frame; the same texts, mostly. */
const widestLineCache: Plugin = {
  name: 'widest-line-cache',
  setup(b) {
    b.onLoad({ filter: /widest-line[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = 'export default function widestLine(string) {';
      if (source.split(from).length !== 2) throw new Error(`${args.path}: widestLine changed; review scripts/build-tui.ts`);
      const cached = [
        'const widths = new Map();',
        'export default function widestLine(string) {',
        '\tconst known = widths.get(string);',
        '\tif (known !== undefined) return known;',
        '\tif (widths.size > 20000) widths.clear();',
        '\tconst width = measure(string);',
        '\twidths.set(string, width);',
        '\treturn width;',
        '}',
        'function measure(string) {',
      ].join('\n');
      return { contents: source.replace(from, cached), loader: 'js' };
    });
  },
};

rmSync(path.join(root, 'dist/tui-chunks'), { recursive: true, force: true });
const result = await build({
  ...NODE_BUNDLE,
  metafile: true,
  absWorkingDir: root,
  entryPoints: { tui: 'src/tui.ts' },
  entryNames: '[name]',
  chunkNames: 'tui-chunks/[name]-[hash]',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  external: ['better-sqlite3', '@aws-sdk/*', '@smithy/*', 'pino'],
  plugins: [noDevtools, yogaWithoutFetch, inkOutputCache, widestLineCache],
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const size = (file: string) => `${Math.round(result.metafile.outputs[file]!.bytes / 1024)} kB`;
console.log(`build:tui: dist/tui.js ${size('dist/tui.js')}, ${outputs.length - 1} chunk(s) loaded on demand`);
