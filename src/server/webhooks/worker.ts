import { randomUUID } from "node:crypto";
import { DEFAULT_DELIVERY_RETRY_POLICY, type DeliveryRetryPolicy, type Store, type Subscription, type WebhookDelivery } from "../../store/index.js";
import type { ConnectorMetrics, Runtime } from "../../runtime/index.js";
import type { TriggerEngine } from "../../triggers/index.js";
import { callbackFetch } from "./callback-fetch.js";
import { CallbackGuard, PUBLIC_CALLBACKS_ONLY, type CallbackPolicy } from "./callback-policy.js";
import { postWebhook } from "./deliver.js";

/**
 * The logger calls the worker makes (pino's and fastify's loggers fit). It logs subscription and
 * event ids, statuses and reasons: never a secret, a callback URL or a payload.
 *
 * @example
 * const logger: WorkerLogger = app.log;
 */
export interface WorkerLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * What the delivery worker runs on, and its pace.
 *
 * @example
 * const options: WebhookDeliveryWorkerOptions = { store, engine, logger: app.log };
 */
export interface WebhookDeliveryWorkerOptions {
  /**
   * The store and the trigger engine (its `pollIntervalSeconds` is each webhook's poll interval).
   * Each scan spends one unit of its connection's budget there, so background polls and a flow's
   * calls share the connection's limit; a spent budget puts the poll off until it frees up.
   */
  runtime: Runtime;
  /** Retries of failed deliveries (default: from 5 s doubling to an hour, for 24 h, then dead). */
  deliveryPolicy?: DeliveryRetryPolicy;
  /** Epoch milliseconds: `webhook-timestamp` and poll scheduling. Defaults to `Date.now`. */
  now?: () => number;
  /** How often the worker looks for due polls and deliveries when idle (default 1000 ms). */
  tickMs?: number;
  /** Webhooks delivered to at once, each one event at a time (default 8). */
  concurrency?: number;
  /** Trigger polls at once (default 16: each mostly waits on Intercom and the database). */
  pollConcurrency?: number;
  /** How long a receiver has to answer one delivery (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** How long a claim on a webhook's deliveries lasts if this process dies (default 60 s, at least 3 request timeouts). */
  deliveryLeaseMs?: number;
  /** How long a claim on a poll lasts if this process dies (default 5 min). */
  pollLeaseMs?: number;
  /** This instance's name on its leases (default a random id). */
  owner?: string;
  logger?: WorkerLogger;
  /**
   * Where deliveries may connect (default: public addresses only). A delivery to an address it
   * forbids fails before sending anything (`refused: …`), and is retried like any failure.
   */
  callbackPolicy?: CallbackPolicy;
  /** The HTTP client (tests may wrap it). Default: `callbackFetch` keeping to `callbackPolicy`. */
  fetch?: typeof fetch;
}

const DEFAULT_TICK_MS = 1_000;
const DEFAULT_CONCURRENCY = 8;
const DEFAULT_POLL_CONCURRENCY = 16;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
const DEFAULT_DELIVERY_LEASE_MS = 60_000;
const DEFAULT_POLL_LEASE_MS = 300_000;

const SILENT: WorkerLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Runs the webhook subscriptions: polls each one's trigger on schedule (the engine's interval),
 * and delivers each one's outbox to its callback URL in order, one event in flight per webhook,
 * each event once: a 2xx acknowledges it; a failure schedules a retry with exponential backoff
 * (the store's `recordDeliveryFailure` and the delivery policy) and holds back the events behind
 * it, until it is delivered or, past the policy's deadline, dead-lettered. Polls and deliveries
 * are claimed through store leases, so several instances on one database share the work without
 * delivering an event twice (short of a crash between a receiver's 2xx and the acknowledgement;
 * the stable `webhook-id` lets receivers drop such a repeat).
 *
 * `stop()` takes no new work and waits for the polls and deliveries in flight to finish.
 *
 * @example
 * const worker = new WebhookDeliveryWorker({ runtime, logger: app.log, callbackPolicy: PUBLIC_CALLBACKS_ONLY });
 * worker.start();
 * process.once("SIGTERM", () => void worker.stop().then(() => app.close()));
 */
export class WebhookDeliveryWorker {
  private readonly store: Store;
  private readonly metrics: ConnectorMetrics;
  private readonly engine: TriggerEngine;
  private readonly policy: DeliveryRetryPolicy;
  private readonly now: () => number;
  private readonly tickMs: number;
  private readonly concurrency: number;
  private readonly pollConcurrency: number;
  private readonly requestTimeoutMs: number;
  private readonly deliveryLeaseMs: number;
  private readonly pollLeaseMs: number;
  private readonly owner: string;
  private readonly logger: WorkerLogger;
  private readonly fetchImpl: typeof fetch;

  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  /** A task finished while a tick ran: look again at once instead of after `tickMs`. */
  private again = false;
  private readonly deliveries = new Map<string, Promise<void>>();
  private readonly polls = new Map<string, Promise<void>>();

  constructor(options: WebhookDeliveryWorkerOptions) {
    this.store = options.runtime.store;
    this.metrics = options.runtime.metrics;
    this.engine = options.runtime.engine;
    this.policy = options.deliveryPolicy ?? DEFAULT_DELIVERY_RETRY_POLICY;
    this.now = options.now ?? Date.now;
    this.tickMs = positive(options.tickMs ?? DEFAULT_TICK_MS, "tickMs");
    this.concurrency = positive(options.concurrency ?? DEFAULT_CONCURRENCY, "concurrency");
    this.pollConcurrency = positive(options.pollConcurrency ?? DEFAULT_POLL_CONCURRENCY, "pollConcurrency");
    this.requestTimeoutMs = positive(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs");
    this.deliveryLeaseMs = positive(options.deliveryLeaseMs ?? Math.max(DEFAULT_DELIVERY_LEASE_MS, 3 * this.requestTimeoutMs), "deliveryLeaseMs");
    this.pollLeaseMs = positive(options.pollLeaseMs ?? DEFAULT_POLL_LEASE_MS, "pollLeaseMs");
    if (this.deliveryLeaseMs < 2 * this.requestTimeoutMs) throw new RangeError("deliveryLeaseMs must be at least twice requestTimeoutMs");
    this.owner = options.owner ?? `webhooks-${randomUUID()}`;
    this.logger = options.logger ?? SILENT;
    this.fetchImpl = options.fetch ?? callbackFetch(new CallbackGuard(options.callbackPolicy ?? PUBLIC_CALLBACKS_ONLY));
  }

  /** Whether the worker is running (started and not stopped). */
  get started(): boolean {
    return this.running;
  }

  /** Starts polling and delivering in the background; calling it again does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /**
   * Stops: no new poll or delivery starts; resolves once those in flight have finished (each
   * delivery is bounded by `requestTimeoutMs`). The worker may be started again afterwards.
   */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.ticking;
    while (this.deliveries.size > 0 || this.polls.size > 0) {
      await Promise.allSettled([...this.deliveries.values(), ...this.polls.values()]);
    }
  }

  /**
   * Claims and starts the polls and deliveries due now (within the concurrency limits), and
   * resolves once they are started, not finished. The background loop calls it every tick.
   */
  async runOnce(): Promise<void> {
    const [polls, deliveries] = await Promise.all([this.claimPolls(), this.claimDeliveries()]);
    for (const subscription of polls) this.track(this.polls, subscription.id, this.poll(subscription));
    for (const claim of deliveries) this.track(this.deliveries, claim.webhook.subscriptionId, this.deliver(claim));
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.ticking = this.tick();
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.again = false;
    try {
      await this.runOnce();
    } catch (error) {
      this.logger.error({ err: error }, "webhook worker: claiming work failed");
    }
    this.ticking = null;
    this.schedule(this.again ? 0 : this.tickMs);
  }

  /** Runs a task, and looks for more work as soon as it ends (the same webhook may have more). */
  private track(tasks: Map<string, Promise<void>>, key: string, task: Promise<void>): void {
    const tracked = task
      .catch((error: unknown) => this.logger.error({ err: error, subscriptionId: key }, "webhook worker: task failed"))
      .finally(() => {
        tasks.delete(key);
        if (this.ticking !== null) this.again = true;
        else if (this.running) this.schedule(0);
      });
    tasks.set(key, tracked);
  }

  private async claimPolls(): Promise<Subscription[]> {
    const free = this.pollConcurrency - this.polls.size;
    if (free <= 0 || !this.running) return [];
    return this.store.claimDueWebhookPolls(this.owner, { limit: free, leaseMs: this.pollLeaseMs });
  }

  private async claimDeliveries(): Promise<WebhookDelivery[]> {
    const free = this.concurrency - this.deliveries.size;
    if (free <= 0 || !this.running) return [];
    return this.store.claimWebhookDeliveries(this.owner, { limit: free, leaseMs: this.deliveryLeaseMs });
  }

  /** One poll of a webhook's trigger; the next is due an interval later (or after `Retry-After`). */
  private async poll(subscription: Subscription): Promise<void> {
    let waitMs = this.engine.pollIntervalSeconds * 1000;
    // How late this poll starts behind its schedule: what an operator watches as load grows.
    this.logger.debug({ subscriptionId: subscription.id, lagMs: Math.max(0, this.now() - subscription.nextPollAt.getTime()) }, "webhook trigger poll started");
    let committed = false;
    try {
      // A scan for another subscription of the same trigger may have served this one since the claim.
      const current = await this.store.getSubscription(subscription.id);
      if (current === null) return;
      if (current.cursorVersion !== subscription.cursorVersion && current.nextPollAt.getTime() > this.now()) {
        committed = true;
        return;
      }
      // This worker's lease goes with the commit: a poll that outlived its lease commits nothing.
      // Claimed subscriptions of the same trigger join the one scan running in this process.
      const report = await this.engine.poll(subscription.id, { leaseOwner: this.owner });
      if (report.ok) {
        committed = report.value.committed;
        if (report.value.emitted > 0) this.logger.info({ subscriptionId: subscription.id, emitted: report.value.emitted, shared: report.value.shared }, "webhook trigger polled");
        if (!report.value.committed) this.logger.warn({ subscriptionId: subscription.id }, "webhook trigger poll not committed: its lease was lost or another poller committed first");
      } else if (report.error.code === "rate_limited") {
        waitMs = Math.max(waitMs, (report.error.retryAfterSeconds ?? 0) * 1000);
        this.logger.warn({ subscriptionId: subscription.id, retryAfterSeconds: report.error.retryAfterSeconds }, "webhook trigger poll put off: the connection's call budget is spent");
      } else {
        if (report.error.retryAfterSeconds !== undefined) waitMs = Math.max(waitMs, report.error.retryAfterSeconds * 1000);
        this.logger.warn({ subscriptionId: subscription.id, code: report.error.code }, "webhook trigger poll failed");
      }
    } finally {
      // A committed scan scheduled the next poll: keep it. (Released already when the commit carried this lease.)
      const nextPollAt = committed ? ((await this.store.getSubscription(subscription.id))?.nextPollAt ?? new Date(this.now() + waitMs)) : new Date(this.now() + waitMs);
      await this.store.releaseSubscription(subscription.id, this.owner, nextPollAt);
    }
  }

  /**
   * Delivers a claimed webhook's events in order while they are due, the lease has room for
   * another attempt, and the worker runs; stops at the first failure (recorded for its retry).
   */
  private async deliver(claim: WebhookDelivery): Promise<void> {
    const { webhook } = claim;
    const id = webhook.subscriptionId;
    try {
      // Claimed while stop() began: leave it to the next run (or another instance).
      if (!this.running) return;
      const secret = await this.store.getWebhookSecret(id);
      if (secret === null) return; // deleted since the claim
      let event = claim.event;
      for (;;) {
        const startedAt = this.now();
        const started = performance.now();
        const outcome = await postWebhook(
          { callbackUrl: webhook.callbackUrl, secret, event, timestampSeconds: Math.floor(startedAt / 1000), timeoutMs: this.requestTimeoutMs },
          this.fetchImpl,
        );
        // The run history's record of this attempt, before its outcome moves the event on.
        await this.store.recordDeliveryAttempt({
          subscriptionId: id,
          eventId: event.id,
          attemptedAt: new Date(startedAt),
          statusCode: outcome.status ?? null,
          latencyMs: performance.now() - started,
          error: outcome.ok ? null : outcome.error,
        });
        if (!outcome.ok) {
          const failure = await this.store.recordDeliveryFailure(id, event.id, outcome.error, this.policy);
          if (failure !== null) this.metrics.delivery(failure.status === "dead" ? "dead" : "failed");
          if (failure?.status === "dead") {
            this.logger.error({ subscriptionId: id, eventId: event.id, attempts: failure.attempts, reason: outcome.error }, "webhook event dead-lettered");
          } else if (failure !== null) {
            this.logger.warn({ subscriptionId: id, eventId: event.id, attempts: failure.attempts, reason: outcome.error, nextAttemptAt: failure.nextAttemptAt }, "webhook delivery failed");
          }
          return;
        }
        if ((await this.store.ackEvents(id, [event.id])) > 0) this.metrics.delivery("delivered");
        if (!this.running || this.now() + this.requestTimeoutMs >= claim.leaseUntil.getTime()) return;
        const [next] = await this.store.pendingEvents(id, 1);
        if (next === undefined || next.nextAttemptAt.getTime() > this.now()) return;
        event = next;
      }
    } finally {
      await this.store.releaseWebhookDelivery(id, this.owner);
    }
  }
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number`);
  return value;
}
