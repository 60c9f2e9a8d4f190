/**
 * Sandbox state: account -> region -> service (global services such as IAM: account -> service),
 * optionally persisted under a data directory.
 *
 * Persistence scheme: one snapshot file per account (`accounts/<id>.json`), rewritten after every
 * request that may have changed that account, by writing a temporary file, fsync-ing it and
 * renaming it over the old one. rename(2) is atomic, so after a crash or kill -9 each account file
 * is either the state before or after the last completed request: at most the request in flight is
 * lost and earlier state is never corrupted. A snapshot was preferred over a request journal
 * because replaying requests is not deterministic here (generated ids, timestamps, default
 * resources created on first use) and a journal would need compaction; lab accounts hold at most
 * a few hundred resources, so rewriting one account's file per mutating request costs well under a
 * millisecond of serialisation plus one fsync. Writes are synchronous and JavaScript is
 * single-threaded, so two requests can never interleave inside one snapshot.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Everything one account holds. Values are JSON-serialisable SDK-shaped records (Dates allowed). */
export interface AccountState {
  regional: Record<string, Record<string, unknown>>;
  global: Record<string, unknown>;
}

/** Minimal logger interface (pino-compatible). */
export interface SandboxLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: SandboxLogger = { debug() {}, info() {}, warn() {}, error() {} };

const FORMAT_VERSION = 1;
const ACCOUNT_FILE = /^([0-9]{12})\.json$/;

/** JSON replacer keeping Dates as `{"$date": epochMillis}` so they round-trip. */
function replacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Date) return { $date: original.getTime() };
  if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$date === 'number') return new Date(record.$date);
    if (keys.length === 1 && typeof record.$bytes === 'string') return new Uint8Array(Buffer.from(record.$bytes, 'base64'));
  }
  return value;
}

function emptyAccount(): AccountState {
  return { regional: {}, global: {} };
}

/** The state of every account, with per-account snapshot persistence. */
export class SandboxStore {
  private readonly accounts = new Map<string, AccountState>();
  private readonly dir: string | undefined;

  constructor(
    dataDir: string | undefined,
    private readonly logger: SandboxLogger = silentLogger,
  ) {
    this.dir = dataDir === undefined ? undefined : join(dataDir, 'accounts');
    if (this.dir) {
      mkdirSync(this.dir, { recursive: true });
      this.load();
    }
  }

  private load(): void {
    const dir = this.dir!;
    for (const name of readdirSync(dir)) {
      if (name.includes('.tmp')) {
        // A write that a crash interrupted before its rename: the previous snapshot is intact.
        rmSync(join(dir, name), { force: true });
        continue;
      }
      const match = ACCOUNT_FILE.exec(name);
      if (!match) continue;
      try {
        const parsed = JSON.parse(readFileSync(join(dir, name), 'utf8'), reviver) as { version?: number; state?: AccountState };
        if (parsed.version !== FORMAT_VERSION || !parsed.state) throw new Error(`unsupported snapshot version ${String(parsed.version)}`);
        this.accounts.set(match[1]!, { regional: parsed.state.regional ?? {}, global: parsed.state.global ?? {} });
      } catch (error) {
        const aside = join(dir, `${name}.unreadable-${Date.now()}`);
        renameSync(join(dir, name), aside);
        this.logger.error({ file: name, aside, err: String(error) }, 'sandbox: unreadable account snapshot moved aside');
      }
    }
  }

  /** The account's state, created empty on first use. */
  account(accountId: string): AccountState {
    let state = this.accounts.get(accountId);
    if (!state) {
      state = emptyAccount();
      this.accounts.set(accountId, state);
    }
    return state;
  }

  /** Account ids that hold state. */
  accountIds(): string[] {
    return [...this.accounts.keys()].sort();
  }

  /**
   * One service's state in an account (and region, unless `region` is undefined for global
   * services), created with `init` on first use.
   * @returns the state and whether it was just created (the caller must then persist).
   */
  serviceState<T>(accountId: string, region: string | undefined, service: string, init: () => T): { state: T; created: boolean } {
    const account = this.account(accountId);
    const bag = region === undefined ? account.global : (account.regional[region] ??= {});
    if (!(service in bag)) {
      bag[service] = init();
      return { state: bag[service] as T, created: true };
    }
    return { state: bag[service] as T, created: false };
  }

  /** Persists one account's snapshot (no-op in memory mode). */
  commit(accountId: string): void {
    if (!this.dir) return;
    const state = this.accounts.get(accountId);
    const file = join(this.dir, `${accountId}.json`);
    if (!state) {
      rmSync(file, { force: true });
      return;
    }
    const tmp = `${file}.tmp-${process.pid}`;
    const data = JSON.stringify({ version: FORMAT_VERSION, state }, replacer);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  }

  /** Drops all state of one account (memory and disk). */
  reset(accountId: string): void {
    this.accounts.delete(accountId);
    this.commit(accountId);
  }
}
