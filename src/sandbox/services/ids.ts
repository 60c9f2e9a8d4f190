/** Identifier generators shared by services. */
import { randomBytes, randomUUID } from 'node:crypto';

/** `len` lowercase hex characters. */
export function hex(len: number): string {
  return randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len);
}

/** EC2-style id, e.g. `vpc-0a1b2c3d4e5f67890`. */
export function ec2Id(prefix: string): string {
  return `${prefix}-${hex(17)}`;
}

/** A random decimal string of `len` digits (no leading zero). */
export function digits(len: number): string {
  const bytes = randomBytes(len);
  let out = String(1 + (bytes[0]! % 9));
  for (let i = 1; i < len; i++) out += String(bytes[i]! % 10);
  return out;
}

export { randomUUID as uuid };
