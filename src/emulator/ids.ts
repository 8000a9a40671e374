import { randomBytes } from "node:crypto";

/**
 * Generates ids shaped like Intercom's: 24 hex characters for contacts and companies (Mongo-style,
 * time-prefixed so they sort roughly by creation), decimal strings for admins, tags, conversations.
 *
 * @example
 * const ids = new IdGenerator();
 * ids.hex(); // "6762f0dd1bb69f9f2193bb83"
 * ids.numeric("tag"); // "1"
 */
export class IdGenerator {
  private readonly counters = new Map<string, number>();
  private hexCounter = randomBytes(3).readUIntBE(0, 3);
  private readonly processPart = randomBytes(5).toString("hex");

  /** A 24-hex id: 4 bytes of seconds, 5 random bytes, a 3-byte counter. */
  hex(nowSeconds: number = Math.floor(Date.now() / 1000)): string {
    this.hexCounter = (this.hexCounter + 1) % 0xffffff;
    const time = (nowSeconds >>> 0).toString(16).padStart(8, "0");
    return time + this.processPart + this.hexCounter.toString(16).padStart(6, "0");
  }

  /** The next decimal id in a named sequence, starting at `start`. */
  numeric(sequence: string, start = 1): string {
    const next = (this.counters.get(sequence) ?? start - 1) + 1;
    this.counters.set(sequence, next);
    return String(next);
  }
}
