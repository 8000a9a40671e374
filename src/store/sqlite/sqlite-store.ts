import type { MigrationReport, SchemaStatus } from "../records.js";
import { ComposedStore } from "../composed-store.js";
import type { StoreOptions } from "../store.js";
import { SqliteCallBudget } from "./call-budget.js";
import { SqliteConnections } from "./connections.js";
import { openSqliteDatabase, type SqliteDatabase } from "./database.js";
import { verifySqliteStoreKey } from "./key-check.js";
import { migrateSqlite, SQLITE_MIGRATIONS } from "./migrations.js";
import { SqliteOutbox } from "./outbox.js";
import { SqliteSettings } from "./settings.js";
import { SqliteSubscriptions } from "./subscriptions.js";
import { SqliteWebhooks } from "./webhooks.js";

/**
 * What opening a SQLite store takes: the common options and how long to wait for a busy file.
 *
 * @example
 * const options: SqliteStoreOptions = { secretKey, busyTimeoutMs: 5_000 };
 */
export interface SqliteStoreOptions extends StoreOptions {
  busyTimeoutMs?: number;
}

/**
 * The store on a SQLite file (better-sqlite3). Work is synchronous underneath; the async methods
 * keep the interface a networked database can implement. Several processes may share one file:
 * every write runs under `BEGIN IMMEDIATE` with a busy timeout, in WAL mode.
 *
 * @example
 * const store = SqliteStore.open("./data/connector.db", { secretKey });
 * await store.listConnections();
 * await store.close();
 */
export class SqliteStore extends ComposedStore {
  private readonly webhooks: SqliteWebhooks;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => number,
    secretKey: Buffer,
  ) {
    const outbox = new SqliteOutbox(db, clock);
    const webhooks = new SqliteWebhooks(db, secretKey, clock);
    super({
      connections: new SqliteConnections(db, secretKey, clock),
      subscriptions: new SqliteSubscriptions(db, outbox, clock),
      webhooks,
      outbox,
      budget: new SqliteCallBudget(db),
      settings: new SqliteSettings(db, clock),
    }, secretKey);
    this.webhooks = webhooks;
  }

  /**
   * Opens (and, unless `migrate: false`, migrates) the database at `path` (or `:memory:`). A
   * migrated open refuses a database written under another secret key (`StoreError`
   * `wrong_secret_key`; see `verifyStoreKeySync`).
   */
  static open(path: string, options: SqliteStoreOptions): SqliteStore {
    const db = openSqliteDatabase(path, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    try {
      const store = new SqliteStore(db, options.clock ?? Date.now, options.secretKey);
      if (options.migrate !== false) {
        migrateSqlite(db, SQLITE_MIGRATIONS, store.clock);
        verifySqliteStoreKey(db, options.secretKey, path, store.clock);
        // Needs the key, so not a migration: `migrate()` alone may run under a throwaway key.
        store.webhooks.sealClearCallbackUrls();
      }
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async migrate(): Promise<MigrationReport> {
    return migrateSqlite(this.db, SQLITE_MIGRATIONS, this.clock);
  }

  async schemaStatus(): Promise<SchemaStatus> {
    const latest = SQLITE_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
    const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (table === undefined) return { version: 0, latest };
    const row = this.db.prepare<[], { version: number | null }>("SELECT max(version) AS version FROM schema_migrations").get();
    return { version: row?.version ?? 0, latest };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
