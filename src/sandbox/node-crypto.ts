/**
 * node:crypto, loaded on first use. Requiring it costs ~5 ms, and a fresh sandbox answers its
 * first calls (sts:GetCallerIdentity, ecs:ListClusters) without it: request and event ids come
 * from services/ids.ts `uuid()`. Keys, secrets, signatures and resource ids use this.
 */
import type * as NodeCrypto from 'node:crypto';
import { createRequire } from 'node:module';

let loaded: typeof NodeCrypto | undefined;

export function nodeCrypto(): typeof NodeCrypto {
  // process.getBuiltinModule arrived in Node.js 20.16; before it, any require() finds a builtin
  // (this one is made from an absolute path that always exists, in ES modules and the bundle alike).
  loaded ??= (process.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined) ?? (createRequire(process.execPath)('node:crypto') as typeof NodeCrypto);
  return loaded;
}
