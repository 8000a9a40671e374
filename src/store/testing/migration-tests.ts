import { describe, expect, it } from "vitest";
import type { MigrationReport } from "../records.js";
import { type MakeStoreFixture, useHarness } from "./harness.js";
import { runTogether } from "./spawn-store-child.js";

/**
 * Migrations: idempotent, safe from several processes at once, and the schema persists.
 *
 * @example
 * migrationTests(makeSqliteFixture);
 */
export function migrationTests(makeStore: MakeStoreFixture): void {
  describe("migrations", () => {
    const setup = useHarness(makeStore);

    it("applies nothing the second time, from the same or another instance", async () => {
      const { store, openAnother } = await setup();
      const again = await store.migrate();
      expect(again.applied).toEqual([]);
      expect(again.version).toBeGreaterThanOrEqual(1);
      const other = await openAnother();
      expect(await other.migrate()).toEqual(again);
    });

    it("says where the schema stands: version 0 before any migration, the latest after", async () => {
      const { openAnother } = await setup({ migrate: false, open: false });
      const store = await openAnother({ migrate: false });
      const before = await store.schemaStatus();
      expect(before.version).toBe(0);
      expect(before.latest).toBeGreaterThanOrEqual(4);
      const report = await store.migrate();
      expect(await store.schemaStatus()).toEqual({ version: report.version, latest: before.latest });
      expect(report.version).toBe(before.latest);
    });

    it("applies each migration exactly once when a fresh database is migrated twice in a row", async () => {
      const { openAnother } = await setup({ migrate: false, open: false });
      const store = await openAnother({ migrate: false });
      const first = await store.migrate();
      expect(first.applied.length).toBeGreaterThanOrEqual(1);
      expect(first.applied).toEqual([...first.applied].sort((a, b) => a - b));
      expect(first.version).toBe(first.applied.at(-1));
      expect(await store.migrate()).toEqual({ applied: [], version: first.version });
    });

    it("applies each migration once when three processes migrate a fresh database at the same moment", async () => {
      const { fixture, secretKey, openAnother } = await setup({ open: false });
      const reports = await runTogether<MigrationReport>(
        [0, 1, 2].map(() => ({ task: "migrate" as const, url: fixture.url })),
        secretKey,
      );
      const versions = new Set(reports.map((r) => r.version));
      expect(versions.size).toBe(1);
      const appliedAll = reports.flatMap((r) => r.applied).sort((a, b) => a - b);
      const latest = reports[0]?.version ?? 0;
      expect(appliedAll).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
      // The database works afterwards.
      const store = await openAnother();
      expect((await store.createConnection({ name: "after", region: "us", accessToken: "t" })).connection.name).toBe("after");
    });

    it("keeps data across instances and reopening", async () => {
      const { store, openAnother } = await setup();
      const { connection } = await store.createConnection({ name: "Acme", region: "eu", accessToken: "token-1" });
      await store.setSetting("instance", "eu-1");
      await store.close();
      const reopened = await openAnother();
      expect(await reopened.getConnection(connection.id)).toEqual(connection);
      expect(await reopened.getSetting("instance")).toBe("eu-1");
    });
  });
}
