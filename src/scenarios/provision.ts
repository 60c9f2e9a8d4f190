/**
 * `start` and `reset`: creating a scenario's starting state and removing everything the lab made.
 * Creation follows the kinds' order; removal goes in reverse and then verifies, by a fresh
 * look-up, that nothing lab-tagged is left.
 */
import { toAwsCallError } from '../aws/errors.js';
import { RESOURCE_KINDS, RESOURCE_KINDS_BY_TYPE, ResourceError } from '../resources/index.js';
import type { BaseSpec, LabResource, ResourceContext, ResourceRef } from '../resources/types.js';
import { MANAGED_TAG, SCENARIO_TAG, isLabTagged } from '../resources/types.js';
import { EngineError } from './errors.js';
import type { Connection } from './types.js';

/** Replaces `${account}`, `${region}` and `${scenario}` in every string of a spec. */
export function expandTemplates<T>(value: T, vars: Record<string, string>): T {
  if (typeof value === 'string') return value.replace(/\$\{(\w+)\}/g, (m, k: string) => vars[k] ?? m) as T;
  if (Array.isArray(value)) return value.map((v) => expandTemplates(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandTemplates(v, vars)])) as T;
  }
  return value;
}

export function resourceContext(conn: Connection, scenario: string | null): ResourceContext {
  const labTags: Record<string, string> = { [MANAGED_TAG]: 'true' };
  if (scenario) labTags[SCENARIO_TAG] = scenario;
  return { aws: conn.aws, account: conn.account, region: conn.target.region, scenario, labTags, refs: new Map() };
}

export interface ProvisionedResource extends ResourceRef {
  scenario: string | null;
}

/**
 * Creates the shared resources, then the scenario's, skipping what exists. Never modifies a
 * resource it finds.
 */
export async function provision(
  conn: Connection,
  scenario: string,
  shared: readonly BaseSpec[],
  own: readonly BaseSpec[],
  onResource?: (r: ProvisionedResource) => void,
): Promise<ProvisionedResource[]> {
  const refs = new Map<string, ResourceRef>();
  const out: ProvisionedResource[] = [];
  const vars = { account: conn.account, region: conn.target.region, scenario };
  for (const [group, specs] of [
    [null, shared],
    [scenario, own],
  ] as const) {
    const ctx = { ...resourceContext(conn, group), refs };
    const ordered = [...specs].sort((a, b) => RESOURCE_KINDS_BY_TYPE.get(a.type)!.order - RESOURCE_KINDS_BY_TYPE.get(b.type)!.order);
    for (const raw of ordered) {
      const spec = expandTemplates(raw, vars);
      const kind = RESOURCE_KINDS_BY_TYPE.get(spec.type)!;
      let ref: ResourceRef;
      try {
        ref = await kind.ensure(ctx, spec);
      } catch (err) {
        const why = err instanceof ResourceError ? err.message : toAwsCallError(err, spec.type).message;
        throw new EngineError('AWS', `Could not create ${spec.type} ${spec.name}: ${why}`, err);
      }
      const r = { ...ref, scenario: group };
      refs.set(`${spec.type}/${spec.name}`, r);
      out.push(r);
      onResource?.(r);
    }
  }
  return out;
}

export interface ResetResult {
  removed: string[];
  leftovers: Array<{ type: string; name: string; arn: string; why: string }>;
}

/** Everything still lab-tagged; a kind that cannot even be listed is reported as a leftover too. */
async function labTagged(conn: Connection, scenario: string | null): Promise<Array<{ resource: LabResource; listError?: string }>> {
  const found: Array<{ resource: LabResource; listError?: string }> = [];
  const ctx = resourceContext(conn, scenario);
  for (const kind of RESOURCE_KINDS) {
    let items: LabResource[];
    try {
      items = await kind.findLabTagged(ctx);
    } catch (err) {
      const why = `could not be listed: ${toAwsCallError(err, kind.type).message}`;
      found.push({ resource: { type: kind.type, name: '(every resource of this kind)', id: '', arn: kind.type, tags: {} }, listError: why });
      continue;
    }
    for (const r of items) if (isLabTagged(r.tags, scenario)) found.push({ resource: r });
  }
  return found;
}

/**
 * Deletes lab-tagged resources (one scenario's, or all with `scenario = null`) and what lives in
 * them, then lists whatever lab-tagged resource is still there.
 */
export async function resetResources(conn: Connection, scenario: string | null): Promise<ResetResult> {
  const removed: string[] = [];
  const failures = new Map<string, string>();
  const ctx = resourceContext(conn, scenario);
  const byOrder = [...RESOURCE_KINDS].sort((a, b) => b.order - a.order);
  for (const kind of byOrder) {
    let items: LabResource[];
    try {
      items = (await kind.findLabTagged(ctx)).filter((r) => isLabTagged(r.tags, scenario));
    } catch (err) {
      failures.set(kind.type, toAwsCallError(err, kind.type).message);
      continue;
    }
    for (const item of items) {
      try {
        removed.push(...(await kind.remove(ctx, item)));
      } catch (err) {
        failures.set(item.arn, toAwsCallError(err, `${kind.type}`).message);
      }
    }
  }
  const left = await labTagged(conn, scenario);
  const leftovers = left.map(({ resource, listError }) => ({
    type: resource.type,
    name: resource.name,
    arn: resource.arn,
    why: listError ?? failures.get(resource.arn) ?? failures.get(resource.type) ?? 'still present after deletion',
  }));
  return { removed, leftovers };
}
