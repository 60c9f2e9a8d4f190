/**
 * Pieces shared by the sandbox's hand-written JSON writers: the state journal and snapshots
 * (store.ts stringifyState), awsJson responses (protocols/json-plan.ts) and CloudTrail event
 * elements (services/cloudtrail/elements.ts). Each writes JSON text directly rather than through
 * JSON.stringify of a copy, and each writes hundreds of scalars per request.
 */

/** What JSON.stringify escapes in a string (quote, backslash, controls), and surrogates, which it may. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * `JSON.stringify(value)` for a scalar, without the call where it is not needed: most strings
 * (ARNs, names, statuses, member names) need no escaping, and a finite number's JSON is its
 * String(). Anything else goes to JSON.stringify.
 */
export function scalarJson(value: unknown): string | undefined {
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

/** Whether an object is a plain record (its prototype Object.prototype, or none), written member by member. */
export function isPlainRecord(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
