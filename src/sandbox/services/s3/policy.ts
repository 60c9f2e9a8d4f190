/**
 * Bucket policy validation as S3 does it at PutBucketPolicy: valid JSON, statements with Effect,
 * Principal, Action and Resource, S3 actions only, and resources inside this bucket. Evaluating a
 * policy (e.g. "may CloudTrail write here?") is the IAM evaluator's job, not this file's.
 */
import { wildcardMatch } from '../shared/glob.js';
import { S3Errors } from './errors.js';

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Whether a Resource (with `*`/`?` wildcards) can name this bucket or objects in it. */
function aboutBucket(resource: string, bucket: string): boolean {
  const arn = `arn:aws:s3:::${bucket}`;
  if (resource === arn || resource.startsWith(`${arn}/`)) return true;
  const wildcard = resource.search(/[*?]/);
  if (wildcard < 0) return false;
  const head = resource.slice(0, wildcard);
  return wildcardMatch(resource, arn) || `${arn}/`.startsWith(head) || head.startsWith(`${arn}/`);
}

/** Returns the policy unchanged when S3 would accept it for `bucket`, else throws MalformedPolicy. */
export function checkBucketPolicy(bucket: string, document: string | undefined): string {
  const text = (document ?? '').trim();
  let parsed: unknown;
  try {
    if (!text.startsWith('{')) throw new Error('not an object');
    parsed = JSON.parse(text);
  } catch {
    throw S3Errors.malformedPolicy('Policies must be valid JSON and the first byte must be \'{\'');
  }
  const statements = list((parsed as { Statement?: unknown }).Statement);
  if (statements.length === 0) throw S3Errors.malformedPolicy('Missing required field Statement');
  for (const raw of statements) {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw S3Errors.malformedPolicy('Statement is not an object');
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw S3Errors.malformedPolicy(`Invalid effect: ${String(s.Effect ?? '')}`);
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw S3Errors.malformedPolicy('Missing required field Principal');
    const actions = list(s.Action ?? s.NotAction);
    if (actions.length === 0) throw S3Errors.malformedPolicy('Missing required field Action');
    for (const action of actions) {
      if (typeof action !== 'string' || !(action === '*' || /^s3:[A-Za-z*?]+$/.test(action))) throw S3Errors.malformedPolicy('Policy has invalid action');
    }
    const resources = list(s.Resource ?? s.NotResource);
    if (resources.length === 0) throw S3Errors.malformedPolicy('Missing required field Resource');
    for (const resource of resources) {
      if (typeof resource !== 'string' || !aboutBucket(resource, bucket)) throw S3Errors.malformedPolicy('Policy has invalid resource');
    }
  }
  return text;
}
