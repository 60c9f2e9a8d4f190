/**
 * restXml (S3), path-style: `http://host:port/<bucket>[/<key>]`. Unlike the RPC protocols the
 * operation is not named on the wire: it is picked from the method, the path shape (service,
 * bucket or object) and the query literals of each operation's `http` trait in the SDK model
 * (`GET /?policy` is GetBucketPolicy, `GET /?list-type=2` ListObjectsV2). Inputs come from the
 * path labels, headers, query and payload as the model's member traits say; outputs go back the
 * same way. Errors are S3's `<Error><Code/><Message/>…<RequestId/></Error>`.
 */
import { randomBytes } from 'node:crypto';
import { XmlShapeDeserializer } from '@aws-sdk/core/protocols';
import { NormalizedSchema } from '@smithy/core/schema';
import { AwsError } from '../errors.js';
import type { OperationShape } from './schema.js';
import { findOperation, isUnit, requiredMembers } from './schema.js';
import type { Protocol, WireRequest, WireResponse } from './types.js';
import { escapeXml, writeXml } from './xml.js';

const CONTENT_TYPE = 'application/xml';

/** An error with extra elements for the `<Error>` body, e.g. `BucketName`. */
export class RestXmlError extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(code, message, status);
  }
}

/** A rest protocol also chooses the operation (the router asks it). */
export interface RestProtocol extends Protocol {
  readonly kind: 'rest-xml';
  /**
   * The operation a request is for, or the error to answer with.
   * @param implemented breaks ties in favour of operations the service handles.
   */
  resolveOperation(req: WireRequest, implemented: (operation: string) => boolean): string | AwsError;
}

/** Whether a protocol chooses operations itself. */
export function isRestProtocol(protocol: Protocol): protocol is RestProtocol {
  return protocol.kind === 'rest-xml' && typeof (protocol as Partial<RestProtocol>).resolveOperation === 'function';
}

/** Options for the restXml protocol of one service. */
export interface RestXmlProtocolOptions {
  /** The SDK client package's exports (operation schemas with their `http` traits). */
  sdk: object;
  xmlNamespace: string;
}

type Level = 'service' | 'bucket' | 'object';

interface RouteEntry {
  name: string;
  method: string;
  level: Level;
  status: number;
  literals: [string, string][];
  xId: string | undefined;
}

function header(req: WireRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function httpTrait(sdk: object, operation: string): [string, string, number] | undefined {
  const raw = (sdk as Record<string, unknown>)[`${operation}$`];
  const http = NormalizedSchema.of(raw as never).getMergedTraits().http as unknown;
  return Array.isArray(http) && http.length >= 3 ? (http as [string, string, number]) : undefined;
}

function buildRoutes(sdk: object): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const exported of Object.keys(sdk)) {
    if (!exported.endsWith('$')) continue;
    const name = exported.slice(0, -1);
    const op = findOperation(sdk, name);
    const http = op ? httpTrait(sdk, name) : undefined;
    if (!op || !http) continue;
    const [method, uri, status] = http;
    const [path = '', search = ''] = uri.split('?');
    const members = isUnit(op.input) ? [] : [...op.input.structIterator()].map(([n]) => n);
    let level: Level;
    if (/^\/\{Key\+?\}$/.test(path)) level = 'object';
    else if (path === '/') level = members.includes('Bucket') ? 'bucket' : 'service';
    else continue;
    const literals = [...new URLSearchParams(search)];
    const xId = literals.find(([k]) => k === 'x-id')?.[1];
    routes.push({ name, method, level, status, literals: literals.filter(([k]) => k !== 'x-id'), xId });
  }
  return routes;
}

/** `/` -> service, `/b` or `/b/` -> bucket, `/b/k…` -> object. */
function pathLevel(path: string): Level {
  const trimmed = path.replace(/^\/+/, '');
  if (trimmed === '') return 'service';
  const slash = trimmed.indexOf('/');
  return slash < 0 || slash === trimmed.length - 1 ? 'bucket' : 'object';
}

/** The bucket and key labels of a path, URL-decoded. */
function splitPath(path: string): { bucket: string | undefined; key: string | undefined } {
  const trimmed = path.replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  if (trimmed === '') return { bucket: undefined, key: undefined };
  if (slash < 0 || slash === trimmed.length - 1) return { bucket: decode(slash < 0 ? trimmed : trimmed.slice(0, slash)), key: undefined };
  return { bucket: decode(trimmed.slice(0, slash)), key: decode(trimmed.slice(slash + 1)) };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RestXmlError('InvalidURI', 'Couldn\'t parse the specified URI.', 400);
  }
}

/** Undoes `Content-Encoding: aws-chunked` (`<hex size>[;ext]\r\n<data>\r\n … 0\r\n<trailers>`). */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < body.length) {
    const eol = body.indexOf('\r\n', offset);
    if (eol < 0) break;
    const size = Number.parseInt(body.subarray(offset, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    offset = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function isChunked(req: WireRequest): boolean {
  return /aws-chunked/i.test(header(req, 'content-encoding') ?? '') || (header(req, 'x-amz-content-sha256') ?? '').startsWith('STREAMING-');
}

function fromString(ns: NormalizedSchema, raw: string): unknown {
  if (ns.isListSchema()) return raw.split(',').map((s) => fromString(ns.getValueSchema(), s.trim()));
  if (ns.isBooleanSchema()) return raw.toLowerCase() === 'true';
  if (ns.isNumericSchema()) {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new RestXmlError('InvalidArgument', `Invalid value '${raw}'.`, 400);
    return n;
  }
  if (ns.isTimestampSchema()) {
    const d = new Date(raw);
    if (Number.isNaN(d.getTime())) throw new RestXmlError('InvalidArgument', `Invalid date '${raw}'.`, 400);
    return d;
  }
  return raw;
}

function toHeader(value: unknown): string {
  if (value instanceof Date) return value.toUTCString();
  if (Array.isArray(value)) return value.map(toHeader).join(', ');
  return String(value);
}

const xmlReader = new XmlShapeDeserializer({ timestampFormat: { useTrait: true, default: 5 }, httpBindings: true, xmlNamespace: '', serviceNamespace: '' });

function readPayload(member: NormalizedSchema, req: WireRequest): unknown {
  const body = isChunked(req) ? decodeAwsChunked(req.body) : req.body;
  if (member.isBlobSchema()) return new Uint8Array(body);
  if (body.length === 0) return undefined;
  if (member.isStringSchema()) return body.toString('utf8');
  try {
    return xmlReader.read(member, new Uint8Array(body));
  } catch {
    throw new RestXmlError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
}

/** Creates the restXml protocol for one service. */
export function restXmlProtocol(options: RestXmlProtocolOptions): RestProtocol {
  let routes: RouteEntry[] | undefined;
  const requestHeaders = (requestId: string): Record<string, string> => ({
    'x-amz-request-id': requestId,
    'x-amzn-requestid': requestId,
    'x-amz-id-2': randomBytes(24).toString('base64'),
  });

  return {
    kind: 'rest-xml',

    resolveOperation(req, implemented) {
      routes ??= buildRoutes(options.sdk);
      const level = pathLevel(req.path);
      const xId = req.query.get('x-id') ?? undefined;
      let best: { entry: RouteEntry; score: number } | undefined;
      for (const entry of routes) {
        if (entry.method !== req.method || entry.level !== level) continue;
        if (xId !== undefined && entry.xId !== undefined && entry.xId !== xId) continue;
        if (!entry.literals.every(([k, v]) => req.query.has(k) && (v === '' || req.query.get(k) === v))) continue;
        const score = entry.literals.length * 4 + (xId !== undefined && entry.xId === xId ? 2 : 0) + (implemented(entry.name) ? 1 : 0);
        if (!best || score > best.score || (score === best.score && entry.name < best.entry.name)) best = { entry, score };
      }
      if (!best) return new RestXmlError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: level.toUpperCase() });
      return best.entry.name;
    },

    decodeInput(op: OperationShape, req: WireRequest) {
      const input: Record<string, unknown> = {};
      if (isUnit(op.input)) return input;
      const { bucket, key } = splitPath(req.path);
      for (const [name, member] of op.input.structIterator()) {
        const traits = member.getMergedTraits();
        if (traits.httpLabel) {
          input[name] = name === 'Key' ? key : bucket;
        } else if (typeof traits.httpHeader === 'string') {
          const raw = header(req, traits.httpHeader.toLowerCase());
          if (raw !== undefined) input[name] = fromString(member, raw);
        } else if (typeof traits.httpPrefixHeaders === 'string') {
          const prefix = traits.httpPrefixHeaders.toLowerCase();
          const map = Object.fromEntries(Object.entries(req.headers).filter(([h]) => h.startsWith(prefix)).map(([h, v]) => [h.slice(prefix.length), Array.isArray(v) ? v.join(',') : (v ?? '')]));
          if (Object.keys(map).length > 0) input[name] = map;
        } else if (typeof traits.httpQuery === 'string') {
          const values = req.query.getAll(traits.httpQuery);
          if (values.length > 0) input[name] = member.isListSchema() ? values : fromString(member, values[0]!);
        } else if (traits.httpPayload) {
          const value = readPayload(member, req);
          if (value !== undefined) input[name] = value;
        }
      }
      if (typeof input.ContentEncoding === 'string') {
        const rest = input.ContentEncoding.split(',').map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== 'aws-chunked');
        input.ContentEncoding = rest.length > 0 ? rest.join(', ') : undefined;
      }
      for (const name of requiredMembers(op.input)) {
        if (input[name] === undefined) throw new RestXmlError('MissingRequestBodyError', 'Request Body is empty', 400);
      }
      return input;
    },

    encodeOutput(op: OperationShape, output: unknown, requestId: string): WireResponse {
      const [, , declared] = httpTrait(options.sdk, op.name) ?? ['', '', 200];
      const headers = requestHeaders(requestId);
      const response: WireResponse = { status: declared, headers, body: '' };
      if (isUnit(op.output) || !output || typeof output !== 'object') return response;
      const values = output as Record<string, unknown>;
      const bodyValues: Record<string, unknown> = {};
      let bodyMembers = 0;
      let single: [string, NormalizedSchema] | undefined;
      for (const [name, member] of op.output.structIterator()) {
        const value = values[name];
        const traits = member.getMergedTraits();
        if (typeof traits.httpHeader === 'string') {
          if (value !== undefined && value !== null) headers[traits.httpHeader.toLowerCase()] = toHeader(value);
        } else if (typeof traits.httpPrefixHeaders === 'string') {
          for (const [k, v] of Object.entries((value as Record<string, string> | undefined) ?? {})) headers[`${traits.httpPrefixHeaders.toLowerCase()}${k}`] = v;
        } else if (traits.httpResponseCode) {
          if (typeof value === 'number') response.status = value;
        } else if (traits.httpPayload) {
          if (value === undefined || value === null) continue;
          headers['content-type'] = member.isStringSchema() ? 'application/json' : CONTENT_TYPE;
          response.body = member.isStructSchema() ? writeXml(member, value, options.xmlNamespace) : typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('utf8');
        } else {
          bodyMembers++;
          single = [name, member];
          if (value !== undefined && value !== null) bodyValues[name] = value;
        }
      }
      if (bodyMembers === 0) return response;
      headers['content-type'] = CONTENT_TYPE;
      const root = op.output.getMergedTraits().xmlName;
      if (bodyMembers === 1 && single && single[0] === root) {
        // GetBucketLocation: the root element's text is the value (`<LocationConstraint>eu-west-1</…>`).
        const text = bodyValues[single[0]];
        const ns = ` xmlns="${escapeXml(options.xmlNamespace)}"`;
        response.body = `<?xml version="1.0" encoding="UTF-8"?>\n${text ? `<${root}${ns}>${escapeXml(String(text))}</${root}>` : `<${root}${ns}/>`}`;
        return response;
      }
      response.body = writeXml(op.output, bodyValues, options.xmlNamespace);
      return response;
    },

    encodeError(error: AwsError, requestId: string): WireResponse {
      const fields = error instanceof RestXmlError ? Object.entries(error.fields) : [];
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
        fields.map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('') +
        `<RequestId>${escapeXml(requestId)}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
      return { status: error.status, headers: { ...requestHeaders(requestId), 'content-type': CONTENT_TYPE }, body };
    },
  };
}
