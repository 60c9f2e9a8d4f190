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
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import type * as SandboxCommand from './sandbox.js';

export type SandboxBundle = typeof SandboxCommand;

/** How the last load went: `accepted`, `rejected` (compiled from source) or `absent`. */
export type CodeCacheStatus = 'accepted' | 'rejected' | 'absent';

interface Loaded {
  readonly bundle: SandboxBundle;
  readonly script: Script;
  readonly cacheFile: string;
  readonly status: CodeCacheStatus;
}

const loaded = new Map<string, Loaded>();

function readCache(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The bundle's exports (loaded once per process and folder).
 * @param dir the folder holding main.cjs (dist/sandbox-bundle)
 */
export function loadSandboxBundle(dir: string): { bundle: SandboxBundle; codeCache: CodeCacheStatus } {
  let done = loaded.get(dir);
  if (!done) {
    const file = path.join(dir, 'main.cjs');
    const cacheFile = `${file}.cache`;
    const cachedData = readCache(cacheFile);
    const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
    const status: CodeCacheStatus = !cachedData ? 'absent' : script.cachedDataRejected ? 'rejected' : 'accepted';
    const module = { exports: {} as SandboxBundle };
    const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
    run.call(module.exports, module.exports, createRequire(file), module, file, dir);
    done = { bundle: module.exports, script, cacheFile, status };
    loaded.set(dir, done);
  }
  return { bundle: done.bundle, codeCache: done.status };
}

/**
 * Writes the code cache of the loaded bundle: every function compiled so far, so call it after
 * the warm-up requests. Returns the number of bytes written.
 */
export function writeCodeCache(dir: string): number {
  const done = loaded.get(dir);
  if (!done) throw new Error(`writeCodeCache: no sandbox bundle loaded from ${dir}`);
  const data = done.script.createCachedData();
  writeFileSync(done.cacheFile, data);
  return data.length;
}
