import { chmodSync, closeSync, openSync, statSync } from "node:fs";

/**
 * The mode of every file the store writes (the database, its `-wal` and `-shm`, the key file):
 * read and write for the owner only. They hold lead data, sealed tokens and API-key hashes.
 *
 * @example
 * (statSync(path).mode & 0o777) === PRIVATE_FILE_MODE;
 */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Narrows an existing file to `PRIVATE_FILE_MODE` (a file an earlier release, another tool or a
 * volume left group- or world-readable); a missing file is left alone. Returns whether it existed.
 * Throws a one-line `Error` naming the file when its mode cannot be changed (another user owns it).
 *
 * @example
 * restrictToOwner("/var/lib/connector/connector.db-wal");
 */
export function restrictToOwner(path: string): boolean {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  if (mode === PRIVATE_FILE_MODE) return true;
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (cause) {
    throw new Error(`cannot make ${path} readable by its owner only (chmod 600: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}): run the service as the file's owner`, { cause });
  }
  return true;
}

/**
 * Makes a SQLite database file private before SQLite opens it: an existing file (and its `-wal`
 * and `-shm`, which SQLite never re-modes) is narrowed to 0600; a missing one is created empty
 * with 0600, because SQLite creates files 0644 and gives `-wal` and `-shm` the main file's mode.
 *
 * @example
 * prepareSqliteFile("./data/connector.db");
 * new Database("./data/connector.db");
 */
export function prepareSqliteFile(path: string): void {
  if (!restrictToOwner(path)) {
    try {
      // "wx": never truncate a file another process created in the meantime (SQLite reads an
      // empty file as a new database).
      closeSync(openSync(path, "wx", PRIVATE_FILE_MODE));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      restrictToOwner(path);
    }
  }
  restrictToOwner(`${path}-wal`);
  restrictToOwner(`${path}-shm`);
}
