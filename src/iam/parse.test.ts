/**
 * Parsing and validation: every malformed document is refused with a MalformedPolicyDocument error
 * that says why; valid variants parse; parsed policies are cached.
 */
import { describe, expect, it } from 'vitest';
import { PolicyError } from './errors.js';
import { assertPolicyKind, parsePolicy } from './parse.js';

const stmt = (extra: Record<string, unknown>): string => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }] });

function errorOf(document: string | object): PolicyError {
  try {
    parsePolicy(document);
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a PolicyError');
}

describe('parsePolicy refuses malformed documents with the reason', () => {
  it.each([
    ['bad JSON', '{"Statement": [', /^The policy is not valid JSON: /],
    ['a JSON array', '[]', /must be a JSON object/],
    ['a JSON string', '"policy"', /must be a JSON object/],
    ['an unknown top-level element', '{"Version":"2012-10-17","Statements":[]}', /unknown element 'Statements'/],
    ['an unknown Version', '{"Version":"2012-10-18","Statement":[]}', /Version "2012-10-18" is not "2012-10-17" or "2008-10-17"/],
    ['no Statement', '{"Version":"2012-10-17"}', /has no Statement element/],
    ['an empty Statement list', '{"Version":"2012-10-17","Statement":[]}', /Statement list is empty/],
    ['a statement that is not an object', '{"Statement":["Allow"]}', /Statement 1 must be an object/],
    ['an unknown statement element', stmt({ Actions: 's3:*' }), /Statement 1 has the unknown element 'Actions'/],
    ['missing Effect', '{"Statement":[{"Action":"s3:*","Resource":"*"}]}', /Statement 1 has no Effect/],
    ['a lower-case Effect', stmt({ Effect: 'allow' }), /Effect "allow"; it must be exactly "Allow" or "Deny"/],
    ['Action and NotAction together', stmt({ NotAction: 's3:PutObject' }), /Statement 1 has both Action and NotAction/],
    ['neither Action nor NotAction', '{"Statement":[{"Effect":"Allow","Resource":"*"}]}', /neither Action nor NotAction/],
    ['Resource and NotResource together', stmt({ NotResource: '*' }), /both Resource and NotResource/],
    ['Principal and NotPrincipal together', stmt({ Principal: '*', NotPrincipal: '*' }), /both Principal and NotPrincipal/],
    ['an action without a service', stmt({ Action: 'GetObject' }), /'GetObject', which is not '\*' or 'service:Action'/],
    ['an action with a space', stmt({ Action: 's3:Get Object' }), /'s3:Get Object'/],
    ['an empty action list', stmt({ Action: [] }), /Action is an empty list/],
    ['a resource that is not an ARN', stmt({ Resource: 'my-bucket' }), /'my-bucket', which is not '\*' or an ARN/],
    ['a resource that is not a string', stmt({ Resource: 42 }), /must be a string or a list of strings, not 42/],
    ['a condition that is not an object', stmt({ Condition: ['StringEquals'] }), /Condition must be an object/],
    ['an unknown operator', stmt({ Condition: { StringEqualz: { 'aws:username': 'a' } } }), /'StringEqualz' is not a known condition operator/],
    ['an unknown set operator', stmt({ Condition: { 'ForSomeValues:StringEquals': { 'aws:TagKeys': 'a' } } }), /'ForSomeValues' is not a set operator/],
    ['IfExists on Null', stmt({ Condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } } }), /IfExists cannot be added to the Null operator/],
    ['an operator block that is not an object', stmt({ Condition: { StringEquals: 'x' } }), /StringEquals must map condition keys to values/],
    ['an empty operator block', stmt({ Condition: { StringEquals: {} } }), /StringEquals has no condition key/],
    ['a condition key without a prefix', stmt({ Condition: { StringEquals: { username: 'a' } } }), /'username', which is not a condition key/],
    ['an empty list of condition values', stmt({ Condition: { StringEquals: { 'aws:username': [] } } }), /aws:username is an empty list/],
    ['an object as condition value', stmt({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), /must be a string or a list of strings/],
    ['an unknown principal type', stmt({ Principal: { User: 'x' } }), /principal types are AWS, Service, Federated and CanonicalUser/],
    ['an AWS principal that is no account or ARN', stmt({ Principal: { AWS: 'bob' } }), /'bob', which is not "\*", an account id or an ARN/],
    ['a duplicate Sid', JSON.stringify({ Statement: [{ Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }] }), /Statement 2 \(A\) repeats the Sid 'A'/],
    ['a non-string Sid', stmt({ Sid: 1 }), /Sid that is not a string/],
    ['text that is neither JSON nor URL-encoded JSON', '%E0%A4%A', /neither JSON nor URL-encoded JSON/],
  ])('%s', (_name, document, message) => {
    const err = errorOf(document);
    expect(err.code).toBe('MalformedPolicyDocument');
    expect(err.message).toMatch(message);
    expect(err.message.endsWith('.')).toBe(true);
  });

  it('points at the offending element', () => {
    expect(errorOf(stmt({ Condition: { StringEqualz: { 'aws:username': 'a' } } })).path).toBe('Statement[0].Condition.StringEqualz');
  });
});

describe('parsePolicy accepts', () => {
  it('URL-encoded JSON as IAM returns it', () => {
    const encoded = encodeURIComponent(stmt({}));
    expect(parsePolicy(encoded).statements).toHaveLength(1);
  });
  it('a single statement object, no Version, and the old Version without variables', () => {
    expect(parsePolicy({ Statement: { Effect: 'Deny', Action: '*', Resource: '*' } }).statements[0]?.effect).toBe('Deny');
    expect(parsePolicy({ Version: '2008-10-17', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }).variables).toBe(false);
  });
  it('numbers and booleans as condition values', () => {
    const p = parsePolicy(stmt({ Condition: { NumericLessThan: { 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true } } }));
    expect(p.statements[0]?.conditions.map((c) => c.values)).toEqual([['10'], ['true']]);
  });
  it('a short ARN with a wildcard', () => {
    expect(parsePolicy(stmt({ Resource: 'arn:aws:ec2:*' })).statements[0]?.resources[0]?.raw).toBe('arn:aws:ec2:*');
  });
  it('account ids in Principal, read as the account root', () => {
    expect(parsePolicy(stmt({ Principal: { AWS: ['111122223333'] } })).statements[0]?.principals?.aws).toEqual(['arn:aws:iam::111122223333:root']);
  });
});

describe('parse cache', () => {
  it('returns the same parsed policy for the same text and object', () => {
    const text = stmt({ Sid: 'Cached' });
    expect(parsePolicy(text)).toBe(parsePolicy(text));
    const object = { Statement: { Effect: 'Allow', Action: '*', Resource: '*' } };
    expect(parsePolicy(object)).toBe(parsePolicy(object));
  });
  it('remembers failures too', () => {
    const text = '{"Statement": [{"Effect": "Maybe"}]}';
    expect(errorOf(text)).toBe(errorOf(text));
  });
});

describe('assertPolicyKind', () => {
  it('refuses a principal in an identity-based policy and a missing Resource', () => {
    expect(() => assertPolicyKind(parsePolicy(stmt({ Principal: '*' })), 'identity', 'p')).toThrow('Policy p: Statement 1 has Principal, but an identity-based policy must not name a principal.');
    expect(() => assertPolicyKind(parsePolicy({ Statement: { Effect: 'Allow', Action: '*' } }), 'permissionsBoundary')).toThrow(/neither Resource nor NotResource/);
  });
  it('requires a principal in a resource policy', () => {
    expect(() => assertPolicyKind(parsePolicy(stmt({})), 'resource')).toThrow(/neither Principal nor NotPrincipal, which a resource policy requires/);
    expect(() => assertPolicyKind(parsePolicy(stmt({ Principal: '*' })), 'resource')).not.toThrow();
  });
});
