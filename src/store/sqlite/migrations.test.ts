import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import { START_MS } from "../testing/harness.js";
import { populateSchemaV2, SCHEMA_V2_TABLES } from "../testing/schema-v2-data.js";
import { openSqliteDatabase, type SqliteDatabase } from "./database.js";
import { migrateSqlite, SQLITE_MIGRATIONS, type SqliteMigration } from "./migrations.js";
import { SqliteStore } from "./sqlite-store.js";

const clock = (): number => START_MS;
const upTo = (version: number): SqliteMigration[] => SQLITE_MIGRATIONS.filter((m) => m.version <= version);

const dirs: string[] = [];
const handles: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const handle of handles.splice(0)) handle.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A database file at `version`, opened the way the store opens it (foreign keys on). */
async function databaseAt(version: number): Promise<{ path: string; db: SqliteDatabase }> {
  const dir = await mkdtemp(join(tmpdir(), "icc-migrate-"));
  dirs.push(dir);
  const path = join(dir, "connector.db");
  const db = openSqliteDatabase(path);
  handles.push(db);
  migrateSqlite(db, upTo(version), clock);
  return { path, db };
}

/** Every row of `table`, in a stable order. */
function rows(db: SqliteDatabase, table: string): unknown[] {
  return db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
}

const insertSubscription = (db: SqliteDatabase, id: string, connectionId: string, triggerId: string): void => {
  db.prepare(
    "INSERT INTO trigger_subscriptions (id, connection_id, trigger_id, cursor, next_poll_at, state, created_at) VALUES (?, ?, ?, '{}', 0, 'active', 0)",
  ).run(id, connectionId, triggerId);
};

describe("SQLite migration 3", () => {
  it("moves a version-2 database to 3 with every row, reference and cascade intact, and frees the trigger id", async () => {
    const { path, db } = await databaseAt(2);
    const secretKey = randomBytes(32);
    const old = SqliteStore.open(path, { secretKey, clock, migrate: false });
    const data = await populateSchemaV2(old, (id, connectionId, triggerId) => insertSubscription(db, id, connectionId, triggerId));
    await old.close();
    // Version 2 checks trigger ids in SQL.
    expect(() => insertSubscription(db, "future-at-2", data.a.connectionId, "TrigFuture")).toThrow(/CHECK constraint failed/);
    const before = Object.fromEntries(SCHEMA_V2_TABLES.map((table) => [table, rows(db, table)]));
    expect(Object.values(before).map((r) => r.length)).toEqual([2, 3, 6, 6, 2, 1]);

    expect(migrateSqlite(db, upTo(3), clock)).toEqual({ applied: [3], version: 3 });

    // The runner turned foreign keys back on, and nothing breaks one.
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(Object.fromEntries(SCHEMA_V2_TABLES.map((table) => [table, rows(db, table)]))).toEqual(before);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trigger_subscriptions' AND sql IS NOT NULL ORDER BY name").all();
    expect(indexes).toEqual([{ name: "trigger_subscriptions_by_connection" }, { name: "trigger_subscriptions_due" }]);
    for (const child of ["outbox", "emitted_keys", "webhooks"]) {
      expect(db.pragma(`foreign_key_list(${child})`), child).toMatchObject([{ table: "trigger_subscriptions", from: "subscription_id", to: "id", on_delete: "CASCADE" }]);
    }

    // Cascades still reach through the rebuilt table: a subscription takes its outbox, keys and
    // webhook; a connection takes its subscriptions and theirs. The other connection keeps all.
    const count = (table: string, subscriptionId: string): number =>
      (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE subscription_id = ?`).get(subscriptionId) as { n: number }).n;
    expect([count("outbox", data.a.webhookSubscriptionId), count("emitted_keys", data.a.webhookSubscriptionId), count("webhooks", data.a.webhookSubscriptionId)]).toEqual([3, 3, 1]);
    db.prepare("DELETE FROM trigger_subscriptions WHERE id = ?").run(data.a.webhookSubscriptionId);
    expect([count("outbox", data.a.webhookSubscriptionId), count("emitted_keys", data.a.webhookSubscriptionId), count("webhooks", data.a.webhookSubscriptionId)]).toEqual([0, 0, 0]);
    expect(count("outbox", data.a.plainSubscriptionId)).toBe(1);
    db.prepare("DELETE FROM connections WHERE id = ?").run(data.a.connectionId);
    expect(rows(db, "trigger_subscriptions")).toMatchObject([{ id: data.b.webhookSubscriptionId }]);
    expect([count("outbox", data.a.plainSubscriptionId), count("emitted_keys", data.a.plainSubscriptionId)]).toEqual([0, 0]);
    expect([count("outbox", data.b.webhookSubscriptionId), count("emitted_keys", data.b.webhookSubscriptionId), count("webhooks", data.b.webhookSubscriptionId)]).toEqual([2, 2, 1]);

    // Any trigger id is storable in SQL now; the store's own check still refuses unknown ones.
    insertSubscription(db, "future-at-3", data.b.connectionId, "TrigFuture");
    expect(db.prepare("SELECT trigger_id FROM trigger_subscriptions WHERE id = 'future-at-3'").get()).toEqual({ trigger_id: "TrigFuture" });
    const store = SqliteStore.open(path, { secretKey, clock });
    handles.push({ close: () => void store.close() });
    const refused: unknown = await store
      .createSubscription({ connectionId: data.b.connectionId, triggerId: "TrigFuture" as never, cursor: "{}", nextPollAt: new Date(0) })
      .catch((e: unknown) => e);
    expect(isStoreError(refused, "invalid_argument")).toBe(true);
  });

  it("carries the call log over: a budget spent before the upgrade stays spent", async () => {
    const { db } = await databaseAt(2);
    const insert = db.prepare("INSERT INTO call_log (budget_key, called_at) VALUES (?, ?)");
    // Out of order on purpose: the ring is built in time order whatever the ids.
    for (const at of [START_MS - 30_000, START_MS - 50_000, START_MS - 40_000]) insert.run("connection:c1", at);
    insert.run("connection:c2", START_MS - 10_000);
    migrateSqlite(db, SQLITE_MIGRATIONS, clock);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'call_log'").all()).toEqual([]);
    const store = SqliteStore.open(db.name, { secretKey: randomBytes(32), clock });
    handles.push({ close: () => void store.close() });
    const spend = (key: string, limit: number, offsetMs = 0) => store.spendCallBudget(key, { limit, windowMs: 60_000, cost: 1, nowMs: START_MS + offsetMs });
    // Three spends inside the window: a limit of 3 is used up until the oldest (−50 s) leaves.
    expect(await spend("connection:c1", 3)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    expect(await spend("connection:c1", 3, 10_000)).toEqual({ allowed: true, remaining: 0 });
    expect(await spend("connection:c2", 100)).toEqual({ allowed: true, remaining: 98 });
  });

  it("runs a foreignKeysOff migration that would break a foreign key not at all, and turns them back on", async () => {
    const { db } = await databaseAt(2);
    const broken: SqliteMigration = {
      version: 3,
      name: "leaves an orphan",
      foreignKeysOff: true,
      sql: "INSERT INTO outbox (subscription_id, dedupe_key, payload, status, next_attempt_at, created_at) VALUES ('nobody', 'k', '{}', 'pending', 0, 0)",
    };
    expect(() => migrateSqlite(db, [...upTo(2), broken], clock)).toThrow(/breaking a foreign key/);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(rows(db, "outbox")).toEqual([]);
    expect(db.prepare("SELECT max(version) AS v FROM schema_migrations").get()).toEqual({ v: 2 });
  });

  it("has a rebuild that would empty the outbox if foreign keys stayed on (why the runner turns them off)", async () => {
    const { path, db } = await databaseAt(2);
    const old = SqliteStore.open(path, { secretKey: randomBytes(32), clock, migrate: false });
    await populateSchemaV2(old, (id, connectionId, triggerId) => insertSubscription(db, id, connectionId, triggerId));
    await old.close();
    const rebuild = upTo(3).at(-1);
    if (rebuild === undefined) throw new Error("no migration 3");
    // The same SQL, foreign keys on, rolled back: DROP TABLE deletes and cascades first.
    db.exec("BEGIN");
    db.exec(rebuild.sql);
    const outboxAfter = rows(db, "outbox").length;
    db.exec("ROLLBACK");
    expect(outboxAfter).toBe(0);
    expect(rows(db, "outbox")).toHaveLength(6);
  });
});

describe("SQLite migration 4", () => {
  it("keeps every subscription as a library one (never expired), webhooks included, and adds the columns expiry reads", async () => {
    const { path, db } = await databaseAt(2);
    const secretKey = randomBytes(32);
    const old = SqliteStore.open(path, { secretKey, clock, migrate: false });
    const data = await populateSchemaV2(old, (id, connectionId, triggerId) => insertSubscription(db, id, connectionId, triggerId));
    await old.close();
    migrateSqlite(db, upTo(3), clock);
    const before = rows(db, "trigger_subscriptions") as Array<Record<string, unknown>>;
    expect(migrateSqlite(db, upTo(4), clock)).toEqual({ applied: [4], version: 4 });
    expect(rows(db, "trigger_subscriptions")).toEqual(before.map((row) => ({ ...row, kind: "library", last_polled_at: null })));
    const store = SqliteStore.open(path, { secretKey, clock });
    handles.push({ close: () => void store.close() });
    // Made before, they cannot be told from library ones: nothing expires them, however old.
    expect(await store.expireIdlePollingSubscriptions(new Date(START_MS + 365 * 86_400_000))).toBe(0);
    expect((await store.listSubscriptions()).map((s) => s.id).sort()).toEqual(
      [data.a.webhookSubscriptionId, data.a.plainSubscriptionId, data.b.webhookSubscriptionId].sort(),
    );
  });
});
