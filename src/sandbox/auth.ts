/**
 * Credentials: the SigV4 credential scope names the access key, region and service of a request;
 * the access key selects the account.
 */
import type { Principal } from './services/types.js';

/** The default account for keys that are not 12-digit account ids (as LocalStack and Floci do). */
export const DEFAULT_ACCOUNT = '000000000000';

/** What the credential scope of a signed request says. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH_HEADER = /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/([0-9]{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]+)\s*$/i;
const QUERY_CREDENTIAL = /^([^/]+)\/([0-9]{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

function header(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses the Authorization header, or presigned `X-Amz-Credential` query parameters. */
export function parseCredentialScope(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  query: URLSearchParams,
): CredentialScope | undefined {
  const auth = header(headers, 'authorization');
  if (auth) {
    const m = AUTH_HEADER.exec(auth.trim());
    if (!m) return undefined;
    return {
      accessKeyId: m[1]!,
      date: m[2]!,
      region: m[3]!,
      service: m[4]!,
      signedHeaders: m[5]!.toLowerCase().split(';'),
      signature: m[6]!.toLowerCase(),
    };
  }
  const credential = query.get('X-Amz-Credential');
  const m = credential ? QUERY_CREDENTIAL.exec(credential) : null;
  if (!m) return undefined;
  return {
    accessKeyId: m[1]!,
    date: m[2]!,
    region: m[3]!,
    service: m[4]!,
    signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').toLowerCase().split(';'),
    signature: (query.get('X-Amz-Signature') ?? '').toLowerCase(),
  };
}

/** The account an access key belongs to in `open` auth mode. */
export function accountForAccessKey(accessKeyId: string | undefined): string {
  return accessKeyId && /^[0-9]{12}$/.test(accessKeyId) ? accessKeyId : DEFAULT_ACCOUNT;
}

/** The principal of a long-term key in open mode: the account root. */
export function rootPrincipal(account: string, accessKeyId: string): Principal {
  return { arn: `arn:aws:iam::${account}:root`, userId: account, accessKeyId };
}

/** Whether a principal is an account root (a long-term key, or a GetSessionToken session made with one). */
export function isRoot(principal: Principal): boolean {
  return /^arn:aws[a-z-]*:iam::[0-9]{12}:root$/.test(principal.arn);
}
