import type { MigrationReport, SchemaStatus } from "../records.js";
import { ComposedStore } from "../composed-store.js";
import { databaseShown, verifyStoreKeyOf } from "../key-check.js";
import type { StoreOptions } from "../store.js";
import { PostgresCallBudget } from "./call-budget.js";
import { PostgresConnections } from "./connections.js";
import { ensureSchema, openPostgresPool, parsePostgresUrl, type PostgresPool } from "./database.js";
import { migratePostgres, POSTGRES_MIGRATIONS } from "./migrations.js";
import { PostgresOutbox } from "./outbox.js";
import { PostgresSettings } from "./settings.js";
import { PostgresSubscriptions } from "./subscriptions.js";
import { PostgresWebhooks } from "./webhooks.js";

/**
 * The store on a PostgreSQL database (node-postgres, a pool of connections). Any number of
 * instances and processes may share one database: leases are claimed with
 * `FOR UPDATE SKIP LOCKED`, a poll's commit locks its subscription's row, budgets and migrations
 * queue on advisory locks. The URL's optional `schema` parameter puts the tables in that schema
 * (created if missing), and `max` sets the pool size (default 10). Needs PostgreSQL 11 or later
 * (`hashtextextended`).
 *
 * @example
 * const store = await PostgresStore.open("postgres://connector@db:5432/connector?schema=intercom", { secretKey });
 * await store.listConnections();
 * await store.close();
 */
export class PostgresStore extends ComposedStore {
  private readonly webhooks: PostgresWebhooks;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly pool: PostgresPool,
    private readonly clock: () => number,
    secretKey: Buffer,
  ) {
    const outbox = new PostgresOutbox(pool, clock);
    const subscriptions = new PostgresSubscriptions(pool, outbox, clock);
    const webhooks = new PostgresWebhooks(pool, subscriptions, secretKey, clock);
    super({
      connections: new PostgresConnections(pool, secretKey, clock),
      subscriptions,
      webhooks,
      outbox,
      budget: new PostgresCallBudget(pool),
      settings: new PostgresSettings(pool, clock),
    }, secretKey);
    this.webhooks = webhooks;
  }

  /**
   * Opens a pool on `url` (`postgres://` or `postgresql://`), creates the URL's `schema` if
   * missing, and migrates unless `migrate: false` (then refuses a database written under another
   * secret key: `wrong_secret_key`). Throws `StoreError` `invalid_argument` for a bad `schema` or
   * `max` before connecting; a connection failure is the driver's error.
   */
  static async open(url: string, options: StoreOptions): Promise<PostgresStore> {
    const location = parsePostgresUrl(url);
    const pool = openPostgresPool(location);
    try {
      if (location.schema !== null) await ensureSchema(pool, location.schema);
      const store = new PostgresStore(pool, options.clock ?? Date.now, options.secretKey);
      if (options.migrate !== false) {
        await migratePostgres(pool, POSTGRES_MIGRATIONS, store.clock);
        await verifyStoreKeyOf(store, options.secretKey, `its database: ${databaseShown(url)}`);
        // Needs the key, so not a migration: `migrate()` alone may run under a throwaway key.
        await store.webhooks.sealClearCallbackUrls();
      }
      return store;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async migrate(): Promise<MigrationReport> {
    return migratePostgres(this.pool, POSTGRES_MIGRATIONS, this.clock);
  }

  async schemaStatus(): Promise<SchemaStatus> {
    const latest = POSTGRES_MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);
    // to_regclass: null (not an error) while the table does not exist yet, in this schema.
    const exists = (await this.pool.query<{ name: string | null }>("SELECT to_regclass('schema_migrations')::text AS name")).rows[0]?.name ?? null;
    if (exists === null) return { version: 0, latest };
    const version = (await this.pool.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations")).rows[0]?.version ?? 0;
    return { version, latest };
  }

  /** Ends the pool (waiting for queries in flight); closing again is a no-op. */
  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
  }
}
