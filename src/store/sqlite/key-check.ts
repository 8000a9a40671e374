import { resolve } from "node:path";
import { KEY_CHECK_SETTING, verifyStoreKeySync } from "../key-check.js";
import { SqliteConnections } from "./connections.js";
import type { SqliteDatabase } from "./database.js";
import { SqliteSettings } from "./settings.js";

/**
 * Refuses a migrated SQLite database written under another secret key (`verifyStoreKeySync`,
 * synchronous like the rest of SQLite's open); the message names the file, never a key.
 *
 * @example
 * verifySqliteStoreKey(db, secretKey, "./data/connector.db");
 */
export function verifySqliteStoreKey(db: SqliteDatabase, secretKey: Buffer, path: string, clock: () => number = Date.now): void {
  const settings = new SqliteSettings(db, clock);
  const connections = new SqliteConnections(db, secretKey, clock);
  verifyStoreKeySync(
    {
      recorded: () => settings.get(KEY_CHECK_SETTING),
      record: (check) => settings.claim(KEY_CHECK_SETTING, check),
      opensAToken: () => {
        const [first] = connections.list();
        return first === undefined || connections.credentials(first.id) !== null;
      },
    },
    secretKey,
    path === ":memory:" || path === "" ? "in memory" : `its file: ${resolve(path)}`,
  );
}
