import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { killAllClis, spawnCli } from "./testing/spawn-cli.js";

const dirs: string[] = [];
afterEach(async () => {
  await killAllClis();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = spawnCli(args, { env });
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe("intercom-connector migrate", { timeout: 60_000 }, () => {
  it("migrates a SQLite database once, then finds it up to date; DATABASE_URL names it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "icc-migrate-"));
    dirs.push(dir);
    const url = `sqlite://${join(dir, "nested", "connector.db")}`;
    const first = await run(["migrate"], { DATABASE_URL: url });
    expect(first).toEqual({ code: 0, stdout: expect.stringMatching(/^migrated to schema version (\d+) \(applied 1, 2(, \d+)*\)\n$/) as string, stderr: "" });
    const again = await run(["migrate", "--database-url", url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^up to date at schema version \d+ \(nothing to apply\)\n$/);
  });

  it("fails in one line, exit 1, for a database it cannot use", async () => {
    const bad = await run(["migrate", "--database-url", "mysql://root@127.0.0.1/test"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^error: DATABASE_URL scheme "mysql:" is not supported[^\n]*\n$/);
    // Nothing listens on port 1: unreachable, reported, not thrown as a stack.
    const unreachable = await run(["migrate", "--database-url", "postgres://postgres@127.0.0.1:1/test"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr.trim().split("\n")).toHaveLength(1);
    expect(unreachable.stderr).toMatch(/^error: /);
  });

  const databaseUrl = process.env.TEST_DATABASE_URL;
  describe.skipIf(databaseUrl === undefined || databaseUrl === "")("on PostgreSQL (TEST_DATABASE_URL)", () => {
    it("three instances migrating one fresh database at once apply each migration exactly once", async () => {
      const schema = `icc_migrate_${randomBytes(6).toString("hex")}`;
      const url = new URL(databaseUrl ?? "");
      url.searchParams.set("schema", schema);
      try {
        const results = await Promise.all([0, 1, 2].map(() => run(["migrate"], { DATABASE_URL: url.href })));
        for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0, stderr: "" });
        const applied = results.flatMap((r) => /\(applied ([\d, ]+)\)/.exec(r.stdout)?.[1]?.split(", ").map(Number) ?? []);
        expect(applied.sort((a, b) => a - b)).toEqual([...new Set(applied)].sort((a, b) => a - b));
        expect(applied).toContain(1);
        expect(applied).toContain(2);
        expect(results.filter((r) => r.stdout.startsWith("up to date")).length + results.filter((r) => r.stdout.startsWith("migrated")).length).toBe(3);
      } finally {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    });
  });
});
