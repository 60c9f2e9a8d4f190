/** Identifier generators shared by services. */
import { nodeCrypto } from '../node-crypto.js';

/** `len` lowercase hex characters. */
export function hex(len: number): string {
  return nodeCrypto().randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len);
}

/** EC2-style id, e.g. `vpc-0a1b2c3d4e5f67890`. */
export function ec2Id(prefix: string): string {
  return `${prefix}-${hex(17)}`;
}

/** A random decimal string of `len` digits (no leading zero). */
export function digits(len: number): string {
  const bytes = nodeCrypto().randomBytes(len);
  let out = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < len; i++) out += String(bytes[i]! % 10);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 32 random bits as 8 hex characters. */
function hex32(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

/**
 * A random (version 4) UUID: request ids, CloudTrail event ids, attachment and version ids. They
 * need to be unique, not unpredictable, so Math.random's 122 bits do, and no call waits for
 * node:crypto to load (node-crypto.ts). Keys and secrets come from node:crypto.
 */
export function uuid(): string {
  const a = hex32((Math.random() * 0x1_0000_0000) >>> 0);
  const b = hex32((Math.random() * 0x1_0000_0000) >>> 0);
  const c = hex32((Math.random() * 0x1_0000_0000) >>> 0);
  const d = hex32((Math.random() * 0x1_0000_0000) >>> 0);
  const variant = '89ab'[(Math.random() * 4) >>> 0]!;
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}
