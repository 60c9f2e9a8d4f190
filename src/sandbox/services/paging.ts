/**
 * Opaque pagination tokens shared by every service: base64 of a JSON offset, so a token from one
 * listing cannot be mistaken for another's without failing validation.
 */
import type { AwsError } from '../errors.js';

/** One page of results. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

/**
 * Slices `items` after `token`.
 * @param invalid builds the service's error for a token it did not issue.
 */
export function paginate<T>(items: readonly T[], token: string | undefined, max: number | undefined, defaultMax: number, invalid: () => AwsError): Page<T> {
  let offset = 0;
  if (token) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: unknown };
      if (typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) throw new Error('bad');
      offset = parsed.o;
    } catch {
      throw invalid();
    }
  }
  const size = max && max > 0 ? max : defaultMax;
  const page = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(JSON.stringify({ o: offset + size })).toString('base64') : undefined;
  return { items: page, nextToken: next };
}
