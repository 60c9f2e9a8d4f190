/**
 * awsJson1_1 (ECS, Secrets Manager, SSM, CloudTrail, CloudWatch Logs): request body is a JSON
 * object shaped like the input structure, response the output structure, timestamps as epoch
 * seconds, errors `{"__type": code, "message": …}`.
 */
import { JsonCodec } from '@aws-sdk/core/protocols';
import type { NormalizedSchema } from '@smithy/core/schema';
import { AwsError, CommonErrors } from '../errors.js';
import type { OperationShape } from './schema.js';
import { Fallback, compileInput } from './json-input.js';
import { compileOutput } from './json-plan.js';
import { isUnit, requiredMembers, valueSchemaOf } from './schema.js';
import type { Protocol, WireRequest, WireResponse } from './types.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_DEPTH = 32;

/** Options for one JSON service. */
export interface JsonProtocolOptions {
  /** The error a service returns for a missing required member (ECS: InvalidParameterException). */
  missingParameter?: (member: string) => AwsError;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Rejects values whose JSON type does not fit the schema, as AWS does with a
 * SerializationException, so handlers can trust the SDK input types. A `null` member means an
 * absent one and is removed; `null` inside a list or as a map value is refused (these services
 * have no sparse collections).
 */
export function checkTypes(ns: NormalizedSchema, value: unknown, path: string, depth: number): void {
  if (value === undefined) return;
  if (value === null) throw CommonErrors.serialization(`Unexpected null at '${path || '$'}'.`);
  if (depth > MAX_DEPTH) throw CommonErrors.serialization(`Value at '${path}' is nested too deeply.`);
  const mismatch = (expected: string) =>
    CommonErrors.serialization(`Unexpected ${typeName(value)} at '${path || '$'}': expected ${expected}.`);
  if (ns.isDocumentSchema()) return;
  if (ns.isListSchema()) {
    if (!Array.isArray(value)) throw mismatch('a list');
    const item = valueSchemaOf(ns);
    value.forEach((v, i) => checkTypes(item, v, `${path}[${i}]`, depth + 1));
    return;
  }
  if (ns.isMapSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) throw mismatch('a map');
    const item = valueSchemaOf(ns);
    for (const [k, v] of Object.entries(value)) checkTypes(item, v, `${path}.${k}`, depth + 1);
    return;
  }
  if (ns.isStructSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) throw mismatch('a structure');
    const record = value as Record<string, unknown>;
    for (const [name, member] of ns.structIterator()) {
      if (!Object.hasOwn(record, name)) continue;
      if (record[name] === null) delete record[name];
      else checkTypes(member, record[name], path ? `${path}.${name}` : name, depth + 1);
    }
    return;
  }
  if (ns.isBooleanSchema()) {
    if (typeof value !== 'boolean') throw mismatch('a boolean');
  } else if (ns.isNumericSchema() || ns.isBigIntegerSchema() || ns.isBigDecimalSchema()) {
    // A literal too large for a double (1e400) parses to Infinity: out of range for every AWS number.
    if (typeof value !== 'number' || !Number.isFinite(value)) throw mismatch('a finite number');
  } else if (ns.isTimestampSchema()) {
    const epoch =
      typeof value === 'number' ? value
      : typeof value !== 'string' ? Number.NaN
      : /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value)
      : Date.parse(value) / 1000;
    if (!Number.isFinite(epoch) || Math.abs(epoch) > 8.64e12) throw mismatch('a timestamp');
  } else if (ns.isStringSchema() || ns.isBlobSchema()) {
    if (typeof value !== 'string') throw mismatch('a string');
  }
}

/** Creates the awsJson1_1 protocol for one service. */
export function jsonProtocol(options: JsonProtocolOptions = {}): Protocol {
  const codec = new JsonCodec({ timestampFormat: { useTrait: true, default: 7 }, jsonName: false });
  const missing =
    options.missingParameter ??
    ((member: string) => new AwsError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`));

  // Compiled input readers (and required members) per operation; read undefined: the SDK path.
  const readers = new WeakMap<OperationShape, { read: ((parsed: unknown) => Record<string, unknown>) | undefined; required: readonly string[] }>();
  // Compiled output writers per operation (null: the operation's shapes need the SDK codec).
  const writers = new WeakMap<OperationShape, ((value: unknown) => string | undefined) | null>();

  return {
    kind: 'json',
    decodeInput(op: OperationShape, req: WireRequest) {
      const text = req.body.toString('utf8').trim();
      let parsed: unknown = {};
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw CommonErrors.serialization('Start of structure or map found where not expected, or the request body is not valid JSON.');
        }
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw CommonErrors.serialization('The request body must be a JSON object.');
      }
      if (isUnit(op.input)) return {};
      let reader = readers.get(op);
      if (!reader) {
        reader = { read: compileInput(op.input), required: requiredMembers(op.input) };
        readers.set(op, reader);
      }
      let input: Record<string, unknown> | undefined;
      if (reader.read) {
        try {
          input = reader.read(parsed);
        } catch (error) {
          if (!(error instanceof Fallback)) throw error;
        }
      }
      if (!input) {
        // The checked path: exact errors, and the shapes the compiled reader leaves to the SDK.
        checkTypes(op.input, parsed, '', 0);
        input = codec.createDeserializer().readObject(op.input, parsed as never) as Record<string, unknown>;
      }
      for (const name of reader.required) {
        if (input[name] === undefined) throw missing(name);
      }
      return input;
    },
    encodeOutput(op: OperationShape, output: unknown, requestId: string): WireResponse {
      let body = '{}';
      if (!isUnit(op.output) && output && typeof output === 'object') {
        let writer = writers.get(op);
        if (writer === undefined) {
          writer = compileOutput(op.output) ?? null;
          writers.set(op, writer);
        }
        const fast = writer ? writer(output) : undefined;
        if (fast !== undefined) {
          body = fast;
        } else {
          const serializer = codec.createSerializer();
          serializer.write(op.output, output as never);
          body = String(serializer.flush());
        }
      }
      return { status: 200, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
    },
    encodeError(error: AwsError, requestId: string): WireResponse {
      return {
        status: error.status,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
        body: JSON.stringify({ ...error.members, __type: error.code, message: error.message }),
      };
    },
  };
}
