/**
 * Sessions issued by STS AssumeRole and GetSessionToken. A session key is
 * `ASIA<account><4 chars>`, so the key alone tells which account's STS state holds the session
 * (persisted with that account).
 *
 * A session keeps what verification and authorisation need: the secret (SigV4 is an HMAC over
 * it), a SHA-256 of the session token (the token itself is never stored), the expiry, and, for
 * AssumeRole, the role and the session policies passed to it. A GetSessionToken session acts as
 * its caller (in the sandbox always the account root, the only long-term identity).
 */
import { createHash, randomBytes } from 'node:crypto';
import { own } from '../dictionary.js';
import type { SandboxStore } from '../../store.js';
import type { Principal } from '../types.js';

/** What every issued session keeps. */
export interface SessionBase {
  account: string;
  issued: Date;
  expiration: Date;
  /** The secret access key (needed to recompute SigV4 signatures). */
  secret: string;
  /** SHA-256 (hex) of the session token. */
  tokenHash: string;
}

/** A session issued by AssumeRole (stored without `kind`). */
export interface SessionRecord extends SessionBase {
  kind?: undefined;
  roleName: string;
  roleId: string;
  roleArn: string;
  sessionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
  /** The inline session policy (JSON text), if AssumeRole was given one. */
  policy?: string;
  /** Managed session policy ARNs (resolved when evaluating, as AWS does). */
  policyArns?: string[];
  sourceIdentity?: string;
  /** Session tags. */
  tags?: Record<string, string>;
}

/** A session issued by GetSessionToken: it acts as its caller, with the caller's permissions. */
export interface TokenSessionRecord extends SessionBase {
  kind: 'session-token';
  /** The caller's ARN (`arn:aws:iam::<account>:root`). */
  arn: string;
  /** The caller's unique id (the account id for the root). */
  userId: string;
}

/** Any issued session. */
export type IssuedSession = SessionRecord | TokenSessionRecord;

/** STS state of one account: the sessions issued in it, by access key id. */
export interface StsState {
  sessions: Record<string, IssuedSession>;
}

/** The shape of a session key; group 1 is the session's account. */
export const SESSION_KEY = /^ASIA([0-9]{12})[A-Z0-9]{4}$/;

/** Random text of `length` characters from base64 (without `+/=`). */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) out += randomBytes(length).toString('base64').replace(/[+/=]/g, '');
  return out.slice(0, length);
}

/** SHA-256 (hex) of a session token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session key id in `account` (unique within that account's sessions). */
export function newSessionKey(account: string, sessions: Readonly<Record<string, IssuedSession>>): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  let key: string;
  do {
    key = `ASIA${account}${[...randomBytes(4)].map((b) => alphabet[b % alphabet.length]).join('')}`;
  } while (Object.hasOwn(sessions, key));
  return key;
}

/** Drops sessions that expired more than a day ago, so the state does not grow forever. */
export function pruneSessions(sts: StsState, now: Date): void {
  const horizon = now.getTime() - 24 * 3600_000;
  for (const [key, s] of Object.entries(sts.sessions)) {
    if (new Date(s.expiration).getTime() < horizon) delete sts.sessions[key];
  }
}

/** The session behind a session key, whether or not it has expired; undefined if it was never issued. */
export function findSession(store: SandboxStore, accessKeyId: string): IssuedSession | undefined {
  const m = SESSION_KEY.exec(accessKeyId);
  // A forged key must not create the account it names.
  if (!m || !store.hasAccount(m[1]!)) return undefined;
  const sts = store.account(m[1]!).global.sts as StsState | undefined;
  return sts?.sessions ? own(sts.sessions, accessKeyId) : undefined;
}

/** Whether a session is an assumed role's (authorised against the role's policies). */
export function isRoleSession(session: IssuedSession): session is SessionRecord {
  return session.kind !== 'session-token';
}

/** The principal a session acts as. */
export function principalOfSession(session: IssuedSession, accessKeyId: string): Principal {
  const userId = isRoleSession(session) ? `${session.roleId}:${session.sessionName}` : session.userId;
  return { arn: session.arn, userId, accessKeyId };
}
