/**
 * The explicit, typed registry of check kinds. Adding a check = one file + one line here; the
 * scenarios.yaml schema and the docs are built from this list.
 */
import awsRead from './generic/aws-read.js';
import resourceTags from './generic/resource-tags.js';
import type { CheckDefinition } from './types.js';

export const CHECKS: readonly CheckDefinition[] = [awsRead, resourceTags] as unknown as CheckDefinition[];

export const CHECKS_BY_ID: ReadonlyMap<string, CheckDefinition> = new Map(CHECKS.map((c) => [c.id, c]));

export type { CheckContext, CheckDefinition, CheckMeta, CheckOutcome, CheckStatus, Severity } from './types.js';
