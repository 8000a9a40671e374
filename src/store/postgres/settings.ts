import { assertNonEmpty } from "../validation.js";
import type { PostgresPool } from "./database.js";

/**
 * A key/value table for small settings (an instance id, a feature switch).
 *
 * @example
 * const settings = new PostgresSettings(pool, Date.now);
 * await settings.set("instance.name", "eu-1");
 */
export class PostgresSettings {
  constructor(
    private readonly pool: PostgresPool,
    private readonly clock: () => number,
  ) {}

  async get(key: string): Promise<string | null> {
    return (await this.pool.query<{ value: string }>("SELECT value FROM settings WHERE key = $1", [key])).rows[0]?.value ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    assertNonEmpty(key, "key");
    await this.pool.query(
      "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
      [key, value, this.clock()],
    );
  }

  /**
   * INSERT … ON CONFLICT DO NOTHING, then read back. A concurrent first insert makes ours wait on
   * its row and then do nothing, so the read sees the winner's committed value.
   */
  async claim(key: string, value: string): Promise<string> {
    assertNonEmpty(key, "key");
    await this.pool.query("INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING", [key, value, this.clock()]);
    return (await this.get(key)) ?? value;
  }

  async delete(key: string): Promise<boolean> {
    return ((await this.pool.query("DELETE FROM settings WHERE key = $1", [key])).rowCount ?? 0) > 0;
  }
}
