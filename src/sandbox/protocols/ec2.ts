/**
 * ec2Query (EC2): form-encoded requests with flat `Name.N` lists; XML responses with no Result
 * wrapper, a lowercase `<requestId>`, `<item>` list members; errors
 * `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */
import { AwsError } from '../errors.js';
import { FormDecodeError, decodeForm } from './form.js';
import type { OperationShape } from './schema.js';
import { envelope, isUnit, requiredMembers } from './schema.js';
import type { Protocol, WireRequest, WireResponse } from './types.js';
import { escapeXml, writeXml } from './xml.js';

const CONTENT_TYPE = 'text/xml;charset=UTF-8';
/** Responses carry the trailing slash that the model's namespace lacks; SDK v3 and the CLI accept it. */
const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

function capitalize(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** Creates the ec2Query protocol. */
export function ec2Protocol(): Protocol {
  return {
    kind: 'ec2',
    decodeInput(op: OperationShape, req: WireRequest) {
      let input: Record<string, unknown>;
      try {
        input = decodeForm(op.input, req.form ?? new URLSearchParams(), 'ec2');
      } catch (e) {
        if (e instanceof FormDecodeError) throw new AwsError('InvalidParameterValue', e.message);
        throw e;
      }
      for (const name of requiredMembers(op.input)) {
        if (input[name] === undefined) {
          throw new AwsError('MissingParameter', `The request must contain the parameter ${capitalize(name)}`);
        }
      }
      if (input.DryRun === true) {
        throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
      }
      return input;
    },
    encodeOutput(op: OperationShape, output: unknown, requestId: string): WireResponse {
      const schema = envelope(`${op.name}Response`, [['requestId', 'string']], isUnit(op.output) ? undefined : op.output);
      const value = { ...(output && typeof output === 'object' ? output : {}), requestId };
      return {
        status: 200,
        headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId },
        body: writeXml(schema, value, XMLNS),
      };
    },
    encodeError(error: AwsError, requestId: string): WireResponse {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${escapeXml(requestId)}</RequestID></Response>`;
      return { status: error.status, headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
    },
  };
}
