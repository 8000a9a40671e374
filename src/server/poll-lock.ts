/**
 * One holder at a time per key, in this process: the polls of one trigger subscription run one
 * after the other, so a poll never hands out events an earlier poll is still sending.
 *
 * @example
 * const locks = new KeyedLock();
 * const release = await locks.acquire(subscriptionId);
 * try { await work(); } finally { release(); }
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Waits for the key to be free and takes it; call the returned function (once or more) to free it. */
  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let free!: () => void;
    const held = new Promise<void>((resolve) => (free = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      free();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }

  /** Keys held or waited for (for tests and diagnostics). */
  get size(): number {
    return this.tails.size;
  }
}
