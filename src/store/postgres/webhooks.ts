import { sealCallbackUrl } from "../callback-urls.js";
import { StoreError } from "../errors.js";
import type { NewWebhook, Subscription, Webhook, WebhookDelivery, WebhookFilter } from "../records.js";
import { openWebhookSecret, sealNewWebhook, sealsClearCallbackUrl, toOpenedWebhook } from "../rows/webhooks.js";
import { assertClaim } from "../validation.js";
import { FOREIGN_KEY_VIOLATION, hasSqlState, type PostgresPool, UNIQUE_VIOLATION } from "./database.js";
import { type OutboxRow, toOutboxEvent, type WebhookRow } from "./rows.js";
import type { PostgresSubscriptions } from "./subscriptions.js";

/** A webhook with the connection and trigger of its subscription. */
const SELECT_WEBHOOK = `
  SELECT w.*, s.connection_id, s.trigger_id
  FROM webhooks w JOIN trigger_subscriptions s ON s.id = w.subscription_id`;

/** A claimed webhook with its head event, which PostgreSQL hands over as a JSON object. */
type DeliveryRow = WebhookRow & { head: OutboxRow };

/**
 * Webhook subscriptions in PostgreSQL: signing secrets and callback URLs sealed with AES-256-GCM
 * (a callback URL an earlier release wrote in clear is read, and sealed by `sealClearCallbackUrls`
 * when the store opens), poll leases limited to webhooks, and delivery leases handed out only
 * for a webhook whose oldest pending event is due.
 *
 * @example
 * const webhooks = new PostgresWebhooks(pool, subscriptions, secretKey, Date.now);
 * await webhooks.create({ subscriptionId, callbackUrl: "https://example.com/hook", secret: "whsec_..." });
 */
export class PostgresWebhooks {
  constructor(
    private readonly pool: PostgresPool,
    private readonly subscriptions: PostgresSubscriptions,
    private readonly secretKey: Buffer,
    private readonly clock: () => number,
  ) {}

  async create(input: NewWebhook): Promise<Webhook> {
    const { callbackUrl, secretEncrypted } = sealNewWebhook(this.secretKey, input);
    try {
      // The foreign key and the primary key make the checks atomic with the insert.
      await this.pool.query("INSERT INTO webhooks (subscription_id, callback_url, secret_encrypted, created_at) VALUES ($1, $2, $3, $4)", [
        input.subscriptionId,
        callbackUrl,
        secretEncrypted,
        this.clock(),
      ]);
    } catch (error) {
      if (hasSqlState(error, FOREIGN_KEY_VIOLATION)) throw new StoreError("not_found", `no subscription ${input.subscriptionId}`);
      if (hasSqlState(error, UNIQUE_VIOLATION)) throw new StoreError("invalid_argument", `subscription ${input.subscriptionId} already has a webhook`);
      throw error;
    }
    const webhook = await this.get(input.subscriptionId);
    // Deleted by someone else the moment it was created.
    if (webhook === null) throw new StoreError("not_found", `no subscription ${input.subscriptionId}`);
    return webhook;
  }

  async get(subscriptionId: string): Promise<Webhook | null> {
    const row = await this.row(subscriptionId);
    return row === undefined ? null : toOpenedWebhook(this.secretKey, row);
  }

  async secret(subscriptionId: string): Promise<string | null> {
    const row = await this.row(subscriptionId);
    return row === undefined ? null : openWebhookSecret(this.secretKey, row);
  }

  async list(filter: WebhookFilter = {}): Promise<Webhook[]> {
    const rows = await this.pool.query<WebhookRow>(
      `${SELECT_WEBHOOK}
       WHERE ($1::text IS NULL OR s.connection_id = $1) AND ($2::text IS NULL OR s.trigger_id = $2)
       ORDER BY w.created_at, w.subscription_id COLLATE "C"`,
      [filter.connectionId ?? null, filter.triggerId ?? null],
    );
    return rows.rows.map((row) => toOpenedWebhook(this.secretKey, row));
  }

  /** Deletes the subscription (the webhook, outbox and keys cascade) if it is a webhook. */
  async delete(subscriptionId: string): Promise<boolean> {
    const result = await this.pool.query(
      "DELETE FROM trigger_subscriptions s WHERE s.id = $1 AND EXISTS (SELECT 1 FROM webhooks w WHERE w.subscription_id = s.id)",
      [subscriptionId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async claimDuePolls(owner: string, options: { limit: number; leaseMs: number }): Promise<Subscription[]> {
    return this.subscriptions.claimDueWebhookPolls(owner, options);
  }

  /**
   * Leases webhooks whose head event is due, in one statement: candidates are locked with
   * `FOR UPDATE SKIP LOCKED` (a concurrent claim passes over them, and a lease taken since the
   * statement began is re-checked and left alone), leased, and returned with their head event as
   * the statement saw it.
   */
  async claimDeliveries(owner: string, options: { limit: number; leaseMs: number }): Promise<WebhookDelivery[]> {
    assertClaim(owner, options);
    const now = this.clock();
    const until = now + options.leaseMs;
    // The head of each outbox is its oldest pending event; only a due head makes a webhook
    // claimable, so an event waiting for its retry holds back the ones behind it.
    const rows = await this.pool.query<DeliveryRow>(
      `WITH candidates AS (
         SELECT w.subscription_id, s.connection_id, s.trigger_id, head.id AS head_id
         FROM webhooks w
         JOIN trigger_subscriptions s ON s.id = w.subscription_id
         CROSS JOIN LATERAL (
           SELECT o.id, o.next_attempt_at FROM outbox o
           WHERE o.subscription_id = w.subscription_id AND o.status = 'pending'
           ORDER BY o.id LIMIT 1) head
         WHERE s.state = 'active' AND (w.delivery_lease_until IS NULL OR w.delivery_lease_until <= $3) AND head.next_attempt_at <= $3
         ORDER BY head.id LIMIT $4
         FOR UPDATE OF w SKIP LOCKED),
       claimed AS (
         UPDATE webhooks w SET delivery_lease_owner = $1, delivery_lease_until = $2
         FROM candidates c WHERE w.subscription_id = c.subscription_id
         RETURNING w.*, c.connection_id, c.trigger_id, c.head_id)
       SELECT claimed.*, row_to_json(o) AS head
       FROM claimed JOIN outbox o ON o.id = claimed.head_id
       ORDER BY o.id`,
      [owner, until, now, options.limit],
    );
    // The oldest waiting event goes first.
    return rows.rows.map((row) => ({ webhook: toOpenedWebhook(this.secretKey, row), event: toOutboxEvent(row.head), leaseUntil: new Date(until) }));
  }

  async releaseDelivery(subscriptionId: string, owner: string): Promise<boolean> {
    const result = await this.pool.query(
      "UPDATE webhooks SET delivery_lease_owner = NULL, delivery_lease_until = NULL WHERE subscription_id = $1 AND delivery_lease_owner = $2",
      [subscriptionId, owner],
    );
    return (result.rowCount ?? 0) > 0;
  }

  /**
   * Seals the callback URLs an earlier release wrote in clear; returns how many. A row is sealed
   * only when this store's key opens its signing secret (a store opened under a throwaway key
   * must not seal what the real key could then not read), and only if it still holds the clear
   * URL read, so instances opening at once seal each row once.
   */
  async sealClearCallbackUrls(): Promise<number> {
    const clear = await this.pool.query<Pick<WebhookRow, "subscription_id" | "callback_url" | "secret_encrypted">>(
      "SELECT subscription_id, callback_url, secret_encrypted FROM webhooks WHERE callback_url NOT LIKE 'v1:%'",
    );
    let sealed = 0;
    for (const row of clear.rows.filter((r) => sealsClearCallbackUrl(this.secretKey, r))) {
      const result = await this.pool.query("UPDATE webhooks SET callback_url = $1 WHERE subscription_id = $2 AND callback_url = $3", [
        sealCallbackUrl(this.secretKey, row.subscription_id, row.callback_url),
        row.subscription_id,
        row.callback_url,
      ]);
      sealed += result.rowCount ?? 0;
    }
    return sealed;
  }

  private async row(subscriptionId: string): Promise<WebhookRow | undefined> {
    return (await this.pool.query<WebhookRow>(`${SELECT_WEBHOOK} WHERE w.subscription_id = $1`, [subscriptionId])).rows[0];
  }
}
