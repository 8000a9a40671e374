import type {
  AppendResult,
  BudgetDecision,
  BudgetSpend,
  CommitPollResult,
  Connection,
  ConnectionChanges,
  ConnectionCredentials,
  CreatedConnection,
  DeliveryFailureOutcome,
  DeliveryRetryPolicy,
  EventStatus,
  MigrationReport,
  NewConnection,
  NewEvent,
  NewSubscription,
  OutboxEvent,
  OutboxStats,
  PollCommit,
  PruneReport,
  RetentionPolicy,
  Subscription,
  SubscriptionFilter,
  SubscriptionState,
  NewWebhook,
  Webhook,
  WebhookDelivery,
  WebhookFilter,
} from "../records.js";
import type { Store, StoreOptions } from "../store.js";
import { SqliteCallBudget } from "./call-budget.js";
import { SqliteConnections } from "./connections.js";
import { openSqliteDatabase, type SqliteDatabase } from "./database.js";
import { migrateSqlite, SQLITE_MIGRATIONS } from "./migrations.js";
import { SqliteOutbox } from "./outbox.js";
import { SqliteSettings } from "./settings.js";
import { SqliteSubscriptions } from "./subscriptions.js";
import { SqliteWebhooks } from "./webhooks.js";

/**
 * What opening a SQLite store takes: the common options and how long to wait for a busy file.
 *
 * @example
 * const options: SqliteStoreOptions = { secretKey, busyTimeoutMs: 5_000 };
 */
export interface SqliteStoreOptions extends StoreOptions {
  busyTimeoutMs?: number;
}

/**
 * The store on a SQLite file (better-sqlite3). Work is synchronous underneath; the async methods
 * keep the interface a networked database can implement. Several processes may share one file:
 * every write runs under `BEGIN IMMEDIATE` with a busy timeout, in WAL mode.
 *
 * @example
 * const store = SqliteStore.open("./data/connector.db", { secretKey });
 * await store.listConnections();
 * await store.close();
 */
export class SqliteStore implements Store {
  private readonly connections: SqliteConnections;
  private readonly subscriptions: SqliteSubscriptions;
  private readonly outbox: SqliteOutbox;
  private readonly budget: SqliteCallBudget;
  private readonly settings: SqliteSettings;
  private readonly webhooks: SqliteWebhooks;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly clock: () => number,
    secretKey: Buffer,
  ) {
    this.connections = new SqliteConnections(db, secretKey, clock);
    this.outbox = new SqliteOutbox(db, clock);
    this.subscriptions = new SqliteSubscriptions(db, this.outbox, clock);
    this.budget = new SqliteCallBudget(db);
    this.settings = new SqliteSettings(db, clock);
    this.webhooks = new SqliteWebhooks(db, secretKey, clock);
  }

  /** Opens (and, unless `migrate: false`, migrates) the database at `path` (or `:memory:`). */
  static open(path: string, options: SqliteStoreOptions): SqliteStore {
    const db = openSqliteDatabase(path, options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs });
    try {
      const store = new SqliteStore(db, options.clock ?? Date.now, options.secretKey);
      if (options.migrate !== false) {
        migrateSqlite(db, SQLITE_MIGRATIONS, store.clock);
        // Needs the key, so not a migration: `migrate()` alone may run under a throwaway key.
        store.webhooks.sealClearCallbackUrls();
      }
      return store;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async migrate(): Promise<MigrationReport> {
    return migrateSqlite(this.db, SQLITE_MIGRATIONS, this.clock);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async createConnection(input: NewConnection): Promise<CreatedConnection> {
    return this.connections.create(input);
  }

  async getConnection(id: string): Promise<Connection | null> {
    return this.connections.get(id);
  }

  async getConnectionCredentials(id: string): Promise<ConnectionCredentials | null> {
    return this.connections.credentials(id);
  }

  async findConnectionByApiKey(apiKey: string): Promise<Connection | null> {
    return this.connections.findByApiKey(apiKey);
  }

  async listConnections(): Promise<Connection[]> {
    return this.connections.list();
  }

  async updateConnection(id: string, changes: ConnectionChanges): Promise<Connection | null> {
    return this.connections.update(id, changes);
  }

  async rotateApiKey(id: string): Promise<string | null> {
    return this.connections.rotateApiKey(id);
  }

  async setApiKey(id: string, apiKey: string): Promise<boolean> {
    return this.connections.setApiKey(id, apiKey);
  }

  async deleteConnection(id: string): Promise<boolean> {
    return this.connections.delete(id);
  }

  async getIntercomClientSecret(connectionId: string): Promise<string | null> {
    return this.connections.intercomClientSecret(connectionId);
  }

  async createSubscription(input: NewSubscription): Promise<Subscription> {
    return this.subscriptions.create(input);
  }

  async getSubscription(id: string): Promise<Subscription | null> {
    return this.subscriptions.get(id);
  }

  async listSubscriptions(filter?: SubscriptionFilter): Promise<Subscription[]> {
    return this.subscriptions.list(filter);
  }

  async setSubscriptionState(id: string, state: SubscriptionState): Promise<Subscription | null> {
    return this.subscriptions.setState(id, state);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    return this.subscriptions.delete(id);
  }

  async claimDueSubscriptions(owner: string, options: { limit: number; leaseMs: number }): Promise<Subscription[]> {
    return this.subscriptions.claimDue(owner, options);
  }

  async releaseSubscription(id: string, owner: string, nextPollAt: Date): Promise<boolean> {
    return this.subscriptions.release(id, owner, nextPollAt);
  }

  async commitPoll(subscriptionId: string, commit: PollCommit): Promise<CommitPollResult> {
    return this.subscriptions.commitPoll(subscriptionId, commit);
  }

  async createWebhook(input: NewWebhook): Promise<Webhook> {
    return this.webhooks.create(input);
  }

  async getWebhook(subscriptionId: string): Promise<Webhook | null> {
    return this.webhooks.get(subscriptionId);
  }

  async getWebhookSecret(subscriptionId: string): Promise<string | null> {
    return this.webhooks.secret(subscriptionId);
  }

  async listWebhooks(filter?: WebhookFilter): Promise<Webhook[]> {
    return this.webhooks.list(filter);
  }

  async deleteWebhook(subscriptionId: string): Promise<boolean> {
    return this.webhooks.delete(subscriptionId);
  }

  async claimDueWebhookPolls(owner: string, options: { limit: number; leaseMs: number }): Promise<Subscription[]> {
    return this.webhooks.claimDuePolls(owner, options);
  }

  async claimWebhookDeliveries(owner: string, options: { limit: number; leaseMs: number }): Promise<WebhookDelivery[]> {
    return this.webhooks.claimDeliveries(owner, options);
  }

  async releaseWebhookDelivery(subscriptionId: string, owner: string): Promise<boolean> {
    return this.webhooks.releaseDelivery(subscriptionId, owner);
  }

  async appendEvents(subscriptionId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    return this.outbox.append(subscriptionId, events);
  }

  async pendingEvents(subscriptionId: string, limit: number): Promise<OutboxEvent[]> {
    return this.outbox.pending(subscriptionId, limit);
  }

  async dueEvents(subscriptionId: string, limit: number): Promise<OutboxEvent[]> {
    return this.outbox.due(subscriptionId, limit);
  }

  async listEvents(subscriptionId: string, options: { status?: EventStatus; afterId?: number; limit: number }): Promise<OutboxEvent[]> {
    return this.outbox.list(subscriptionId, options);
  }

  async ackEvents(subscriptionId: string, ids: readonly number[]): Promise<number> {
    return this.outbox.ack(subscriptionId, ids);
  }

  async recordDeliveryFailure(subscriptionId: string, eventId: number, error: string, policy?: DeliveryRetryPolicy): Promise<DeliveryFailureOutcome | null> {
    return this.outbox.recordFailure(subscriptionId, eventId, error, policy);
  }

  async redriveEvent(subscriptionId: string, eventId: number): Promise<OutboxEvent | null> {
    return this.outbox.redrive(subscriptionId, eventId);
  }

  async outboxStats(subscriptionId: string): Promise<OutboxStats> {
    return this.outbox.stats(subscriptionId);
  }

  async prune(policy: RetentionPolicy): Promise<PruneReport> {
    return this.outbox.prune(policy);
  }

  async spendCallBudget(key: string, spend: BudgetSpend): Promise<BudgetDecision> {
    return this.budget.spend(key, spend);
  }

  async getSetting(key: string): Promise<string | null> {
    return this.settings.get(key);
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.settings.set(key, value);
  }

  async claimSetting(key: string, value: string): Promise<string> {
    return this.settings.claim(key, value);
  }

  async deleteSetting(key: string): Promise<boolean> {
    return this.settings.delete(key);
  }
}
