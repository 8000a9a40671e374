import { StoreError } from "../errors.js";
import type { MigrationReport } from "../records.js";
import { TRIGGER_IDS } from "../records.js";
import { immediate, type SqliteDatabase } from "./database.js";

/**
 * One schema change. Append only: a released migration is never edited, a new version follows.
 *
 * @example
 * const migration: SqliteMigration = { version: 2, name: "outbox index", sql: "CREATE INDEX ..." };
 */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

const triggerIds = TRIGGER_IDS.map((id) => `'${id}'`).join(", ");

/**
 * The SQLite schema's history. Times are epoch milliseconds (INTEGER); JSON is TEXT.
 *
 * @example
 * SQLITE_MIGRATIONS.at(-1)?.version; // the latest schema version
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: "connections, trigger subscriptions, outbox, emitted keys, call log, settings",
    sql: `
      CREATE TABLE connections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT NOT NULL CHECK (region IN ('us', 'eu', 'au')),
        base_url TEXT,
        access_token_encrypted TEXT NOT NULL,
        api_key_hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );

      CREATE TABLE trigger_subscriptions (
        id TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        trigger_id TEXT NOT NULL CHECK (trigger_id IN (${triggerIds})),
        cursor TEXT NOT NULL,
        cursor_version INTEGER NOT NULL DEFAULT 0,
        next_poll_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        state TEXT NOT NULL CHECK (state IN ('active', 'stopped')),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX trigger_subscriptions_by_connection ON trigger_subscriptions (connection_id);
      CREATE INDEX trigger_subscriptions_due ON trigger_subscriptions (state, next_poll_at);

      -- AUTOINCREMENT: ids are never reused, even after the newest rows are pruned, so id order
      -- is emission order for good.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription_id TEXT NOT NULL REFERENCES trigger_subscriptions (id) ON DELETE CASCADE,
        dedupe_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        delivered_at INTEGER,
        UNIQUE (subscription_id, dedupe_key)
      );
      CREATE INDEX outbox_by_status ON outbox (subscription_id, status, id);
      CREATE INDEX outbox_delivered_at ON outbox (status, delivered_at);

      -- Dedupe outlives the outbox: delivered rows go after a day, keys after the look-back.
      CREATE TABLE emitted_keys (
        subscription_id TEXT NOT NULL REFERENCES trigger_subscriptions (id) ON DELETE CASCADE,
        dedupe_key TEXT NOT NULL,
        emitted_at INTEGER NOT NULL,
        PRIMARY KEY (subscription_id, dedupe_key)
      ) WITHOUT ROWID;
      CREATE INDEX emitted_keys_by_age ON emitted_keys (emitted_at);

      -- A sliding log: one row per unit spent, per budget key.
      CREATE TABLE call_log (
        id INTEGER PRIMARY KEY,
        budget_key TEXT NOT NULL,
        called_at INTEGER NOT NULL
      );
      CREATE INDEX call_log_by_key ON call_log (budget_key, called_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "webhook subscriptions, Intercom client secrets, redriven events",
    sql: `
      -- Sealed like the access token; NULL: the connection accepts no pushes from Intercom.
      ALTER TABLE connections ADD COLUMN intercom_client_secret_encrypted TEXT;

      -- A redriven dead event counts its retry deadline from here instead of created_at.
      ALTER TABLE outbox ADD COLUMN retry_from INTEGER;

      -- A webhook is a trigger subscription plus where and how to push its outbox; it shares the
      -- subscription's id and goes with it. The delivery lease keeps one deliverer per webhook.
      CREATE TABLE webhooks (
        subscription_id TEXT PRIMARY KEY REFERENCES trigger_subscriptions (id) ON DELETE CASCADE,
        callback_url TEXT NOT NULL,
        secret_encrypted TEXT NOT NULL,
        delivery_lease_owner TEXT,
        delivery_lease_until INTEGER,
        created_at INTEGER NOT NULL
      );
    `,
  },
];

/**
 * Applies the migrations the database lacks, each in its own `BEGIN IMMEDIATE` transaction that
 * first re-reads the applied version: a second process waiting on the lock then finds the work
 * done, and a crash leaves whole migrations only. Refuses a database migrated by a newer release.
 *
 * @example
 * migrateSqlite(db, SQLITE_MIGRATIONS, Date.now); // { applied: [1], version: 1 }
 */
export function migrateSqlite(db: SqliteDatabase, migrations: readonly SqliteMigration[], clock: () => number): MigrationReport {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const applied: number[] = [];
  const currentVersion = (): number => {
    const row = db.prepare<[], { version: number | null }>("SELECT max(version) AS version FROM schema_migrations").get();
    const version = row?.version ?? 0;
    if (version > latest) {
      throw new StoreError("schema_too_new", `the database schema is at version ${version}, this release knows up to ${latest}: upgrade the connector`);
    }
    return version;
  };
  immediate(db, () => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  });
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    immediate(db, () => {
      if (currentVersion() >= migration.version) return;
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, clock());
      applied.push(migration.version);
    });
  }
  return { applied, version: currentVersion() };
}
