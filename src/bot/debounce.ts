/**
 * Coalesces bursts per key: `touch(key)` runs the task once `delayMs` after the first touch of a
 * burst; touches while it runs schedule one more run afterwards. Used for the leaderboard
 * (chat.update) and App Home (views.publish), which must not be sent once per change.
 */
export class Debouncer {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private closed = false;

  constructor(
    private readonly delayMs: number,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {}

  touch(key: string, task: () => Promise<void>): void {
    if (this.closed) return;
    if (this.running.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.run(key, task).catch(() => {}); // reported by run
    }, this.delayMs);
    timer.unref?.();
    this.timers.set(key, timer);
  }

  /** Runs the task now (cancelling a pending run), then any touch that came in meanwhile; rejects when it fails. */
  now(key: string, task: () => Promise<void>): Promise<void> {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const current = this.running.get(key);
    if (current) {
      this.dirty.add(key);
      return current;
    }
    return this.run(key, task);
  }

  /** Runs the task; the returned promise rejects with its error, which is also reported. */
  private run(key: string, task: () => Promise<void>): Promise<void> {
    const p = task().finally(() => {
      this.running.delete(key);
      if (this.dirty.delete(key)) this.touch(key, task);
    });
    const reported = p.catch((err: unknown) => this.onError(key, err));
    this.running.set(key, reported);
    return p;
  }

  /** Resolves when no run is pending or in flight (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.timers.size || this.running.size) {
      await Promise.all([...this.running.values()]);
      if (this.timers.size && !this.running.size) await new Promise((r) => setTimeout(r, Math.min(this.delayMs, 20)));
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
