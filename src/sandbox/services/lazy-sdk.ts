/**
 * SDK v3 client packages are large (client-ec2 alone compiles several megabytes of JavaScript),
 * and the sandbox needs one only for its operation schemas, when a request for that service
 * arrives. Loading them lazily keeps start-up to Node itself plus the protocol code: the first
 * request to a service pays for its package once.
 *
 * A package is loaded with a dynamic `import()` written out per service (not a computed
 * `require`), so that a bundler can give each client its own chunk; the request path awaits
 * {@link ensureSdk} before it touches the schemas. The packages ship CommonJS: `import()` hands
 * back `module.exports` as the default export, the very object `require` would return.
 */

interface LazyState {
  readonly load: () => Promise<unknown>;
  loaded?: Record<string | symbol, unknown>;
  pending?: Promise<void>;
}

const states = new WeakMap<object, LazyState>();

function loadedOf(proxy: object, name: string): Record<string | symbol, unknown> {
  const state = states.get(proxy);
  if (!state?.loaded) throw new Error(`sandbox: ${name} is not loaded yet (await ensureSdk first)`);
  return state.loaded;
}

/**
 * The exports of an SDK client package, once {@link ensureSdk} has loaded them. Use it as a
 * ServiceModule's `sdk`; type the handlers with `import type * as sdk`.
 * @param name the package name, for error messages
 * @param load e.g. `() => import('@aws-sdk/client-ecs')`
 */
export function lazySdk(name: string, load: () => Promise<unknown>): object {
  const proxy: object = new Proxy(Object.create(null) as object, {
    get: (_target, key) => loadedOf(proxy, name)[key],
    has: (_target, key) => key in loadedOf(proxy, name),
    ownKeys: () => Reflect.ownKeys(loadedOf(proxy, name)),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Object.getOwnPropertyDescriptor(loadedOf(proxy, name), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  states.set(proxy, { load });
  return proxy;
}

/** Loads a lazy package; undefined (nothing to await) once loaded or for a plain exports object. */
export function ensureSdk(sdk: object): Promise<void> | undefined {
  const state = states.get(sdk);
  if (!state || state.loaded) return undefined;
  state.pending ??= state.load().then(
    (module) => {
      const m = module as { default?: unknown };
      state.loaded = (m.default && typeof m.default === 'object' ? m.default : m) as Record<string | symbol, unknown>;
    },
    (error: unknown) => {
      state.pending = undefined;
      throw error;
    },
  );
  return state.pending;
}
