import { CONNECTION_REGIONS, operationIds, type TriggerId } from "../contract/index.js";

export type { TriggerId };

/**
 * Intercom's hosting regions; each has its own API host.
 *
 * @example
 * const region: Region = "eu";
 */
export type Region = (typeof CONNECTION_REGIONS)[number];

/**
 * The regions a connection may name, in the order the docs list them (the contract's).
 *
 * @example
 * REGIONS.includes(input.region); // validation
 */
export const REGIONS: readonly Region[] = CONNECTION_REGIONS;

/**
 * Every trigger id, for validation: the contract's, so a new trigger needs no change here (and,
 * since migration 3, none in the schema).
 *
 * @example
 * TRIGGER_IDS.includes("TrigNewLead"); // true
 */
export const TRIGGER_IDS: readonly TriggerId[] = operationIds("trigger");

/**
 * One Intercom workspace credential, as callers see it: never the access token, never the API key.
 *
 * @example
 * const connection: Connection = { id: "c1", name: "Acme", region: "eu", baseUrl: null, createdAt: new Date() };
 */
export interface Connection {
  id: string;
  name: string;
  region: Region;
  /** Overrides the region's host (the emulator, a proxy); `null` uses the region's. */
  baseUrl: string | null;
  createdAt: Date;
}

/**
 * A connection with its decrypted access token: what the transport needs to call Intercom.
 *
 * @example
 * const credentials = await store.getConnectionCredentials(id);
 * credentials?.accessToken; // "dG9rOj..."
 */
export interface ConnectionCredentials extends Connection {
  accessToken: string;
}

/**
 * What creating a connection takes.
 *
 * @example
 * const input: NewConnection = { name: "Acme", region: "us", accessToken: "dG9rOj..." };
 */
export interface NewConnection {
  name: string;
  region: Region;
  baseUrl?: string | null;
  accessToken: string;
  /**
   * The Intercom app's client secret, which signs the webhooks Intercom pushes (`X-Hub-Signature`).
   * Encrypted at rest like the token; absent or `null`: pushes for this connection are refused.
   */
  intercomClientSecret?: string | null;
}

/**
 * A created connection and its API key. The key exists in clear only here: the store keeps its
 * hash, so it is shown to the user once.
 *
 * @example
 * const { connection, apiKey } = await store.createConnection({ name: "Acme", region: "us", accessToken });
 */
export interface CreatedConnection {
  connection: Connection;
  apiKey: string;
}

/**
 * The fields of a connection that may change; absent fields stay as they are.
 *
 * @example
 * await store.updateConnection(id, { accessToken: "new-token" });
 */
export interface ConnectionChanges {
  name?: string;
  region?: Region;
  baseUrl?: string | null;
  accessToken?: string;
  /** Sets (or, with `null`, removes) the Intercom app's client secret that verifies pushes. */
  intercomClientSecret?: string | null;
}

/**
 * Whether a subscription is polled. Stopped ones keep their outbox until deleted.
 *
 * @example
 * await store.setSubscriptionState(id, "stopped" satisfies SubscriptionState);
 */
export type SubscriptionState = "active" | "stopped";

/**
 * What made a subscription, which decides how long it lives: `library` (`subscribe`: the library,
 * the CLI, and the service's webhook subscriptions, which a `webhooks` row tells apart) lives until
 * deleted; `polling` (Power Automate's polling protocol, which never deletes the ones it abandons)
 * expires once no flow has polled it for the service's idle limit (`expireIdlePollingSubscriptions`).
 *
 * @example
 * const kind: SubscriptionKind = "polling";
 */
export type SubscriptionKind = "library" | "polling";

/**
 * A trigger enabled on a connection. The cursor is JSON text that only the trigger engine reads;
 * `cursorVersion` grows by one with each committed poll, so a stale poll can be refused.
 *
 * @example
 * const sub = await store.createSubscription({ connectionId, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date() });
 * sub.cursorVersion; // 0
 */
export interface Subscription {
  id: string;
  connectionId: string;
  triggerId: TriggerId;
  cursor: string;
  cursorVersion: number;
  nextPollAt: Date;
  /** Who is polling it now (an instance id), while `leaseUntil` is in the future. */
  leaseOwner: string | null;
  leaseUntil: Date | null;
  state: SubscriptionState;
  kind: SubscriptionKind;
  /**
   * When a flow last polled a `polling` subscription (its creation, then each poll, recorded at
   * most once a minute); `null` for `library` ones, which do not expire.
   */
  lastPolledAt: Date | null;
  createdAt: Date;
  /**
   * The options its flow set (migration 7): a value by filter name, which only the trigger
   * engine reads; `{}` for none. Subscriptions share a scan only with the same filters.
   */
  filters: Readonly<Record<string, string>>;
}

/**
 * What creating a subscription takes. A trigger starts from "now": the engine passes a cursor
 * that says so.
 *
 * @example
 * const input: NewSubscription = { connectionId, triggerId: "TrigNewUser", cursor: JSON.stringify({ since: 1_700_000_000 }), nextPollAt: new Date() };
 */
export interface NewSubscription {
  connectionId: string;
  triggerId: TriggerId;
  cursor: string;
  nextPollAt: Date;
  /** Default `library`. `polling` starts its idle time at `lastPolledAt` (default: its creation). */
  kind?: SubscriptionKind;
  /** A `polling` subscription's first poll, by the caller's clock (the creating poll). */
  lastPolledAt?: Date;
  /** Its flow's options, a string value by filter name (checked by the trigger before; default none). */
  filters?: Readonly<Record<string, string>>;
}

/**
 * Which subscriptions to list; absent fields do not filter.
 *
 * @example
 * await store.listSubscriptions({ connectionId, state: "active" });
 */
export interface SubscriptionFilter {
  connectionId?: string;
  triggerId?: TriggerId;
  state?: SubscriptionState;
  /**
   * Leaves out the `polling` subscriptions not polled since then (expired, though not yet
   * deleted); `library` ones (webhooks included) are listed whatever their age.
   */
  polledSince?: Date;
}

/**
 * A webhook subscription: a trigger subscription whose events are pushed to `callbackUrl`, signed
 * with a secret the store keeps encrypted (read it with `getWebhookSecret`). It shares its trigger
 * subscription's id, and the subscription's outbox is its delivery queue.
 *
 * @example
 * const webhook = await store.createWebhook({ subscriptionId: sub.id, callbackUrl: "https://example.com/hook", secret });
 * webhook.triggerId; // "TrigNewLead"
 */
export interface Webhook {
  /** The trigger subscription's id, which is also the webhook's. */
  subscriptionId: string;
  connectionId: string;
  triggerId: TriggerId;
  /** Where events go; a secret (Power Automate's carries `sig`), kept encrypted at rest. */
  callbackUrl: string;
  createdAt: Date;
}

/**
 * What creating a webhook takes: an existing trigger subscription, where to deliver, and the
 * signing secret (stored encrypted; the caller shows it to the subscriber once).
 *
 * @example
 * const input: NewWebhook = { subscriptionId: sub.id, callbackUrl: "https://example.com/hook", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" };
 */
export interface NewWebhook {
  subscriptionId: string;
  callbackUrl: string;
  secret: string;
}

/**
 * Which webhooks to list; absent fields do not filter.
 *
 * @example
 * await store.listWebhooks({ connectionId });
 */
export interface WebhookFilter {
  connectionId?: string;
  triggerId?: TriggerId;
}

/**
 * A webhook leased for delivery with the oldest pending event of its outbox, which is due. The
 * lease holder is the only one delivering to this webhook until it releases or `leaseUntil` passes.
 *
 * @example
 * const [claim] = await store.claimWebhookDeliveries("worker-1", { limit: 10, leaseMs: 60_000 });
 * claim?.event.id; // the next event to POST, in order
 */
export interface WebhookDelivery {
  webhook: Webhook;
  event: OutboxEvent;
  leaseUntil: Date;
}

/**
 * An event to put in a subscription's outbox. `dedupeKey` identifies the occurrence (a contact id,
 * or id + updated_at for updates): a key already emitted for the subscription is skipped.
 *
 * @example
 * const event: NewEvent = { dedupeKey: "6650e1f2a7", payload: { id: "6650e1f2a7", email: "a@b.c" } };
 */
export interface NewEvent {
  dedupeKey: string;
  /** Any JSON-serialisable value. */
  payload: unknown;
}

/**
 * Where an event stands: waiting for its consumer, taken by it, or given up on.
 *
 * @example
 * await store.listEvents(id, { status: "dead" satisfies EventStatus, limit: 50 });
 */
export type EventStatus = "pending" | "delivered" | "dead";

/**
 * An event in the outbox. Ids grow with each insertion, across subscriptions, and are never
 * reused, so id order is emission order.
 *
 * @example
 * const [first] = await store.pendingEvents(subscriptionId, 1);
 * first?.payload;
 */
export interface OutboxEvent {
  id: number;
  subscriptionId: string;
  dedupeKey: string;
  payload: unknown;
  status: EventStatus;
  /** Failed delivery attempts so far. */
  attempts: number;
  /**
   * When a pending event may next be attempted (its creation time until a failure); for a dead
   * event, when it died (its retention counts from then).
   */
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/**
 * What inserting events did: the new events' ids in insertion order, and the keys skipped as
 * already emitted.
 *
 * @example
 * const { inserted, duplicates } = await store.appendEvents(subscriptionId, events);
 */
export interface AppendResult {
  inserted: Array<{ id: number; dedupeKey: string }>;
  duplicates: string[];
}

/**
 * A poll's outcome to commit. `expectedCursorVersion` is the version the poll started from; if
 * another poll committed since, nothing is written.
 *
 * @example
 * const commit: PollCommit = { expectedCursorVersion: sub.cursorVersion, newCursor: JSON.stringify(next), events };
 */
export interface PollCommit {
  expectedCursorVersion: number;
  newCursor: string;
  events: readonly NewEvent[];
  /**
   * When given, the commit also requires that `owner` still holds the lease (an expired lease
   * nobody else took still counts: the cursor version already rules out a lost update);
   * `release` ends the lease.
   */
  lease?: { owner: string; release: boolean };
  /** When given, the next poll is scheduled then. */
  nextPollAt?: Date;
}

/**
 * One subscription's poll commit in a batch (`Store.commitPolls`): a shared scan of one trigger
 * on one connection commits every member's events and cursor at once.
 *
 * @example
 * const entry: SubscriptionPollCommit = { subscriptionId: sub.id, commit: { expectedCursorVersion: sub.cursorVersion, newCursor, events } };
 * const [result] = await store.commitPolls([entry]);
 */
export interface SubscriptionPollCommit {
  subscriptionId: string;
  commit: PollCommit;
}

/**
 * Why a poll was not committed. Nothing was written.
 *
 * @example
 * if (!result.committed && result.reason === ("lease_lost" satisfies CommitRefusal)) return;
 */
export type CommitRefusal = "not_found" | "not_active" | "version_conflict" | "lease_lost";

/**
 * The result of `commitPoll` (and of each commit of `commitPolls`): committed (events inserted, duplicates skipped, cursor advanced) or
 * refused (nothing written).
 *
 * @example
 * const result = await store.commitPoll(id, commit);
 * if (!result.committed && result.reason === "version_conflict") reloadAndRetry();
 */
export type CommitPollResult =
  | ({ committed: true; cursorVersion: number } & AppendResult)
  | { committed: false; reason: CommitRefusal; currentCursorVersion: number | null };

/**
 * How failed deliveries are retried: the delay doubles from `firstDelayMs` up to `maxDelayMs`;
 * no attempt is scheduled after `giveUpAfterMs` from the event's creation, and a failure at or
 * after that deadline makes the event dead.
 *
 * @example
 * const policy: DeliveryRetryPolicy = { firstDelayMs: 5_000, maxDelayMs: 3_600_000, giveUpAfterMs: 86_400_000 };
 */
export interface DeliveryRetryPolicy {
  firstDelayMs: number;
  maxDelayMs: number;
  giveUpAfterMs: number;
}

/**
 * What recording a failed delivery did: the event waits for another attempt, or is dead.
 *
 * @example
 * const outcome = await store.recordDeliveryFailure(subscriptionId, eventId, "HTTP 503");
 * if (outcome?.status === "dead") alert();
 */
export type DeliveryFailureOutcome =
  | { status: "pending"; attempts: number; nextAttemptAt: Date }
  | { status: "dead"; attempts: number };

/**
 * How long rows are kept. Dedupe keys must outlive the triggers' look-back window: a key pruned
 * too early lets an event the look-back sees again be emitted twice. Pending events are kept
 * whatever their age: nobody has taken them yet.
 *
 * @example
 * await store.prune({ deliveredEventsMs: 86_400_000, deadEventsMs: 7 * 86_400_000, dedupeKeysMs: 7 * 86_400_000, callLogMs: 3_600_000 });
 */
export interface RetentionPolicy {
  /** Delivered events older than this (by delivery time) are deleted. */
  deliveredEventsMs: number;
  /**
   * Dead events are deleted this long after they died (not after their creation: an event whose
   * retries ran for days, or a replayed one that died again, stays replayable this long).
   */
  deadEventsMs: number;
  /**
   * Emitted dedupe keys older than this are forgotten: never while their event is in the outbox,
   * nor while younger than this relative to the newest key of their subscription (a stopped or
   * quiet subscription keeps the keys its look-back window may see again when it polls next).
   */
  dedupeKeysMs: number;
  /** Budget call records older than this are deleted (at least the longest budget window). */
  callLogMs: number;
}

/**
 * Rows deleted by `prune`.
 *
 * @example
 * const report = await store.prune(DEFAULT_RETENTION_POLICY); // { deliveredEvents: 12, deadEvents: 0, dedupeKeys: 3, callLog: 40 }
 */
export interface PruneReport {
  deliveredEvents: number;
  deadEvents: number;
  dedupeKeys: number;
  callLog: number;
}

/**
 * Counts of a subscription's outbox by status.
 *
 * @example
 * const { pending } = await store.outboxStats(subscriptionId);
 */
export interface OutboxStats {
  pending: number;
  delivered: number;
  dead: number;
}

/**
 * Events of every outbox, waiting and given up on.
 *
 * @example
 * const { pending, dead } = await store.outboxTotals();
 */
export interface OutboxTotals {
  pending: number;
  dead: number;
}

/**
 * One attempt to deliver an outbox event to its webhook: when, what the receiver answered
 * (`statusCode`, `null` when it did not answer), how long it took, and why it failed (`null` for
 * a delivery).
 *
 * @example
 * await store.recordDeliveryAttempt({ subscriptionId, eventId: 7, attemptedAt: new Date(), statusCode: 500, latencyMs: 42, error: "HTTP 500" });
 */
export interface NewDeliveryAttempt {
  subscriptionId: string;
  eventId: number;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

/**
 * A recorded delivery attempt, with its id (attempts of a subscription grow in id order).
 *
 * @example
 * const [first] = await store.listDeliveryAttempts(subscriptionId, { limit: 10 }); // { id: 1, eventId: 7, statusCode: 500, … }
 */
export interface DeliveryAttemptRecord extends NewDeliveryAttempt {
  id: number;
}

/**
 * One minute of a call budget's history: the units admitted and refused in it (`minute`: its
 * start). Minutes with neither are not stored.
 *
 * @example
 * const minute: BudgetMinute = { minute: new Date("2026-01-01T10:42:00Z"), spent: 17, refused: 3 };
 */
export interface BudgetMinute {
  minute: Date;
  spent: number;
  refused: number;
}

/**
 * A spend from a sliding-window budget: at most `limit` units within any `windowMs`.
 *
 * @example
 * await store.spendCallBudget("connection:c1", { limit: 100, windowMs: 60_000, cost: 1, nowMs: Date.now() });
 */
export interface BudgetSpend {
  limit: number;
  windowMs: number;
  cost: number;
  nowMs: number;
}

/**
 * A budget's answer: allowed (and spent), or refused (nothing spent) until `retryAfterMs` passes.
 *
 * @example
 * const decision = await store.spendCallBudget(key, spend);
 * if (!decision.allowed) wait(decision.retryAfterMs);
 */
export type BudgetDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterMs: number };

/**
 * Where the database's schema stands (`Store.schemaStatus`).
 *
 * @example
 * const { version, latest } = await store.schemaStatus(); // ready when version === latest
 */
export interface SchemaStatus {
  /** The highest migration applied (0: none). */
  version: number;
  /** The highest migration this release has. */
  latest: number;
}

/**
 * What `migrate` did: the versions it applied now, and the schema version afterwards.
 *
 * @example
 * const { applied, version } = await store.migrate(); // { applied: [], version: 1 } on a second run
 */
export interface MigrationReport {
  applied: number[];
  version: number;
}
