/**
 * The PostgreSQL tables have the SQLite tables' columns, and the pool parses BIGINT into numbers,
 * so rows come back in the same shapes: the row types and their conversions are shared rather
 * than copied, and cannot drift apart.
 */
export { toConnection, toOutboxEvent, toSubscription, toWebhook } from "../sqlite/rows.js";
export type { ConnectionRow, OutboxRow, SubscriptionRow, WebhookRow } from "../sqlite/rows.js";
