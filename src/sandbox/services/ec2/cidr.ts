/** IPv4 CIDR arithmetic for VPC and subnet validation, and CIDR syntax checks for security group rules. */
import { isIPv6 } from 'node:net';

/** A parsed IPv4 CIDR block: first and last address as unsigned integers. */
export interface Cidr {
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; undefined when malformed or not aligned to its prefix. */
export function parseCidr(text: string | undefined): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text ?? '');
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { first: address, last: address + size - 1, prefix };
}

/** Whether `inner` lies within `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

/** Whether two blocks overlap. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.first <= b.last && b.first <= a.last;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Whether `text` is IPv4 CIDR notation `a.b.c.d/n` (octets up to 255, prefix up to 32). Host bits
 * may be set: EC2 accepts `100.68.0.18/18` in a security group rule (it canonicalizes such a block).
 */
export function isIpv4CidrSyntax(text: string): boolean {
  const m = IPV4_CIDR.exec(text);
  if (!m) return false;
  for (let i = 1; i <= 4; i++) if (Number(m[i]) > 255) return false;
  return Number(m[5]) <= 32;
}

/** Whether `text` is IPv6 CIDR notation `address/n` (prefix up to 128, no zone index). */
export function isIpv6CidrSyntax(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= 128 && !address.includes('%') && isIPv6(address);
}
