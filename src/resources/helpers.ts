/**
 * Small helpers shared by the resource kinds: tolerant deletes, bounded waits for AWS's eventual
 * consistency, batching, and the conflict error for a name taken by something that is not the lab's.
 */
import { SCENARIO_TAG, errorCode, isLabTagged } from './types.js';

/** Why `start` could not create or reuse a resource; the message names the resource and the fix. */
export class ResourceError extends Error {
  override readonly name = 'ResourceError';
  constructor(
    /** `NOT_LAB_MANAGED`: the name is taken by a resource without the lab tag; `MISSING_DEPENDENCY`: a referenced resource does not exist. */
    readonly code: 'NOT_LAB_MANAGED' | 'MISSING_DEPENDENCY' | 'OWNED_BY_OTHER_SCENARIO',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Returns normally when tags mark the resource as the lab's; otherwise throws, because reusing
 * (or overwriting) a same-named resource someone else owns would break CONTRACT §6.
 */
export function assertLabOwned(what: string, tags: Record<string, string>): void {
  if (!isLabTagged(tags)) {
    throw new ResourceError(
      'NOT_LAB_MANAGED',
      `${what} already exists but is not managed by the lab (no ecs-lab:managed=true tag); the lab never modifies it. Rename or delete it, then start again.`,
    );
  }
}

/**
 * Scenarios 2, 3 and 4 each start services of the same names (auth-service, order-service) on
 * lab-prod. A service left by another scenario is not this scenario's starting state: say which
 * scenario owns it and how to clear it, instead of silently reusing it.
 */
export function assertScenarioOwned(what: string, tags: Record<string, string>, scenario: string | null): void {
  const owner = tags[SCENARIO_TAG];
  if (scenario && owner && owner !== scenario) {
    throw new ResourceError('OWNED_BY_OTHER_SCENARIO', `${what} belongs to scenario ${owner}; run ecs-lab reset ${owner} first, then start ${scenario} again.`);
  }
}

/** True when the error code says the thing is already gone. */
export function isNotFound(err: unknown): boolean {
  return /NotFound|NoSuch|DoesNotExist/.test(errorCode(err));
}

/** Runs a delete; a "not found" answer counts as done (reset may meet what an outer delete removed). */
export async function ignoreNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** How long to keep retrying a delete that AWS refuses while dependants wind down. */
export interface RetryOptions {
  attempts?: number;
  delayMs?: number;
}

/**
 * Retries a call while it fails with one of the given codes: on AWS, a deleted service drains for
 * a while and an ENI outlives its task, so the cluster or group behind them cannot go at once.
 */
export async function retryOnCodes<T>(codes: readonly string[], call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 12;
  const delayMs = options.delayMs ?? 5_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !codes.includes(errorCode(err))) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/** Splits a list into batches (DescribeServices takes 10 names, DescribeClusters 100, ...). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Collects every page of a NextToken/Marker-paginated list call. */
export async function allPages<P, T>(fetchPage: (token: string | undefined) => Promise<P>, items: (page: P) => T[] | undefined, next: (page: P) => string | undefined): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    out.push(...(items(page) ?? []));
    token = next(page);
  } while (token);
  return out;
}

/**
 * An IAM resource's tags through its List*Tags pages (IAM's List* calls do not return tags
 * reliably), or null when the resource does not exist.
 */
export async function iamTags(
  page: (marker: string | undefined) => Promise<{ Tags?: Array<{ Key?: string; Value?: string }>; IsTruncated?: boolean; Marker?: string }>,
): Promise<Record<string, string> | null> {
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  try {
    do {
      const out = await page(marker);
      for (const t of out.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? '';
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
  } catch (err) {
    if (errorCode(err) === 'NoSuchEntity') return null;
    throw err;
  }
  return tags;
}
