import Database from "better-sqlite3";
import { prepareSqliteFile, restrictToOwner } from "../private-files.js";

/**
 * A handle on a SQLite database (better-sqlite3's).
 *
 * @example
 * const db: SqliteDatabase = openSqliteDatabase(":memory:");
 */
export type SqliteDatabase = Database.Database;

/**
 * How long a writer waits for another process's write lock before failing with SQLITE_BUSY.
 *
 * @example
 * openSqliteDatabase(path, { busyTimeoutMs: DEFAULT_BUSY_TIMEOUT_MS * 2 });
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens a SQLite file for the store: WAL (readers never block the writer, several processes share
 * the file), a busy timeout (writers queue instead of failing), full fsync on commit (an
 * acknowledged event stays acknowledged across a power cut), foreign keys on. The file, its
 * `-wal` and its `-shm` are 0600 (owner only) wherever they live, existing ones narrowed first.
 *
 * @example
 * const db = openSqliteDatabase("./data/connector.db");
 */
export function openSqliteDatabase(path: string, options: { busyTimeoutMs?: number } = {}): SqliteDatabase {
  const onDisk = path !== ":memory:" && path !== "";
  if (onDisk) prepareSqliteFile(path);
  const db = new Database(path, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  try {
    if (!db.memory) db.pragma("journal_mode = WAL");
    if (onDisk) {
      // SQLite gives them the main file's mode; checked again in case another process made them first.
      restrictToOwner(`${path}-wal`);
      restrictToOwner(`${path}-shm`);
    }
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken first, so a
 * read-then-write can never be overtaken by another process between its read and its write.
 *
 * @example
 * const count = immediate(db, () => db.prepare("SELECT count(*) AS n FROM outbox").get());
 */
export function immediate<T>(db: SqliteDatabase, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Prepared statements, prepared on first use (tables may not exist before migrating) and reused.
 *
 * @example
 * const statements = new StatementCache(db);
 * statements.get<[string], { id: string }>("SELECT id FROM connections WHERE id = ?").get("c1");
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  constructor(private readonly db: SqliteDatabase) {}

  get<Params extends unknown[], Row = unknown>(sql: string): Database.Statement<Params, Row> {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<Params, Row>;
  }
}
