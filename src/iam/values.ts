/**
 * Typed comparison values for the Numeric, Date and IpAddress operators, parsed once at policy parse
 * time. Parsers return undefined for a value that is not of the type; the comparison then fails
 * (AWS documents no match for a wrongly typed value).
 */

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const EPOCH = /^-?\d+(\.\d+)?$/;
/** W3C profile of ISO 8601: https://www.w3.org/TR/NOTE-datetime */
const ISO_DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const NO_ZONE = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

const REQUEST_CACHE_LIMIT = 256;

/**
 * Memoises a parser for request values: the same caller sends the same dates and addresses over and
 * over, and a parse costs more than the comparison it feeds.
 */
export function memoize<T>(parse: (value: string) => T | undefined): (value: string) => T | undefined {
  let cache = new Map<string, T | undefined>();
  return (value) => {
    if (cache.has(value)) return cache.get(value);
    const parsed = parse(value);
    if (cache.size >= REQUEST_CACHE_LIMIT) cache = new Map();
    cache.set(value, parsed);
    return parsed;
  };
}

/** Integer or decimal, as the Numeric operators accept. */
export function parseNumber(value: string): number | undefined {
  return NUMBER.test(value) ? Number(value) : undefined;
}

/**
 * ISO 8601 (W3C profile) or epoch seconds, to epoch milliseconds. A time without a zone is read as
 * UTC, as AWS does, rather than in the host's zone.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
 */
export function parseDate(value: string): number | undefined {
  if (EPOCH.test(value)) return Number(value) * 1000;
  if (!ISO_DATE.test(value)) return undefined;
  const ms = Date.parse(NO_ZONE.test(value) ? `${value}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An address or network: IPv4 as one 32-bit word, IPv6 as eight 16-bit words. */
export interface IpRange {
  readonly v6: boolean;
  readonly words: readonly number[];
  readonly prefix: number;
}

function parseIpv4(value: string): number[] | undefined {
  const octets = value.split('.');
  if (octets.length !== 4) return undefined;
  let word = 0;
  for (const octet of octets) {
    if (!/^(0|[1-9]\d{0,2})$/.test(octet)) return undefined;
    const n = Number(octet);
    if (n > 255) return undefined;
    word = word * 256 + n;
  }
  return [word];
}

function parseIpv6(value: string): number[] | undefined {
  let text = value;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon !== -1 && text.includes('.', lastColon)) {
    // An embedded IPv4 tail ('::ffff:10.0.0.1') fills the last two words.
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return undefined;
    const word = v4[0] as number;
    tail.push(Math.floor(word / 65536), word % 65536);
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const words: number[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      words.push(parseInt(group, 16));
    }
    return words;
  };
  const head = parse(halves[0]);
  const rest = parse(halves[1]);
  if (!head || !rest) return undefined;
  const explicit = head.length + rest.length + tail.length;
  if (halves.length === 1) return explicit === 8 ? [...head, ...tail] : undefined;
  if (explicit > 7) return undefined;
  return [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
}

/** An address alone ('10.0.0.1', '2001:db8::1'), as in aws:SourceIp. */
export function parseIp(value: string): IpRange | undefined {
  if (value.includes(':')) {
    const words = parseIpv6(value);
    return words ? { v6: true, words, prefix: 128 } : undefined;
  }
  const words = parseIpv4(value);
  return words ? { v6: false, words, prefix: 32 } : undefined;
}

/** A CIDR block; an address without a prefix means /32 (or /128), as AWS documents. */
export function parseCidr(value: string): IpRange | undefined {
  const slash = value.indexOf('/');
  const address = parseIp(slash === -1 ? value : value.slice(0, slash));
  if (!address || slash === -1) return address;
  const prefixText = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > (address.v6 ? 128 : 32)) return undefined;
  return { ...address, prefix };
}

/** True when `ip` lies in `range`; an address of the other family is never inside. */
export function ipInRange(range: IpRange, ip: IpRange): boolean {
  if (range.v6 !== ip.v6) return false;
  const bitsPerWord = range.v6 ? 16 : 32;
  let remaining = range.prefix;
  for (let i = 0; i < range.words.length && remaining > 0; i++) {
    const bits = Math.min(bitsPerWord, remaining);
    const shift = 2 ** (bitsPerWord - bits);
    if (Math.floor((range.words[i] as number) / shift) !== Math.floor((ip.words[i] as number) / shift)) return false;
    remaining -= bits;
  }
  return true;
}
