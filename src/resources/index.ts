/**
 * The explicit registry of resource kinds. Adding a kind = one file + one line here; the
 * scenarios.yaml schema picks it up from this list.
 */
import { ec2Vpc } from './ec2-vpc.js';
import type { BaseSpec, ResourceKind } from './types.js';

export const RESOURCE_KINDS: readonly ResourceKind<BaseSpec>[] = [ec2Vpc as unknown as ResourceKind<BaseSpec>];

/** Kinds by type, for lookups. */
export const RESOURCE_KINDS_BY_TYPE: ReadonlyMap<string, ResourceKind<BaseSpec>> = new Map(RESOURCE_KINDS.map((k) => [k.type, k]));

export * from './types.js';
