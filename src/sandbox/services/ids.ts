/** Identifier generators shared by services. */
import { randomBytes } from 'node:crypto';

/** `len` lowercase hex characters. */
export function hex(len: number): string {
  return randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len);
}

/** EC2-style id, e.g. `vpc-0a1b2c3d4e5f67890`. */
export function ec2Id(prefix: string): string {
  return `${prefix}-${hex(17)}`;
}

/**
 * An EC2-style id that is the same for the same seed (FNV-1a), for resources whose ids must not
 * change across restarts although nothing stores them: the public AMIs of a Region, a VPC's main
 * route table and default network ACL, the default VPC's internet gateway. Only the seed is
 * hashed (the AMI ids predate this function), so ids of different kinds need different seeds.
 */
export function stableEc2Id(prefix: string, seed: string): string {
  let h = 0x811c9dc5;
  for (const ch of seed) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let h2 = h ^ 0x5bd1e995;
  h2 = Math.imul(h2, 0x01000193) >>> 0;
  return `${prefix}-0${h.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** A random decimal string of `len` digits (no leading zero). */
export function digits(len: number): string {
  const bytes = randomBytes(len);
  let out = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < len; i++) out += String(bytes[i]! % 10);
  return out;
}

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
/** The UUID's characters, reused: dashes stay, the rest is written per call. */
const UUID_CHARS: number[] = Array.from({ length: 36 }, () => '-'.charCodeAt(0));
/** Random positions: not the dashes (8, 13, 18, 23), the version (14) or the variant (19). */
const UUID_HEX_POSITIONS = Array.from({ length: 36 }, (_, i) => i).filter((i) => ![8, 13, 14, 18, 19, 23].includes(i));

/**
 * A random (version 4) UUID: request ids, CloudTrail event ids, attachment and version ids. They
 * need to be unique, not unpredictable, so Math.random's bits do (122 of them), and no call waits
 * for node:crypto to load (the sandbox bundle loads it on first use, scripts/build-sandbox.ts). Keys and secrets come from node:crypto. Written as one
 * flat string (a string built by concatenation would keep its pieces, in every stored event).
 */
export function uuid(): string {
  let bits = 0;
  let left = 0;
  for (const i of UUID_HEX_POSITIONS) {
    if (left === 0) {
      bits = (Math.random() * 0x1_0000_0000) >>> 0;
      left = 8;
    }
    UUID_CHARS[i] = HEX_CODES[bits & 15]!;
    bits >>>= 4;
    left--;
  }
  UUID_CHARS[14] = '4'.charCodeAt(0);
  UUID_CHARS[19] = HEX_CODES[8 | ((Math.random() * 4) >>> 0)]!;
  return String.fromCharCode(...UUID_CHARS);
}
