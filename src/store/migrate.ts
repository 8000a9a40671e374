import { randomBytes } from "node:crypto";
import { openStore } from "./open.js";
import type { MigrationReport } from "./records.js";

/**
 * Brings the database a `DATABASE_URL` names to this release's schema and closes it: what
 * `intercom-connector migrate` runs before a deploy. Safe to run from several processes at once
 * (each implementation serialises migrations in the database). No access token is read or written,
 * so no encryption key is needed: the store is opened with a throwaway one.
 *
 * @example
 * const { applied, version } = await migrateDatabase(process.env.DATABASE_URL);
 */
export async function migrateDatabase(url: string | undefined): Promise<MigrationReport> {
  const store = await openStore(url, { secretKey: randomBytes(32), migrate: false });
  try {
    return await store.migrate();
  } finally {
    await store.close();
  }
}
