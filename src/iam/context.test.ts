/**
 * Request-side helpers: principal parsing, the keys AWS always sends, context normalisation, and
 * the typed value parsers.
 */
import { describe, expect, it } from 'vitest';
import { normalizeContext, parsePrincipal, principalContext } from './context.js';
import { IamError, InvalidInputError, PolicyError, toIamError } from './errors.js';
import { ipInRange, parseCidr, parseDate, parseIp, parseNumber } from './values.js';

describe('parsePrincipal', () => {
  it.each([
    ['arn:aws:iam::111122223333:user/dev/alice', 'user', 'alice', ['arn:aws:iam::111122223333:user/dev/alice', 'arn:aws:iam::111122223333:root']],
    ['arn:aws:iam::111122223333:role/lab-developer', 'role', 'lab-developer', ['arn:aws:iam::111122223333:role/lab-developer', 'arn:aws:iam::111122223333:root']],
    ['arn:aws:sts::111122223333:assumed-role/lab-developer/alice', 'assumed-role', 'lab-developer', ['arn:aws:sts::111122223333:assumed-role/lab-developer/alice', 'arn:aws:iam::111122223333:role/lab-developer', 'arn:aws:iam::111122223333:root']],
    ['arn:aws:sts::111122223333:federated-user/bob', 'federated-user', 'bob', ['arn:aws:sts::111122223333:federated-user/bob', 'arn:aws:iam::111122223333:root']],
    ['arn:aws:iam::111122223333:root', 'root', '111122223333', ['arn:aws:iam::111122223333:root']],
    ['111122223333', 'root', '111122223333', ['arn:aws:iam::111122223333:root']],
    ['ecs-tasks.amazonaws.com', 'service', 'ecs-tasks.amazonaws.com', ['ecs-tasks.amazonaws.com']],
    ['cognito-identity.amazonaws.com', 'federated', 'cognito-identity.amazonaws.com', ['cognito-identity.amazonaws.com']],
    ['arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', 'federated', 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', ['arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com']],
  ])('%s is a %s named %s', (raw, kind, name, chain) => {
    expect(parsePrincipal(raw)).toMatchObject({ kind, name, chain });
  });
  it('refuses an empty principal', () => {
    expect(() => parsePrincipal('')).toThrow(InvalidInputError);
  });
});

describe('principalContext', () => {
  it('gives an IAM user its name and type', () => {
    expect(principalContext('arn:aws:iam::111122223333:user/alice')).toEqual({
      'aws:PrincipalArn': 'arn:aws:iam::111122223333:user/alice',
      'aws:PrincipalAccount': '111122223333',
      'aws:PrincipalIsAWSService': 'false',
      'aws:PrincipalType': 'User',
      'aws:username': 'alice',
    });
  });
  it('gives a role session its role ARN as aws:PrincipalArn and no aws:username', () => {
    const keys = principalContext('arn:aws:sts::111122223333:assumed-role/lab-developer/alice');
    expect(keys['aws:PrincipalArn']).toBe('arn:aws:iam::111122223333:role/lab-developer');
    expect(keys['aws:PrincipalType']).toBe('AssumedRole');
    expect(keys['aws:username']).toBeUndefined();
  });
  it('marks a service principal', () => {
    expect(principalContext('ecs-tasks.amazonaws.com')).toEqual({ 'aws:PrincipalServiceName': 'ecs-tasks.amazonaws.com', 'aws:PrincipalIsAWSService': 'true' });
  });
});

describe('normalizeContext', () => {
  it('lower-cases keys, stringifies values and wraps scalars of multivalued keys', () => {
    const ctx = normalizeContext({ 'AWS:SecureTransport': true, 'aws:MultiFactorAuthAge': 300, 'aws:TagKeys': 'env' }, { 'aws:securetransport': 'false', 'aws:username': 'x' });
    expect([...ctx.entries()]).toEqual([
      ['aws:securetransport', 'true'],
      ['aws:username', 'x'],
      ['aws:multifactorauthage', '300'],
      ['aws:tagkeys', ['env']],
    ]);
  });
});

describe('value parsers', () => {
  it.each([
    ['2024-01-01T00:00:00Z', Date.UTC(2024, 0, 1)],
    ['2024-01-01T00:00:00', Date.UTC(2024, 0, 1)],
    ['2024-01-01', Date.UTC(2024, 0, 1)],
    ['2024-01-01T01:00:00+01:00', Date.UTC(2024, 0, 1)],
    ['1704067200', Date.UTC(2024, 0, 1)],
    ['January 1 2024', undefined],
    ['', undefined],
  ])('parseDate(%s)', (text, ms) => {
    expect(parseDate(text)).toBe(ms);
  });
  it.each([
    ['10', 10],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['1e3', undefined],
    ['10abc', undefined],
  ])('parseNumber(%s)', (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });
  it.each([
    ['10.0.0.0/8', '10.255.1.2', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['10.0.0.5/24', '10.0.0.200', true],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['10.1.2.3', '10.1.2.3', true],
    ['10.1.2.3', '10.1.2.4', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['::ffff:10.0.0.0/104', '::ffff:10.9.9.9', true],
    ['2001:DB8:1234:5678::/64', '2001:db8:1234:5678:abcd::1', true],
    ['10.0.0.0/8', '2001:db8::1', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    const range = parseCidr(cidr);
    const address = parseIp(ip);
    expect(range && address ? ipInRange(range, address) : undefined).toBe(expected);
  });
  it.each(['10.0.0.256', '10.0.0', '10.0.0.1/33', '2001:db8:::1', '1:2:3:4:5:6:7:8:9', 'x'])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});

describe('toIamError', () => {
  it('keeps IAM errors and wraps anything else with its cause', () => {
    const policyError = new PolicyError('bad', 'Statement[0]');
    expect(toIamError(policyError)).toBe(policyError);
    const wrapped = toIamError(new TypeError('boom'));
    expect(wrapped).toBeInstanceOf(IamError);
    expect(wrapped).toMatchObject({ code: 'InternalError', message: 'boom' });
    expect(wrapped.cause).toBeInstanceOf(TypeError);
    expect(toIamError('text').message).toBe('Unexpected IAM evaluator failure: text');
  });
  it('names errors by their code, as AWS error names are', () => {
    expect(new PolicyError('bad').name).toBe('MalformedPolicyDocument');
    expect(new InvalidInputError('bad').code).toBe('InvalidInput');
  });
});
