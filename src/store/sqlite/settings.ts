import { assertNonEmpty } from "../validation.js";
import { type SqliteDatabase, StatementCache } from "./database.js";

/**
 * A key/value table for small settings (an instance id, a feature switch).
 *
 * @example
 * const settings = new SqliteSettings(db, Date.now);
 * settings.set("instance.name", "eu-1");
 */
export class SqliteSettings {
  private readonly statements: StatementCache;

  constructor(
    db: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.statements = new StatementCache(db);
  }

  get(key: string): string | null {
    return this.statements.get<[string], { value: string }>("SELECT value FROM settings WHERE key = ?").get(key)?.value ?? null;
  }

  set(key: string, value: string): void {
    assertNonEmpty(key, "key");
    this.statements
      .get<[string, string, number]>("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
      .run(key, value, this.clock());
  }

  /** INSERT OR IGNORE, then read back: one statement each, serialised by SQLite's write lock. */
  claim(key: string, value: string): string {
    assertNonEmpty(key, "key");
    this.statements.get<[string, string, number]>("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING").run(key, value, this.clock());
    return this.get(key) ?? value;
  }

  delete(key: string): boolean {
    return this.statements.get<[string]>("DELETE FROM settings WHERE key = ?").run(key).changes > 0;
  }
}
