/**
 * Who made a request, per auth mode (CONTRACT.md §5):
 *
 * - Session keys (`ASIA…` from AssumeRole or GetSessionToken) are verified in both modes: the
 *   signature against the session's secret, the session token, the expiry. So temporary
 *   credentials really work and a forged or expired one fails.
 * - `open`: any other key is accepted unchecked; an issued key acts in its account, a 12-digit key
 *   in that account, anything else in 000000000000.
 * - `sigv4`: only issued keys; every signature is recomputed and compared, the signing time must
 *   be within 15 minutes of the server's clock. Unsigned STS AssumeRoleWithWebIdentity/SAML are
 *   exempt (AWS does not sign them); an unsigned S3 request is the anonymous caller.
 */
import type { CredentialScope } from './auth.js';
import { accountForAccessKey, DEFAULT_ACCOUNT, rootPrincipal } from './auth.js';
import type { AuthFamily } from './auth-errors.js';
import { AuthErrors, authFamily } from './auth-errors.js';
import { AwsError } from './errors.js';
import { expectedSignature, isPresigned, payloadHashMatches, secretsEqual, signaturesEqual, signingTime } from './auth-sigv4.js';
import type { KeyStore } from './keys.js';
import type { WireRequest } from './protocols/types.js';
import type { Route } from './router.js';
import type { IssuedSession } from './services/sts/sessions.js';
import { findSession, hashToken, principalOfSession, SESSION_KEY } from './services/sts/sessions.js';
import type { Principal } from './services/types.js';
import type { SandboxStore } from './store.js';

/** Auth modes of the sandbox. */
export type AuthMode = 'open' | 'sigv4';

/**
 * Resolves a routed request to its caller, or throws (or rejects) with the protocol's auth error.
 * Synchronous where nothing is awaited (the open mode's own keys): a promise per request would put
 * more turns between the request and its reply.
 */
export type Authenticator = (route: Route, now: Date) => Principal | Promise<Principal>;

const MAX_SKEW_MS = 15 * 60_000;
/** STS operations that AWS serves unsigned. */
const UNSIGNED_OPERATIONS = new Set(['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML']);

function header(req: WireRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The anonymous caller (no credentials at all). */
function anonymous(): Principal {
  return rootPrincipal(DEFAULT_ACCOUNT, 'anonymous');
}

/**
 * Checks time and signature of a request signed with `secret`. Time first: a stale request is
 * reported as such even when its signature is right, as AWS does.
 */
async function verify(route: Route, scope: CredentialScope, secret: string, family: AuthFamily, now: Date): Promise<void> {
  const req = route.request;
  const time = signingTime(req);
  if (!time) throw AuthErrors.incomplete(family, 'Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
  if (isPresigned(req)) {
    const expires = Number(req.query.get('X-Amz-Expires') ?? '');
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) throw AuthErrors.incomplete(family, 'X-Amz-Expires must be between 1 and 604800 seconds.');
    if (now.getTime() > time.getTime() + expires * 1000) throw new AwsError('AccessDenied', 'Request has expired', 403);
    if (time.getTime() - now.getTime() > MAX_SKEW_MS) throw AuthErrors.skewed(family, time, now);
  } else if (Math.abs(now.getTime() - time.getTime()) > MAX_SKEW_MS) {
    throw AuthErrors.skewed(family, time, now);
  }
  if (!payloadHashMatches(req)) {
    throw family === 's3'
      ? new AwsError('XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.', 400)
      : AuthErrors.signatureMismatch(family);
  }
  const expected = await expectedSignature(req, scope, secret);
  if (!signaturesEqual(expected, scope.signature)) throw AuthErrors.signatureMismatch(family);
}

/** Verifies a session key's signature, token and expiry. */
async function verifySession(route: Route, scope: CredentialScope, session: IssuedSession, family: AuthFamily, now: Date): Promise<Principal> {
  const req = route.request;
  const token = header(req, 'x-amz-security-token') ?? req.query.get('X-Amz-Security-Token') ?? undefined;
  // A session key without its token, or with another session's token, is not a credential; nor is
  // a session stored before sessions kept their secret.
  if (!token || typeof session.secret !== 'string' || typeof session.tokenHash !== 'string' || !secretsEqual(session.tokenHash, hashToken(token))) {
    throw AuthErrors.unknownKey(family);
  }
  await verify(route, scope, session.secret, family, now);
  if (new Date(session.expiration).getTime() <= now.getTime()) throw AuthErrors.expiredToken(family);
  return principalOfSession(session, scope.accessKeyId);
}

/** Creates the authenticator for a sandbox. */
export function createAuthenticator(mode: AuthMode, keys: KeyStore, store: SandboxStore): Authenticator {
  return (route, now) => {
    const { service, operation, scope, request } = route;
    const family = authFamily(service);
    if (!scope) {
      if (mode === 'open' || family === 's3' || UNSIGNED_OPERATIONS.has(`${service.signingName}:${operation}`)) return anonymous();
      // An Authorization header the parser could not read is malformed rather than missing.
      if (header(request, 'authorization') || request.query.has('X-Amz-Credential')) {
        throw AuthErrors.incomplete(family, 'Authorization header requires \'Credential\', \'Signature\' and \'SignedHeaders\' parameters in the AWS4-HMAC-SHA256 form.');
      }
      throw AuthErrors.missing(family);
    }
    const accessKeyId = scope.accessKeyId;
    if (SESSION_KEY.test(accessKeyId)) {
      const session = findSession(store, accessKeyId);
      if (!session) throw AuthErrors.unknownKey(family);
      return verifySession(route, scope, session, family, now);
    }
    const issued = keys.lookup(accessKeyId);
    if (mode === 'open') {
      const account = issued?.account ?? accountForAccessKey(accessKeyId);
      return rootPrincipal(account, accessKeyId);
    }
    if (!issued) throw AuthErrors.unknownKey(family);
    return verify(route, scope, issued.secret, family, now).then(() => rootPrincipal(issued.account, accessKeyId));
  };
}
