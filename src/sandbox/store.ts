/**
 * Sandbox state: account -> region -> service (global services such as IAM: account -> service),
 * optionally persisted under a data directory.
 *
 * Persistence scheme, per account: a snapshot (`accounts/<id>.json`) plus a journal
 * (`accounts/<id>.journal.jsonl`). Each request that changed the account appends ONE line to the
 * journal holding the final values of the paths it touched (changes.ts), before its response is
 * sent. Writing what changed rather than the whole account keeps a request O(its change) however
 * much the account holds (a family with thousands of task definition revisions, say). A line is
 * one request, so a torn last line - the only damage a killed process can leave, and only the
 * request in flight - is skipped on load. Replay applies each line's records over the snapshot;
 * records are idempotent (final values, not operations), so replaying a line twice is harmless.
 * When the journal outgrows the snapshot, the account is compacted: a new snapshot is written to a
 * temporary file, fsync-ed and renamed over the old one (atomic), then the journal is emptied; a
 * crash between the two replays the old journal over the new snapshot, which changes nothing.
 * Requests are replayed by value, not re-executed, because handlers are not deterministic
 * (generated ids, timestamps, default resources created on first use).
 *
 * Journal appends are not fsync-ed: a killed process (kill -9) loses nothing the kernel accepted,
 * since the page cache survives it; only a power cut could lose the newest lines, as with any
 * write-back cache. Writes are synchronous and JavaScript is single-threaded, so two requests
 * never interleave inside a line.
 *
 * Append-only logs (CloudTrail's event history) live beside the snapshot in
 * `accounts/<id>.<name>.jsonl`: they grow with every request, reads included. A log keeps its
 * `cap` newest records; the file is rewritten (temporary file + rename) once it holds twice that.
 * A log may keep only a summary of each record in memory and read whole records back from its file
 * (summariseLog: CloudTrail events, whose JSON text is most of what an active account holds).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { applyRecord, type ChangeRecord } from './changes.js';
import { isPlainRecord, scalarJson } from './json-text.js';

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
const JOURNAL_FILE = /^([0-9]{12})\.journal\.jsonl$/;
/**
 * A journal is compacted into the snapshot once it is this many bytes and larger than the
 * snapshot: when no changing request has come for {@link COMPACT_IDLE_MS}, or at once (after the
 * response) when it has grown to {@link COMPACT_FORCE_RATIO} times the snapshot, which bounds
 * what a restart replays.
 */
export const COMPACT_MIN_BYTES = 1 << 20;
export const COMPACT_IDLE_MS = 100;
export const COMPACT_FORCE_RATIO = 4;

/** JSON replacer keeping Dates as `{"$date": epochMillis}` so they round-trip. */
export function replacer(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Date) return { $date: original.getTime() };
  if (original instanceof Uint8Array) return { $bytes: Buffer.from(original).toString('base64') };
  return value;
}

/**
 * `JSON.stringify(value, replacer)`, written without calling back into JavaScript for every key
 * (a replacer function made the journal line the dearest part of a small write). Plain records,
 * lists, Dates and byte arrays are written here; anything else (an object with its own toJSON,
 * a Map, a bigint) goes to JSON.stringify with the replacer, which gives the same text.
 */
export function stringifyState(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return scalarJson(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object': {
      if (value === null) return 'null';
      if (value instanceof Date) return Number.isFinite(value.getTime()) ? `{"$date":${value.getTime()}}` : '{"$date":null}';
      if (value instanceof Uint8Array) return `{"$bytes":${JSON.stringify(Buffer.from(value).toString('base64'))}}`;
      if (Array.isArray(value)) {
        let out = '';
        for (let i = 0; i < value.length; i++) out += `${i === 0 ? '' : ','}${stringifyState(value[i]) ?? 'null'}`;
        return `[${out}]`;
      }
      if (!isPlainRecord(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
        return JSON.stringify(value, replacer);
      }
      let out = '';
      for (const key of Object.keys(value)) {
        const written = stringifyState((value as Record<string, unknown>)[key]);
        if (written !== undefined) out += `${out === '' ? '' : ','}${scalarJson(key)}:${written}`;
      }
      return `{${out}}`;
    }
    default:
      return JSON.stringify(value, replacer);
  }
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

/** An append-only log in memory: its records, and how many lines its file holds. */
interface AppendLog {
  readonly records: unknown[];
  lines: number;
  /** Bytes in its file. */
  bytes: number;
  /**
   * For a log kept in summary (see {@link SandboxStore.summariseLog}), where each record's line
   * starts in the file: the whole record is read back from there when asked for.
   */
  readonly starts: number[] | undefined;
}

/** Byte offsets where each line of `bytes` starts (lines end with a newline). */
function lineStarts(bytes: Uint8Array, count: number): number[] {
  const starts: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    starts.push(at);
    at = bytes.indexOf(10, at) + 1;
  }
  return starts;
}

/** A log's lines as written (each ending in a newline), from its records. */
function logLines(records: readonly unknown[]): string[] {
  return records.map((r) => `${stringifyState(r)}\n`);
}

function emptyAccount(): AccountState {
  return { regional: {}, global: {} };
}

/**
 * Replaces `file` with `data`: temporary file, fsync, rename (atomic). Owner-only (0600): account
 * state holds the secrets of issued STS sessions and Secrets Manager values.
 */
function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** The state of every account, with per-account snapshot persistence. */
export class SandboxStore {
  private readonly accounts = new Map<string, AccountState>();
  /** `<account>.<log name>` -> records (oldest first), and how many lines its file holds. */
  private readonly logs = new Map<string, AppendLog>();
  private readonly dir: string | undefined;
  /** Per account: bytes in its journal and in its last snapshot (for compaction). */
  private readonly sizes = new Map<string, { journal: number; snapshot: number }>();
  /** Journal paths by account (joined once: every changing request appends to one). */
  private readonly journalFiles = new Map<string, string>();
  /** Open append descriptors by file (an open/close pair per request would cost more than the write). */
  private readonly appendFds = new Map<string, number>();
  /** Accounts whose journal has outgrown the snapshot, and when it is compacted (see record). */
  private readonly compactionsDue = new Set<string>();
  private idleCompaction: NodeJS.Timeout | undefined;
  private forcedCompaction: NodeJS.Immediate | undefined;
  private closed = false;
  /** Flushes of work held back from the logs (see addLogWriter). */
  private readonly logWriters: (() => void)[] = [];
  /** Logs kept in summary, by name: what of each record stays in memory (see summariseLog). */
  private readonly summaries = new Map<string, (record: never) => unknown>();

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
      this.sizeOf(match[1]!).snapshot = statSync(join(dir, name)).size;
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
    for (const name of readdirSync(dir)) {
      const match = JOURNAL_FILE.exec(name);
      if (match) this.replay(match[1]!, join(dir, name));
    }
  }

  /** Applies an account's journal over its snapshot; a torn or unreadable line is skipped. */
  private replay(accountId: string, file: string): void {
    const text = readFileSync(file, 'utf8');
    this.sizeOf(accountId).journal = Buffer.byteLength(text);
    let skipped = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      let records: ChangeRecord[];
      try {
        records = (JSON.parse(line, reviver) as { c: ChangeRecord[] }).c;
        if (!Array.isArray(records)) throw new Error('not a journal line');
      } catch {
        skipped++;
        continue;
      }
      const account = this.account(accountId);
      for (const record of records) {
        const bag = record.r === null ? account.global : (account.regional[record.r] ??= {});
        if (!applyRecord(bag, record)) skipped++;
      }
    }
    if (skipped > 0) this.logger.warn({ file, skipped }, 'sandbox: skipped journal lines or records that did not apply (a torn last line after a crash)');
  }

  private sizeOf(accountId: string): { journal: number; snapshot: number } {
    let size = this.sizes.get(accountId);
    if (!size) {
      size = { journal: 0, snapshot: 0 };
      this.sizes.set(accountId, size);
    }
    return size;
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

  /** One regional service's state in each Region of an account that holds it (creates nothing). */
  everyRegion<T>(accountId: string, service: string): { region: string; state: T }[] {
    const regional = this.accounts.get(accountId)?.regional ?? {};
    return Object.keys(regional)
      .sort()
      .filter((region) => Object.hasOwn(regional[region]!, service))
      .map((region) => ({ region, state: regional[region]![service] as T }));
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

  /**
   * Persists one request's changes to an account: one journal line, before the response. A
   * journal that has outgrown the snapshot is compacted later (see {@link COMPACT_MIN_BYTES}),
   * never on the request path (no-op in memory mode).
   */
  record(accountId: string, records: readonly ChangeRecord[]): void {
    if (!this.dir || records.length === 0) return;
    const line = `${stringifyState({ c: records })}\n`;
    this.appendTo(this.journalFile(accountId), line);
    const size = this.sizeOf(accountId);
    size.journal += Buffer.byteLength(line);
    if (size.journal > COMPACT_MIN_BYTES && size.journal > size.snapshot) {
      this.compactionsDue.add(accountId);
      if (size.journal > COMPACT_FORCE_RATIO * Math.max(size.snapshot, COMPACT_MIN_BYTES)) this.forcedCompaction ??= setImmediate(() => this.compactDue());
    }
    // Any change restarts the quiet period.
    if (this.compactionsDue.size > 0) {
      if (this.idleCompaction) this.idleCompaction.refresh();
      else {
        this.idleCompaction = setTimeout(() => this.compactDue(), COMPACT_IDLE_MS);
        this.idleCompaction.unref();
      }
    }
  }

  /**
   * Compacts every account whose journal is due. A compaction rewrites the whole account, so it
   * waits for a quiet moment; a failure leaves the journal, which still replays, and is logged.
   */
  private compactDue(): void {
    this.stopCompactions();
    if (this.closed) return;
    const due = [...this.compactionsDue];
    this.compactionsDue.clear();
    for (const accountId of due) {
      try {
        this.commit(accountId);
      } catch (err) {
        this.logger.error({ err: String(err), account: accountId }, 'sandbox: could not compact the journal into a snapshot');
      }
    }
  }

  private stopCompactions(): void {
    if (this.idleCompaction) clearTimeout(this.idleCompaction);
    if (this.forcedCompaction) clearImmediate(this.forcedCompaction);
    this.idleCompaction = undefined;
    this.forcedCompaction = undefined;
  }

  /** Writes one account's full snapshot and empties its journal (no-op in memory mode). */
  commit(accountId: string): void {
    if (!this.dir) return;
    const state = this.accounts.get(accountId);
    const file = join(this.dir, `${accountId}.json`);
    const size = this.sizeOf(accountId);
    if (!state) {
      rmSync(file, { force: true });
      this.forget(this.journalFile(accountId));
      rmSync(this.journalFile(accountId), { force: true });
      this.sizes.delete(accountId);
      return;
    }
    const data = stringifyState({ version: FORMAT_VERSION, state })!;
    writeAtomically(file, data);
    size.snapshot = Buffer.byteLength(data);
    if (size.journal > 0) {
      // After the rename: a crash in between replays the old journal over the new snapshot,
      // which its idempotent records leave unchanged.
      this.forget(this.journalFile(accountId));
      writeFileSync(this.journalFile(accountId), '', { mode: 0o600 });
      size.journal = 0;
    }
  }

  /** Appends to a file through a descriptor kept open (owner-only, as every state file). */
  private appendTo(file: string, data: string): void {
    let fd = this.appendFds.get(file);
    if (fd === undefined) {
      fd = openSync(file, 'a', 0o600);
      this.appendFds.set(file, fd);
    }
    writeSync(fd, data);
  }

  /** Closes the kept descriptor of a file about to be replaced or removed. */
  private forget(file: string): void {
    const fd = this.appendFds.get(file);
    if (fd === undefined) return;
    this.appendFds.delete(file);
    closeSync(fd);
  }

  /**
   * Registers work that must reach the logs before they are read, dropped or closed (the
   * CloudTrail recorder's backlog of calls not yet turned into events).
   */
  addLogWriter(flush: () => void): void {
    this.logWriters.push(flush);
  }

  private flushLogWriters(): void {
    for (const flush of this.logWriters) flush();
  }

  /** Writes what the log writers hold back and closes kept descriptors (the sandbox is stopping). */
  close(): void {
    this.flushLogWriters();
    // The journals hold everything: a compaction not yet run waits for the next start.
    this.stopCompactions();
    this.closed = true;
    for (const file of [...this.appendFds.keys()]) this.forget(file);
  }

  private journalFile(accountId: string): string {
    let file = this.journalFiles.get(accountId);
    if (file === undefined) {
      file = join(this.dir!, `${accountId}.journal.jsonl`);
      this.journalFiles.set(accountId, file);
    }
    return file;
  }

  /** Drops all state of one account (memory and disk), its logs included. */
  reset(accountId: string): void {
    // Calls made before the reset belong to the history it drops.
    this.flushLogWriters();
    this.accounts.delete(accountId);
    this.commit(accountId);
    for (const key of [...this.logs.keys()]) if (key.startsWith(`${accountId}.`)) this.logs.delete(key);
    if (this.dir) {
      for (const name of readdirSync(this.dir)) {
        if (name.startsWith(`${accountId}.`) && name.endsWith('.jsonl')) {
          this.forget(join(this.dir, name));
          rmSync(join(this.dir, name), { force: true });
        }
      }
    }
  }

  /**
   * An account's append-only log `name` (lowercase letters, digits, `-`), oldest record first: for
   * a log kept in summary, each record's summary (the whole record: {@link logRecords}).
   */
  log<T>(accountId: string, name: string): readonly T[] {
    this.flushLogWriters();
    return this.openLog(accountId, name).records as T[];
  }

  /**
   * Keeps only a summary of each record of the logs named `name` in memory, when they are
   * persisted: the whole record stays in its line in the file, and {@link logRecords} reads it
   * back. For logs whose records are mostly text that is seldom read - CloudTrail events, whose
   * CloudTrailEvent JSON was nine tenths of the memory an active account held. Call it before any
   * log of that name is opened. Without a data directory the whole records stay in memory.
   */
  summariseLog<Full, Summary>(name: string, summarise: (record: Full) => Summary): void {
    for (const key of this.logs.keys()) {
      if (key.endsWith(`.${name}`)) throw new Error(`sandbox: log ${name} is open already; summarise it before first use`);
    }
    this.summaries.set(name, summarise as (record: never) => unknown);
  }

  /**
   * Whole records of an account's log, by their index in what {@link log} returns (read from the
   * file for a log kept in summary; the records themselves otherwise).
   */
  logRecords<T>(accountId: string, name: string, indexes: readonly number[]): T[] {
    this.flushLogWriters();
    const log = this.openLog(accountId, name);
    for (const i of indexes) {
      if (!Number.isInteger(i) || i < 0 || i >= log.records.length) throw new Error(`sandbox: no record ${i} in log ${accountId}.${name}`);
    }
    if (!log.starts || indexes.length === 0) return indexes.map((i) => log.records[i] as T);
    const fd = openSync(this.logFile(accountId, name), 'r');
    try {
      return indexes.map((i) => {
        const start = log.starts![i]!;
        const end = i + 1 < log.starts!.length ? log.starts![i + 1]! : log.bytes;
        const bytes = Buffer.allocUnsafe(end - start);
        const read = readSync(fd, bytes, 0, bytes.length, start);
        return JSON.parse(bytes.toString('utf8', 0, read), reviver) as T;
      });
    } finally {
      closeSync(fd);
    }
  }

  /** Appends a record to an account's log, keeping its `cap` newest records. */
  append<T>(accountId: string, name: string, record: T, cap: number): void {
    this.appendMany(accountId, name, [record], cap);
  }

  /**
   * Appends records to an account's log in one write, keeping its `cap` newest records.
   * @param lines the records' lines as {@link stringifyState} writes them, each ending in a
   * newline, when the caller has made them already (the CloudTrail recorder makes each event's
   * line right after its response is written, off the request path)
   */
  appendMany<T>(accountId: string, name: string, records: readonly T[], cap: number, lines?: readonly string[]): void {
    if (records.length === 0) return;
    const log = this.openLog(accountId, name);
    if (!this.dir) {
      log.records.push(...records);
      if (log.records.length > cap) log.records.splice(0, log.records.length - cap);
      return;
    }
    const file = this.logFile(accountId, name);
    const written = lines ?? logLines(records);
    const text = written.join('');
    // Written first: a failed write leaves memory as it was, and every start where its line is.
    this.appendTo(file, text);
    const summarise = this.summaries.get(name);
    if (log.starts && summarise) {
      for (let i = 0; i < records.length; i++) {
        log.records.push(summarise(records[i] as never));
        log.starts.push(log.bytes);
        log.bytes += Buffer.byteLength(written[i]!);
      }
    } else {
      log.records.push(...records);
      log.bytes += Buffer.byteLength(text);
    }
    if (log.records.length > cap) {
      log.starts?.splice(0, log.records.length - cap);
      log.records.splice(0, log.records.length - cap);
    }
    log.lines += records.length;
    if (log.lines > 2 * cap) {
      // The file keeps its newest `cap` lines, copied as bytes rather than written again. A line
      // holds no raw newline (JSON escapes it), so the kept part starts after the dropped-th one.
      const bytes = readFileSync(file);
      let offset = 0;
      for (let dropped = 0; dropped < log.lines - cap; dropped++) {
        const newline = bytes.indexOf(10, offset);
        if (newline < 0) break;
        offset = newline + 1;
      }
      this.forget(file);
      writeAtomically(file, bytes.subarray(offset));
      log.lines = cap;
      log.bytes = bytes.length - offset;
      if (log.starts) for (let i = 0; i < log.starts.length; i++) log.starts[i]! -= offset;
    }
  }

  private logFile(accountId: string, name: string): string {
    if (!/^[0-9]{12}$/.test(accountId) || !/^[a-z0-9-]+$/.test(name) || name === 'journal') throw new Error(`sandbox: invalid log ${accountId}.${name}`);
    return join(this.dir!, `${accountId}.${name}.jsonl`);
  }

  private openLog(accountId: string, name: string): AppendLog {
    const key = `${accountId}.${name}`;
    let log = this.logs.get(key);
    if (log) return log;
    const summarise = this.dir ? this.summaries.get(name) : undefined;
    log = { records: [], lines: 0, bytes: 0, starts: summarise ? [] : undefined };
    const file = this.dir ? this.logFile(accountId, name) : undefined;
    if (file && existsSync(file)) {
      let bytes = readFileSync(file);
      const lines = bytes.toString('utf8').split('\n');
      // After the last newline: nothing, or a line that lost its newline (kept if it reads whole).
      let clean = lines.at(-1) === '';
      if (clean) lines.pop();
      const records: unknown[] = [];
      for (const line of lines) {
        try {
          records.push(JSON.parse(line, reviver));
        } catch {
          clean = false;
        }
      }
      if (!clean) {
        // A torn line (or a last one without its newline): rewrite the file from the records
        // read, so that the next append starts on a line of its own and every line is a record.
        this.logger.warn({ file }, 'sandbox: dropped a torn log line');
        bytes = Buffer.from(logLines(records).join(''));
        writeAtomically(file, bytes);
      }
      log.lines = records.length;
      log.bytes = bytes.length;
      if (summarise) {
        log.starts!.push(...lineStarts(bytes, records.length));
        for (const record of records) log.records.push(summarise(record as never));
      } else {
        log.records.push(...records);
      }
    }
    this.logs.set(key, log);
    return log;
  }
}
