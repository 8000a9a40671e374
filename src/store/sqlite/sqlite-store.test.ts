import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { describeStoreConformance } from "../conformance.js";
import { isStoreError } from "../errors.js";
import { migrateDatabase } from "../migrate.js";
import { openStore } from "../open.js";
import type { StoreFixture } from "../testing/harness.js";
import { SqliteStore } from "./sqlite-store.js";

const DB_FILE = "connector.db";

/** A SQLite file in its own temporary directory; disposing removes the directory. */
async function makeSqliteFixture(): Promise<StoreFixture> {
  const dir = await mkdtemp(join(tmpdir(), "icc-store-"));
  const path = join(dir, DB_FILE);
  return {
    url: `sqlite://${path}`,
    open: async (options) => SqliteStore.open(path, options),
    // The file and its WAL: a value committed but not yet checkpointed lives in the WAL.
    rawContents: async () => {
      const names = (await readdir(dir)).filter((name) => name.startsWith(DB_FILE));
      return Buffer.concat(await Promise.all(names.map((name) => readFile(join(dir, name)))));
    },
    refuseOutboxKey: async (dedupeKey) => {
      const db = new Database(path);
      try {
        const name = `refuse_${createHash("sha256").update(dedupeKey).digest("hex").slice(0, 16)}`;
        const literal = `'${dedupeKey.replaceAll("'", "''")}'`;
        db.exec(`CREATE TRIGGER ${name} BEFORE INSERT ON outbox WHEN NEW.dedupe_key = ${literal} BEGIN SELECT RAISE(ABORT, 'outbox key refused by the test'); END`);
      } finally {
        db.close();
      }
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

describeStoreConformance("SQLite", makeSqliteFixture);

describe("SQLite specifics", () => {
  it("runs in WAL mode, and every URL form reaches the same file", async () => {
    const fixture = await makeSqliteFixture();
    const path = fixture.url.slice("sqlite://".length);
    const secretKey = Buffer.alloc(32, 7);
    try {
      const first = await openStore(fixture.url, { secretKey });
      const { connection } = await first.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      // The WAL file exists while a connection is open (the last one to close checkpoints it away).
      expect(await readdir(path.slice(0, -DB_FILE.length))).toContain(`${DB_FILE}-wal`);
      await first.close();
      for (const url of [path, `file:${path}`, pathToFileURL(path).href, `sqlite:${path}`]) {
        const store = await openStore(url, { secretKey });
        try {
          expect(await store.getConnection(connection.id)).toEqual(connection);
        } finally {
          await store.close();
        }
      }
    } finally {
      await fixture.dispose();
    }
  });

  it("commits budget spends without an fsync, and every other write with one", async () => {
    const fixture = await makeSqliteFixture();
    const secretKey = Buffer.alloc(32, 7);
    try {
      const store = (await fixture.open({ secretKey })) as SqliteStore;
      // synchronous = 2 (FULL) before and after a spend; a spend's commit reaches the WAL, so a
      // second connection (another process) sees it at once.
      const synchronous = (): unknown => (store as unknown as { db: { pragma: (name: string, options: { simple: boolean }) => unknown } }).db.pragma("synchronous", { simple: true });
      expect(synchronous()).toBe(2);
      const spend = { limit: 2, windowMs: 60_000, cost: 1, nowMs: 1_000 };
      expect(await store.spendCallBudget("k", spend)).toEqual({ allowed: true, remaining: 1 });
      expect(synchronous()).toBe(2);
      const other = await fixture.open({ secretKey });
      expect(await other.spendCallBudget("k", spend)).toEqual({ allowed: true, remaining: 0 });
      expect((await store.spendCallBudget("k", spend)).allowed).toBe(false);
      await other.close();
      await store.close();
    } finally {
      await fixture.dispose();
    }
  });

  it("reads a callback URL an earlier release wrote in clear, and seals it when a store opens", async () => {
    const fixture = await makeSqliteFixture();
    const secretKey = Buffer.alloc(32, 7);
    const clear = "https://example.com/hook?sig=written-in-clear";
    try {
      const store = await fixture.open({ secretKey });
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const { id } = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewLead", cursor: "0", nextPollAt: new Date(0) });
      await store.createWebhook({ subscriptionId: id, callbackUrl: "https://example.com/other", secret: "s" });
      await store.close();
      const db = new Database(fixture.url.slice("sqlite://".length));
      const stored = (): string => (db.prepare("SELECT callback_url FROM webhooks WHERE subscription_id = ?").get(id) as { callback_url: string }).callback_url;
      try {
        expect(stored()).toMatch(/^v1:/);
        db.prepare("UPDATE webhooks SET callback_url = ? WHERE subscription_id = ?").run(clear, id);
        const unmigrated = await fixture.open({ secretKey, migrate: false });
        expect((await unmigrated.getWebhook(id))?.callbackUrl).toBe(clear);
        expect(stored()).toBe(clear);
        await unmigrated.close();
        // Not under a key that is not the database's (`migrate` opens with a throwaway one).
        await expect(fixture.open({ secretKey: Buffer.alloc(32, 8) })).rejects.toMatchObject({ code: "wrong_secret_key" });
        await migrateDatabase(fixture.url);
        expect(stored()).toBe(clear);
        const reopened = await fixture.open({ secretKey });
        expect(stored()).toMatch(/^v1:/);
        expect((await reopened.getWebhook(id))?.callbackUrl).toBe(clear);
        await reopened.close();
      } finally {
        db.close();
      }
    } finally {
      await fixture.dispose();
    }
  });

  it("refuses a database whose schema is newer than this release", async () => {
    const fixture = await makeSqliteFixture();
    const secretKey = Buffer.alloc(32, 7);
    try {
      const store = (await fixture.open({ secretKey })) as SqliteStore;
      await store.close();
      const db = new Database(fixture.url.slice("sqlite://".length));
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)").run();
      db.close();
      const error: unknown = await fixture.open({ secretKey }).catch((e: unknown) => e);
      expect(isStoreError(error, "schema_too_new")).toBe(true);
    } finally {
      await fixture.dispose();
    }
  });
});
