import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import { START_MS } from "../testing/harness.js";
import { populateSchemaV2, SCHEMA_V2_TABLES } from "../testing/schema-v2-data.js";
import { openPostgresPool, parsePostgresUrl, type PostgresPool } from "./database.js";
import { migratePostgres, POSTGRES_MIGRATIONS } from "./migrations.js";
import { PostgresStore } from "./postgres-store.js";

/** As in postgres-store.test.ts: unset skips these tests, set but unreachable fails them. */
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() ?? "";
const suite = TEST_DATABASE_URL === "" ? describe.skip : describe;
const clock = (): number => START_MS;

suite("PostgreSQL migration 3", () => {
  // Made on first use: describe.skip still runs this body, and must open nothing.
  let adminPool: pg.Pool | undefined;
  const adminOf = (): pg.Pool => {
    if (adminPool === undefined) {
      adminPool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
      adminPool.on("error", () => undefined);
    }
    return adminPool;
  };
  const admin = { query: <R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]) => adminOf().query<R>(text, values) };
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await adminPool?.end();
  });

  /** A fresh schema migrated to `version`, its URL, a pool on it, and its tables' qualified names. */
  async function databaseAt(version: number): Promise<{ url: string; pool: PostgresPool; table: (name: string) => string }> {
    const schema = `icc_m${randomBytes(8).toString("hex")}`;
    const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes("?") ? "&" : "?"}schema=${schema}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    cleanups.push(() => admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    const pool = openPostgresPool(parsePostgresUrl(url));
    cleanups.push(() => pool.end());
    await migratePostgres(
      pool,
      POSTGRES_MIGRATIONS.filter((m) => m.version <= version),
      clock,
    );
    return { url, pool, table: (name) => `${schema}.${pg.escapeIdentifier(name)}` };
  }

  async function open(url: string, options: { secretKey: Buffer; migrate?: boolean }): Promise<PostgresStore> {
    const store = await PostgresStore.open(url, { clock, ...options });
    cleanups.push(() => store.close());
    return store;
  }

  it("moves a version-2 database to 3 with every row and cascade intact, and frees the trigger id", async () => {
    const { url, pool, table } = await databaseAt(2);
    const secretKey = randomBytes(32);
    const rows = async (name: string): Promise<unknown[]> => (await admin.query(`SELECT * FROM ${table(name)} ORDER BY 1, 2`)).rows;
    const insertSubscription = (id: string, connectionId: string, triggerId: string) =>
      admin.query(
        `INSERT INTO ${table("trigger_subscriptions")} (id, connection_id, trigger_id, cursor, next_poll_at, state, created_at) VALUES ($1, $2, $3, '{}', 0, 'active', 0)`,
        [id, connectionId, triggerId],
      );
    const data = await populateSchemaV2(await open(url, { secretKey, migrate: false }), insertSubscription);
    // Version 2 checks trigger ids in SQL.
    await expect(insertSubscription("future-at-2", data.a.connectionId, "TrigFuture")).rejects.toThrow(/trigger_subscriptions_trigger_id_check/);
    const before: Record<string, unknown[]> = {};
    for (const name of SCHEMA_V2_TABLES) before[name] = await rows(name);
    expect(Object.values(before).map((r) => r.length)).toEqual([2, 3, 6, 6, 2, 1]);

    expect(await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= 3), clock)).toEqual({ applied: [3], version: 3 });

    const after: Record<string, unknown[]> = {};
    for (const name of SCHEMA_V2_TABLES) after[name] = await rows(name);
    expect(after).toEqual(before);
    // The state CHECK stays; only the trigger id's went.
    const checks = await admin.query<{ conname: string }>(
      "SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c' ORDER BY conname",
      [table("trigger_subscriptions")],
    );
    expect(checks.rows.map((r) => r.conname)).toEqual(["trigger_subscriptions_state_check"]);

    const count = async (name: string, subscriptionId: string): Promise<number> =>
      Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${table(name)} WHERE subscription_id = $1`, [subscriptionId])).rows[0]?.n);
    const children = async (subscriptionId: string): Promise<number[]> => [
      await count("outbox", subscriptionId),
      await count("emitted_keys", subscriptionId),
      await count("webhooks", subscriptionId),
    ];
    expect(await children(data.a.webhookSubscriptionId)).toEqual([3, 3, 1]);
    await admin.query(`DELETE FROM ${table("trigger_subscriptions")} WHERE id = $1`, [data.a.webhookSubscriptionId]);
    expect(await children(data.a.webhookSubscriptionId)).toEqual([0, 0, 0]);
    expect(await children(data.a.plainSubscriptionId)).toEqual([1, 1, 0]);
    await admin.query(`DELETE FROM ${table("connections")} WHERE id = $1`, [data.a.connectionId]);
    expect(await children(data.a.plainSubscriptionId)).toEqual([0, 0, 0]);
    expect(await rows("trigger_subscriptions")).toMatchObject([{ id: data.b.webhookSubscriptionId }]);
    expect(await children(data.b.webhookSubscriptionId)).toEqual([2, 2, 1]);

    // Any trigger id is storable in SQL now; the store's own check still refuses unknown ones.
    await insertSubscription("future-at-3", data.b.connectionId, "TrigFuture");
    const store = await open(url, { secretKey });
    const refused: unknown = await store
      .createSubscription({ connectionId: data.b.connectionId, triggerId: "TrigFuture" as never, cursor: "{}", nextPollAt: new Date(0) })
      .catch((e: unknown) => e);
    expect(isStoreError(refused, "invalid_argument")).toBe(true);
  });

  it("carries the call log over: a budget spent before the upgrade stays spent", async () => {
    const { url, pool, table } = await databaseAt(2);
    for (const [key, at] of [
      ["connection:c1", START_MS - 30_000],
      ["connection:c1", START_MS - 50_000],
      ["connection:c1", START_MS - 40_000],
      ["connection:c2", START_MS - 10_000],
    ] as const) {
      await admin.query(`INSERT INTO ${table("call_log")} (budget_key, called_at) VALUES ($1, $2)`, [key, at]);
    }
    await migratePostgres(pool, POSTGRES_MIGRATIONS, clock);
    expect((await admin.query("SELECT to_regclass($1) AS t", [table("call_log")])).rows).toEqual([{ t: null }]);
    const store = await open(url, { secretKey: randomBytes(32) });
    const spend = (key: string, limit: number, offsetMs = 0) => store.spendCallBudget(key, { limit, windowMs: 60_000, cost: 1, nowMs: START_MS + offsetMs });
    expect(await spend("connection:c1", 3)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    expect(await spend("connection:c1", 3, 10_000)).toEqual({ allowed: true, remaining: 0 });
    expect(await spend("connection:c2", 100)).toEqual({ allowed: true, remaining: 98 });
  });
  it("migration 4 keeps every subscription as a library one (never expired), webhooks included", async () => {
    const { url, pool, table } = await databaseAt(2);
    const secretKey = randomBytes(32);
    const insert = (id: string, connectionId: string, triggerId: string) =>
      admin.query(
        `INSERT INTO ${table("trigger_subscriptions")} (id, connection_id, trigger_id, cursor, next_poll_at, state, created_at) VALUES ($1, $2, $3, '{}', 0, 'active', 0)`,
        [id, connectionId, triggerId],
      );
    const data = await populateSchemaV2(await open(url, { secretKey, migrate: false }), insert);
    await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= 3), clock);
    const rows = async (): Promise<Array<Record<string, unknown>>> => (await admin.query(`SELECT * FROM ${table("trigger_subscriptions")} ORDER BY id`)).rows;
    const before = await rows();
    expect(await migratePostgres(pool, POSTGRES_MIGRATIONS.filter((m) => m.version <= 4), clock)).toEqual({ applied: [4], version: 4 });
    expect(await rows()).toEqual(before.map((row) => ({ ...row, kind: "library", last_polled_at: null })));
    const store = await open(url, { secretKey });
    expect(await store.expireIdlePollingSubscriptions(new Date(START_MS + 365 * 86_400_000))).toBe(0);
    expect((await store.listSubscriptions()).map((s) => s.id).sort()).toEqual(
      [data.a.webhookSubscriptionId, data.a.plainSubscriptionId, data.b.webhookSubscriptionId].sort(),
    );
  });
});
