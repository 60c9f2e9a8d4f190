/**
 * The contract between the router and one wire protocol. A protocol turns request bytes into a
 * plain input object (validated against the SDK's input schema), and a handler's plain output
 * object or an AwsError into response bytes. Services never see JSON or XML.
 */
import type { AwsError } from '../errors.js';
import type { OperationShape } from './schema.js';

/** What a protocol needs from the HTTP request. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  /** Parsed form fields for query protocols (body, or the query string of a GET). */
  readonly form?: URLSearchParams;
  /** The client's IP address (CloudTrail's sourceIPAddress). */
  readonly remoteAddress?: string;
}

/** A complete HTTP response. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One wire protocol, configured for one service. */
export interface Protocol {
  readonly kind: 'json' | 'query' | 'ec2' | 'rest-xml';
  decodeInput(op: OperationShape, req: WireRequest): Record<string, unknown>;
  encodeOutput(op: OperationShape, output: unknown, requestId: string): WireResponse;
  encodeError(error: AwsError, requestId: string): WireResponse;
}
