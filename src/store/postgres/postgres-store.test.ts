import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { describeStoreConformance } from "../conformance.js";
import { isStoreError } from "../errors.js";
import { migrateDatabase } from "../migrate.js";
import { openStore } from "../open.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "../testing/harness.js";
import { DEFAULT_POOL_MAX, openPostgresPool, parsePostgresUrl } from "./database.js";
import { PostgresStore } from "./postgres-store.js";

/**
 * The server these tests use, e.g. `postgres://postgres@127.0.0.1:5432/test`. Unset: the suite is
 * skipped (a machine without PostgreSQL still passes `npm test`). Set but unreachable: it fails.
 */
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL?.trim() ?? "";

/** The URL without its password, for messages. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

/** One small pool for the fixtures' own work (dumps, drops), shared by every test of this file. */
let admin: pg.Pool | undefined;
function adminPool(): pg.Pool {
  if (admin === undefined) {
    admin = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
    admin.on("error", () => undefined);
  }
  return admin;
}

let reachable: Promise<void> | undefined;
/** Fails (once, then every test with the same message) when the server cannot be reached. */
function ensureReachable(): Promise<void> {
  reachable ??= adminPool()
    .query("SELECT 1")
    .then(
      () => undefined,
      (cause: unknown) => {
        const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
        throw new Error(
          `TEST_DATABASE_URL is set (${redacted(TEST_DATABASE_URL)}) but PostgreSQL cannot be reached there: ${reason}. Start the server, or unset TEST_DATABASE_URL to skip the PostgreSQL tests.`,
          { cause },
        );
      },
    );
  return reachable;
}

/** Every row of every table of `schema`, each column cast to text: what the database keeps. */
async function dumpSchema(schema: string): Promise<Buffer> {
  const db = adminPool();
  const columns = await db.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position",
    [schema],
  );
  const tables = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns.rows) tables.set(table, [...(tables.get(table) ?? []), column]);
  const parts: string[] = [];
  for (const [table, names] of tables) {
    const select = names.map((name) => `${pg.escapeIdentifier(name)}::text`).join(", ");
    const result = await db.query<string[]>({ text: `SELECT ${select} FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`, rowMode: "array" });
    parts.push(`-- ${table}`, ...result.rows.map((row) => row.map((value) => value ?? "\\N").join("\t")));
  }
  return Buffer.from(parts.join("\n"), "utf8");
}

/** A fresh schema per test, reached through the URL's `schema` parameter; disposing drops it. */
const makePostgresFixture: MakeStoreFixture = async () => {
  await ensureReachable();
  const schema = `icc_t${randomBytes(8).toString("hex")}`;
  const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes("?") ? "&" : "?"}schema=${schema}`;
  return {
    url,
    open: (options) => PostgresStore.open(url, options),
    rawContents: () => dumpSchema(schema),
    refuseOutboxKey: async (dedupeKey) => {
      const qualified = (name: string): string => `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;
      const name = `refuse_${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 16)}`;
      await adminPool().query(
        `CREATE FUNCTION ${qualified(name)}() RETURNS trigger LANGUAGE plpgsql AS $body$
         BEGIN
           IF NEW.dedupe_key = ${pg.escapeLiteral(dedupeKey)} THEN RAISE EXCEPTION 'outbox key refused by the test'; END IF;
           RETURN NEW;
         END $body$`,
      );
      await adminPool().query(`CREATE TRIGGER ${pg.escapeIdentifier(name)} BEFORE INSERT ON ${qualified("outbox")} FOR EACH ROW EXECUTE FUNCTION ${qualified(name)}()`);
    },
    dispose: async () => {
      await adminPool().query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    },
  };
};

// Needs no server: runs everywhere.
describe("parsePostgresUrl", () => {
  it("takes the store's parameters out of the URL and leaves the rest to the driver, byte for byte", () => {
    expect(parsePostgresUrl("postgres://u:p%40ss@db:5432/c")).toEqual({ connectionString: "postgres://u:p%40ss@db:5432/c", schema: null, max: DEFAULT_POOL_MAX, options: null });
    expect(parsePostgresUrl("postgresql://u@db/c?sslmode=require&schema=tenant_a&max=3&application_name=icc")).toEqual({
      connectionString: "postgresql://u@db/c?sslmode=require&application_name=icc",
      schema: "tenant_a",
      max: 3,
      options: null,
    });
    expect(parsePostgresUrl("postgres://db/c?schema=_t1&options=-c%20statement_timeout%3D5000").options).toBe("-c statement_timeout=5000");
  });

  it("sets search_path on every connection of the pool, after the URL's own options", async () => {
    const pool = openPostgresPool(parsePostgresUrl("postgres://db/c?schema=tenant_a&options=-c%20statement_timeout%3D5000&max=4"));
    try {
      expect(pool.options).toMatchObject({ max: 4, options: "-c statement_timeout=5000 -c search_path=tenant_a" });
    } finally {
      await pool.end();
    }
  });

  it("refuses a bad schema name or pool size with invalid_argument, without echoing the URL", () => {
    for (const query of ["schema=Upper", "schema=1abc", "schema=a-b", "schema=", `schema=${"a".repeat(64)}`, "schema=pg_temp", "max=0", "max=1.5", "max=two"]) {
      let caught: unknown;
      try {
        parsePostgresUrl(`postgres://u:hunter2@db/c?${query}`);
      } catch (error) {
        caught = error;
      }
      expect(isStoreError(caught, "invalid_argument"), query).toBe(true);
      expect((caught as Error).message).not.toContain("hunter2");
    }
    expect(parsePostgresUrl(`postgres://db/c?schema=${"a".repeat(63)}`).schema).toHaveLength(63);
  });
});

const suite = TEST_DATABASE_URL === "" ? describe.skip : describe;
const title = TEST_DATABASE_URL === "" ? "PostgreSQL store (skipped: set TEST_DATABASE_URL=postgres://… to run)" : "PostgreSQL store";

suite(title, () => {
  afterAll(async () => {
    await admin?.end();
    admin = undefined;
  });

  describeStoreConformance("PostgreSQL", makePostgresFixture);

  describe("PostgreSQL specifics", () => {
    const setup = useHarness(makePostgresFixture);

    it("creates the URL's schema, puts every table there, and openStore reaches it", async () => {
      const { fixture, secretKey } = await setup({ open: false });
      const schema = new URL(fixture.url).searchParams.get("schema");
      const exists = async (): Promise<boolean> => ((await adminPool().query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount ?? 0) > 0;
      expect(await exists()).toBe(false);
      const store = await openStore(fixture.url, { secretKey });
      try {
        expect(await exists()).toBe(true);
        const tables = await adminPool().query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
          [schema],
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(["call_budget_minutes", "call_budget_slots", "call_budgets", "connections", "delivery_attempts", "emitted_keys", "outbox", "schema_migrations", "settings", "trigger_subscriptions", "webhooks"]);
        const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
        const count = await adminPool().query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(schema ?? "")}.connections WHERE id = $1`, [connection.id]);
        expect(count.rows[0]?.n).toBe("1");
      } finally {
        await store.close();
        // Closing twice is harmless (the harness closes every store it opened, closed or not).
        await store.close();
      }
    });

    it("parses BIGINT on its own pool only: pg's global parsers are untouched", async () => {
      const { store } = await setup();
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      expect((await store.getConnection(connection.id))?.createdAt).toEqual(new Date(START_MS));
      const row = (await adminPool().query<{ n: unknown }>("SELECT 9007199254740993::bigint AS n")).rows[0];
      expect(row?.n).toBe("9007199254740993");
    });

    it("reads a callback URL an earlier release wrote in clear, and seals it when a store opens", async () => {
      const { store, fixture, openAnother } = await setup();
      const webhooks = `${pg.escapeIdentifier(new URL(fixture.url).searchParams.get("schema") ?? "")}.webhooks`;
      const clear = "https://example.com/hook?sig=written-in-clear";
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const { id } = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: "0", nextPollAt: new Date(0) });
      await store.createWebhook({ subscriptionId: id, callbackUrl: "https://example.com/other", secret: "s" });
      const stored = async (): Promise<string | undefined> =>
        (await adminPool().query<{ callback_url: string }>(`SELECT callback_url FROM ${webhooks} WHERE subscription_id = $1`, [id])).rows[0]?.callback_url;
      expect(await stored()).toMatch(/^v1:/);
      await adminPool().query(`UPDATE ${webhooks} SET callback_url = $1 WHERE subscription_id = $2`, [clear, id]);
      const unmigrated = await openAnother({ migrate: false });
      expect((await unmigrated.getWebhook(id))?.callbackUrl).toBe(clear);
      expect(await stored()).toBe(clear);
      // Not under a key that is not the database's (`migrate` opens with a throwaway one).
      await expect(openAnother({ secretKey: randomBytes(32) })).rejects.toMatchObject({ code: "wrong_secret_key" });
      await migrateDatabase(fixture.url);
      expect(await stored()).toBe(clear);
      const reopened = await openAnother();
      expect(await stored()).toMatch(/^v1:/);
      expect((await reopened.getWebhook(id))?.callbackUrl).toBe(clear);
      expect((await store.listWebhooks()).map((w) => w.callbackUrl)).toEqual([clear]);
    });

    it("refuses a database whose schema is newer than this release", async () => {
      const { fixture, secretKey } = await setup();
      const schema = new URL(fixture.url).searchParams.get("schema") ?? "";
      await adminPool().query(`INSERT INTO ${pg.escapeIdentifier(schema)}.schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)`);
      const error: unknown = await fixture.open({ secretKey }).catch((e: unknown) => e);
      expect(isStoreError(error, "schema_too_new")).toBe(true);
    });

    it("works on a pool of one connection: no transaction waits for a second one", async () => {
      const { fixture } = await setup({ open: false });
      const store = await openStore(`${fixture.url}&max=1`, { secretKey: randomBytes(32) });
      try {
        const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
        const sub = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: "0", nextPollAt: new Date(0) });
        await store.createWebhook({ subscriptionId: sub.id, callbackUrl: "https://example.com/hook", secret: "s" });
        const results = await Promise.all([
          store.commitPoll(sub.id, { expectedCursorVersion: 0, newCursor: "1", events: [{ dedupeKey: "a", payload: 1 }] }),
          store.appendEvents(sub.id, [{ dedupeKey: "b", payload: 2 }]),
          store.spendCallBudget("k", { limit: 5, windowMs: 1_000, cost: 2, nowMs: 0 }),
          store.updateConnection(connection.id, { name: "Acme 2" }),
          store.claimWebhookDeliveries("w", { limit: 5, leaseMs: 1_000 }),
          store.migrate(),
        ]);
        expect(results[0]).toMatchObject({ committed: true });
        expect(await store.outboxStats(sub.id)).toEqual({ pending: 2, delivered: 0, dead: 0 });
      } finally {
        await store.close();
      }
    });

    it("two stores racing to claim 200 due webhook polls never share one", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const ids = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const { id } = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: "0", nextPollAt: new Date(START_MS - i) });
        await store.createWebhook({ subscriptionId: id, callbackUrl: `https://example.com/${i}`, secret: "s" });
        ids.add(id);
      }
      const claimedBy = new Map<string, string[]>();
      // Four workers per store, each claiming small batches until nothing is left.
      const worker = async (s: Store, owner: string): Promise<void> => {
        for (;;) {
          const batch = await s.claimDueWebhookPolls(owner, { limit: 7, leaseMs: 600_000 });
          if (batch.length === 0) return;
          for (const sub of batch) {
            expect(sub.leaseOwner).toBe(owner);
            claimedBy.set(sub.id, [...(claimedBy.get(sub.id) ?? []), owner]);
          }
        }
      };
      await Promise.all([0, 1, 2, 3].flatMap((n) => [worker(store, `a${n}`), worker(other, `b${n}`)]));
      expect([...claimedBy.values()].filter((owners) => owners.length !== 1)).toEqual([]);
      expect(new Set(claimedBy.keys())).toEqual(ids);
      const owners = new Set([...claimedBy.values()].map(([owner]) => owner?.[0]));
      expect(owners).toEqual(new Set(["a", "b"]));
      for (const sub of await store.listSubscriptions()) expect(claimedBy.get(sub.id)).toEqual([sub.leaseOwner]);
    });

    it("two stores racing to claim webhook deliveries never hold one webhook twice", async () => {
      const { store, openAnother } = await setup();
      const other = await openAnother();
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const sub = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: "0", nextPollAt: new Date(START_MS) });
        await store.createWebhook({ subscriptionId: sub.id, callbackUrl: `https://example.com/${i}`, secret: "s" });
        await store.appendEvents(sub.id, [{ dedupeKey: "first", payload: i }, { dedupeKey: "second", payload: i }]);
        ids.push(sub.id);
      }
      const claims: Array<{ id: string; eventKey: string }> = [];
      const worker = async (s: Store, owner: string): Promise<void> => {
        for (;;) {
          const batch = await s.claimWebhookDeliveries(owner, { limit: 4, leaseMs: 600_000 });
          if (batch.length === 0) return;
          claims.push(...batch.map((c) => ({ id: c.webhook.subscriptionId, eventKey: c.event.dedupeKey })));
        }
      };
      await Promise.all([0, 1, 2].flatMap((n) => [worker(store, `a${n}`), worker(other, `b${n}`)]));
      expect(claims.map((c) => c.id).sort()).toEqual([...ids].sort());
      expect(claims.every((c) => c.eventKey === "first")).toBe(true);
    });
  });
});
