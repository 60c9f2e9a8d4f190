/** Shared by the resource-kind integration tests on moto_server. */
import { AwsSession } from '../../src/aws/session.js';
import { resolveTargetSpec } from '../../src/aws/target.js';
import type { ResourceContext } from '../../src/resources/index.js';

/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';

/** A resource context on the endpoint, with the lab tags of `scenario` (null: the shared ones). */
export function resourceCtx(endpoint: string, scenario: string | null): ResourceContext {
  const aws = new AwsSession(resolveTargetSpec({ endpoint, region: 'us-east-1' }, {}));
  const labTags: Record<string, string> = { 'ecs-lab:managed': 'true', ...(scenario ? { 'ecs-lab:scenario': scenario } : {}) };
  return { aws, account: MOTO_ACCOUNT, region: 'us-east-1', scenario, labTags, refs: new Map() };
}

/** Calls that change state (anything but Describe/List/Get/Head) made through `ctx` since `before`. */
export function writesSince(ctx: ResourceContext, before: Record<string, number>): string[] {
  return Object.entries(ctx.aws.stats.byAction)
    .filter(([action, n]) => n > (before[action] ?? 0) && !/:(Describe|List|Get|Head)/.test(action))
    .map(([action]) => action);
}
