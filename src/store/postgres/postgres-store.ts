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
import { PostgresCallBudget } from "./call-budget.js";
import { PostgresConnections } from "./connections.js";
import { ensureSchema, openPostgresPool, parsePostgresUrl, type PostgresPool } from "./database.js";
import { migratePostgres, POSTGRES_MIGRATIONS } from "./migrations.js";
import { PostgresOutbox } from "./outbox.js";
import { PostgresSettings } from "./settings.js";
import { PostgresSubscriptions } from "./subscriptions.js";
import { PostgresWebhooks } from "./webhooks.js";

/**
 * The store on a PostgreSQL database (node-postgres, a pool of connections). Any number of
 * instances and processes may share one database: leases are claimed with
 * `FOR UPDATE SKIP LOCKED`, a poll's commit locks its subscription's row, budgets and migrations
 * queue on advisory locks. The URL's optional `schema` parameter puts the tables in that schema
 * (created if missing), and `max` sets the pool size (default 10). Needs PostgreSQL 11 or later
 * (`hashtextextended`).
 *
 * @example
 * const store = await PostgresStore.open("postgres://connector@db:5432/connector?schema=intercom", { secretKey });
 * await store.listConnections();
 * await store.close();
 */
export class PostgresStore implements Store {
  private readonly connections: PostgresConnections;
  private readonly subscriptions: PostgresSubscriptions;
  private readonly outbox: PostgresOutbox;
  private readonly budget: PostgresCallBudget;
  private readonly settings: PostgresSettings;
  private readonly webhooks: PostgresWebhooks;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly pool: PostgresPool,
    private readonly clock: () => number,
    secretKey: Buffer,
  ) {
    this.connections = new PostgresConnections(pool, secretKey, clock);
    this.outbox = new PostgresOutbox(pool, clock);
    this.subscriptions = new PostgresSubscriptions(pool, this.outbox, clock);
    this.budget = new PostgresCallBudget(pool);
    this.settings = new PostgresSettings(pool, clock);
    this.webhooks = new PostgresWebhooks(pool, this.subscriptions, secretKey, clock);
  }

  /**
   * Opens a pool on `url` (`postgres://` or `postgresql://`), creates the URL's `schema` if
   * missing, and migrates unless `migrate: false`. Throws `StoreError` `invalid_argument` for a bad
   * `schema` or `max` before connecting; a connection failure is the driver's error.
   */
  static async open(url: string, options: StoreOptions): Promise<PostgresStore> {
    const location = parsePostgresUrl(url);
    const pool = openPostgresPool(location);
    try {
      if (location.schema !== null) await ensureSchema(pool, location.schema);
      const store = new PostgresStore(pool, options.clock ?? Date.now, options.secretKey);
      if (options.migrate !== false) {
        await migratePostgres(pool, POSTGRES_MIGRATIONS, store.clock);
        // Needs the key, so not a migration: `migrate()` alone may run under a throwaway key.
        await store.webhooks.sealClearCallbackUrls();
      }
      return store;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async migrate(): Promise<MigrationReport> {
    return migratePostgres(this.pool, POSTGRES_MIGRATIONS, this.clock);
  }

  /** Ends the pool (waiting for queries in flight); closing again is a no-op. */
  async close(): Promise<void> {
    this.closing ??= this.pool.end();
    await this.closing;
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
    await this.settings.set(key, value);
  }

  async claimSetting(key: string, value: string): Promise<string> {
    return this.settings.claim(key, value);
  }

  async deleteSetting(key: string): Promise<boolean> {
    return this.settings.delete(key);
  }
}
