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
 *
 * Append-only logs (CloudTrail's event history) live beside the snapshot in
 * `accounts/<id>.<name>.jsonl`: they grow with every request, reads included, so appending one
 * line keeps a request O(1) where rewriting them inside the snapshot would be O(history). A log
 * keeps its `cap` newest records; the file is rewritten (temporary file + rename) once it holds
 * twice that. Appends are not fsync-ed: a killed process loses nothing written (the page cache
 * survives it), a power cut may lose the newest lines; a torn last line is skipped on load.
 */
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
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

/**
 * Replaces `file` with `data`: temporary file, fsync, rename (atomic). Owner-only (0600): account
 * state holds the secrets of issued STS sessions and Secrets Manager values.
 */
function writeAtomically(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The state of every account, with per-account snapshot persistence. */
export class SandboxStore {
  private readonly accounts = new Map<string, AccountState>();
  /** `<account>.<log name>` -> records (oldest first) and how many lines its file holds. */
  private readonly logs = new Map<string, { records: unknown[]; lines: number }>();
  private readonly dir: string | undefined;

  constructor(
    dataDir: string | undefined,
    private readonly logger: SandboxLogger = silentLogger,
  ) {
    this.dir = dataDir === undefined ? undefined : join(dataDir, 'accounts');
    if (this.dir) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
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

  /** Whether an account holds state (unlike `account`, never creates it). */
  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
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
    writeAtomically(file, JSON.stringify({ version: FORMAT_VERSION, state }, replacer));
  }

  /** Drops all state of one account (memory and disk), its logs included. */
  reset(accountId: string): void {
    this.accounts.delete(accountId);
    this.commit(accountId);
    for (const key of [...this.logs.keys()]) if (key.startsWith(`${accountId}.`)) this.logs.delete(key);
    if (this.dir) {
      for (const name of readdirSync(this.dir)) {
        if (name.startsWith(`${accountId}.`) && name.endsWith('.jsonl')) rmSync(join(this.dir, name), { force: true });
      }
    }
  }

  /** An account's append-only log `name` (lowercase letters, digits, `-`), oldest record first. */
  log<T>(accountId: string, name: string): readonly T[] {
    return this.openLog(accountId, name).records as T[];
  }

  /** Appends a record to an account's log, keeping its `cap` newest records. */
  append<T>(accountId: string, name: string, record: T, cap: number): void {
    const log = this.openLog(accountId, name);
    log.records.push(record);
    if (log.records.length > cap) log.records.splice(0, log.records.length - cap);
    if (!this.dir) return;
    const file = this.logFile(accountId, name);
    if (log.lines + 1 > 2 * cap) {
      writeAtomically(file, log.records.map((r) => `${JSON.stringify(r, replacer)}\n`).join(''));
      log.lines = log.records.length;
    } else {
      appendFileSync(file, `${JSON.stringify(record, replacer)}\n`, { mode: 0o600 });
      log.lines += 1;
    }
  }

  private logFile(accountId: string, name: string): string {
    if (!/^[0-9]{12}$/.test(accountId) || !/^[a-z0-9-]+$/.test(name)) throw new Error(`sandbox: invalid log ${accountId}.${name}`);
    return join(this.dir!, `${accountId}.${name}.jsonl`);
  }

  private openLog(accountId: string, name: string): { records: unknown[]; lines: number } {
    const key = `${accountId}.${name}`;
    let log = this.logs.get(key);
    if (log) return log;
    log = { records: [], lines: 0 };
    const file = this.dir ? this.logFile(accountId, name) : undefined;
    if (file && existsSync(file)) {
      let torn = false;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          log.records.push(JSON.parse(line, reviver));
        } catch {
          torn = true;
        }
      }
      log.lines = log.records.length;
      if (torn) {
        // A line a crash cut short: drop it so the next append starts on a line of its own.
        this.logger.warn({ file }, 'sandbox: dropped a torn log line');
        writeAtomically(file, log.records.map((r) => `${JSON.stringify(r, replacer)}\n`).join(''));
      }
    }
    this.logs.set(key, log);
    return log;
  }
}
