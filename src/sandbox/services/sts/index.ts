/**
 * AWS STS (awsQuery, Version 2011-06-15). AssumeRole issues `ASIA<account><4 chars>` keys: the
 * account is readable from the key, so the router finds the session (stored with that account's
 * state, hence persisted) and acts as `assumed-role/<role>/<session>` in the role's account.
 */
import { randomBytes } from 'node:crypto';
import * as sdk from '@aws-sdk/client-sts';
import { AwsError } from '../../errors.js';
import { queryProtocol } from '../../protocols/query.js';
import type { SandboxStore } from '../../store.js';
import type { HandlerMap, Principal, ServiceModule } from '../types.js';
import { eraseHandlers } from '../types.js';
import type { IamState } from '../iam/state.js';

/** One issued session. */
interface Session {
  account: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  arn: string;
  expiration: Date;
}

interface StsState {
  sessions: Record<string, Session>;
}

const SESSION_KEY = /^ASIA([0-9]{12})[A-Z0-9]{4}$/;

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64').replace(/[+/=]/g, '').slice(0, bytes);
}

const handlers: HandlerMap<sdk.STS> = {
  GetCallerIdentity(_input, ctx) {
    return { Account: ctx.account, Arn: ctx.principal.arn, UserId: ctx.principal.userId };
  },

  AssumeRole(input, ctx) {
    const m = /^arn:aws[a-z-]*:iam::([0-9]{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(input.RoleArn ?? '');
    if (!m) throw new AwsError('ValidationError', `${input.RoleArn ?? ''} is invalid`);
    const [, account, roleName] = m as unknown as [string, string, string];
    const session = input.RoleSessionName ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) throw new AwsError('ValidationError', 'RoleSessionName is invalid.');
    const duration = input.DurationSeconds ?? 3600;
    if (duration < 900 || duration > 43200) throw new AwsError('ValidationError', 'DurationSeconds must be between 900 and 43200.');
    // The role lives in the target account, which may not be the caller's.
    const iam = ctx.stateOf<IamState>(account, 'iam', () => ({ roles: {}, policies: {}, instanceProfiles: {} }), 'global');
    const role = iam.roles[roleName];
    if (!role) {
      throw new AwsError('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
    }
    const accessKeyId = `ASIA${account}${token(8).toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 4)}`;
    const expiration = new Date(ctx.now.getTime() + duration * 1000);
    const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`;
    ctx.stateOf<StsState>(account, 'sts', () => ({ sessions: {} }), 'global').sessions[accessKeyId] = { account, roleName, roleId: role.roleId, sessionName: session, arn, expiration };
    return {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: token(40), SessionToken: token(200), Expiration: expiration },
      AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${session}`, Arn: arn },
      PackedPolicySize: input.Policy ? Math.min(100, Math.ceil(input.Policy.length / 20)) : undefined,
      SourceIdentity: input.SourceIdentity,
    };
  },
};

export const stsService: ServiceModule = {
  name: 'sts',
  signingName: 'sts',
  eventSource: 'sts.amazonaws.com',
  protocol: queryProtocol({ xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/' }),
  apiVersion: '2011-06-15',
  global: true,
  sdk,
  handlers: eraseHandlers<sdk.STS>(handlers),
};

/** Maps a session key issued by AssumeRole to its assumed-role principal. */
export function sessionPrincipal(store: SandboxStore, accessKeyId: string): Principal | undefined {
  const m = SESSION_KEY.exec(accessKeyId);
  if (!m) return undefined;
  const sts = store.account(m[1]!).global.sts as StsState | undefined;
  const session = sts?.sessions[accessKeyId];
  if (!session) return undefined;
  return { arn: session.arn, userId: `${session.roleId}:${session.sessionName}`, accessKeyId };
}
