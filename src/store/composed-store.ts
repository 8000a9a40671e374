import { deriveSubkey } from "./derive-key.js";
import type { CommitPollResult, PollCommit } from "./records.js";
import type { Store } from "./store.js";

type Awaitable<T> = T | Promise<T>;
/** A part's method for the `Store` method `M`: same arguments, same result, sync or async. */
type PartMethod<M extends keyof Store> = Store[M] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Awaitable<R> : never;

/**
 * The pieces a store is composed of, one per table family. SQLite's work synchronously,
 * PostgreSQL's asynchronously; both fit, since the store awaits whatever they return.
 *
 * @example
 * const parts: StoreParts = { connections, subscriptions, webhooks, outbox, budget, settings };
 */
export interface StoreParts {
  connections: {
    create: PartMethod<"createConnection">;
    get: PartMethod<"getConnection">;
    credentials: PartMethod<"getConnectionCredentials">;
    findByApiKey: PartMethod<"findConnectionByApiKey">;
    list: PartMethod<"listConnections">;
    update: PartMethod<"updateConnection">;
    rotateApiKey: PartMethod<"rotateApiKey">;
    setApiKey: PartMethod<"setApiKey">;
    delete: PartMethod<"deleteConnection">;
    intercomClientSecret: PartMethod<"getIntercomClientSecret">;
  };
  subscriptions: {
    create: PartMethod<"createSubscription">;
    get: PartMethod<"getSubscription">;
    list: PartMethod<"listSubscriptions">;
    setState: PartMethod<"setSubscriptionState">;
    delete: PartMethod<"deleteSubscription">;
    release: PartMethod<"releaseSubscription">;
    /** Also serves `commitPoll`, as a batch of one: one code path checks and writes every commit. */
    commitPolls: PartMethod<"commitPolls">;
    recordPolled: PartMethod<"recordSubscriptionPolled">;
    expireIdlePolling: PartMethod<"expireIdlePollingSubscriptions">;
  };
  webhooks: {
    create: PartMethod<"createWebhook">;
    get: PartMethod<"getWebhook">;
    secret: PartMethod<"getWebhookSecret">;
    list: PartMethod<"listWebhooks">;
    delete: PartMethod<"deleteWebhook">;
    claimDuePolls: PartMethod<"claimDueWebhookPolls">;
    claimDeliveries: PartMethod<"claimWebhookDeliveries">;
    releaseDelivery: PartMethod<"releaseWebhookDelivery">;
  };
  outbox: {
    append: PartMethod<"appendEvents">;
    pending: PartMethod<"pendingEvents">;
    list: PartMethod<"listEvents">;
    ack: PartMethod<"ackEvents">;
    recordFailure: PartMethod<"recordDeliveryFailure">;
    redrive: PartMethod<"redriveEvent">;
    stats: PartMethod<"outboxStats">;
    recordAttempt: PartMethod<"recordDeliveryAttempt">;
    attempts: PartMethod<"listDeliveryAttempts">;
    totals: PartMethod<"outboxTotals">;
    prune: PartMethod<"prune">;
  };
  budget: {
    spend: PartMethod<"spendCallBudget">;
    history: PartMethod<"budgetHistory">;
  };
  settings: {
    get: PartMethod<"getSetting">;
    set: PartMethod<"setSetting">;
    claim: PartMethod<"claimSetting">;
    delete: PartMethod<"deleteSetting">;
  };
}

/**
 * The `Store` methods every implementation shares: each hands the call to the part that owns its
 * tables. An implementation supplies its parts, `migrate` and `close`, and passes the conformance
 * suite; nothing else differs between SQLite and PostgreSQL at this level.
 *
 * @example
 * export class SqliteStore extends ComposedStore {
 *   async migrate() { … }
 *   async close() { … }
 * }
 */
export abstract class ComposedStore implements Store {
  /** The derived keys asked for so far, by purpose (HKDF costs microseconds; callers may ask per request). */
  private readonly derivedKeys = new Map<string, Buffer>();

  constructor(
    private readonly parts: StoreParts,
    private readonly secretKey: Buffer,
  ) {}

  deriveKey(purpose: string): Buffer {
    let key = this.derivedKeys.get(purpose);
    if (key === undefined) {
      key = deriveSubkey(this.secretKey, purpose);
      this.derivedKeys.set(purpose, key);
    }
    return key;
  }

  abstract migrate(): ReturnType<Store["migrate"]>;
  abstract schemaStatus(): ReturnType<Store["schemaStatus"]>;
  abstract close(): Promise<void>;

  async createConnection(...args: Parameters<Store["createConnection"]>): ReturnType<Store["createConnection"]> {
    return this.parts.connections.create(...args);
  }

  async getConnection(...args: Parameters<Store["getConnection"]>): ReturnType<Store["getConnection"]> {
    return this.parts.connections.get(...args);
  }

  async getConnectionCredentials(...args: Parameters<Store["getConnectionCredentials"]>): ReturnType<Store["getConnectionCredentials"]> {
    return this.parts.connections.credentials(...args);
  }

  async findConnectionByApiKey(...args: Parameters<Store["findConnectionByApiKey"]>): ReturnType<Store["findConnectionByApiKey"]> {
    return this.parts.connections.findByApiKey(...args);
  }

  async listConnections(...args: Parameters<Store["listConnections"]>): ReturnType<Store["listConnections"]> {
    return this.parts.connections.list(...args);
  }

  async updateConnection(...args: Parameters<Store["updateConnection"]>): ReturnType<Store["updateConnection"]> {
    return this.parts.connections.update(...args);
  }

  async rotateApiKey(...args: Parameters<Store["rotateApiKey"]>): ReturnType<Store["rotateApiKey"]> {
    return this.parts.connections.rotateApiKey(...args);
  }

  async setApiKey(...args: Parameters<Store["setApiKey"]>): ReturnType<Store["setApiKey"]> {
    return this.parts.connections.setApiKey(...args);
  }

  async deleteConnection(...args: Parameters<Store["deleteConnection"]>): ReturnType<Store["deleteConnection"]> {
    return this.parts.connections.delete(...args);
  }

  async getIntercomClientSecret(...args: Parameters<Store["getIntercomClientSecret"]>): ReturnType<Store["getIntercomClientSecret"]> {
    return this.parts.connections.intercomClientSecret(...args);
  }

  async createSubscription(...args: Parameters<Store["createSubscription"]>): ReturnType<Store["createSubscription"]> {
    return this.parts.subscriptions.create(...args);
  }

  async getSubscription(...args: Parameters<Store["getSubscription"]>): ReturnType<Store["getSubscription"]> {
    return this.parts.subscriptions.get(...args);
  }

  async listSubscriptions(...args: Parameters<Store["listSubscriptions"]>): ReturnType<Store["listSubscriptions"]> {
    return this.parts.subscriptions.list(...args);
  }

  async recordSubscriptionPolled(...args: Parameters<Store["recordSubscriptionPolled"]>): ReturnType<Store["recordSubscriptionPolled"]> {
    return this.parts.subscriptions.recordPolled(...args);
  }

  async expireIdlePollingSubscriptions(...args: Parameters<Store["expireIdlePollingSubscriptions"]>): ReturnType<Store["expireIdlePollingSubscriptions"]> {
    return this.parts.subscriptions.expireIdlePolling(...args);
  }

  async setSubscriptionState(...args: Parameters<Store["setSubscriptionState"]>): ReturnType<Store["setSubscriptionState"]> {
    return this.parts.subscriptions.setState(...args);
  }

  async deleteSubscription(...args: Parameters<Store["deleteSubscription"]>): ReturnType<Store["deleteSubscription"]> {
    return this.parts.subscriptions.delete(...args);
  }

  async releaseSubscription(...args: Parameters<Store["releaseSubscription"]>): ReturnType<Store["releaseSubscription"]> {
    return this.parts.subscriptions.release(...args);
  }

  async commitPoll(subscriptionId: string, commit: PollCommit): Promise<CommitPollResult> {
    const [result] = await this.parts.subscriptions.commitPolls([{ subscriptionId, commit }]);
    if (result === undefined) throw new Error("commitPolls returned no result for a batch of one");
    return result;
  }

  async commitPolls(...args: Parameters<Store["commitPolls"]>): ReturnType<Store["commitPolls"]> {
    return this.parts.subscriptions.commitPolls(...args);
  }

  async createWebhook(...args: Parameters<Store["createWebhook"]>): ReturnType<Store["createWebhook"]> {
    return this.parts.webhooks.create(...args);
  }

  async getWebhook(...args: Parameters<Store["getWebhook"]>): ReturnType<Store["getWebhook"]> {
    return this.parts.webhooks.get(...args);
  }

  async getWebhookSecret(...args: Parameters<Store["getWebhookSecret"]>): ReturnType<Store["getWebhookSecret"]> {
    return this.parts.webhooks.secret(...args);
  }

  async listWebhooks(...args: Parameters<Store["listWebhooks"]>): ReturnType<Store["listWebhooks"]> {
    return this.parts.webhooks.list(...args);
  }

  async deleteWebhook(...args: Parameters<Store["deleteWebhook"]>): ReturnType<Store["deleteWebhook"]> {
    return this.parts.webhooks.delete(...args);
  }

  async claimDueWebhookPolls(...args: Parameters<Store["claimDueWebhookPolls"]>): ReturnType<Store["claimDueWebhookPolls"]> {
    return this.parts.webhooks.claimDuePolls(...args);
  }

  async claimWebhookDeliveries(...args: Parameters<Store["claimWebhookDeliveries"]>): ReturnType<Store["claimWebhookDeliveries"]> {
    return this.parts.webhooks.claimDeliveries(...args);
  }

  async releaseWebhookDelivery(...args: Parameters<Store["releaseWebhookDelivery"]>): ReturnType<Store["releaseWebhookDelivery"]> {
    return this.parts.webhooks.releaseDelivery(...args);
  }

  async appendEvents(...args: Parameters<Store["appendEvents"]>): ReturnType<Store["appendEvents"]> {
    return this.parts.outbox.append(...args);
  }

  async pendingEvents(...args: Parameters<Store["pendingEvents"]>): ReturnType<Store["pendingEvents"]> {
    return this.parts.outbox.pending(...args);
  }

  async listEvents(...args: Parameters<Store["listEvents"]>): ReturnType<Store["listEvents"]> {
    return this.parts.outbox.list(...args);
  }

  async ackEvents(...args: Parameters<Store["ackEvents"]>): ReturnType<Store["ackEvents"]> {
    return this.parts.outbox.ack(...args);
  }

  async recordDeliveryFailure(...args: Parameters<Store["recordDeliveryFailure"]>): ReturnType<Store["recordDeliveryFailure"]> {
    return this.parts.outbox.recordFailure(...args);
  }

  async redriveEvent(...args: Parameters<Store["redriveEvent"]>): ReturnType<Store["redriveEvent"]> {
    return this.parts.outbox.redrive(...args);
  }

  async outboxStats(...args: Parameters<Store["outboxStats"]>): ReturnType<Store["outboxStats"]> {
    return this.parts.outbox.stats(...args);
  }

  async recordDeliveryAttempt(...args: Parameters<Store["recordDeliveryAttempt"]>): ReturnType<Store["recordDeliveryAttempt"]> {
    return this.parts.outbox.recordAttempt(...args);
  }

  async listDeliveryAttempts(...args: Parameters<Store["listDeliveryAttempts"]>): ReturnType<Store["listDeliveryAttempts"]> {
    return this.parts.outbox.attempts(...args);
  }

  async outboxTotals(): ReturnType<Store["outboxTotals"]> {
    return this.parts.outbox.totals();
  }

  async prune(...args: Parameters<Store["prune"]>): ReturnType<Store["prune"]> {
    return this.parts.outbox.prune(...args);
  }

  async spendCallBudget(...args: Parameters<Store["spendCallBudget"]>): ReturnType<Store["spendCallBudget"]> {
    return this.parts.budget.spend(...args);
  }

  async budgetHistory(...args: Parameters<Store["budgetHistory"]>): ReturnType<Store["budgetHistory"]> {
    return this.parts.budget.history(...args);
  }

  async getSetting(...args: Parameters<Store["getSetting"]>): ReturnType<Store["getSetting"]> {
    return this.parts.settings.get(...args);
  }

  async setSetting(...args: Parameters<Store["setSetting"]>): ReturnType<Store["setSetting"]> {
    return this.parts.settings.set(...args);
  }

  async claimSetting(...args: Parameters<Store["claimSetting"]>): ReturnType<Store["claimSetting"]> {
    return this.parts.settings.claim(...args);
  }

  async deleteSetting(...args: Parameters<Store["deleteSetting"]>): ReturnType<Store["deleteSetting"]> {
    return this.parts.settings.delete(...args);
  }
}
