/**
 * Resource kinds: what a scenario's `start` may create and what `reset` may delete. Each kind
 * knows how to create its resource idempotently with the lab tags (CONTRACT §6), how to find
 * every lab-tagged resource of its kind, and how to delete one together with what lives inside
 * or on it. Nothing here touches a resource that does not carry `ecs-lab:managed=true`, except
 * what lives inside a lab resource (services in a lab cluster, rules on a lab group, ...).
 */
import type { z } from 'zod';
import type { AwsSession } from '../aws/session.js';

export const MANAGED_TAG = 'ecs-lab:managed';
export const SCENARIO_TAG = 'ecs-lab:scenario';

/** Context of one `start` or `reset`. */
export interface ResourceContext {
  aws: AwsSession;
  account: string;
  region: string;
  /** The scenario being started; `null` for the shared resources. */
  scenario: string | null;
  /** Tags to put on everything created: the lab tags, plus per-resource tags from the spec. */
  labTags: Record<string, string>;
  /** Resources created or found earlier in this run, by `type/name` (lets a subnet find its VPC). */
  refs: Map<string, ResourceRef>;
}

/** A resource that `start` created or found. */
export interface ResourceRef {
  type: string;
  name: string;
  /** The AWS id (vpc-..., sg-...) or the name where the id is the name. */
  id: string;
  arn: string;
  status: 'created' | 'found';
  /** The scenario it was provisioned for (`null` for shared resources), when provision recorded it. */
  scenario?: string | null;
}

/** A lab-tagged resource found by {@link ResourceKind.findLabTagged}. */
export interface LabResource {
  type: string;
  name: string;
  id: string;
  arn: string;
  tags: Record<string, string>;
}

/** What {@link ResourceKind.remove} did: one line per deleted thing, inner ones first. */
export type Removed = string[];

/** Every spec has a type and a name; the rest is the kind's own zod schema. */
export interface BaseSpec {
  type: string;
  name: string;
  /** Extra tags beyond the lab tags (e.g. `environment: prod`). */
  tags?: Record<string, string>;
}

export interface ResourceKind<S extends BaseSpec = BaseSpec> {
  /** e.g. `ec2-vpc`; the value of `type:` in scenarios.yaml. */
  type: string;
  /** One-line description for docs and schema. */
  description: string;
  /** zod schema of the spec, including `type` (literal) and `name`. */
  schema: z.ZodType<S>;
  /** Creation order (lower first); `reset` deletes in the reverse order. */
  order: number;
  /** Creates the resource with the lab tags unless it already exists; never modifies a found one. */
  ensure(ctx: ResourceContext, spec: S): Promise<ResourceRef>;
  /** Every resource of this kind carrying `ecs-lab:managed=true`. */
  findLabTagged(ctx: ResourceContext): Promise<LabResource[]>;
  /** Deletes one lab resource and what lives inside or on it. */
  remove(ctx: ResourceContext, resource: LabResource): Promise<Removed>;
  /** The current tags and ARN of a resource by name, or null when absent (for tag checks). */
  lookup?(ctx: ResourceContext, name: string): Promise<{ arn: string; id: string; tags: Record<string, string> } | null>;
}

/** Helper so each kind file gets its spec type inferred from its schema. */
export function defineResourceKind<S extends BaseSpec>(kind: ResourceKind<S>): ResourceKind<S> {
  return kind;
}

/** True when tags mark a resource as the lab's, optionally for one scenario. */
export function isLabTagged(tags: Record<string, string>, scenario?: string | null): boolean {
  if (tags[MANAGED_TAG] !== 'true') return false;
  return scenario ? tags[SCENARIO_TAG] === scenario : true;
}

/** `[{Key,Value}]` or `[{key,value}]` lists to a plain map. */
export function tagMap(list: Array<{ Key?: string; Value?: string } | { key?: string; value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) {
    const k = 'Key' in t ? t.Key : (t as { key?: string }).key;
    const v = 'Key' in t ? t.Value : (t as { value?: string }).value;
    if (k !== undefined) out[k] = v ?? '';
  }
  return out;
}

/** A plain map to `[{Key, Value}]` (EC2, IAM, Secrets Manager, SSM, S3 style). */
export function upperTags(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** A plain map to `[{key, value}]` (ECS style). */
export function lowerTags(tags: Record<string, string>): Array<{ key: string; value: string }> {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** The tags to put on a resource: the lab's, then the spec's own. */
export function tagsFor(ctx: ResourceContext, spec: BaseSpec): Record<string, string> {
  return { ...(spec.tags ?? {}), ...ctx.labTags };
}

/** The AWS error code of anything thrown by an SDK call made through an AwsSession. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown };
  return String(e?.code ?? e?.name ?? '');
}

/** Looks up a reference made earlier in this run (`ec2-vpc/lab-vpc`). */
export function ref(ctx: ResourceContext, type: string, name: string): ResourceRef | undefined {
  return ctx.refs.get(`${type}/${name}`);
}
