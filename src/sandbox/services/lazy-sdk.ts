/**
 * SDK v3 client packages are large (client-ec2 alone compiles several megabytes of JavaScript),
 * and the sandbox needs one only for its operation schemas, when a request for that service
 * arrives. Loading them lazily keeps start-up to Node itself plus the protocol code: the first
 * request to a service pays for its package once.
 *
 * The packages ship CommonJS as `main` and no `exports` map, so `require` returns the very module
 * instance an `import` would: there is no second copy of the SDK in the process.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The exports of an SDK client package (e.g. `@aws-sdk/client-ecs`), loaded on first property
 * access. Use it as a ServiceModule's `sdk`; type the handlers with `import type * as sdk`.
 */
export function lazySdk(packageName: string): object {
  let loaded: Record<string | symbol, unknown> | undefined;
  const load = () => (loaded ??= require(packageName) as Record<string | symbol, unknown>);
  return new Proxy(Object.create(null) as object, {
    get: (_target, key) => load()[key],
    has: (_target, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Object.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
