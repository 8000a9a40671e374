export { PostgresStore } from "./postgres-store.js";
export { openPostgresPool, parsePostgresUrl, ensureSchema, transaction, DEFAULT_POOL_MAX } from "./database.js";
export type { PostgresPool, PostgresLocation, Queryable } from "./database.js";
export { POSTGRES_MIGRATIONS, migratePostgres } from "./migrations.js";
export type { PostgresMigration } from "./migrations.js";
