import type { Prng } from "./prng.js";

/**
 * Deterministic 24-hex ids shaped like the workspace's own (4 bytes of creation time, 5 bytes of
 * source, a 3-byte counter). The source bytes come from the seed's generator, so seeded ids do not
 * collide with ids the workspace makes later (those use its own random source bytes).
 *
 * @example
 * const ids = new SeedIds(new Prng(1));
 * ids.next(1_700_000_000, workspace.contacts); // "6553f100…"
 */
export class SeedIds {
  private readonly source: string;
  private counter = 0;

  constructor(rng: Prng) {
    this.source = rng.hex(10);
  }

  /** The next id for a record created at `seconds` that `taken` does not already hold. */
  next(seconds: number, taken: { has(id: string): boolean }): string {
    const time = (seconds >>> 0).toString(16).padStart(8, "0");
    for (;;) {
      this.counter = (this.counter + 1) % 0x1_000_000;
      const id = time + this.source + this.counter.toString(16).padStart(6, "0");
      if (!taken.has(id)) return id;
    }
  }
}
