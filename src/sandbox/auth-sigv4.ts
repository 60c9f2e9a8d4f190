/**
 * SigV4 verification with the SDK's own signer (`@smithy/signature-v4`): the incoming request is
 * rebuilt as the client signed it (method, path, query, exactly the SignedHeaders, the payload
 * hash from `x-amz-content-sha256` or the body), its canonical request, string to sign and
 * signing key are derived by the signer's code, and the two signatures are compared in constant
 * time. Reusing the signer means the canonicalisation rules (URI escaping, header folding, query
 * sorting) are the ones the clients themselves use. The signer's `sign()` is not called directly
 * because it adds headers of its own (x-amz-date, the content hash) that a client may not have
 * signed, and presigned URLs arrive with their X-Amz-* parameters already in the query.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Checksum, SourceData } from '@smithy/types';
import { HttpRequest } from '@smithy/core/protocols';
import { ALGORITHM_IDENTIFIER, SignatureV4Base, createScope, getCanonicalHeaders, getSigningKey } from '@smithy/signature-v4';
import type { CredentialScope } from './auth.js';
import type { WireRequest } from './protocols/types.js';

/** SHA-256 (or HMAC-SHA-256 when given a secret) in the shape the signer wants. */
class Sha256 implements Checksum {
  private hash;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    throw new Error('not used by the signer');
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function headerValue(req: WireRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The signing time of a request (`X-Amz-Date` header, or the presigned query parameter). */
export function signingTime(req: WireRequest): Date | undefined {
  const raw = headerValue(req, 'x-amz-date') ?? req.query.get('X-Amz-Date') ?? undefined;
  const m = raw ? AMZ_DATE.exec(raw) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m as unknown as [string, string, string, string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Whether the request is signed in the query string (a presigned URL) rather than a header. */
export function isPresigned(req: WireRequest): boolean {
  return req.headers.authorization === undefined && req.query.has('X-Amz-Signature');
}

/** The query as the signer reads it (it leaves out X-Amz-Signature itself). */
function queryObject(query: URLSearchParams): Record<string, string | string[]> {
  // Prototype-less: a `__proto__` parameter must be an ordinary key, signed like any other.
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of query) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * A `x-amz-content-sha256` that names a hash must be the body's hash: otherwise a captured
 * signature could be replayed with another body. Streaming and unsigned markers are left alone.
 */
export function payloadHashMatches(req: WireRequest): boolean {
  const declared = headerValue(req, 'x-amz-content-sha256');
  if (!declared || !/^[0-9a-f]{64}$/i.test(declared)) return true;
  return createHash('sha256').update(req.body).digest('hex') === declared.toLowerCase();
}

/** The SDK signer's canonicalisation and key derivation, driven with the request as received. */
class Verifier extends SignatureV4Base {
  private readonly credentials: { accessKeyId: string; secretAccessKey: string };

  constructor(private readonly scope: CredentialScope, secret: string) {
    // S3 signs the path as sent; every other service signs its URI-encoded form.
    super({ service: scope.service, region: scope.region, credentials: { accessKeyId: scope.accessKeyId, secretAccessKey: secret }, sha256: Sha256, uriEscapePath: scope.service !== 's3' });
    this.credentials = { accessKeyId: scope.accessKeyId, secretAccessKey: secret };
  }

  async signature(request: HttpRequest, payloadHash: string, longDate: string): Promise<string> {
    // Exactly the headers the client listed: the signer's own rules then fold and sort them.
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(this.scope.signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const shortDate = longDate.slice(0, 8);
    const credentialScope = createScope(shortDate, this.scope.region, this.scope.service);
    const stringToSign = await this.createStringToSign(longDate, credentialScope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const key = await getSigningKey(Sha256, this.credentials, shortDate, this.scope.region, this.scope.service);
    const hmac = new Sha256(key);
    hmac.update(Buffer.from(stringToSign, 'utf8'));
    return Buffer.from(await hmac.digest()).toString('hex');
  }
}

/**
 * The signature the client should have sent for `req`, computed with `secret`: over the
 * Authorization header's SignedHeaders, or (presigned URL) over the query string the client
 * built, which already carries X-Amz-Credential, X-Amz-Date and the rest.
 */
export async function expectedSignature(req: WireRequest, scope: CredentialScope, secret: string): Promise<string> {
  const longDate = headerValue(req, 'x-amz-date') ?? req.query.get('X-Amz-Date') ?? '';
  const headers: Record<string, string> = {};
  for (const name of scope.signedHeaders) {
    const value = headerValue(req, name);
    if (value !== undefined) headers[name] = value;
  }
  let path = req.path;
  if (scope.service !== 's3') {
    try {
      path = decodeURIComponent(req.path);
    } catch {
      // Not percent-decodable: sign it as it came; the signatures will simply differ.
    }
  }
  const declared = headerValue(req, 'x-amz-content-sha256');
  const payloadHash =
    declared ??
    (isPresigned(req) && scope.service === 's3' ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(req.body).digest('hex'));
  const request = new HttpRequest({ method: req.method, protocol: 'http:', hostname: 'sandbox', path, query: queryObject(req.query), headers });
  return new Verifier(scope, secret).signature(request, payloadHash, longDate);
}

/** Constant-time comparison of two hex signatures. */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  if (a.length !== b.length) {
    // Still spend the time of a comparison, so the length is all a timing probe can learn.
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Constant-time equality of two secrets of any length (compared by their SHA-256). */
export function secretsEqual(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}
