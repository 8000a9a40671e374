import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isStoreError } from "./errors.js";
import { DEFAULT_SQLITE_PATH, openStore, parseDatabaseUrl } from "./open.js";

describe("parseDatabaseUrl", () => {
  it("reads every SQLite form", () => {
    expect(parseDatabaseUrl(undefined)).toEqual({ kind: "sqlite", path: DEFAULT_SQLITE_PATH });
    expect(parseDatabaseUrl("  ")).toEqual({ kind: "sqlite", path: "./data/connector.db" });
    expect(parseDatabaseUrl("sqlite:///srv/data/c.db")).toEqual({ kind: "sqlite", path: "/srv/data/c.db" });
    expect(parseDatabaseUrl("sqlite://./data/c.db")).toEqual({ kind: "sqlite", path: "./data/c.db" });
    expect(parseDatabaseUrl("sqlite:data/c.db")).toEqual({ kind: "sqlite", path: "data/c.db" });
    expect(parseDatabaseUrl("sqlite:///srv/my%20data/c.db?mode=rwc")).toEqual({ kind: "sqlite", path: "/srv/my data/c.db" });
    expect(parseDatabaseUrl("file:///srv/data/c.db")).toEqual({ kind: "sqlite", path: "/srv/data/c.db" });
    expect(parseDatabaseUrl("file:data/c.db")).toEqual({ kind: "sqlite", path: "data/c.db" });
    expect(parseDatabaseUrl("/srv/data/c.db")).toEqual({ kind: "sqlite", path: "/srv/data/c.db" });
    expect(parseDatabaseUrl("c.db")).toEqual({ kind: "sqlite", path: "c.db" });
    expect(parseDatabaseUrl(":memory:")).toEqual({ kind: "sqlite", path: ":memory:" });
    expect(parseDatabaseUrl("sqlite::memory:")).toEqual({ kind: "sqlite", path: ":memory:" });
    expect(parseDatabaseUrl("C:\\data\\c.db")).toEqual({ kind: "sqlite", path: "C:\\data\\c.db" });
  });

  it("recognises PostgreSQL and refuses other schemes", () => {
    expect(parseDatabaseUrl("postgres://u:p@db:5432/c")).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/c" });
    expect(parseDatabaseUrl("postgresql://db/c")).toEqual({ kind: "postgres", url: "postgresql://db/c" });
    for (const url of ["mysql://db/c", "sqlite://", "https://example.com/db"]) {
      let caught: unknown;
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        caught = error;
      }
      expect(isStoreError(caught)).toBe(true);
    }
  });
});

describe("openStore", () => {
  const secretKey = randomBytes(32);

  it("opens PostgreSQL URLs with PostgresStore: a bad schema or pool size is refused before connecting", async () => {
    for (const url of [
      "postgres://user:hunter2@localhost:5432/connector?schema=Bad-Name",
      "postgresql://user:hunter2@localhost:5432/connector?schema=pg_catalog",
      "postgres://user:hunter2@localhost:5432/connector?max=0",
    ]) {
      const error: unknown = await openStore(url, { secretKey }).catch((e: unknown) => e);
      expect(isStoreError(error, "invalid_argument"), url).toBe(true);
      expect((error as Error).message).not.toContain("hunter2");
    }
  });

  it("reports an unreachable PostgreSQL server with the driver's error, not a fallback", async () => {
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    const error: unknown = await openStore("postgres://user:hunter2@127.0.0.1:1/connector", { secretKey }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isStoreError(error)).toBe(false);
    expect((error as Error).message).not.toContain("hunter2");
  });

  it("creates the SQLite file's directory and migrates", async () => {
    const dir = await mkdtemp(join(tmpdir(), "icc-open-"));
    try {
      const path = join(dir, "a", "b", "connector.db");
      const store = await openStore(`sqlite://${path}`, { secretKey });
      try {
        expect((await stat(path)).isFile()).toBe(true);
        expect(await store.migrate()).toMatchObject({ applied: [] });
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("opens an in-memory store", async () => {
    const store = await openStore(":memory:", { secretKey });
    try {
      const { connection } = await store.createConnection({ name: "m", region: "us", accessToken: "t" });
      expect(await store.getConnection(connection.id)).toEqual(connection);
    } finally {
      await store.close();
    }
  });
});
