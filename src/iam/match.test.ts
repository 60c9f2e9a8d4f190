/**
 * Action and resource matching: wildcards, case rules, and the per-segment ARN rules of
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
import { describe, expect, it } from 'vitest';
import { normalizeContext } from './context.js';
import { compileAction, compileResource, findActionMatch, globMatch, globOf, matchResource, splitArn, toRequestResource } from './match.js';

describe('globMatch', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['a*c', 'abbbc', true],
    ['a*c', 'ab', false],
    ['a?c', 'abc', true],
    ['a?c', 'ac', false],
    ['*.txt', 'x.txt.txt', true],
    ['a*b*c', 'axbyc', true],
    ['a*b*c', 'axbyd', false],
    ['exact', 'exact', true],
    ['exact', 'Exact', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(globMatch(globOf(pattern), value)).toBe(expected);
  });
  it('lower-cases the pattern for case-insensitive use', () => {
    expect(globMatch(globOf('ECS:Update*', true), 'ecs:updateservice')).toBe(true);
  });
});

describe('actions', () => {
  const action = (raw: string): { raw: string; service: string; name: string } => {
    const [service = '', name = ''] = raw.toLowerCase().split(':');
    return { raw, service, name };
  };
  it.each([
    ['*', 'ecs:UpdateService', true],
    ['ecs:*', 'ecs:UpdateService', true],
    ['ecs:Update*', 'ecs:UpdateService', true],
    ['ecs:*Service', 'ecs:UpdateService', true],
    ['ecs:?pdateService', 'ecs:UpdateService', true],
    ['ECS:updateservice', 'ecs:UpdateService', true],
    ['ecs:UpdateServic', 'ecs:UpdateService', false],
    ['ec2:*', 'ecs:UpdateService', false],
    ['ecs:Update*', 'ecs:UpdateCluster', true],
    ['ecs:Describe*', 'ecs:DeleteService', false],
  ])('%s covers %s: %s', (pattern, request, expected) => {
    expect(findActionMatch([compileAction(pattern)], action(request)) !== undefined).toBe(expected);
  });
});

describe('resources', () => {
  const ctx = normalizeContext({ 'aws:username': 'alice' });
  const matches = (pattern: string, resource: string): string => matchResource(compileResource(pattern, true), toRequestResource(resource), ctx);
  it.each([
    ['*', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'match'],
    ['arn:aws:ecs:us-east-1:111122223333:service/c/s', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'match'],
    ['arn:aws:ecs:*:111122223333:service/*', 'arn:aws:ecs:eu-west-1:111122223333:service/c/s', 'match'],
    ['arn:aws:ecs:us-*:*:service/c/*', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'match'],
    ['arn:aws:ecs:us-east-1:111122223333:service/c/?', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'match'],
    ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/path/to/r', 'match'],
    ['arn:aws:secretsmanager:*:*:secret:lab/db-??????', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:lab/db-AbCdEf', 'match'],
    ['arn:aws:logs:*:*:log-group:/ecs/x:*', 'arn:aws:logs:us-east-1:111122223333:log-group:/ecs/x:log-stream:a', 'match'],
    ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket/a/b.txt', 'match'],
    ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar-logs/file.txt', 'match'],
    ['arn:aws:ecs:*', 'arn:aws:ecs:us-east-1:111122223333:cluster/x', 'match'],
    ['arn:aws:ECS:US-EAST-1:111122223333:cluster/x', 'arn:aws:ecs:us-east-1:111122223333:cluster/x', 'match'],
    ['arn:aws:s3:::bucket/${aws:username}/*', 'arn:aws:s3:::bucket/alice/x', 'match'],
    // A wildcard never crosses the colon between region and account.
    ['arn:aws:ecs:*:service/*', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'nomatch'],
    // The resource part is case-sensitive.
    ['arn:aws:ecs:us-east-1:111122223333:service/C/s', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'nomatch'],
    // The resource type is literal: a wildcard cannot stand for it.
    ['arn:aws:ecs:us-east-1:111122223333:*/c/s', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'nomatch'],
    ['arn:aws:ecs:us-east-1:111122223333:cluster/*', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'nomatch'],
    ['arn:aws:ecs:us-east-1:444455556666:service/*', 'arn:aws:ecs:us-east-1:111122223333:service/c/s', 'nomatch'],
    ['arn:aws:ecs:us-east-1:111122223333:service/c/s', '*', 'nomatch'],
    ['arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*', 'arn:aws:s3:::bucket/alice/x', 'unresolved'],
  ])('%s vs %s: %s', (pattern, resource, expected) => {
    expect(matches(pattern, resource)).toBe(expected);
  });
});

describe('splitArn', () => {
  it('keeps colons inside the resource part', () => {
    expect(splitArn('arn:aws:logs:us-east-1:1:log-group:/x:*')).toEqual({ partition: 'aws', service: 'logs', region: 'us-east-1', account: '1', resource: 'log-group:/x:*' });
  });
  it('rejects strings that are not ARNs', () => {
    expect(splitArn('topic')).toBeUndefined();
    expect(splitArn('arn:aws:sns:us-east-1')).toBeUndefined();
  });
});
