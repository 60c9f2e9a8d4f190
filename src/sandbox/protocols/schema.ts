/**
 * The one place that knows the SDK v3 static schema tuple layout.
 *
 * `@aws-sdk/client-*` packages export every operation as `<Op>$ = [9, namespace, name, traits,
 * input, output]` and structures as `[3, namespace, name, traits, memberNames, memberSchemas,
 * requiredCount?]`. That layout is internal to the SDK (hence the pinned versions): everything
 * else in the sandbox goes through the functions below and `NormalizedSchema`, so an SDK upgrade
 * that changes the tuples breaks this file only.
 */
import { NormalizedSchema } from '@smithy/core/schema';

const OPERATION = 9;
const STRUCTURE = 3;

/** An operation's name with its normalized input and output schemas. */
export interface OperationShape {
  readonly name: string;
  readonly input: NormalizedSchema;
  readonly output: NormalizedSchema;
  /** The raw output schema, for building protocol envelopes around it. */
  readonly outputRef: unknown;
}

type Tuple = readonly unknown[];

function isTuple(value: unknown): value is Tuple {
  return Array.isArray(value);
}

const cache = new WeakMap<object, Map<string, OperationShape | null>>();

/**
 * Looks up `<operation>$` among a client package's exports.
 * @returns undefined when the package has no such operation.
 */
export function findOperation(clientExports: object, operation: string): OperationShape | undefined {
  let perClient = cache.get(clientExports);
  if (!perClient) {
    perClient = new Map();
    cache.set(clientExports, perClient);
  }
  const hit = perClient.get(operation);
  if (hit !== undefined) return hit ?? undefined;
  const found = loadOperation(clientExports, operation);
  perClient.set(operation, found ?? null);
  return found;
}

function loadOperation(clientExports: object, operation: string): OperationShape | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(operation)) return undefined;
  const raw: unknown = (clientExports as Record<string, unknown>)[`${operation}$`];
  if (!isTuple(raw) || raw[0] !== OPERATION || raw[2] !== operation) return undefined;
  return {
    name: operation,
    input: NormalizedSchema.of(raw[4] as never),
    output: NormalizedSchema.of(raw[5] as never),
    outputRef: raw[5],
  };
}

function structTuple(ns: NormalizedSchema): Tuple | undefined {
  if (!ns.isStructSchema()) return undefined;
  const raw: unknown = ns.getSchema();
  return isTuple(raw) && raw[0] === STRUCTURE ? raw : undefined;
}

/** Names of a structure's required members (the SDK lists them first and stores their count). */
export function requiredMembers(ns: NormalizedSchema): string[] {
  const raw = structTuple(ns);
  if (!raw) return [];
  const names = raw[4] as string[];
  const count = typeof raw[6] === 'number' ? raw[6] : 0;
  return names.slice(0, count);
}

/** Whether the schema is the `unit` (empty) shape. */
export function isUnit(ns: NormalizedSchema): boolean {
  return ns.isUnitSchema() || !ns.isStructSchema();
}

/** A member of a synthetic envelope: a name and either a simple type or another schema. */
export type EnvelopeMember = readonly [name: string, schema: 'string' | NormalizedSchema | unknown];

const STRING = 0;

/**
 * Builds a structure schema named `name` whose members are `members` followed (when `inline`
 * is given) by the members of that structure. Query protocols wrap the modelled output in
 * envelopes (`<OpResponse><OpResult>…`, or EC2's `<OpResponse><requestId/>…members…`); the SDK's
 * XML serializer can then write the whole document from one schema.
 */
export function envelope(name: string, members: readonly EnvelopeMember[], inline?: NormalizedSchema): NormalizedSchema {
  const names: string[] = [];
  const refs: unknown[] = [];
  for (const [memberName, schema] of members) {
    names.push(memberName);
    refs.push(schema === 'string' ? STRING : schema instanceof NormalizedSchema ? schema.getSchema() : schema);
  }
  const inner = inline ? structTuple(inline) : undefined;
  if (inner) {
    names.push(...(inner[4] as string[]));
    refs.push(...(inner[5] as unknown[]));
  }
  return NormalizedSchema.of([STRUCTURE, 'ecs-lab.sandbox', name, 0, names, refs] as never);
}

const memberMaps = new WeakMap<NormalizedSchema, ReadonlyMap<string, NormalizedSchema>>();
const valueSchemas = new WeakMap<NormalizedSchema, NormalizedSchema>();

/** A structure's member schemas by name, in model order, made once per schema. */
export function memberSchemasOf(ns: NormalizedSchema): ReadonlyMap<string, NormalizedSchema> {
  let members = memberMaps.get(ns);
  if (!members) {
    members = new Map(ns.structIterator());
    memberMaps.set(ns, members);
  }
  return members;
}

/** A list's or map's value schema, made once per schema (the SDK builds a new one per call). */
export function valueSchemaOf(ns: NormalizedSchema): NormalizedSchema {
  let value = valueSchemas.get(ns);
  if (!value) {
    value = ns.getValueSchema();
    valueSchemas.set(ns, value);
  }
  return value;
}
