import { createHmac, randomUUID } from "node:crypto";
import type { ContactRecord, ConversationRecord, WebhookTopic } from "./model.js";
import { serializeConversation } from "./routes/conversations.js";
import { serializeContact } from "./serialize.js";
import type { TicketRecord } from "./ticket-model.js";
import { serializeTicket } from "./ticket-serialize.js";
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
  workspaceId: string;
  subscriptionId: string;
  topic: WebhookTopic;
  attempt: number;
  status: number | null;
  error: string | null;
  at: number;
}

/** Deliveries kept (the newest); older ones are dropped so a long run does not grow without end. */
export const MAX_DELIVERY_RECORDS = 1_000;

/** How long a receiver has to answer before the attempt counts as failed. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** The `notification_event` envelope Intercom posts to a subscriber. */
export interface NotificationEvent {
  type: "notification_event";
  app_id: string;
  data: { type: "notification_event_data"; item: Record<string, unknown> };
  links: Record<string, never>;
  id: string;
  topic: WebhookTopic;
  delivery_status: "pending";
  delivery_attempts: number;
  delivered_at: number;
  first_sent_at: number;
  created_at: number;
  self: null;
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
 * The `data.item` of a topic, as Intercom's webhook models define it: the ticket, the conversation
 * (with its parts) or the contact as the API answers them; for `contact.*.tag.created` a
 * `contact_tag` (`created_at`, `tag`, `contact`); for `contact.merged` the surviving contact with
 * `merged_from` naming the contact absorbed.
 *
 * @example
 * notificationItem(workspace, { topic: "contact.merged", record: user, createdAt: 1700000000, detail: { mergedFromId: lead.id } });
 */
export function notificationItem(workspace: Workspace, event: WorkspaceEvent): Record<string, unknown> {
  if (event.topic.startsWith("ticket.")) return serializeTicket(workspace, event.record as TicketRecord);
  if (event.topic.startsWith("conversation.")) return serializeConversation(workspace, event.record as ConversationRecord);
  const contact = serializeContact(workspace, event.record as ContactRecord);
  const tag = event.detail?.tag;
  if (event.topic.endsWith(".tag.created") && tag !== undefined) {
    return { type: "contact_tag", created_at: event.createdAt, tag: { type: "tag", id: tag.id, name: tag.name }, contact };
  }
  const mergedFromId = event.detail?.mergedFromId;
  if (event.topic === "contact.merged" && mergedFromId !== undefined) return { ...contact, merged_from: { type: "contact", id: mergedFromId } };
  return contact;
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
  private readonly abort = new AbortController();
  /** The latest attempts, oldest first (at most {@link MAX_DELIVERY_RECORDS}). */
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

  /** Removes a workspace's subscription; false when that workspace has none with this id. */
  unsubscribe(workspaceId: string, id: string): boolean {
    if (this.subscriptions.get(id)?.workspaceId !== workspaceId) return false;
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
      this.track(this.deliver(workspace, subscription, this.envelope(workspace, event), 1));
    }
  }

  /** Resolves when no delivery is in flight (retries still waiting are not awaited). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops retries and further deliveries, and abandons those in flight. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort();
  }

  private envelope(workspace: Workspace, event: WorkspaceEvent): NotificationEvent {
    return {
      type: "notification_event",
      app_id: workspace.id,
      data: { type: "notification_event_data", item: notificationItem(workspace, event) },
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

  private record(delivery: DeliveryRecord): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > MAX_DELIVERY_RECORDS) this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERY_RECORDS);
  }

  private async deliver(workspace: Workspace, subscription: WebhookSubscription, notification: NotificationEvent, attempt: number): Promise<void> {
    // Rebuilt per attempt (not patched as text): only the envelope's own counter changes.
    const body = JSON.stringify({ ...notification, delivery_attempts: attempt });
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
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      status = response.status;
      await response.arrayBuffer();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (this.closed) return;
    this.record({ notificationId: notification.id, workspaceId: workspace.id, subscriptionId: subscription.id, topic: notification.topic, attempt, status, error, at: Date.now() });
    const ok = status !== null && status >= 200 && status < 300;
    if (ok || attempt >= 2) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed || !this.subscriptions.has(subscription.id)) return;
      this.track(this.deliver(workspace, subscription, notification, attempt + 1));
    }, this.retryDelayMs);
    this.timers.add(timer);
  }
}
