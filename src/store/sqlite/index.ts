export { SqliteStore } from "./sqlite-store.js";
export type { SqliteStoreOptions } from "./sqlite-store.js";
export { openSqliteDatabase, DEFAULT_BUSY_TIMEOUT_MS } from "./database.js";
export type { SqliteDatabase } from "./database.js";
export { SQLITE_MIGRATIONS, migrateSqlite } from "./migrations.js";
export type { SqliteMigration } from "./migrations.js";
