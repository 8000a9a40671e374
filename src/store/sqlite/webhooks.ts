import { sealCallbackUrl } from "../callback-urls.js";
import { StoreError } from "../errors.js";
import type { NewWebhook, Subscription, Webhook, WebhookDelivery, WebhookFilter } from "../records.js";
import { mostOverdueFirst } from "../rows/subscriptions.js";
import { openWebhookSecret, sealNewWebhook, sealsClearCallbackUrl, toOpenedWebhook } from "../rows/webhooks.js";
import { assertClaim } from "../validation.js";
import { immediate, type SqliteDatabase, StatementCache } from "./database.js";
import { type OutboxRow, type SubscriptionRow, toOutboxEvent, type WebhookRow } from "./rows.js";

/** A webhook with the connection and trigger of its subscription. */
const SELECT_WEBHOOK = `
  SELECT w.*, s.connection_id, s.trigger_id
  FROM webhooks w JOIN trigger_subscriptions s ON s.id = w.subscription_id`;

/**
 * Webhook subscriptions in SQLite: signing secrets and callback URLs sealed with AES-256-GCM
 * (a callback URL an earlier release wrote in clear is read, and sealed by `sealClearCallbackUrls`
 * when the store opens), poll leases limited to webhooks, and delivery leases handed out only
 * for a webhook whose oldest pending event is due.
 *
 * @example
 * const webhooks = new SqliteWebhooks(db, secretKey, Date.now);
 * webhooks.create({ subscriptionId, callbackUrl: "https://example.com/hook", secret: "whsec_..." });
 */
export class SqliteWebhooks {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly secretKey: Buffer,
    private readonly clock: () => number,
  ) {
    this.statements = new StatementCache(db);
  }

  create(input: NewWebhook): Webhook {
    const { callbackUrl, secretEncrypted } = sealNewWebhook(this.secretKey, input);
    return immediate(this.db, () => {
      const subscription = this.statements.get<[string], { id: string }>("SELECT id FROM trigger_subscriptions WHERE id = ?").get(input.subscriptionId);
      if (subscription === undefined) throw new StoreError("not_found", `no subscription ${input.subscriptionId}`);
      if (this.row(input.subscriptionId) !== undefined) {
        throw new StoreError("invalid_argument", `subscription ${input.subscriptionId} already has a webhook`);
      }
      this.statements
        .get<[string, string, string, number]>("INSERT INTO webhooks (subscription_id, callback_url, secret_encrypted, created_at) VALUES (?, ?, ?, ?)")
        .run(input.subscriptionId, callbackUrl, secretEncrypted, this.clock());
      const row = this.row(input.subscriptionId);
      if (row === undefined) throw new Error("webhook vanished inside its own transaction");
      return toOpenedWebhook(this.secretKey, row);
    });
  }

  get(subscriptionId: string): Webhook | null {
    const row = this.row(subscriptionId);
    return row === undefined ? null : toOpenedWebhook(this.secretKey, row);
  }

  secret(subscriptionId: string): string | null {
    const row = this.row(subscriptionId);
    return row === undefined ? null : openWebhookSecret(this.secretKey, row);
  }

  list(filter: WebhookFilter = {}): Webhook[] {
    return this.statements
      .get<[{ connection: string | null; trigger: string | null }], WebhookRow>(
        `${SELECT_WEBHOOK}
         WHERE coalesce(@connection = s.connection_id, 1) AND coalesce(@trigger = s.trigger_id, 1)
         ORDER BY w.created_at, w.subscription_id`,
      )
      .all({ connection: filter.connectionId ?? null, trigger: filter.triggerId ?? null })
      .map((row) => toOpenedWebhook(this.secretKey, row));
  }

  /** Deletes the subscription (the webhook, outbox and keys cascade) if it is a webhook. */
  delete(subscriptionId: string): boolean {
    return immediate(this.db, () => {
      if (this.row(subscriptionId) === undefined) return false;
      return this.statements.get<[string]>("DELETE FROM trigger_subscriptions WHERE id = ?").run(subscriptionId).changes > 0;
    });
  }

  claimDuePolls(owner: string, options: { limit: number; leaseMs: number }): Subscription[] {
    assertClaim(owner, options);
    const now = this.clock();
    const rows = immediate(this.db, () =>
      this.statements
        .get<[{ owner: string; until: number; now: number; limit: number }], SubscriptionRow>(
          `UPDATE trigger_subscriptions SET lease_owner = @owner, lease_until = @until
           WHERE id IN (
             SELECT s.id FROM trigger_subscriptions s JOIN webhooks w ON w.subscription_id = s.id
             WHERE s.state = 'active' AND s.next_poll_at <= @now AND (s.lease_until IS NULL OR s.lease_until <= @now)
             ORDER BY s.next_poll_at, s.id LIMIT @limit)
           RETURNING *`,
        )
        .all({ owner, until: now + options.leaseMs, now, limit: options.limit }),
    );
    return mostOverdueFirst(rows);
  }

  claimDeliveries(owner: string, options: { limit: number; leaseMs: number }): WebhookDelivery[] {
    assertClaim(owner, options);
    const now = this.clock();
    const until = now + options.leaseMs;
    return immediate(this.db, () => {
      // The head of each outbox is its oldest pending event; only a due head makes a webhook
      // claimable, so an event waiting for its retry holds back the ones behind it.
      const claimed = this.statements
        .get<[{ owner: string; until: number; now: number; limit: number }], { subscription_id: string }>(
          `UPDATE webhooks SET delivery_lease_owner = @owner, delivery_lease_until = @until
           WHERE subscription_id IN (
             SELECT subscription_id FROM (
               SELECT w.subscription_id,
                 (SELECT o.id FROM outbox o WHERE o.subscription_id = w.subscription_id AND o.status = 'pending' ORDER BY o.id LIMIT 1) AS head_id
               FROM webhooks w JOIN trigger_subscriptions s ON s.id = w.subscription_id
               WHERE s.state = 'active' AND (w.delivery_lease_until IS NULL OR w.delivery_lease_until <= @now)
             ) heads
             WHERE head_id IS NOT NULL AND (SELECT next_attempt_at FROM outbox WHERE id = heads.head_id) <= @now
             ORDER BY head_id LIMIT @limit)
           RETURNING subscription_id`,
        )
        .all({ owner, until, now, limit: options.limit });
      const deliveries: WebhookDelivery[] = [];
      for (const { subscription_id: id } of claimed) {
        const webhook = this.row(id);
        const head = this.statements
          .get<[string], OutboxRow>("SELECT * FROM outbox WHERE subscription_id = ? AND status = 'pending' ORDER BY id LIMIT 1")
          .get(id);
        if (webhook === undefined || head === undefined) throw new Error("claimed webhook vanished inside its own transaction");
        deliveries.push({ webhook: toOpenedWebhook(this.secretKey, webhook), event: toOutboxEvent(head), leaseUntil: new Date(until) });
      }
      // RETURNING gives no order; the oldest waiting event goes first.
      return deliveries.sort((a, b) => a.event.id - b.event.id);
    });
  }

  releaseDelivery(subscriptionId: string, owner: string): boolean {
    return immediate(
      this.db,
      () =>
        this.statements
          .get<[string, string]>(
            "UPDATE webhooks SET delivery_lease_owner = NULL, delivery_lease_until = NULL WHERE subscription_id = ? AND delivery_lease_owner = ?",
          )
          .run(subscriptionId, owner).changes > 0,
    );
  }

  /**
   * Seals the callback URLs an earlier release wrote in clear; returns how many. A row is sealed
   * only when this store's key opens its signing secret (a store opened under a throwaway key
   * must not seal what the real key could then not read), and only if it still holds the clear
   * URL read, so instances opening at once seal each row once.
   */
  sealClearCallbackUrls(): number {
    return immediate(this.db, () => {
      const clear = this.statements
        .get<[], Pick<WebhookRow, "subscription_id" | "callback_url" | "secret_encrypted">>(
          "SELECT subscription_id, callback_url, secret_encrypted FROM webhooks WHERE callback_url NOT LIKE 'v1:%'",
        )
        .all()
        .filter((row) => sealsClearCallbackUrl(this.secretKey, row));
      const update = this.statements.get<[string, string, string]>("UPDATE webhooks SET callback_url = ? WHERE subscription_id = ? AND callback_url = ?");
      let sealed = 0;
      for (const row of clear) {
        sealed += update.run(sealCallbackUrl(this.secretKey, row.subscription_id, row.callback_url), row.subscription_id, row.callback_url).changes;
      }
      return sealed;
    });
  }

  private row(subscriptionId: string): WebhookRow | undefined {
    return this.statements.get<[string], WebhookRow>(`${SELECT_WEBHOOK} WHERE w.subscription_id = ?`).get(subscriptionId);
  }
}
