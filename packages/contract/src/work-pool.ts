/**
 * At most `size` tasks at once. A run's checks take a slot each; the parts a running check
 * spreads (its generated cases) are urgent and go before the next check, so that a check once
 * started finishes soon and the report's early lines do not wait on the late ones.
 */
export class WorkPool {
  private running = 0;
  private readonly urgent: Array<() => void> = [];
  private readonly normal: Array<() => void> = [];
  private readonly idlers: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`pool size ${size}`);
  }

  /** Resolves when the caller holds a slot; `release` it once done. */
  acquire(urgent = false): Promise<void> {
    const queued = this.urgent.length + (urgent ? 0 : this.normal.length);
    if (this.running < this.size && queued === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    // The slot is handed over by `release`, which leaves `running` as it is.
    return new Promise((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
  }

  release(): void {
    const next = this.urgent.shift() ?? this.normal.shift();
    if (next) {
      next();
      return;
    }
    this.running -= 1;
    if (this.running === 0) for (const idle of this.idlers.splice(0)) idle();
  }

  /** Runs `task` in a slot of its own. */
  async run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    await this.acquire(urgent);
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  /** Resolves once no task holds a slot. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }
}
