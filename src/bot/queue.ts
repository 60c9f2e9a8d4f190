/**
 * Work off the request path: a job starts only after the current turn of the event loop (so the
 * acknowledgement that queued it has been written), at most `concurrency` jobs run at once, and
 * jobs with the same key (one learner) run one after another, in order.
 */

export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxPending = 10_000,
  ) {}

  /** Jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Queues a job; the promise settles with the job. Throws QueueFullError when full. */
  push<T>(key: string, job: () => Promise<T>): Promise<T> {
    if (this.pending >= this.maxPending) throw new QueueFullError('The lab is busy; try again in a minute.');
    this.pending++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.acquire();
      try {
        return await job();
      } finally {
        this.release();
      }
    });
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      this.pending--;
      if (this.pending === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    return result;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
