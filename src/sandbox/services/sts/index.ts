/**
 * AWS STS (awsQuery, Version 2011-06-15). AssumeRole evaluates the role's trust policy with the
 * project's IAM evaluator, issues `ASIA<account><4 chars>` keys (see `sessions.ts`) and keeps the
 * session policies with the session; the sandbox then acts as `assumed-role/<role>/<session>` in
 * the role's account, authorised against the role's policies (`authz.ts`). GetSessionToken
 * issues the same kind of keys to long-term keys; they act as their caller (the account root).
 */
import type * as sdk from '@aws-sdk/client-sts';
import { assertPolicyKind, evaluateTrust, parsePolicy } from '../../../iam/index.js';
import type { ContextValue } from '../../../iam/index.js';
import { isRoot } from '../../auth.js';
import type { StoredAuthzMessage } from '../../authz-messages.js';
import { AUTHZ_MESSAGE_LOG, findDecoded } from '../../authz-messages.js';
import { AwsError } from '../../errors.js';
import { queryProtocol } from '../../protocols/query.js';
import { asDictionaries, own } from '../dictionary.js';
import type { HandlerMap, RequestContext, ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import { lazySdk } from '../lazy-sdk.js';
import type { IamState, RoleRecord } from '../iam/state.js';
import type { IssuedSession, SessionBase, StsState } from './sessions.js';
import { hashToken, newSessionKey, pruneSessions, randomToken, SESSION_KEY } from './sessions.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]+)$/;
const MAX_PACKED_POLICY = 2048;
/** Role chaining (a session assuming a role) caps the new session at one hour. */
const CHAINED_MAX = 3600;
/** GetSessionToken: 900 s to 36 h, 12 h by default; the account root's sessions last an hour at most. */
const TOKEN_MIN = 900;
const TOKEN_MAX = 129600;
const TOKEN_DEFAULT = 43200;
const ROOT_TOKEN_MAX = 3600;

function validation(member: string, value: unknown, constraint: string): AwsError {
  return new AwsError('ValidationError', `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
}

function denied(ctx: RequestContext, roleArn: string): AwsError {
  return new AwsError('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
}

/** `value` within `min..max`, or the ValidationError AWS answers for `member`. */
function bounded(member: string, value: number, min: number, max: number): number {
  if (value < min) throw validation(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validation(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}

/** The session duration AWS would grant, or the ValidationError it answers. */
function duration(requested: number | undefined, role: RoleRecord, chained: boolean): number {
  if (requested !== undefined) {
    bounded('durationSeconds', requested, 900, 43200);
    if (chained && requested > CHAINED_MAX) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (requested > role.maxSessionDuration) throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    return requested;
  }
  return Math.min(3600, role.maxSessionDuration);
}

/** The inline session policy, checked as AWS does (valid JSON policy, packed size). */
function sessionPolicy(policy: string | undefined): string | undefined {
  if (policy === undefined) return undefined;
  let packed: string;
  try {
    const parsed = parsePolicy(policy);
    assertPolicyKind(parsed, 'session');
    packed = JSON.stringify(parsed.document);
  } catch (err) {
    throw new AwsError('MalformedPolicyDocument', err instanceof Error ? err.message : 'The policy is not valid.', 400);
  }
  if (packed.length > MAX_PACKED_POLICY) {
    throw new AwsError('PackedPolicyTooLarge', 'Packed size of the policy exceeds the allowed limit.', 400);
  }
  return policy;
}

/**
 * Issues credentials valid for `seconds` and stores their session in `account`'s STS state; the
 * secret and the token go to the caller only (the session keeps a hash of the token).
 */
function issueSession(ctx: RequestContext, account: string, seconds: number, session: (base: SessionBase) => IssuedSession): sdk.Credentials {
  const sts = asDictionaries(ctx.stateOf<StsState>(account, 'sts', () => ({ sessions: {} }), 'global'), ['sessions']);
  pruneSessions(sts, ctx.now);
  const accessKeyId = newSessionKey(account, sts.sessions);
  const secret = randomToken(40);
  const token = `IQoJb3JpZ2luX2Vj${randomToken(240)}`;
  const expiration = new Date(ctx.now.getTime() + seconds * 1000);
  sts.sessions[accessKeyId] = session({ account, issued: ctx.now, expiration, secret, tokenHash: hashToken(token) });
  return { AccessKeyId: accessKeyId, SecretAccessKey: secret, SessionToken: token, Expiration: expiration };
}

const handlers: HandlerMap<sdk.STS> = {
  GetCallerIdentity(_input, ctx) {
    return { Account: ctx.account, Arn: ctx.principal.arn, UserId: ctx.principal.userId };
  },

  DecodeAuthorizationMessage(input, ctx) {
    const decoded = findDecoded(ctx.log<StoredAuthzMessage>(AUTHZ_MESSAGE_LOG), input.EncodedMessage ?? '');
    if (decoded === undefined) throw new AwsError('InvalidAuthorizationMessageException', 'The encoded authorization message is not valid for this account.', 400);
    return { DecodedMessage: decoded };
  },

  AssumeRole(input, ctx) {
    const roleArn = input.RoleArn ?? '';
    const m = ROLE_ARN.exec(roleArn);
    if (!m) throw new AwsError('ValidationError', `${roleArn} is invalid`);
    const [, account, roleName] = m as unknown as [string, string, string];
    const sessionName = input.RoleSessionName ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw validation('roleSessionName', sessionName, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
    // The role lives in the target account, which may not be the caller's.
    const iam = asDictionaries(ctx.stateOf<IamState>(account, 'iam', () => ({ roles: {}, policies: {}, instanceProfiles: {} }), 'global'), ['roles']);
    const role = own(iam.roles, roleName);
    // AWS does not say whether the role exists: a missing role and an untrusting one look alike.
    if (!role || role.arn !== roleArn) throw denied(ctx, roleArn);
    const chained = /^arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role\//.test(ctx.principal.arn);
    const seconds = duration(input.DurationSeconds, role, chained);
    const tags: Record<string, string> = {};
    for (const t of input.Tags ?? []) if (t.Key) tags[t.Key] = t.Value ?? '';
    const context: Record<string, ContextValue> = { 'sts:RoleSessionName': sessionName, 'aws:CurrentTime': ctx.now.toISOString(), 'aws:EpochTime': String(Math.floor(ctx.now.getTime() / 1000)) };
    if (input.ExternalId !== undefined) context['sts:ExternalId'] = input.ExternalId;
    if (input.SourceIdentity !== undefined) context['sts:SourceIdentity'] = input.SourceIdentity;
    for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
    if (input.Tags?.length) context['aws:TagKeys'] = Object.keys(tags);
    let trusted: boolean;
    try {
      trusted = evaluateTrust(role.assumeRolePolicyDocument, { principal: ctx.principal.arn, principalType: 'AWS', action: 'sts:AssumeRole', roleArn, context }).decision === 'allowed';
    } catch {
      trusted = false; // a trust policy the evaluator cannot read trusts nobody
    }
    if (!trusted) throw denied(ctx, roleArn);

    const policy = sessionPolicy(input.Policy);
    const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${sessionName}`;
    const credentials = issueSession(ctx, account, seconds, (base) => ({
      ...base,
      roleName,
      roleId: role.roleId,
      roleArn,
      sessionName,
      arn,
      ...(policy !== undefined ? { policy } : {}),
      ...(input.PolicyArns?.length ? { policyArns: input.PolicyArns.map((p) => p.arn ?? '').filter(Boolean) } : {}),
      ...(input.SourceIdentity !== undefined ? { sourceIdentity: input.SourceIdentity } : {}),
      ...(input.Tags?.length ? { tags } : {}),
    }));
    return {
      Credentials: credentials,
      AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${sessionName}`, Arn: arn },
      PackedPolicySize: policy || input.PolicyArns?.length ? Math.min(100, Math.ceil(((policy?.length ?? 0) + 64 * (input.PolicyArns?.length ?? 0)) / 20)) : undefined,
      SourceIdentity: input.SourceIdentity,
    };
  },

  GetSessionToken(input, ctx) {
    const requested = input.DurationSeconds === undefined ? TOKEN_DEFAULT : bounded('durationSeconds', input.DurationSeconds, TOKEN_MIN, TOKEN_MAX);
    // Only long-term keys may call it; AWS answers this for AssumeRole and GetSessionToken keys alike.
    if (SESSION_KEY.test(ctx.principal.accessKeyId)) throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
    // SerialNumber and TokenCode (MFA) are accepted and ignored: the sandbox has no MFA devices,
    // and the session acts as the root, whose requests no policy evaluates.
    const seconds = isRoot(ctx.principal) ? Math.min(requested, ROOT_TOKEN_MAX) : requested;
    const { arn, userId } = ctx.principal;
    return { Credentials: issueSession(ctx, ctx.account, seconds, (base) => ({ ...base, kind: 'session-token', arn, userId })) };
  },
};

export const stsService: ServiceModule = {
  name: 'sts',
  signingName: 'sts',
  eventSource: 'sts.amazonaws.com',
  protocol: queryProtocol({ xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' }),
  apiVersion: '2011-06-15',
  global: true,
  sdk: lazySdk('@aws-sdk/client-sts', () => import('@aws-sdk/client-sts')),
  handlers: eraseHandlers<sdk.STS>(handlers),
};
