/**
 * Loads the `ecs-lab sandbox` bundle with V8's code cache.
 *
 * The build (scripts/build-sandbox.ts) bundles src/cli/sandbox.ts and everything it reaches into
 * one CommonJS file, dist/sandbox/main.cjs, and this file into dist/sandbox/boot.cjs. Compiling
 * the ~370 kB bundle took ~18 ms of every start, and the first request then compiled the
 * functions it runs. So the build starts the bundle once, answers a few warm-up requests, and
 * saves V8's code cache (bytecode only, no state) next to it as main.cjs.cache: a start that
 * finds a cache V8 accepts skips both compilations. V8 rejects a cache made by another Node.js
 * version or with other V8 flags; the bundle is then compiled from source as usual, which only
 * costs those milliseconds back. ES modules cannot use a code cache on Node 20, hence CommonJS.
 * The SDK schemas files the bundle loads on a service's first call come through here too, with
 * caches of their own for the services the warm-up called.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import type { Io } from './commands.js';
import type * as SandboxCommand from './sandbox.js';

export type SandboxBundle = typeof SandboxCommand;

/** How the last load went: `accepted`, `rejected` (compiled from source) or `absent`. */
export type CodeCacheStatus = 'accepted' | 'rejected' | 'absent';

interface Loaded {
  readonly exports: unknown;
  /** Kept only for {@link writeCodeCache} (see {@link retainForCodeCache}). */
  readonly script: Script | undefined;
  readonly cacheFile: string;
  readonly status: CodeCacheStatus;
}

/** Loaded files by path. */
const loaded = new Map<string, Loaded>();

let retain = false;

/**
 * Keeps every file loaded from now on ready for {@link writeCodeCache} (the build's warm-up). A
 * running sandbox never writes a cache, so it lets go of each compiled script once it has run.
 */
export function retainForCodeCache(): void {
  retain = true;
}

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Runs a CommonJS file with V8's code cache beside it (`<file>.cache`), once per process and file:
 * the bundle, and the SDK schemas files the bundle loads through here on a service's first call.
 */
export function loadCommonJs(file: string): { exports: unknown; codeCache: CodeCacheStatus } {
  let done = loaded.get(file);
  if (!done) {
    const cacheFile = `${file}.cache`;
    const cachedData = readCache(cacheFile);
    const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
    const status: CodeCacheStatus = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
    const module = { exports: {} as unknown };
    const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
    run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
    done = { exports: module.exports, script: retain ? script : undefined, cacheFile, status };
    loaded.set(file, done);
  }
  return { exports: done.exports, codeCache: done.status };
}

/**
 * The bundle's exports (loaded once per process and folder).
 * @param dir the folder holding main.cjs (dist/sandbox-bundle)
 */
export function loadSandboxBundle(dir: string): { bundle: SandboxBundle; codeCache: CodeCacheStatus } {
  const { exports, codeCache } = loadCommonJs(path.join(dir, 'main.cjs'));
  return { bundle: exports as SandboxBundle, codeCache };
}

/**
 * The bundle for a command run (src/bin.ts, and dist/cli/sandbox.js for `node dist/cli.js`):
 * with ECS_LAB_DEBUG set, says whether V8 took the code cache.
 */
export function sandboxBundleFor(dir: string, io: Pick<Io, 'env' | 'stderr'>): SandboxBundle {
  const { bundle, codeCache } = loadSandboxBundle(dir);
  if (io.env.ECS_LAB_DEBUG) io.stderr.write(`ecs-lab sandbox: code cache ${codeCache}\n`);
  return bundle;
}

/**
 * Writes the code cache of the bundle in `dir` and of every file loaded from there since (SDK
 * schemas): every function compiled so far, so call it after the warm-up requests. Returns the
 * number of bytes written.
 */
export function writeCodeCache(dir: string): number {
  const main = loaded.get(path.join(dir, 'main.cjs'));
  if (!main) throw new Error(`writeCodeCache: no sandbox bundle loaded from ${dir}`);
  if (!main.script) throw new Error('writeCodeCache: call retainForCodeCache() before loading the bundle');
  let bytes = 0;
  for (const [file, done] of loaded) {
    if (!file.startsWith(`${dir}${path.sep}`) || !done.script) continue;
    const data = done.script.createCachedData();
    writeFileSync(done.cacheFile, data);
    bytes += data.length;
  }
  return bytes;
}
