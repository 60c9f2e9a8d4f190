/**
 * awsQuery (IAM, STS, Auto Scaling): form-encoded `Action=…&Version=…` requests; XML responses
 * `<OpResponse xmlns=…><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata>`,
 * errors `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import { AwsError } from '../errors.js';
import { FormDecodeError, decodeForm } from './form.js';
import type { OperationShape } from './schema.js';
import { envelope, isUnit, requiredMembers } from './schema.js';
import type { Protocol, WireRequest, WireResponse } from './types.js';
import { escapeXml, writeXml } from './xml.js';

const CONTENT_TYPE = 'text/xml';

/** Options for one awsQuery service. */
export interface QueryProtocolOptions {
  xmlNamespace: string;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** Creates the awsQuery protocol for one service. */
export function queryProtocol(options: QueryProtocolOptions): Protocol {
  const metadata = envelope('ResponseMetadata', [['RequestId', 'string']]);
  return {
    kind: 'query',
    decodeInput(op: OperationShape, req: WireRequest) {
      let input: Record<string, unknown>;
      try {
        input = decodeForm(op.input, req.form ?? new URLSearchParams(), 'query');
      } catch (e) {
        if (e instanceof FormDecodeError) throw new AwsError('ValidationError', e.message);
        throw e;
      }
      for (const name of requiredMembers(op.input)) {
        if (input[name] === undefined) {
          throw new AwsError(
            'ValidationError',
            `1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
          );
        }
      }
      return input;
    },
    encodeOutput(op: OperationShape, output: unknown, requestId: string): WireResponse {
      const members: [string, unknown][] = [];
      const value: Record<string, unknown> = { ResponseMetadata: { RequestId: requestId } };
      if (!isUnit(op.output)) {
        members.push([`${op.name}Result`, op.output]);
        value[`${op.name}Result`] = output ?? {};
      }
      members.push(['ResponseMetadata', metadata]);
      const schema = envelope(`${op.name}Response`, members);
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: writeXml(schema, value, options.xmlNamespace),
      };
    },
    encodeError(error: AwsError, requestId: string): WireResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${escapeXml(options.xmlNamespace)}">` +
        `<Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
        `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
      return { status: error.status, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
    },
  };
}
