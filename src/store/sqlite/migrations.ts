import { StoreError } from "../errors.js";
import type { MigrationReport } from "../records.js";
import { immediate, type SqliteDatabase } from "./database.js";

/**
 * One schema change. Append only: a released migration is never edited, a new version follows.
 *
 * @example
 * const migration: SqliteMigration = { version: 4, name: "outbox index", sql: "CREATE INDEX ..." };
 * const rebuild: SqliteMigration = { version: 5, name: "drop a CHECK", sql: "CREATE TABLE t_new ...", foreignKeysOff: true };
 */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds a table others reference (SQLite's 12-step table change): the runner
   * turns foreign keys off around its transaction (they cannot change inside one) and runs
   * `PRAGMA foreign_key_check` before committing. With them on, the rebuild's `DROP TABLE` would
   * delete the table's rows first, and cascade into every table that references it.
   */
  foreignKeysOff?: boolean;
}

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
        trigger_id TEXT NOT NULL CHECK (trigger_id IN ('TrigNewLead', 'TrigNewUser', 'TrigUpdateUser', 'TrigNewConversation')),
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
  {
    version: 3,
    name: "trigger ids checked in code only; call budgets as rings instead of a call log",
    foreignKeysOff: true,
    sql: `
      -- Trigger ids are checked in code (validation.ts): a new trigger needs no migration. SQLite
      -- drops a CHECK only by rebuilding the table (https://sqlite.org/lang_altertable.html,
      -- "other kinds of table schema changes"): create, copy, drop, rename, re-index. The runner
      -- keeps foreign keys off meanwhile, so the DROP deletes no subscription, and outbox,
      -- emitted_keys and webhooks, which name trigger_subscriptions, reference the new table.
      CREATE TABLE trigger_subscriptions_v3 (
        id TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        trigger_id TEXT NOT NULL,
        cursor TEXT NOT NULL,
        cursor_version INTEGER NOT NULL DEFAULT 0,
        next_poll_at INTEGER NOT NULL,
        lease_owner TEXT,
        lease_until INTEGER,
        state TEXT NOT NULL CHECK (state IN ('active', 'stopped')),
        created_at INTEGER NOT NULL
      );
      INSERT INTO trigger_subscriptions_v3 (id, connection_id, trigger_id, cursor, cursor_version, next_poll_at, lease_owner, lease_until, state, created_at)
        SELECT id, connection_id, trigger_id, cursor, cursor_version, next_poll_at, lease_owner, lease_until, state, created_at FROM trigger_subscriptions;
      DROP TABLE trigger_subscriptions;
      ALTER TABLE trigger_subscriptions_v3 RENAME TO trigger_subscriptions;
      CREATE INDEX trigger_subscriptions_by_connection ON trigger_subscriptions (connection_id);
      CREATE INDEX trigger_subscriptions_due ON trigger_subscriptions (state, next_poll_at);

      -- A budget is a ring of its last slot_count accepted units (call-budget.ts): unit number n
      -- (counting from 0) lives in slot n % slot_count, overwriting unit n - slot_count, so a spend
      -- touches the same few rows at any limit. newest_at: the latest time stored (times stored
      -- never go back, so the ring stays in time order).
      CREATE TABLE call_budgets (
        budget_key TEXT PRIMARY KEY,
        slot_count INTEGER NOT NULL,
        next_seq INTEGER NOT NULL,
        newest_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- No foreign key to call_budgets: every write is under the budget's lock already, and a
      -- parent lookup per slot written would cost every call.
      CREATE TABLE call_budget_slots (
        budget_key TEXT NOT NULL,
        slot INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        called_at INTEGER NOT NULL,
        PRIMARY KEY (budget_key, slot)
      ) WITHOUT ROWID;
      -- Finds the oldest unit inside a window in one seek, for the spend's "remaining".
      CREATE INDEX call_budget_slots_by_time ON call_budget_slots (budget_key, called_at, seq);

      -- The log's spends carry over, each key's as a ring of exactly its size: the first spend
      -- under the configured limit rebuilds it to that size, so no budget restarts from zero.
      INSERT INTO call_budgets (budget_key, slot_count, next_seq, newest_at)
        SELECT budget_key, count(*), count(*), max(called_at) FROM call_log GROUP BY budget_key;
      INSERT INTO call_budget_slots (budget_key, slot, seq, called_at)
        SELECT budget_key, n, n, called_at
        FROM (SELECT budget_key, called_at, row_number() OVER (PARTITION BY budget_key ORDER BY called_at, id) - 1 AS n FROM call_log);
      DROP TABLE call_log;
    `,
  },
  {
    version: 4,
    name: "subscription kinds; when a Power Automate polling subscription was last polled",
    sql: `
      -- What made a subscription (SubscriptionKind in records.ts), checked in code like the
      -- trigger ids: 'library' (subscribe: the library, the CLI, webhooks) or 'polling' (Power
      -- Automate's polling protocol, which never deletes the ones it abandons: they expire once no
      -- flow polled them for the idle limit). Rows made before cannot tell the two apart: they stay
      -- 'library', never expired.
      ALTER TABLE trigger_subscriptions ADD COLUMN kind TEXT NOT NULL DEFAULT 'library';
      ALTER TABLE trigger_subscriptions ADD COLUMN last_polled_at INTEGER;
      -- Finds the expired ones in one range scan.
      CREATE INDEX trigger_subscriptions_idle ON trigger_subscriptions (kind, last_polled_at);
    `,
  },
  {
    version: 5,
    name: "call budget history: calls spent and refused per minute",
    sql: `
      -- What the web console draws: per budget and minute (epoch ms of its start), the units
      -- admitted and refused. Written by the spend's own transaction; pruned with idle budgets.
      CREATE TABLE call_budget_minutes (
        budget_key TEXT NOT NULL,
        minute INTEGER NOT NULL,
        spent INTEGER NOT NULL,
        refused INTEGER NOT NULL,
        PRIMARY KEY (budget_key, minute)
      ) WITHOUT ROWID;
      -- The prune finds old minutes in one range scan.
      CREATE INDEX call_budget_minutes_by_minute ON call_budget_minutes (minute);
    `,
  },
  {
    version: 6,
    name: "webhook delivery attempts: time, status code, latency, error",
    sql: `
      -- Every attempt to deliver an outbox event to its webhook, as the run history shows it. It
      -- goes with its event (the outbox's retention prunes both); the subscription id is kept
      -- for listing a subscription's attempts in one range scan.
      CREATE TABLE delivery_attempts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subscription_id TEXT NOT NULL,
        event_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        attempted_at INTEGER NOT NULL,
        status_code INTEGER,
        latency_ms INTEGER NOT NULL,
        error TEXT
      );
      CREATE INDEX delivery_attempts_by_subscription ON delivery_attempts (subscription_id, id);
      -- The cascade from the outbox finds an event's attempts without a scan.
      CREATE INDEX delivery_attempts_by_event ON delivery_attempts (event_id);
    `,
  },
  {
    version: 7,
    name: "trigger subscription filters",
    sql: `
      -- The options a flow sets on its subscription (a ticket type, an admin or team, a tag), as
      -- canonical JSON of values by filter name: subscriptions of a connection and trigger share a
      -- scan only with the same text. Existing subscriptions have none.
      ALTER TABLE trigger_subscriptions ADD COLUMN filters TEXT NOT NULL DEFAULT '{}';
    `,
  },
];

/**
 * Applies the migrations the database lacks, each in its own `BEGIN IMMEDIATE` transaction that
 * first re-reads the applied version: a second process waiting on the lock then finds the work
 * done, and a crash leaves whole migrations only. Refuses a database migrated by a newer release.
 * A migration marked `foreignKeysOff` runs with foreign keys off on this connection (turned off
 * before its transaction begins, back on after it ends) and commits only if
 * `PRAGMA foreign_key_check` finds nothing.
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
    // Checked before turning foreign keys off: a database already there needs no pragma at all.
    if (currentVersion() >= migration.version) continue;
    const apply = (): void =>
      immediate(db, () => {
        // Re-read under the write lock: another process may have applied it since.
        if (currentVersion() >= migration.version) return;
        db.exec(migration.sql);
        if (migration.foreignKeysOff === true) assertForeignKeysHold(db, migration);
        db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(migration.version, migration.name, clock());
        applied.push(migration.version);
      });
    if (migration.foreignKeysOff === true) withoutForeignKeys(db, apply);
    else apply();
  }
  return { applied, version: currentVersion() };
}

/**
 * Runs `fn` with foreign key enforcement off on this connection, then restores what it was.
 * SQLite ignores the pragma inside a transaction, so it is set here, outside `fn`'s. Other
 * connections (processes) keep enforcing: the setting is per connection.
 */
function withoutForeignKeys(db: SqliteDatabase, fn: () => void): void {
  const before = db.pragma("foreign_keys", { simple: true }) as number;
  db.pragma("foreign_keys = OFF");
  try {
    fn();
  } finally {
    db.pragma(`foreign_keys = ${before === 0 ? "OFF" : "ON"}`);
  }
}

/**
 * Step 10 of SQLite's table rebuild: nothing the migration left may break a foreign key (checked
 * inside its transaction, so a violation rolls the whole migration back).
 */
function assertForeignKeysHold(db: SqliteDatabase, migration: SqliteMigration): void {
  const violations = db.pragma("foreign_key_check") as Array<{ table: string; parent: string }>;
  if (violations.length === 0) return;
  const first = violations[0];
  // Not a StoreError: no caller's input is at fault, the database holds rows the schema forbids.
  throw new Error(
    `migration ${migration.version} (${migration.name}) would leave ${violations.length} row(s) breaking a foreign key, e.g. in ${first?.table} to ${first?.parent}: nothing was changed`,
  );
}
