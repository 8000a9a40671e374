import { DEFAULT_RETENTION_POLICY } from "./policies.js";
import type { PruneReport, RetentionPolicy } from "./records.js";
import type { Store } from "./store.js";
import { assertRetentionPolicy } from "./validation.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * How often a running service prunes, by default: every 15 minutes. Often enough that each sweep
 * deletes only a quarter-hour of rows (SQLite has one writer: a sweep that deletes a day's rows
 * at once holds the polls' commits back for longer) and the database never holds much more than
 * its retention; rarely enough that an idle sweep (a few indexed deletes and one pass over the
 * dedupe keys) costs nothing that matters.
 *
 * @example
 * new RetentionSweeper(store, { logger, intervalMs: DEFAULT_RETENTION_INTERVAL_MS });
 */
export const DEFAULT_RETENTION_INTERVAL_MS = 15 * MINUTE;

/**
 * The trigger engine's default look-back window (`DEFAULT_LOOKBACK_SECONDS` in triggers/engine.ts,
 * which the store does not import: it sits below the triggers). retention.test.ts checks that the
 * two agree. Pass the engine's own (`lookbackMs`) when it differs.
 *
 * @example
 * new RetentionSweeper(store, { logger, lookbackMs: engine.lookbackSeconds * 1000 });
 */
export const DEFAULT_TRIGGER_LOOKBACK_MS = 10 * MINUTE;

/**
 * How much longer than the look-back window dedupe keys must be kept, at least: a key is needed
 * until the last poll whose window holds its item, which comes a poll interval or two after the
 * window (longer when the budget defers polls), and instances' clocks disagree by some seconds.
 * An hour covers that; the default (7 days) is far beyond, for the outages the store cannot see
 * (see `DEFAULT_RETENTION_POLICY`).
 *
 * @example
 * policy.dedupeKeysMs >= lookbackMs + MIN_DEDUPE_KEYS_MARGIN_MS;
 */
export const MIN_DEDUPE_KEYS_MARGIN_MS = HOUR;

/**
 * The longest interval a sweeper takes: the longest delay `setTimeout` honours (a longer one
 * fires at once, every time: a sweep loop instead of a schedule).
 *
 * @example
 * intervalMs <= MAX_RETENTION_INTERVAL_MS; // about 24.8 days
 */
export const MAX_RETENTION_INTERVAL_MS = 2_147_483_647;

/**
 * What a sweeper runs: the policy, and how long to wait between sweeps. The service's settings
 * resolve to one (`ServeSettings.retention`).
 *
 * @example
 * const schedule: RetentionSchedule = { intervalMs: 15 * 60_000, policy: DEFAULT_RETENTION_POLICY };
 */
export interface RetentionSchedule {
  /** Milliseconds from the end of one sweep to the start of the next. */
  intervalMs: number;
  policy: RetentionPolicy;
}

/**
 * The default schedule: `DEFAULT_RETENTION_POLICY` (delivered events a day, dead letters a week
 * after they died, dedupe keys a week, idle budgets an hour) every `DEFAULT_RETENTION_INTERVAL_MS`.
 *
 * @example
 * startRetentionSweeps(store, { ...DEFAULT_RETENTION_SCHEDULE, logger });
 */
export const DEFAULT_RETENTION_SCHEDULE: Readonly<RetentionSchedule> = Object.freeze({
  intervalMs: DEFAULT_RETENTION_INTERVAL_MS,
  policy: DEFAULT_RETENTION_POLICY,
});

/**
 * The logger calls a sweeper makes (pino's and fastify's loggers fit): `info` for each sweep that
 * deleted something, `warn` for a failed one. It logs counts and durations, never a row.
 *
 * @example
 * const logger: RetentionLogger = app.log;
 */
export interface RetentionLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * What a sweeper takes: a logger, and what differs from `DEFAULT_RETENTION_SCHEDULE` (a partial
 * policy is completed with the defaults).
 *
 * @example
 * const options: RetentionSweeperOptions = { logger: app.log, intervalMs: 60_000, policy: { deadEventsMs: 14 * 86_400_000 } };
 */
export interface RetentionSweeperOptions {
  logger: RetentionLogger;
  intervalMs?: number;
  policy?: Partial<RetentionPolicy>;
  /**
   * The trigger engine's look-back window (default `DEFAULT_TRIGGER_LOOKBACK_MS`): a policy that
   * would forget dedupe keys within it plus `MIN_DEDUPE_KEYS_MARGIN_MS` is refused.
   */
  lookbackMs?: number;
  /**
   * A pass each sweep also runs, first: deletes the expired Power Automate polling subscriptions
   * (with their outboxes) and returns how many (the runtime's `TriggerEngine.expireIdleSubscriptions`,
   * which holds the idle limit and the clock).
   */
  expireSubscriptions?: () => Promise<number>;
}

/**
 * What one sweep deleted: `prune`'s report, and the expired subscriptions when the sweeper runs
 * that pass.
 *
 * @example
 * const report = await sweeper.sweep(); // { deliveredEvents: 12, …, expiredSubscriptions: 3 }
 */
export type SweepReport = PruneReport & { expiredSubscriptions?: number };

/**
 * Runs `store.prune` on a schedule, so that a running service's outbox (delivered events, dead
 * letters) and dedupe keys stay within their retention instead of growing for ever. The first
 * sweep runs on `start()`, each next one `intervalMs` after the previous ended (never two at
 * once). A sweep that deleted something is logged at info; a failed one is logged at warn and
 * the next sweep tries again: nothing is ever thrown out of the timer. The timer is unref'd, so a
 * sweeper never keeps a process alive. Several instances on one database may each run one: a
 * row two sweeps both select is deleted once, the other delete finds nothing.
 *
 * What a sweep never deletes is the store's `prune` contract: pending events (whatever their age),
 * dead letters before their retention has run since they died, dedupe keys of events still in
 * the outbox or within `dedupeKeysMs` of their subscription's newest key.
 *
 * @example
 * const sweeper = new RetentionSweeper(store, { logger: app.log });
 * sweeper.start();
 * // on shutdown, before closing the store:
 * await sweeper.stop();
 */
export class RetentionSweeper {
  /** The policy each sweep applies, defaults filled in. */
  readonly policy: Readonly<RetentionPolicy>;
  readonly intervalMs: number;
  private readonly logger: RetentionLogger;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<SweepReport | null> | null = null;
  private readonly expireSubscriptions: (() => Promise<number>) | undefined;
  private started = false;
  private stopped = false;

  /**
   * Throws a `StoreError` `invalid_argument` for a malformed policy, a `RangeError` for an
   * interval that is not a positive number of milliseconds a timer can wait, or a dedupe key
   * retention shorter than the look-back window plus `MIN_DEDUPE_KEYS_MARGIN_MS`.
   */
  constructor(
    private readonly store: Pick<Store, "prune">,
    options: RetentionSweeperOptions,
  ) {
    const policy: RetentionPolicy = { ...DEFAULT_RETENTION_POLICY, ...options.policy };
    assertRetentionPolicy(policy);
    const intervalMs = options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
    if (!Number.isFinite(intervalMs) || intervalMs <= 0 || intervalMs > MAX_RETENTION_INTERVAL_MS) {
      throw new RangeError(`intervalMs must be a number of milliseconds greater than 0 and at most ${MAX_RETENTION_INTERVAL_MS}`);
    }
    const lookbackMs = options.lookbackMs ?? DEFAULT_TRIGGER_LOOKBACK_MS;
    if (!Number.isFinite(lookbackMs) || lookbackMs < 0) throw new RangeError("lookbackMs must be 0 or more");
    // Forgetting a key the next look-back may see again would emit its event twice.
    if (policy.dedupeKeysMs < lookbackMs + MIN_DEDUPE_KEYS_MARGIN_MS) {
      throw new RangeError(`dedupeKeysMs (${policy.dedupeKeysMs}) must be at least the look-back window (${lookbackMs} ms) plus ${MIN_DEDUPE_KEYS_MARGIN_MS} ms`);
    }
    this.policy = Object.freeze(policy);
    this.intervalMs = intervalMs;
    this.logger = options.logger;
    this.expireSubscriptions = options.expireSubscriptions;
  }

  /** Sweeps now, then every `intervalMs` until `stop()`. Starting twice, or after `stop()`, does nothing. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.sweepAndSchedule();
  }

  /**
   * One sweep now, or the one already running: resolves with what it deleted, or `null` when it
   * failed (logged) or the sweeper is stopped. Never rejects.
   */
  sweep(): Promise<SweepReport | null> {
    if (this.stopped) return this.inFlight ?? Promise.resolve(null);
    this.inFlight ??= this.prune().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** No sweep starts after this; resolves once the one in flight (if any) has ended. Idempotent. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  private async sweepAndSchedule(): Promise<void> {
    await this.sweep();
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.sweepAndSchedule(), this.intervalMs);
    // Retention is housekeeping: it must not be what keeps a finished process running.
    this.timer.unref();
  }

  private async prune(): Promise<SweepReport | null> {
    const started = performance.now();
    try {
      const expired = this.expireSubscriptions === undefined ? undefined : await this.expireSubscriptions();
      const report: SweepReport = { ...(await this.store.prune(this.policy)), ...(expired === undefined ? {} : { expiredSubscriptions: expired }) };
      const deleted = report.deliveredEvents + report.deadEvents + report.dedupeKeys + report.callLog + (expired ?? 0);
      if (deleted > 0) this.log("info", { ...report, durationMs: Math.round(performance.now() - started) }, "retention: pruned the outbox, dedupe keys and budgets");
      return report;
    } catch (error) {
      this.log("warn", { err: error, retryInMs: this.intervalMs }, "retention: prune failed; the next sweep tries again");
      return null;
    }
  }

  /** A logger that throws must not turn a sweep into an unhandled rejection either. */
  private log(level: "info" | "warn", object: object, message: string): void {
    try {
      this.logger[level](object, message);
    } catch {
      // Nothing left to report it to.
    }
  }
}

/**
 * Creates a `RetentionSweeper` and starts it: the first sweep runs now. Stop it (and await that)
 * before closing the store.
 *
 * @example
 * const sweeper = startRetentionSweeps(store, { ...settings.retention, logger: app.log });
 * await sweeper.stop();
 */
export function startRetentionSweeps(store: Pick<Store, "prune">, options: RetentionSweeperOptions): RetentionSweeper {
  const sweeper = new RetentionSweeper(store, options);
  sweeper.start();
  return sweeper;
}
