import { createHmac, randomUUID } from "node:crypto";
import type { ContactRecord, ConversationRecord, WebhookTopic } from "./model.js";
import { serializeConversation } from "./routes/conversations.js";
import { serializeContact } from "./serialize.js";
import type { Workspace, WorkspaceEvent } from "./workspace.js";

/** A workspace's webhook subscription: where to send which topics. */
export interface WebhookSubscription {
  id: string;
  workspaceId: string;
  url: string;
  topics: WebhookTopic[];
}

/** One attempt to deliver a notification, kept for tests and the control API. */
export interface DeliveryRecord {
  notificationId: string;
  subscriptionId: string;
  topic: WebhookTopic;
  attempt: number;
  status: number | null;
  error: string | null;
  at: number;
}

/**
 * Signs a webhook body the way Intercom does: `sha1=` and the hex HMAC-SHA1 of the raw body,
 * keyed with the app's client secret.
 *
 * @example
 * hubSignature("secret", '{"a":1}'); // "sha1=…"
 */
export function hubSignature(clientSecret: string, rawBody: string): string {
  return `sha1=${createHmac("sha1", clientSecret).update(rawBody).digest("hex")}`;
}

/**
 * Sends `notification_event`s to a workspace's subscribers, signed with `X-Hub-Signature`; a
 * failed delivery (no answer, or not 2xx) is retried once after `retryDelayMs`, as Intercom does.
 *
 * @example
 * const dispatcher = new WebhookDispatcher({ retryDelayMs: 60_000 });
 * dispatcher.subscribe(workspace, { url: "http://127.0.0.1:9000/hook", topics: ["contact.lead.created"] });
 */
export class WebhookDispatcher {
  readonly retryDelayMs: number;
  private readonly subscriptions = new Map<string, WebhookSubscription>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  readonly deliveries: DeliveryRecord[] = [];
  private closed = false;

  constructor(options: { retryDelayMs: number }) {
    this.retryDelayMs = options.retryDelayMs;
  }

  /** Adds a subscription for a workspace. */
  subscribe(workspace: Workspace, input: { url: string; topics: WebhookTopic[] }): WebhookSubscription {
    const subscription: WebhookSubscription = { id: randomUUID(), workspaceId: workspace.id, url: input.url, topics: [...input.topics] };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** Removes a subscription; false when there was none. */
  unsubscribe(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  /** A workspace's subscriptions. */
  list(workspaceId: string): WebhookSubscription[] {
    return [...this.subscriptions.values()].filter((s) => s.workspaceId === workspaceId);
  }

  /** Sends an event to every subscription of its workspace that wants its topic. */
  dispatch(workspace: Workspace, event: WorkspaceEvent): void {
    if (this.closed) return;
    for (const subscription of this.list(workspace.id)) {
      if (!subscription.topics.includes(event.topic)) continue;
      const body = JSON.stringify(this.envelope(workspace, event));
      this.track(this.deliver(workspace, subscription, event.topic, body, 1));
    }
  }

  /** Resolves when no delivery is in flight (retries still waiting are not awaited). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retries and further deliveries. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private envelope(workspace: Workspace, event: WorkspaceEvent): Record<string, unknown> {
    const item = event.topic.startsWith("conversation.")
      ? serializeConversation(workspace, event.record as ConversationRecord)
      : serializeContact(workspace, event.record as ContactRecord);
    return {
      type: "notification_event",
      app_id: workspace.id,
      data: { type: "notification_event_data", item },
      links: {},
      id: `notif_${randomUUID()}`,
      topic: event.topic,
      delivery_status: "pending",
      delivery_attempts: 1,
      delivered_at: 0,
      first_sent_at: event.createdAt,
      created_at: event.createdAt,
      self: null,
    };
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async deliver(workspace: Workspace, subscription: WebhookSubscription, topic: WebhookTopic, body: string, attempt: number): Promise<void> {
    const notificationId = (JSON.parse(body) as { id: string }).id;
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(subscription.url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "User-Agent": "intercom-emulator-webhooks",
          "X-Hub-Signature": hubSignature(workspace.clientSecret, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    this.deliveries.push({ notificationId, subscriptionId: subscription.id, topic, attempt, status, error, at: Date.now() });
    const ok = status !== null && status >= 200 && status < 300;
    if (ok || attempt >= 2 || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed || !this.subscriptions.has(subscription.id)) return;
      const retried = body.replace('"delivery_attempts":1', '"delivery_attempts":2');
      this.track(this.deliver(workspace, subscription, topic, retried, attempt + 1));
    }, this.retryDelayMs);
    this.timers.add(timer);
  }
}
