/**
 * Condition operators, one table per family, from
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * Each row: condition block, request context, whether the Allow applies.
 */
import { describe, expect, it } from 'vitest';
import { check, conditionDecision, policy } from '../../test/iam/helpers.js';
import type { ContextValue } from './types.js';

type Row = [string, Record<string, unknown>, Record<string, ContextValue>, boolean];

function table(rows: Row[]): void {
  it.each(rows)('%s', (_name, condition, context, expected) => {
    expect(conditionDecision(condition, context)).toBe(expected);
  });
}

describe('string operators', () => {
  table([
    ['StringEquals is case-sensitive (johndoe vs JohnDoe)', { StringEquals: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' }, false],
    ['StringEquals matches exactly', { StringEquals: { 'aws:username': 'johndoe' } }, { 'aws:username': 'johndoe' }, true],
    ['StringEqualsIgnoreCase ignores case', { StringEqualsIgnoreCase: { 'aws:username': 'johndoe' } }, { 'aws:username': 'JohnDoe' }, true],
    ['StringEquals treats * literally', { StringEquals: { 'aws:username': 'john*' } }, { 'aws:username': 'johndoe' }, false],
    ['StringLike expands *', { StringLike: { 'aws:username': 'john*' } }, { 'aws:username': 'johndoe' }, true],
    ['StringLike expands ? to exactly one character', { StringLike: { 'aws:username': 'j?hn' } }, { 'aws:username': 'jhn' }, false],
    ['StringLike is case-sensitive', { StringLike: { 'aws:username': 'JOHN*' } }, { 'aws:username': 'johndoe' }, false],
    ['several values are ORed', { StringEquals: { 'aws:username': ['ann', 'johndoe'] } }, { 'aws:username': 'johndoe' }, true],
    ['StringNotEquals is true when no value equals', { StringNotEquals: { 'aws:username': ['ann', 'bob'] } }, { 'aws:username': 'johndoe' }, true],
    ['StringNotEquals is false when one value equals', { StringNotEquals: { 'aws:username': ['ann', 'johndoe'] } }, { 'aws:username': 'johndoe' }, false],
    ['StringNotEqualsIgnoreCase ignores case', { StringNotEqualsIgnoreCase: { 'aws:username': 'JOHNDOE' } }, { 'aws:username': 'johndoe' }, false],
    ['StringNotLike with a wildcard', { StringNotLike: { 'aws:username': 'adm*' } }, { 'aws:username': 'johndoe' }, true],
    ['several keys under one operator are ANDed', { StringEquals: { 'aws:username': 'johndoe', 'aws:PrincipalTag/team': 'auth' } }, { 'aws:username': 'johndoe', 'aws:PrincipalTag/team': 'orders' }, false],
    ['several operators are ANDed', { StringEquals: { 'aws:username': 'johndoe' }, Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:username': 'johndoe', 'aws:SecureTransport': 'false' }, false],
  ]);
});

describe('missing keys (the "key is absent" rule)', () => {
  table([
    ['a positive operator is false', { StringEquals: { 'aws:ResourceTag/env': 'dev' } }, {}, false],
    ['StringNotLike is true', { StringNotLike: { 'aws:ResourceTag/env': 'prod' } }, {}, true],
    ['ArnNotLike is true', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, {}, true],
    ['NotIpAddress is true', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, {}, true],
    ['NumericNotEquals is true', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '0' } }, {}, true],
    ['StringEqualsIfExists is true', { StringEqualsIfExists: { 'aws:ResourceTag/env': 'dev' } }, {}, true],
    ['StringEqualsIfExists still checks a present key', { StringEqualsIfExists: { 'aws:ResourceTag/env': 'dev' } }, { 'aws:ResourceTag/env': 'prod' }, false],
    ['BoolIfExists is true', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'true' } }, {}, true],
    ['ForAllValues is true', { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'env' } }, {}, true],
    ['ForAnyValue is false', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, {}, false],
    ['ForAnyValue with a negated operator is false', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } }, {}, false],
    // Intentional difference from the oracle: IfExists applies under ForAnyValue too (Conditions_IfExists).
    ['ForAnyValue:...IfExists is true', { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'env' } }, {}, true],
  ]);
});

describe('condition key names are case-insensitive, values follow the operator', () => {
  table([
    ['AWS:SourceIp equals aws:sourceip', { IpAddress: { 'AWS:SourceIp': '203.0.113.0/24' } }, { 'aws:sourceip': '203.0.113.7' }, true],
    ['a tag key matches in any case', { StringEquals: { 'aws:ResourceTag/TagKey1': 'Value1' } }, { 'aws:resourcetag/tagkey1': 'Value1' }, true],
    ['a tag value is case-sensitive', { StringEquals: { 'aws:ResourceTag/TagKey1': 'Value1' } }, { 'aws:ResourceTag/TagKey1': 'value1' }, false],
  ]);
});

describe('numeric, date, bool, binary and IP operators', () => {
  table([
    ['NumericLessThanEquals 10 with 10', { NumericLessThanEquals: { 's3:max-keys': '10' } }, { 's3:max-keys': '10' }, true],
    ['NumericLessThan 10 with 10', { NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': 10 }, false],
    ['NumericGreaterThan with decimals', { NumericGreaterThan: { 'aws:MultiFactorAuthAge': '3600.5' } }, { 'aws:MultiFactorAuthAge': '3601' }, true],
    ['NumericEquals with a non-number request value', { NumericEquals: { 'aws:MultiFactorAuthAge': '0' } }, { 'aws:MultiFactorAuthAge': 'zero' }, false],
    ['NumericNotEquals with a non-number request value is still false', { NumericNotEquals: { 'aws:MultiFactorAuthAge': '0' } }, { 'aws:MultiFactorAuthAge': 'zero' }, false],
    ['DateGreaterThan on TokenIssueTime (documented example)', { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } }, { 'aws:TokenIssueTime': '2020-06-01T00:00:00Z' }, true],
    ['DateLessThan with a date-only value', { DateLessThan: { 'aws:CurrentTime': '2024-01-01' } }, { 'aws:CurrentTime': '2023-12-31T23:59:59Z' }, true],
    ['DateEquals across time zones', { DateEquals: { 'aws:CurrentTime': '2024-01-01T01:00:00+01:00' } }, { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }, true],
    // Intentional difference from the oracle: epoch values are seconds and compare with ISO dates (Conditions_Date).
    ['epoch seconds compare with ISO 8601', { DateEquals: { 'aws:CurrentTime': '1704067200' } }, { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }, true],
    ['DateGreaterThanEquals on EpochTime', { DateGreaterThanEquals: { 'aws:EpochTime': '1704067200' } }, { 'aws:EpochTime': '1704067199' }, false],
    ['Bool compares case-insensitively', { Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'FALSE' }, true],
    ['Bool takes a JSON boolean', { Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': true }, true],
    ['Bool with a request value that is not a boolean', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'yes' }, false],
    ['BinaryEquals compares the base-64 text', { BinaryEquals: { 'ex:key': 'QmluYXJ5' } }, { 'ex:key': 'QmluYXJ5' }, true],
    ['IpAddress range (documented example)', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.255' }, true],
    ['IpAddress outside the range', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.114.1' }, false],
    ['IpAddress mixes IPv4 and IPv6 ranges (documented example)', { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } }, { 'aws:SourceIp': '2001:db8:1234:5678::9' }, true],
    // Intentional differences from the oracle (Conditions_IPAddress): /0 is everything; a bare address is /32.
    ['0.0.0.0/0 contains every IPv4 address', { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, { 'aws:SourceIp': '8.8.8.8' }, true],
    ['a bare address means /32', { IpAddress: { 'aws:SourceIp': '10.1.2.3' } }, { 'aws:SourceIp': '10.1.2.3' }, true],
    ['NotIpAddress with a bare IPv4 address is true for an IPv6 caller', { NotIpAddress: { 'aws:SourceIp': '10.1.2.3' } }, { 'aws:SourceIp': '2001:db8::1' }, true],
    ['NotIpAddress with an invalid request address is false', { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': 'not-an-ip' }, false],
  ]);
});

describe('ARN operators compare the six fields separately', () => {
  table([
    ['ArnLike does not let * cross a colon (documented example)', { ArnLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } }, { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' }, false],
    ['StringLike lets * cross colons (documented example)', { StringLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } }, { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' }, true],
    ['ArnEquals accepts wildcards like ArnLike', { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:topic-?' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic-a' }, true],
    ['ArnLike is case-sensitive', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:Topic' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' }, false],
    ['ArnNotEquals when the ARN differs', { ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } }, { 'aws:SourceArn': 'arn:aws:sns:us-east-1:444455556666:t' }, true],
    ['ArnLike with a request value that is not an ARN', { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, { 'aws:SourceArn': 'topic' }, false],
    ['ArnNotLike with a request value that is not an ARN is false', { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, { 'aws:SourceArn': 'topic' }, false],
  ]);
});

describe('Null', () => {
  table([
    ['Null true when the key is absent (documented example)', { Null: { 'aws:TokenIssueTime': 'true' } }, {}, true],
    ['Null true when the key is present', { Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, false],
    ['Null false when the key is present', { Null: { 'aws:TagKeys': false } }, { 'aws:TagKeys': ['a'] }, true],
    ['Null false when the key is absent', { Null: { 'aws:TagKeys': 'false' } }, {}, false],
  ]);
});

describe('multivalued keys and set operators (documented DynamoDB examples)', () => {
  const allowed = { 'ForAllValues:StringLike': { 'dynamodb:Attributes': ['PostDateTime', 'Message', 'Tags'] } };
  const forbidden = { 'ForAnyValue:StringLike': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } };
  table([
    ['ForAllValues: every requested attribute is allowed', allowed, { 'dynamodb:Attributes': ['PostDateTime', 'Message'] }, true],
    ['ForAllValues: UserName is not allowed', allowed, { 'dynamodb:Attributes': ['PostDateTime', 'UserName'] }, false],
    ['ForAnyValue: PostDateTime is among the forbidden', forbidden, { 'dynamodb:Attributes': ['UserName', 'Message', 'PostDateTime'] }, true],
    ['ForAnyValue: UserName alone is not', forbidden, { 'dynamodb:Attributes': ['UserName'] }, false],
    ['ForAllValues with an empty set is true', allowed, { 'dynamodb:Attributes': [] }, true],
    // Intentional difference from the oracle: an empty string is an empty data set.
    ['ForAllValues with an empty string is true', allowed, { 'dynamodb:Attributes': [''] }, true],
    ['ForAnyValue with an empty string is false', forbidden, { 'dynamodb:Attributes': '' }, false],
    ['ForAllValues:StringNotEquals excludes every listed value', { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['owner'] } }, { 'aws:TagKeys': ['env', 'team'] }, true],
    ['ForAnyValue:StringNotEquals needs one unlisted value', { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, { 'aws:TagKeys': ['env'] }, false],
    ['a single-valued operator never matches a multivalued key', { StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env'] }, false],
    ['a scalar aws:TagKeys is read as a one-element set', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': 'env' }, true],
    ['a set operator on a single-valued key treats it as one value', { 'ForAnyValue:StringEquals': { 'aws:ResourceTag/env': ['dev', 'test'] } }, { 'aws:ResourceTag/env': 'dev' }, true],
  ]);
});

describe('the IfExists example from the documentation (ec2:InstanceType)', () => {
  const doc = policy({ Sid: 'RunInstance', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } } });
  it('allows resources without the key and matching instance types, not others', () => {
    expect(check([doc], { action: 'ec2:RunInstances', resource: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-1' }).decision).toBe('allowed');
    expect(check([doc], { action: 'ec2:RunInstances', context: { 'ec2:InstanceType': 't2.micro' } }).decision).toBe('allowed');
    expect(check([doc], { action: 'ec2:RunInstances', context: { 'ec2:InstanceType': 'm5.large' } }).decision).toBe('implicitDeny');
  });
  it('a Deny with StringNotEqualsIfExists still denies when the tag is missing', () => {
    const denyDoc = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringNotEqualsIfExists: { 'aws:ResourceTag/env': 'dev' } } });
    expect(check([denyDoc], { action: 'ecs:ListClusters' }).decision).toBe('explicitDeny');
  });
});

describe('condition explanations', () => {
  const explain = (condition: Record<string, unknown>, context: Record<string, ContextValue>): string => {
    const doc = policy({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: condition });
    return check([doc], { action: 'ecs:ListClusters', context }, { autoContext: false }).statements[0]?.conditions[0]?.text ?? '';
  };
  it.each([
    [{ StringEquals: { 'aws:ResourceTag/env': 'dev' } }, { 'aws:ResourceTag/env': 'dev' }, "aws:ResourceTag/env is 'dev', which StringEquals 'dev'"],
    [{ StringEquals: { 'aws:ResourceTag/env': ['dev', 'test'] } }, { 'aws:ResourceTag/env': 'prod' }, "aws:ResourceTag/env is 'prod', which does not satisfy StringEquals any of 'dev', 'test'"],
    [{ StringNotEquals: { 'aws:ResourceTag/env': 'prod' } }, { 'aws:ResourceTag/env': 'prod' }, "aws:ResourceTag/env is 'prod', which does not satisfy StringNotEquals because it equals 'prod'"],
    [{ StringNotEquals: { 'aws:ResourceTag/env': 'prod' } }, {}, 'aws:ResourceTag/env is not in the request, so StringNotEquals matches (a negated operator matches when the key is missing)'],
    [{ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }, "aws:TokenIssueTime is present, but Null 'true' requires it to be absent"],
    [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }, { 'aws:TagKeys': ['env', 'owner'] }, "aws:TagKeys is ['env', 'owner'], which does not satisfy ForAllValues:StringEquals any of 'env', 'team'; 'owner' does not"],
    [{ StringEquals: { 'aws:TagKeys': 'env' } }, { 'aws:TagKeys': ['env'] }, "aws:TagKeys has several values ['env'], and StringEquals without ForAnyValue or ForAllValues does not match a multivalued key"],
    [{ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }, { 'aws:MultiFactorAuthAge': 'soon' }, "aws:MultiFactorAuthAge is 'soon', which does not satisfy NumericLessThan '3600' (the request value 'soon' is not a number)"],
    [{ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { 'aws:ResourceTag/team': 'auth', 'aws:PrincipalTag/team': 'auth' }, "aws:ResourceTag/team is 'auth', which StringEquals '${aws:PrincipalTag/team}'"],
  ])('%j with %j', (condition, context, text) => {
    expect(explain(condition, context)).toBe(text);
  });

  it('records the substituted value of a policy variable', () => {
    const doc = policy({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } });
    const c = check([doc], { action: 'ecs:ListClusters', context: { 'aws:ResourceTag/team': 'orders', 'aws:PrincipalTag/team': 'auth' } }).statements[0]?.conditions[0];
    expect(c).toMatchObject({ resolvedValues: ['auth'], matched: false, requestValue: 'orders' });
    expect(c?.text).toBe("aws:ResourceTag/team is 'orders', which does not satisfy StringEquals '${aws:PrincipalTag/team}' ('auth' after substitution)");
  });
});
