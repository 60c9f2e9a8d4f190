/**
 * Access keys the sandbox issues for team use (`--auth sigv4`, CONTRACT.md §5): one long-term key
 * pair per learner, each acting as the root of its account.
 *
 * SigV4 is an HMAC, so verifying a signature needs the secret itself: the key file keeps exactly
 * `{ secret, account, created }` per key and nothing else, is written atomically with mode 0600,
 * and no secret is ever logged. In memory mode (no data directory) keys live as long as the process.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from './index.js';
import type { WireResponse } from './protocols/types.js';
import type { SandboxLogger } from './store.js';

/** A key pair as handed to a learner (or the Slack bot). */
export interface IssuedKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
}

/** What the key file holds per access key id. */
interface KeyRecord {
  secret: string;
  account: string;
  created: string;
}

const FILE_VERSION = 1;
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ACCOUNT_ID = /^[0-9]{12}$/;
/** `AKIA` + 16 characters, the shape of a real long-term key id. */
export const ISSUED_KEY = /^AKIA[A-Z2-7]{16}$/;

function newKeyId(): string {
  return `AKIA${[...randomBytes(16)].map((b) => KEY_ALPHABET[b % KEY_ALPHABET.length]).join('')}`;
}

function newSecret(): string {
  return randomBytes(30).toString('base64');
}

/** The issued keys of one sandbox, persisted in `<dataDir>/keys.json`. */
export class KeyStore {
  private readonly keys: Record<string, KeyRecord> = Object.create(null) as Record<string, KeyRecord>;
  private readonly file: string | undefined;

  constructor(
    dataDir: string | undefined,
    private readonly logger: SandboxLogger,
  ) {
    this.file = dataDir === undefined ? undefined : join(dataDir, 'keys.json');
    if (this.file && existsSync(this.file)) this.load(this.file);
  }

  private load(file: string): void {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { version?: number; keys?: Record<string, KeyRecord> };
      if (parsed.version !== FILE_VERSION || !parsed.keys) throw new Error(`unsupported key file version ${String(parsed.version)}`);
      for (const [id, record] of Object.entries(parsed.keys)) {
        if (ISSUED_KEY.test(id) && typeof record.secret === 'string' && ACCOUNT_ID.test(record.account)) this.keys[id] = record;
      }
      // A file restored from a backup or copied by hand may have lost its mode.
      chmodSync(file, 0o600);
    } catch (err) {
      // Refusing to start would lock every learner out; starting without keys locks them out too,
      // but says why. The file is left in place for the operator.
      this.logger.error({ file, err: String(err) }, 'sandbox: the key file is unreadable; no issued key is valid until it is fixed');
    }
  }

  private save(): void {
    if (!this.file) return;
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ version: FILE_VERSION, keys: this.keys }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }

  /** The record of an issued key (undefined when it was never issued or was deleted). */
  lookup(accessKeyId: string): { readonly secret: string; readonly account: string } | undefined {
    return Object.hasOwn(this.keys, accessKeyId) ? this.keys[accessKeyId] : undefined;
  }

  /** Every issued key without its secret, oldest first. */
  list(): { accessKeyId: string; account: string; created: string }[] {
    return Object.entries(this.keys)
      .map(([accessKeyId, r]) => ({ accessKeyId, account: r.account, created: r.created }))
      .sort((a, b) => a.created.localeCompare(b.created));
  }

  /** Accounts that already have a key. */
  accounts(): Set<string> {
    return new Set(Object.values(this.keys).map((r) => r.account));
  }

  /**
   * Issues a key pair for `account`, or for a new account id when none is given (one that holds
   * no key and, per `taken`, no state).
   */
  issue(account: string | undefined, taken: (account: string) => boolean = () => false): IssuedKey {
    let target = account;
    if (target === undefined) {
      const used = this.accounts();
      do {
        target = String(randomInt(100_000, 1_000_000)) + String(randomInt(0, 1_000_000)).padStart(6, '0');
      } while (used.has(target) || taken(target));
    }
    if (!ACCOUNT_ID.test(target)) throw new RangeError('account must be 12 digits');
    let accessKeyId = newKeyId();
    while (Object.hasOwn(this.keys, accessKeyId)) accessKeyId = newKeyId();
    const record: KeyRecord = { secret: newSecret(), account: target, created: new Date().toISOString() };
    this.keys[accessKeyId] = record;
    this.save();
    this.logger.info({ accessKeyId, account: target }, 'sandbox: issued an access key');
    return { accessKeyId, secretAccessKey: record.secret, account: target };
  }

  /** Gives a key a new secret (the old one stops working at once). @returns undefined for an unknown key. */
  rotate(accessKeyId: string): IssuedKey | undefined {
    if (!this.lookup(accessKeyId)) return undefined;
    const record = this.keys[accessKeyId]!;
    this.keys[accessKeyId] = { ...record, secret: newSecret() };
    this.save();
    this.logger.info({ accessKeyId, account: record.account }, 'sandbox: rotated an access key');
    return { accessKeyId, secretAccessKey: this.keys[accessKeyId]!.secret, account: record.account };
  }

  /** Deletes a key. @returns whether it existed. */
  delete(accessKeyId: string): boolean {
    if (!this.lookup(accessKeyId)) return false;
    delete this.keys[accessKeyId];
    this.save();
    this.logger.info({ accessKeyId }, 'sandbox: deleted an access key');
    return true;
  }
}

const stores = new WeakMap<RunningSandbox, KeyStore>();

/** Links a running sandbox to its key store (called by startSandbox). */
export function registerKeyStore(sandbox: RunningSandbox, keys: KeyStore): void {
  stores.set(sandbox, keys);
}

function storeOf(sandbox: RunningSandbox): KeyStore {
  const keys = stores.get(sandbox);
  if (!keys) throw new Error('sandbox: not a sandbox started by startSandbox in this process');
  return keys;
}

/**
 * Issues a key pair acting as the root of `account` (a new account when omitted). For in-process
 * callers such as the Slack bot, which issues one key pair per user. Persisted with the data dir.
 */
export function issueKey(sandbox: RunningSandbox, account?: string): IssuedKey {
  return storeOf(sandbox).issue(account);
}

/**
 * The full key pair of an issued key, for the in-process caller that issued it (the Slack bot
 * signs each learner's checks with that learner's own key). @returns undefined when unknown.
 */
export function lookupKey(sandbox: RunningSandbox, accessKeyId: string): IssuedKey | undefined {
  const record = storeOf(sandbox).lookup(accessKeyId);
  return record && { accessKeyId, secretAccessKey: record.secret, account: record.account };
}

/** Replaces the secret of an issued key. @returns undefined when the key is unknown. */
export function rotateKey(sandbox: RunningSandbox, accessKeyId: string): IssuedKey | undefined {
  return storeOf(sandbox).rotate(accessKeyId);
}

/** Deletes an issued key. @returns whether it existed. */
export function deleteKey(sandbox: RunningSandbox, accessKeyId: string): boolean {
  return storeOf(sandbox).delete(accessKeyId);
}

/** The control prefix of the key endpoints. */
export const KEYS_PATH = '/_ecs-lab/keys';

function json(status: number, value: unknown, requestId: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'cache-control': 'no-store' },
    body: JSON.stringify(value),
  };
}

/** Whether a client address is this machine (key endpoints hand out secrets: loopback only). */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1' || (address?.startsWith('127.') ?? false);
}

/**
 * `POST /_ecs-lab/keys` (`{ "account": "123456789012" }` or no body), `GET /_ecs-lab/keys`,
 * `POST /_ecs-lab/keys/<id>/rotate`, `DELETE /_ecs-lab/keys/<id>`. Only loopback clients may
 * call them: on a shared host anyone who can reach the port could otherwise mint root keys of
 * any account.
 */
export function handleKeyControl(
  method: string,
  path: string,
  body: Buffer,
  keys: KeyStore,
  taken: (account: string) => boolean,
  remoteAddress: string | undefined,
  requestId: string,
): WireResponse {
  if (!isLoopback(remoteAddress)) return json(403, { error: 'key endpoints answer loopback clients only' }, requestId);
  const parts = path.slice(KEYS_PATH.length).split('/').filter(Boolean);
  if (parts.length === 0 && method === 'GET') return json(200, { keys: keys.list() }, requestId);
  if (parts.length === 0 && method === 'POST') {
    let account: unknown;
    const text = body.toString('utf8').trim();
    if (text) {
      try {
        account = (JSON.parse(text) as { account?: unknown }).account;
      } catch {
        return json(400, { error: 'the body must be JSON: { "account": "123456789012" } or empty' }, requestId);
      }
    }
    if (account !== undefined && (typeof account !== 'string' || !ACCOUNT_ID.test(account))) {
      return json(400, { error: 'account must be a string of 12 digits' }, requestId);
    }
    return json(201, keys.issue(account as string | undefined, taken), requestId);
  }
  if (parts.length === 2 && parts[1] === 'rotate' && method === 'POST') {
    const rotated = keys.rotate(parts[0]!);
    return rotated ? json(200, rotated, requestId) : json(404, { error: `no key ${parts[0]!}` }, requestId);
  }
  if (parts.length === 1 && method === 'DELETE') {
    return keys.delete(parts[0]!) ? json(200, { deleted: parts[0] }, requestId) : json(404, { error: `no key ${parts[0]!}` }, requestId);
  }
  return json(parts.length <= 2 ? 405 : 404, { error: `no key endpoint ${method} ${path}` }, requestId);
}
