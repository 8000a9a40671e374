import type { Connection, EventStatus, OutboxEvent, Region, Subscription, SubscriptionKind, SubscriptionState, TriggerId, Webhook } from "../records.js";

/**
 * A `connections` row, as better-sqlite3 returns it.
 *
 * @example
 * db.prepare<[string], ConnectionRow>("SELECT * FROM connections WHERE id = ?").get(id);
 */
export interface ConnectionRow {
  id: string;
  name: string;
  region: Region;
  base_url: string | null;
  access_token_encrypted: string;
  api_key_hash: string;
  intercom_client_secret_encrypted: string | null;
  created_at: number;
}

/**
 * A `trigger_subscriptions` row, as better-sqlite3 returns it.
 *
 * @example
 * db.prepare<[string], SubscriptionRow>("SELECT * FROM trigger_subscriptions WHERE id = ?").get(id);
 */
export interface SubscriptionRow {
  id: string;
  connection_id: string;
  trigger_id: TriggerId;
  cursor: string;
  cursor_version: number;
  next_poll_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  state: SubscriptionState;
  created_at: number;
  /** Since migration 4. */
  kind: SubscriptionKind;
  last_polled_at: number | null;
  /** Since migration 7: canonical JSON of the filters (`{}`: none). */
  filters: string;
}

/**
 * An `outbox` row, as better-sqlite3 returns it.
 *
 * @example
 * db.prepare<[number], OutboxRow>("SELECT * FROM outbox WHERE id = ?").get(id);
 */
export interface OutboxRow {
  id: number;
  subscription_id: string;
  dedupe_key: string;
  payload: string;
  status: EventStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
  /** When a redriven event's retry deadline starts; `null`: at `created_at`. */
  retry_from: number | null;
}

/**
 * A `webhooks` row joined with its subscription's connection and trigger.
 *
 * @example
 * db.prepare<[string], WebhookRow>(`SELECT w.*, s.connection_id, s.trigger_id FROM webhooks w JOIN ...`).get(id);
 */
export interface WebhookRow {
  subscription_id: string;
  connection_id: string;
  trigger_id: TriggerId;
  /** Sealed (`sealCallbackUrl`); in clear in rows an earlier release wrote. */
  callback_url: string;
  secret_encrypted: string;
  delivery_lease_owner: string | null;
  delivery_lease_until: number | null;
  created_at: number;
}

/**
 * A connection row as callers see it (no token, no key hash).
 *
 * @example
 * toConnection(row).createdAt instanceof Date; // true
 */
export function toConnection(row: ConnectionRow): Connection {
  return { id: row.id, name: row.name, region: row.region, baseUrl: row.base_url, createdAt: new Date(row.created_at) };
}

/**
 * A subscription row as callers see it.
 *
 * @example
 * toSubscription(row).cursorVersion; // 0
 */
export function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    connectionId: row.connection_id,
    triggerId: row.trigger_id,
    cursor: row.cursor,
    cursorVersion: row.cursor_version,
    nextPollAt: new Date(row.next_poll_at),
    leaseOwner: row.lease_owner,
    leaseUntil: row.lease_until === null ? null : new Date(row.lease_until),
    state: row.state,
    kind: row.kind,
    lastPolledAt: row.last_polled_at === null ? null : new Date(row.last_polled_at),
    createdAt: new Date(row.created_at),
    filters: JSON.parse(row.filters) as Record<string, string>,
  };
}

/**
 * An outbox row as callers see it, its payload parsed.
 *
 * @example
 * toOutboxEvent(row).payload; // { id: "6650e1f2a7", ... }
 */
export function toOutboxEvent(row: OutboxRow): OutboxEvent {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    dedupeKey: row.dedupe_key,
    payload: JSON.parse(row.payload) as unknown,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    deliveredAt: row.delivered_at === null ? null : new Date(row.delivered_at),
  };
}

/**
 * A webhook row as callers see it (no secret, no lease), its `callback_url` already opened by the
 * caller (`openCallbackUrl`).
 *
 * @example
 * toWebhook({ ...row, callback_url: openCallbackUrl(key, row.subscription_id, row.callback_url) }).callbackUrl; // "https://example.com/hook"
 */
export function toWebhook(row: WebhookRow): Webhook {
  return {
    subscriptionId: row.subscription_id,
    connectionId: row.connection_id,
    triggerId: row.trigger_id,
    callbackUrl: row.callback_url,
    createdAt: new Date(row.created_at),
  };
}
