import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../sandbox/test-helpers.js';
import { loadCommonJs, loadSandboxBundle, retainForCodeCache, writeCodeCache } from './sandbox-boot.js';

/** A stand-in for dist/sandbox-bundle/main.cjs: CommonJS that requires a file beside it. */
const MAIN = `
const helper = require('./helper.cjs');
exports.runSandboxCommand = async (args) => helper.twice(args.positionals.length);
exports.exportLines = (url) => ['export AWS_ENDPOINT_URL=' + url, String(typeof module), __filename.endsWith('main.cjs')];
`;

function bundleDir(name: string): string {
  const tmp = tempDir();
  onTestFinished(() => tmp.remove());
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'main.cjs'), MAIN);
  writeFileSync(path.join(dir, 'helper.cjs'), 'exports.twice = (n) => n * 2;');
  return dir;
}

describe('sandbox bundle loader', () => {
  it('writes no cache unless asked to keep the compiled scripts before loading (a running sandbox frees them)', () => {
    const dir = bundleDir('plain');
    expect(loadSandboxBundle(dir).codeCache).toBe('absent');
    expect(() => writeCodeCache(dir)).toThrow(/call retainForCodeCache\(\) before loading/);
    expect(existsSync(path.join(dir, 'main.cjs.cache'))).toBe(false);
  });
});

// The build's warm-up: retainForCodeCache() before anything loads (it holds for the rest of the process).
describe('sandbox bundle loader, keeping scripts for their code cache', () => {
  beforeAll(() => retainForCodeCache());

  it('runs the bundle as CommonJS beside its files, and writes a code cache V8 accepts on the next load', async () => {
    const first = bundleDir('a');
    const loaded = loadSandboxBundle(first);
    expect(loaded.codeCache).toBe('absent');
    expect(await loaded.bundle.runSandboxCommand({ positionals: ['x', 'y'], flags: {} } as never, {} as never)).toBe(4);
    expect(loaded.bundle.exportLines('http://127.0.0.1:1', 'us-east-1')).toEqual(['export AWS_ENDPOINT_URL=http://127.0.0.1:1', 'object', true]);
    // Loaded once per folder: the same exports object again.
    expect(loadSandboxBundle(first).bundle).toBe(loaded.bundle);

    expect(writeCodeCache(first)).toBeGreaterThan(0);
    expect(existsSync(path.join(first, 'main.cjs.cache'))).toBe(true);
    // The same source with that cache, in another folder (a fresh load): accepted.
    const second = bundleDir('b');
    cpSync(path.join(first, 'main.cjs.cache'), path.join(second, 'main.cjs.cache'));
    const again = loadSandboxBundle(second);
    expect(again.codeCache).toBe('accepted');
    expect(await again.bundle.runSandboxCommand({ positionals: ['x'], flags: {} } as never, {} as never)).toBe(2);
  });

  it('loads other files of the folder (SDK schemas) once each, and writes and accepts their caches too', () => {
    const first = bundleDir('d');
    writeFileSync(path.join(first, 'schemas.cjs'), 'module.exports = { Op$: [3, "ns", "Op", 0, ["a"], [0]], loadedIn: __dirname };');
    loadSandboxBundle(first);
    const schemas = loadCommonJs(path.join(first, 'schemas.cjs'));
    expect(schemas).toMatchObject({ codeCache: 'absent', exports: { loadedIn: first } });
    expect(loadCommonJs(path.join(first, 'schemas.cjs')).exports).toBe(schemas.exports);
    // A file outside the folder is not the bundle's: no cache written for it.
    const outside = bundleDir('e');
    loadCommonJs(path.join(outside, 'helper.cjs'));
    writeCodeCache(first);
    expect(existsSync(path.join(first, 'schemas.cjs.cache'))).toBe(true);
    expect(existsSync(path.join(outside, 'helper.cjs.cache'))).toBe(false);

    const second = bundleDir('f');
    cpSync(path.join(first, 'schemas.cjs'), path.join(second, 'schemas.cjs'));
    cpSync(path.join(first, 'schemas.cjs.cache'), path.join(second, 'schemas.cjs.cache'));
    expect(loadCommonJs(path.join(second, 'schemas.cjs'))).toMatchObject({ codeCache: 'accepted', exports: { Op$: [3, 'ns', 'Op', 0, ['a'], [0]] } });
  });

  it('compiles from source when V8 rejects the cache (another Node.js version, other flags, damage)', async () => {
    const dir = bundleDir('c');
    writeFileSync(path.join(dir, 'main.cjs.cache'), Buffer.from('not a V8 code cache'));
    const loaded = loadSandboxBundle(dir);
    expect(loaded.codeCache).toBe('rejected');
    expect(await loaded.bundle.runSandboxCommand({ positionals: [], flags: {} } as never, {} as never)).toBe(0);
  });

  it('will not write a cache for a folder it has not loaded', () => {
    expect(() => writeCodeCache('/nonexistent/sandbox-bundle')).toThrow(/no sandbox bundle loaded from \/nonexistent/);
  });
});
