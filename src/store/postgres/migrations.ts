import { StoreError } from "../errors.js";
import type { MigrationReport } from "../records.js";
import { type PostgresPool, type Queryable, transaction } from "./database.js";

/**
 * One schema change. Append only: a released migration is never edited, a new version follows.
 *
 * @example
 * const migration: PostgresMigration = { version: 3, name: "outbox index", sql: "CREATE INDEX ..." };
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The PostgreSQL schema's history, version for version the SQLite one's. Times are epoch
 * milliseconds (BIGINT), as in SQLite, so both stores share their row shapes; JSON is TEXT.
 * Tables are unqualified: they land in the connection's `search_path` (the URL's `schema`).
 *
 * @example
 * POSTGRES_MIGRATIONS.at(-1)?.version; // the latest schema version
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
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
        created_at BIGINT NOT NULL
      );

      CREATE TABLE trigger_subscriptions (
        id TEXT PRIMARY KEY,
        connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
        trigger_id TEXT NOT NULL CHECK (trigger_id IN ('TrigNewLead', 'TrigNewUser', 'TrigUpdateUser', 'TrigNewConversation')),
        cursor TEXT NOT NULL,
        cursor_version BIGINT NOT NULL DEFAULT 0,
        next_poll_at BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until BIGINT,
        state TEXT NOT NULL CHECK (state IN ('active', 'stopped')),
        created_at BIGINT NOT NULL
      );
      CREATE INDEX trigger_subscriptions_by_connection ON trigger_subscriptions (connection_id);
      CREATE INDEX trigger_subscriptions_due ON trigger_subscriptions (state, next_poll_at);

      -- An identity draws from a sequence, which never hands out a value twice (even after the
      -- newest rows are pruned or a transaction rolls back), so id order is emission order.
      CREATE TABLE outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id TEXT NOT NULL REFERENCES trigger_subscriptions (id) ON DELETE CASCADE,
        dedupe_key TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_error TEXT,
        created_at BIGINT NOT NULL,
        delivered_at BIGINT,
        UNIQUE (subscription_id, dedupe_key)
      );
      CREATE INDEX outbox_by_status ON outbox (subscription_id, status, id);
      CREATE INDEX outbox_delivered_at ON outbox (status, delivered_at);

      -- Dedupe outlives the outbox: delivered rows go after a day, keys after the look-back.
      CREATE TABLE emitted_keys (
        subscription_id TEXT NOT NULL REFERENCES trigger_subscriptions (id) ON DELETE CASCADE,
        dedupe_key TEXT NOT NULL,
        emitted_at BIGINT NOT NULL,
        PRIMARY KEY (subscription_id, dedupe_key)
      );
      CREATE INDEX emitted_keys_by_age ON emitted_keys (emitted_at);

      -- A sliding log: one row per unit spent, per budget key.
      CREATE TABLE call_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        budget_key TEXT NOT NULL,
        called_at BIGINT NOT NULL
      );
      CREATE INDEX call_log_by_key ON call_log (budget_key, called_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at BIGINT NOT NULL
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
      ALTER TABLE outbox ADD COLUMN retry_from BIGINT;

      -- A webhook is a trigger subscription plus where and how to push its outbox; it shares the
      -- subscription's id and goes with it. The delivery lease keeps one deliverer per webhook.
      CREATE TABLE webhooks (
        subscription_id TEXT PRIMARY KEY REFERENCES trigger_subscriptions (id) ON DELETE CASCADE,
        callback_url TEXT NOT NULL,
        secret_encrypted TEXT NOT NULL,
        delivery_lease_owner TEXT,
        delivery_lease_until BIGINT,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "trigger ids checked in code only; call budgets as rings instead of a call log",
    sql: `
      -- Trigger ids are checked in code (validation.ts): a new trigger needs no migration. The
      -- name is the one PostgreSQL gave migration 1's column CHECK (table_column_check).
      ALTER TABLE trigger_subscriptions DROP CONSTRAINT trigger_subscriptions_trigger_id_check;

      -- A budget is a ring of its last slot_count accepted units (call-budget.ts): unit number n
      -- (counting from 0) lives in slot n % slot_count, overwriting unit n - slot_count, so a spend
      -- touches the same few rows at any limit. newest_at: the latest time stored (times stored
      -- never go back, so the ring stays in time order).
      CREATE TABLE call_budgets (
        budget_key TEXT PRIMARY KEY,
        slot_count INTEGER NOT NULL,
        next_seq BIGINT NOT NULL,
        newest_at BIGINT NOT NULL
      );
      -- No foreign key to call_budgets: every write is under the budget's advisory lock already,
      -- and a referential check per slot written would cost every call.
      CREATE TABLE call_budget_slots (
        budget_key TEXT NOT NULL,
        slot INTEGER NOT NULL,
        seq BIGINT NOT NULL,
        called_at BIGINT NOT NULL,
        PRIMARY KEY (budget_key, slot)
      );
      -- Finds the oldest unit inside a window in one seek, for the spend's "remaining".
      CREATE INDEX call_budget_slots_by_time ON call_budget_slots (budget_key, called_at, seq);

      -- The log's spends carry over, each key's as a ring of exactly its size: the first spend
      -- under the configured limit rebuilds it to that size, so no budget restarts from zero.
      INSERT INTO call_budgets (budget_key, slot_count, next_seq, newest_at)
        SELECT budget_key, count(*), count(*), max(called_at) FROM call_log GROUP BY budget_key;
      INSERT INTO call_budget_slots (budget_key, slot, seq, called_at)
        SELECT budget_key, n, n, called_at
        FROM (SELECT budget_key, called_at, row_number() OVER (PARTITION BY budget_key ORDER BY called_at, id) - 1 AS n FROM call_log) AS numbered;
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
      ALTER TABLE trigger_subscriptions ADD COLUMN last_polled_at BIGINT;
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
        minute BIGINT NOT NULL,
        spent INTEGER NOT NULL,
        refused INTEGER NOT NULL,
        PRIMARY KEY (budget_key, minute)
      );
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
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscription_id TEXT NOT NULL,
        event_id BIGINT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        attempted_at BIGINT NOT NULL,
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
 * Serialises migrations of one schema across processes. Advisory locks are database-wide, so the
 * key names the schema: stores on other schemas of the same database migrate in parallel.
 */
async function lockMigrations(client: Queryable): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtextextended('intercom-connector:migrations:' || coalesce(current_schema(), ''), 0))");
}

/**
 * Applies the migrations the database lacks, each in its own transaction that first takes an
 * advisory lock and re-reads the applied version: a second process waiting on the lock then finds
 * the work done, and a crash leaves whole migrations only (PostgreSQL's DDL is transactional).
 * Refuses a database migrated by a newer release.
 *
 * @example
 * await migratePostgres(pool, POSTGRES_MIGRATIONS, Date.now); // { applied: [1, 2], version: 2 }
 */
export async function migratePostgres(pool: PostgresPool, migrations: readonly PostgresMigration[], clock: () => number): Promise<MigrationReport> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const applied: number[] = [];
  const currentVersion = async (db: Queryable): Promise<number> => {
    const version = (await db.query<{ version: number | null }>("SELECT max(version) AS version FROM schema_migrations")).rows[0]?.version ?? 0;
    if (version > latest) {
      throw new StoreError("schema_too_new", `the database schema is at version ${version}, this release knows up to ${latest}: upgrade the connector`);
    }
    return version;
  };
  await transaction(pool, async (client) => {
    await lockMigrations(client);
    await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
  });
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    await transaction(pool, async (client) => {
      await lockMigrations(client);
      if ((await currentVersion(client)) >= migration.version) return;
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [migration.version, migration.name, clock()]);
      applied.push(migration.version);
    });
  }
  return { applied, version: await currentVersion(pool) };
}
