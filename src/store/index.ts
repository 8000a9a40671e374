export type { Store, StoreOptions } from "./store.js";
export type * from "./records.js";
export { REGIONS, TRIGGER_IDS } from "./records.js";
export { StoreError, isStoreError } from "./errors.js";
export type { StoreErrorCode } from "./errors.js";
export { openStore, parseDatabaseUrl, DEFAULT_SQLITE_PATH } from "./open.js";
export type { DatabaseLocation } from "./open.js";
export { encryptSecret, decryptSecret, isSealedSecret, parseSecretKey, loadSecretKey, SECRET_KEY_BYTES, SECRET_KEY_FILE } from "./crypto.js";
export type { LoadedSecretKey } from "./crypto.js";
export { generateApiKey, hashApiKey, API_KEY_PREFIX } from "./api-keys.js";
export { DEFAULT_DELIVERY_RETRY_POLICY, DEFAULT_RETENTION_POLICY, nextDeliveryAttempt } from "./policies.js";
export {
  RetentionSweeper,
  startRetentionSweeps,
  DEFAULT_RETENTION_INTERVAL_MS,
  DEFAULT_RETENTION_SCHEDULE,
  DEFAULT_TRIGGER_LOOKBACK_MS,
  MAX_RETENTION_INTERVAL_MS,
  MIN_DEDUPE_KEYS_MARGIN_MS,
} from "./retention.js";
export type { RetentionLogger, RetentionSchedule, RetentionSweeperOptions, SweepReport } from "./retention.js";
export { SqliteStore } from "./sqlite/index.js";
export type { SqliteStoreOptions } from "./sqlite/index.js";
export { PostgresStore } from "./postgres/index.js";
export { migrateDatabase } from "./migrate.js";
