import type {
  AppendResult,
  BudgetDecision,
  BudgetMinute,
  BudgetSpend,
  CommitPollResult,
  Connection,
  ConnectionChanges,
  ConnectionCredentials,
  CreatedConnection,
  DeliveryAttemptRecord,
  DeliveryFailureOutcome,
  DeliveryRetryPolicy,
  EventStatus,
  MigrationReport,
  NewDeliveryAttempt,
  SchemaStatus,
  NewConnection,
  NewEvent,
  NewSubscription,
  OutboxEvent,
  OutboxStats,
  OutboxTotals,
  PollCommit,
  PruneReport,
  RetentionPolicy,
  Subscription,
  SubscriptionFilter,
  SubscriptionPollCommit,
  SubscriptionState,
  Webhook,
  WebhookDelivery,
  WebhookFilter,
  NewWebhook,
} from "./records.js";

/**
 * The connector's persistence: connections, trigger subscriptions and their cursors, the outbox,
 * the call budgets and settings. Every method is async so that a networked database (PostgreSQL)
 * implements the same interface; every implementation passes `describeStoreConformance`.
 * Times come from the store's clock (see `StoreOptions`), except budget spends, which carry theirs.
 *
 * @example
 * const store = await openStore(process.env.DATABASE_URL, { secretKey });
 * const { connection, apiKey } = await store.createConnection({ name: "Acme", region: "us", accessToken });
 * await store.close();
 */
export interface Store {
  /** Applies the migrations this database lacks, each once, each in its own transaction. */
  migrate(): Promise<MigrationReport>;
  /**
   * The schema version the database is at and the latest this release knows (one read: it also
   * says the database answers). A readiness probe is ready when they are equal.
   */
  schemaStatus(): Promise<SchemaStatus>;
  /** Releases the database. The store is unusable afterwards. */
  close(): Promise<void>;

  // Connections
  /** Creates a connection; its token is encrypted, its fresh API key returned once and kept hashed. */
  createConnection(input: NewConnection): Promise<CreatedConnection>;
  getConnection(id: string): Promise<Connection | null>;
  /** The connection with its decrypted access token. */
  getConnectionCredentials(id: string): Promise<ConnectionCredentials | null>;
  /** The connection an API key belongs to, found by the key's hash; `null` for an unknown key. */
  findConnectionByApiKey(apiKey: string): Promise<Connection | null>;
  listConnections(): Promise<Connection[]>;
  /** Changes a connection; `null` when there is none with that id. */
  updateConnection(id: string, changes: ConnectionChanges): Promise<Connection | null>;
  /** Replaces a connection's API key; the old one stops working. `null` for an unknown id. */
  rotateApiKey(id: string): Promise<string | null>;
  /**
   * Makes `apiKey` (chosen by the operator, e.g. `CONNECTOR_API_KEY`) the connection's key; the
   * old one stops working. `false` for an unknown id. Throws a `StoreError` `invalid_argument` for
   * a key shorter than 16 characters or with whitespace, or one another connection already has.
   */
  setApiKey(id: string, apiKey: string): Promise<boolean>;
  /** Deletes a connection with its subscriptions and their outboxes. */
  deleteConnection(id: string): Promise<boolean>;
  /**
   * The connection's decrypted Intercom client secret (which verifies Intercom's pushes); `null`
   * when none is set or there is no such connection.
   */
  getIntercomClientSecret(connectionId: string): Promise<string | null>;

  // Trigger subscriptions
  /** Throws a `StoreError` `not_found` when the connection does not exist. */
  createSubscription(input: NewSubscription): Promise<Subscription>;
  getSubscription(id: string): Promise<Subscription | null>;
  /** Subscriptions in creation order. */
  listSubscriptions(filter?: SubscriptionFilter): Promise<Subscription[]>;
  /**
   * Records that a flow polled a `polling` subscription at `at` (the caller's clock); never moves
   * the time back. `false` when nothing changed: no such polling subscription, or a later time is
   * recorded already.
   */
  recordSubscriptionPolled(id: string, at: Date): Promise<boolean>;
  /**
   * Deletes the `polling` subscriptions last polled before `polledBefore`, with their outboxes and
   * dedupe keys (Power Automate abandons them without deleting them); the other kinds never
   * expire. Returns how many went.
   */
  expireIdlePollingSubscriptions(polledBefore: Date): Promise<number>;
  /** Stops or resumes polling; `null` for an unknown id. */
  setSubscriptionState(id: string, state: SubscriptionState): Promise<Subscription | null>;
  /** Deletes a subscription with its outbox and dedupe keys. */
  deleteSubscription(id: string): Promise<boolean>;
  /**
   * Ends `owner`'s lease (taken by `claimDueWebhookPolls`) and schedules the next poll; `false`
   * when `owner` no longer holds it.
   */
  releaseSubscription(id: string, owner: string, nextPollAt: Date): Promise<boolean>;
  /**
   * Inserts a poll's events (skipping keys already emitted) and advances the cursor in one
   * transaction: both happen or neither. Refused, writing nothing, when the cursor version moved,
   * the lease was lost, or the subscription is gone or stopped. A one-element `commitPolls`.
   */
  commitPoll(subscriptionId: string, commit: PollCommit): Promise<CommitPollResult>;
  /**
   * Commits several subscriptions' polls (a shared scan's) in ONE transaction: a crash or a
   * database error leaves all of them or none. Each commit is checked on its own exactly as
   * `commitPoll` checks it (cursor version, lease, subscription gone or stopped): a refused one
   * writes nothing and does not stop the others. Results are in input order; a subscription named
   * twice is committed in input order, the second seeing the first. Outbox ids still grow in commit
   * order per subscription. Throws (writing nothing) when any commit is malformed.
   */
  commitPolls(commits: ReadonlyArray<SubscriptionPollCommit>): Promise<CommitPollResult[]>;

  // Webhook subscriptions
  /**
   * Makes a trigger subscription a webhook: its events go to `callbackUrl`, signed with `secret`
   * (both stored encrypted: a callback URL may carry a credential, like Power Automate's `sig`;
   * reads give it back decrypted, and fail with `decryption_failed` under another key). Throws `StoreError` `not_found` when the subscription does not exist,
   * `invalid_argument` when it already is a webhook or an argument is empty.
   */
  createWebhook(input: NewWebhook): Promise<Webhook>;
  getWebhook(subscriptionId: string): Promise<Webhook | null>;
  /** The webhook's decrypted signing secret; `null` for an unknown webhook. */
  getWebhookSecret(subscriptionId: string): Promise<string | null>;
  /** Webhooks in creation order. */
  listWebhooks(filter?: WebhookFilter): Promise<Webhook[]>;
  /**
   * Deletes a webhook together with its trigger subscription (polling stops) and outbox. `false`,
   * deleting nothing, when the id is not a webhook (a plain subscription stays).
   */
  deleteWebhook(subscriptionId: string): Promise<boolean>;
  /**
   * Leases, to `owner` for `leaseMs`, up to `limit` active webhook subscriptions whose poll is due
   * and whose lease is free or expired, the most overdue first. Two callers never hold the same
   * live lease.
   */
  claimDueWebhookPolls(owner: string, options: { limit: number; leaseMs: number }): Promise<Subscription[]>;
  /**
   * Leases, to `owner` for `leaseMs`, up to `limit` webhooks of active subscriptions whose oldest
   * pending event is due, and returns each with that event. Delivery is in order: a head event
   * waiting for its retry holds back the rest of its outbox. Two callers never hold the same
   * webhook's live delivery lease.
   */
  claimWebhookDeliveries(owner: string, options: { limit: number; leaseMs: number }): Promise<WebhookDelivery[]>;
  /** Ends `owner`'s delivery lease on a webhook; `false` when `owner` no longer holds it. */
  releaseWebhookDelivery(subscriptionId: string, owner: string): Promise<boolean>;

  // Outbox
  /** Inserts events without touching the cursor (pushed webhooks), with the same dedupe as polls. */
  appendEvents(subscriptionId: string, events: readonly NewEvent[]): Promise<AppendResult>;
  /** Pending events in id order, at most `limit`. */
  pendingEvents(subscriptionId: string, limit: number): Promise<OutboxEvent[]>;
  /** Events of any status in id order after `afterId`, at most `limit`. */
  listEvents(subscriptionId: string, options: { status?: EventStatus; afterId?: number; limit: number }): Promise<OutboxEvent[]>;
  /** Marks pending events of this subscription delivered; returns how many changed. */
  ackEvents(subscriptionId: string, ids: readonly number[]): Promise<number>;
  /**
   * Records a failed delivery of a pending event: schedules a retry with backoff, or makes the
   * event dead past the policy's deadline. `null` when no such pending event exists.
   */
  recordDeliveryFailure(subscriptionId: string, eventId: number, error: string, policy?: DeliveryRetryPolicy): Promise<DeliveryFailureOutcome | null>;
  /**
   * Gives a dead event another life: pending again, due now, no failed attempts, and the retry
   * deadline counted from now. `null` when the subscription has no dead event with this id.
   */
  redriveEvent(subscriptionId: string, eventId: number): Promise<OutboxEvent | null>;
  outboxStats(subscriptionId: string): Promise<OutboxStats>;
  /**
   * Records one attempt to deliver a subscription's event (the run history). `false`, recording
   * nothing, when the event is not in that subscription's outbox (any more). Attempts go with
   * their event.
   */
  recordDeliveryAttempt(attempt: NewDeliveryAttempt): Promise<boolean>;
  /** A subscription's delivery attempts in id order after `afterId`, optionally of one event, at most `limit`. */
  listDeliveryAttempts(subscriptionId: string, options: { eventId?: number; afterId?: number; limit: number }): Promise<DeliveryAttemptRecord[]>;
  /** Events waiting and events given up on, across every subscription (what /metrics reports). */
  outboxTotals(): Promise<OutboxTotals>;
  /**
   * Deletes what the retention policy no longer keeps: delivered events by delivery time, dead
   * ones by the time they died (so a dead letter stays replayable for the whole period), dedupe
   * keys by emission time (never while their event is in the outbox, nor within `dedupeKeysMs`
   * of their subscription's newest key), idle call budgets. Pending events are never deleted.
   * `RetentionSweeper` (retention.ts) runs it on a schedule.
   */
  prune(policy: RetentionPolicy): Promise<PruneReport>;

  // Budgets
  /** Spends `cost` units of the sliding-window budget `key` if they fit, atomically across processes. */
  spendCallBudget(key: string, spend: BudgetSpend): Promise<BudgetDecision>;
  /**
   * The budget's minutes from `since` on, oldest first: the units each spend admitted or refused,
   * counted in the minute of its `nowMs` (what the console's budget chart draws). Kept as long as
   * idle budgets (`RetentionPolicy.callLogMs`).
   */
  budgetHistory(key: string, since: Date): Promise<BudgetMinute[]>;

  // Settings
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /**
   * Sets `key` to `value` unless it is already set, atomically across processes, and returns the
   * value it holds afterwards: `value` for the first caller, the first caller's for every other.
   * Instances starting at once on one database agree on one default connection this way.
   */
  claimSetting(key: string, value: string): Promise<string>;
  deleteSetting(key: string): Promise<boolean>;

  // Keys
  /**
   * A 32-byte key for one purpose (e.g. signing the service's polling state), derived by HKDF
   * from the secret key that seals tokens: the same on every instance sharing that key, and
   * useless for anything but its purpose.
   */
  deriveKey(purpose: string): Buffer;
}

/**
 * What opening a store takes.
 *
 * @example
 * const { key } = await loadSecretKey({ envValue: process.env.CONNECTOR_SECRET_KEY, dataDir: "./data" });
 * const options: StoreOptions = { secretKey: key };
 */
export interface StoreOptions {
  /** The 32-byte AES-256-GCM key that encrypts access tokens (see `loadSecretKey`). */
  secretKey: Buffer;
  /** Epoch milliseconds; tests inject one. Defaults to `Date.now`. */
  clock?: () => number;
  /**
   * Run the migrations on open (default `true`), then seal the webhook callback URLs an earlier
   * release kept in clear (each row whose signing secret this key opens: never under a wrong key).
   */
  migrate?: boolean;
}
