import { InvalidArgumentError } from "commander";
import type { LevelWithSilent } from "pino";
import { parseHostEntry } from "../server/allowed-hosts.js";
import { allowedHostError, type CallbackPolicy } from "../server/webhooks/index.js";
import { DEFAULT_SUBSCRIPTION_IDLE_SECONDS } from "../triggers/index.js";
import { DEFAULT_RETENTION_POLICY, DEFAULT_RETENTION_INTERVAL_MS, MAX_RETENTION_INTERVAL_MS, type RetentionSchedule } from "../store/index.js";
import { parseBoolean, parseHost, parsePort, parseBaseUrl, parsePositiveInteger, parsePositiveNumber } from "./options.js";
import { envValue, fromEnv, resolveSettings, SETTINGS_ENV, UsageError, type CliSettings, type ConnectorFlags, type Env } from "./settings.js";

/** The service's own variables, beyond those every connector command reads (`SETTINGS_ENV`). */
export const SERVE_ENV = {
  port: "PORT",
  host: "HOST",
  apiKey: "CONNECTOR_API_KEY",
  adminKey: "CONNECTOR_ADMIN_KEY",
  metricsToken: "METRICS_TOKEN",
  publicUrl: "PUBLIC_BASE_URL",
  allowedHosts: "ALLOWED_HOSTS",
  intercomClientSecret: "INTERCOM_CLIENT_SECRET",
  intercomClientId: "INTERCOM_CLIENT_ID",
  logLevel: "LOG_LEVEL",
  logFormat: "LOG_FORMAT",
  leaseSeconds: "WORKER_LEASE_SECONDS",
  pollConcurrency: "WORKER_POLL_CONCURRENCY",
  webhookTimeoutSeconds: "WEBHOOK_TIMEOUT_SECONDS",
  allowPrivateCallbacks: "WEBHOOK_ALLOW_PRIVATE_CALLBACKS",
  allowedCallbackHosts: "WEBHOOK_ALLOWED_HOSTS",
  retentionIntervalSeconds: "RETENTION_INTERVAL_SECONDS",
  retentionDeliveredHours: "RETENTION_DELIVERED_HOURS",
  retentionDeadDays: "RETENTION_DEAD_DAYS",
  retentionDedupeDays: "RETENTION_DEDUPE_DAYS",
  subscriptionIdleSeconds: "TRIGGER_SUBSCRIPTION_IDLE_SECONDS",
} as const;

/**
 * How long an instance's claim on a webhook poll or delivery lasts, by default: when it dies,
 * another instance takes the work over this long after the claim at the latest.
 */
export const DEFAULT_LEASE_SECONDS = 60;
/**
 * The shortest idle limit `serve` takes for Power Automate polling subscriptions, in seconds (an
 * hour): a flow polls every few minutes at most, but Power Automate may pause polling a while
 * (throttling, a plan's slower recurrence, an outage); a live flow must not lose its subscription.
 */
export const MIN_SUBSCRIPTION_IDLE_SECONDS = 3_600;
/** The longest, in seconds (10 years): far beyond any use, and dates stay in range. */
export const MAX_SUBSCRIPTION_IDLE_SECONDS = 10 * 365 * 86_400;

/** Webhook trigger polls an instance runs at once, by default. */
export const DEFAULT_POLL_CONCURRENCY = 16;
/** How long a webhook receiver has to answer one delivery, by default. */
export const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

/**
 * The shortest dedupe key retention `serve` takes, in days. A key must outlive the triggers'
 * look-back window (10 minutes) and the gaps between polls, or an event the look-back sees again
 * is delivered twice; below a day, an outage of polling while Intercom's pushes still arrive
 * would already do it.
 */
export const MIN_RETENTION_DEDUPE_DAYS = 1;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The port `serve` listens on unless told otherwise. */
export const DEFAULT_SERVICE_PORT = 3000;
/** The address `serve` listens on unless told otherwise: this machine only (`0.0.0.0` in a container). */
export const DEFAULT_SERVICE_HOST = "127.0.0.1";

const LOG_LEVELS: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * The flags of `serve`, as commander parsed them.
 *
 * @example
 * const flags: ServeFlags = { port: 0, state: "/tmp/connector" };
 */
export interface ServeFlags extends ConnectorFlags {
  port?: number;
  host?: string;
  apiKey?: string;
  adminKey?: string;
  publicUrl?: string;
  allowedHosts?: string[];
  intercomClientSecret?: string;
  /** The public Intercom app's client id, for "Connect with Intercom" (with `intercomClientSecret`). */
  intercomClientId?: string;
  logLevel?: LevelWithSilent;
  logFormat?: LogFormat;
  lease?: number;
  pollConcurrency?: number;
  webhookTimeout?: number;
  allowPrivateCallbacks?: boolean;
  webhookAllowedHosts?: string[];
  /** Seconds between retention sweeps. */
  retentionInterval?: number;
  /** Hours delivered events are kept. */
  retentionDelivered?: number;
  /** Days dead letters are kept after they died. */
  retentionDead?: number;
  /** Days emitted dedupe keys are kept. */
  retentionDedupe?: number;
  /** Seconds without a poll after which a Power Automate polling subscription expires. */
  subscriptionIdle?: number;
}

/**
 * Everything `serve` needs, resolved. `accessToken` undefined means: run the emulator in-process.
 *
 * @example
 * const settings = resolveServeSettings({ port: 0 }, process.env);
 * settings.accessToken === undefined; // no INTERCOM_ACCESS_TOKEN: demo mode
 */
export interface ServeSettings extends Omit<CliSettings, "accessToken"> {
  accessToken: string | undefined;
  port: number;
  host: string;
  /** The default connection's API key (`CONNECTOR_API_KEY`); generated when absent. */
  apiKey: string | undefined;
  adminKey: string | undefined;
  /** `METRICS_TOKEN`: the bearer token `GET /metrics` needs; unset, the admin API's rule guards it. */
  metricsToken: string | undefined;
  publicBaseUrl: string | undefined;
  /** `ALLOWED_HOSTS`: the `Host` values the service answers (`host` or `host:port`); unset, every one. */
  allowedHosts: string[] | undefined;
  intercomClientSecret: string | undefined;
  /** `INTERCOM_CLIENT_ID`: with `intercomClientSecret`, the public app "Connect with Intercom" runs Intercom's OAuth with. */
  intercomClientId: string | undefined;
  logLevel: LevelWithSilent;
  /** `pretty` (one readable line per entry) or `json` (one JSON object per line); `auto`: pretty when stdout is a terminal. */
  logFormat: LogFormat;
  /** Webhook trigger polls this instance runs at once (each mostly waits on Intercom and the database). */
  pollConcurrency: number;
  /** Claims on webhook polls and deliveries last this long (a dead instance's work moves on after it). */
  leaseSeconds: number;
  /** A webhook receiver's time to answer one delivery; at most half the lease. */
  webhookTimeoutSeconds: number;
  /**
   * Where webhook deliveries may go: public addresses only, plus the allowed hosts, unless private
   * callbacks are allowed (the default in demo mode only, so a newcomer can try a local receiver).
   */
  callbackPolicy: CallbackPolicy;
  /**
   * What the retention sweeper runs (`startRetentionSweeps(store, { ...settings.retention, logger })`):
   * delivered events, dead letters, dedupe keys and idle call budgets pruned every `intervalMs`.
   */
  retention: RetentionSchedule;
  /**
   * Seconds without a poll after which a Power Automate polling subscription expires
   * (`TRIGGER_SUBSCRIPTION_IDLE_SECONDS`, default 604800: 7 days); the runtime's `subscriptionIdleSeconds`.
   */
  subscriptionIdleSeconds: number;
}

/**
 * A pino level name.
 *
 * @example
 * parseLogLevel("debug"); // "debug"
 */
export function parseLogLevel(raw: string): LevelWithSilent {
  const value = raw.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new InvalidArgumentError(`Use one of ${LOG_LEVELS.join(", ")}.`);
  return value as LevelWithSilent;
}

/** How `serve` writes its logs. */
export type LogFormat = "auto" | "pretty" | "json";
const LOG_FORMATS: readonly LogFormat[] = ["auto", "pretty", "json"];

/**
 * A log format (`LOG_FORMAT`, `--log-format`): auto, pretty or json.
 *
 * @example
 * parseLogFormat("JSON"); // "json"
 */
export function parseLogFormat(raw: string): LogFormat {
  const value = raw.trim().toLowerCase();
  if (!(LOG_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`Use one of ${LOG_FORMATS.join(", ")}.`);
  return value as LogFormat;
}


/**
 * Comma-separated host names, addresses and CIDR ranges (`WEBHOOK_ALLOWED_HOSTS`); blanks between
 * commas are ignored.
 *
 * @example
 * parseAllowedHosts("hooks.corp.example, 10.20.0.0/16"); // ["hooks.corp.example", "10.20.0.0/16"]
 */
export function parseAllowedHosts(raw: string): string[] {
  const entries = raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  for (const entry of entries) {
    const problem = allowedHostError(entry);
    if (problem !== null) throw new InvalidArgumentError(`${problem}: give host names, addresses or CIDR ranges, separated by commas.`);
  }
  return entries;
}

/**
 * Comma-separated `host` or `host:port` entries (`ALLOWED_HOSTS`): the `Host` values the service
 * answers. Blanks between commas are ignored; at least one entry is needed.
 *
 * @example
 * parseServiceHosts("connector.example.com, 10.0.0.5:3000"); // ["connector.example.com", "10.0.0.5:3000"]
 */
export function parseServiceHosts(raw: string): string[] {
  const entries = raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  if (entries.length === 0) throw new InvalidArgumentError("Give at least one host name or address, with an optional :port, separated by commas.");
  for (const entry of entries) {
    if (parseHostEntry(entry) === null) throw new InvalidArgumentError(`"${entry}" is not a host or host:port: give host names or addresses, each with an optional :port, separated by commas.`);
  }
  return entries;
}

/**
 * An API key an operator chooses: at least 16 printable characters, no spaces. The message never
 * repeats the value.
 *
 * @example
 * checkApiKey("my-own-key-0123456789", "CONNECTOR_API_KEY");
 */
function checkApiKey(value: string | undefined, source: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{16,512}$/.test(value)) throw new UsageError(`${source} is invalid: an API key must be 16 to 512 printable characters without spaces`);
  return value;
}

/**
 * Resolves `serve`'s settings: a flag wins over its variable, which wins over the default. The
 * connector settings (`--state`, `DATABASE_URL`, `CONNECTOR_SECRET_KEY`, region, base URL,
 * version, interval, budget) resolve as for every command (`resolveSettings`); only the access
 * token may be absent, which starts the emulator in-process.
 *
 * @example
 * resolveServeSettings({}, { PORT: "8080" }).port; // 8080
 */
export function resolveServeSettings(flags: ServeFlags, env: Env): ServeSettings {
  const accessToken = flags.accessToken ?? fromEnv(env, SETTINGS_ENV.accessToken);
  // The common resolution requires a token; in demo mode the emulator's stands in for it.
  const common = resolveSettings(flags, { ...env, [SETTINGS_ENV.accessToken]: accessToken ?? "emulator" });
  return {
    ...common,
    accessToken,
    port: flags.port ?? envValue(env, SERVE_ENV.port, parsePort) ?? DEFAULT_SERVICE_PORT,
    host: flags.host ?? envValue(env, SERVE_ENV.host, parseHost) ?? DEFAULT_SERVICE_HOST,
    apiKey: checkApiKey(flags.apiKey ?? fromEnv(env, SERVE_ENV.apiKey), flags.apiKey === undefined ? SERVE_ENV.apiKey : "--api-key"),
    adminKey: checkApiKey(flags.adminKey ?? fromEnv(env, SERVE_ENV.adminKey), flags.adminKey === undefined ? SERVE_ENV.adminKey : "--admin-key"),
    metricsToken: checkApiKey(fromEnv(env, SERVE_ENV.metricsToken), SERVE_ENV.metricsToken),
    publicBaseUrl: flags.publicUrl ?? envValue(env, SERVE_ENV.publicUrl, parseBaseUrl),
    allowedHosts: flags.allowedHosts ?? envValue(env, SERVE_ENV.allowedHosts, parseServiceHosts),
    intercomClientSecret: flags.intercomClientSecret ?? fromEnv(env, SERVE_ENV.intercomClientSecret),
    intercomClientId: flags.intercomClientId ?? fromEnv(env, SERVE_ENV.intercomClientId),
    logLevel: flags.logLevel ?? envValue(env, SERVE_ENV.logLevel, parseLogLevel) ?? "info",
    logFormat: flags.logFormat ?? envValue(env, SERVE_ENV.logFormat, parseLogFormat) ?? "auto",
    pollConcurrency: flags.pollConcurrency ?? envValue(env, SERVE_ENV.pollConcurrency, parsePositiveInteger) ?? DEFAULT_POLL_CONCURRENCY,
    ...leaseSettings(flags, env),
    retention: retentionSettings(flags, env, common.callWindowSeconds),
    subscriptionIdleSeconds: subscriptionIdleSeconds(flags, env),
    callbackPolicy: {
      // Demo mode allows them unless told otherwise: its receivers are on this machine.
      allowPrivate: flags.allowPrivateCallbacks ?? envValue(env, SERVE_ENV.allowPrivateCallbacks, parseBoolean) ?? accessToken === undefined,
      allowedHosts: flags.webhookAllowedHosts ?? envValue(env, SERVE_ENV.allowedCallbackHosts, parseAllowedHosts) ?? [],
    },
  };
}

/** The idle limit of polling subscriptions: a whole number of seconds within its bounds, named in the message when not. */
function subscriptionIdleSeconds(flags: ServeFlags, env: Env): number {
  const source = flags.subscriptionIdle !== undefined ? "--subscription-idle" : SERVE_ENV.subscriptionIdleSeconds;
  const value = flags.subscriptionIdle ?? envValue(env, SERVE_ENV.subscriptionIdleSeconds, parsePositiveInteger);
  if (value === undefined) return DEFAULT_SUBSCRIPTION_IDLE_SECONDS;
  if (value < MIN_SUBSCRIPTION_IDLE_SECONDS || value > MAX_SUBSCRIPTION_IDLE_SECONDS) {
    throw new UsageError(
      `${source} (${value}) must be from ${MIN_SUBSCRIPTION_IDLE_SECONDS} (an hour) to ${MAX_SUBSCRIPTION_IDLE_SECONDS} seconds: how long a Power Automate polling subscription lives without a poll`,
    );
  }
  return value;
}

/** The lease and the webhook timeout; a delivery must fit twice in a lease, so that a live claim is never taken over. */
function leaseSettings(flags: ServeFlags, env: Env): Pick<ServeSettings, "leaseSeconds" | "webhookTimeoutSeconds"> {
  const leaseSeconds = flags.lease ?? envValue(env, SERVE_ENV.leaseSeconds, parsePositiveNumber) ?? DEFAULT_LEASE_SECONDS;
  const leaseGiven = flags.lease !== undefined || fromEnv(env, SERVE_ENV.leaseSeconds) !== undefined;
  const timeoutGiven = flags.webhookTimeout ?? envValue(env, SERVE_ENV.webhookTimeoutSeconds, parsePositiveNumber);
  // A short lease without a timeout brings the default timeout down with it.
  const webhookTimeoutSeconds = timeoutGiven ?? Math.min(DEFAULT_WEBHOOK_TIMEOUT_SECONDS, leaseSeconds / 2);
  if (webhookTimeoutSeconds * 2 > leaseSeconds) {
    const lease = flags.lease !== undefined ? "--lease" : leaseGiven ? SERVE_ENV.leaseSeconds : "the default lease";
    throw new UsageError(`${lease} (${leaseSeconds} s) must be at least twice the webhook timeout (${webhookTimeoutSeconds} s): raise the lease or lower ${SERVE_ENV.webhookTimeoutSeconds}`);
  }
  return { leaseSeconds, webhookTimeoutSeconds };
}

/**
 * The retention schedule: each period from its flag, else its variable, else the default
 * (`DEFAULT_RETENTION_POLICY`, every `DEFAULT_RETENTION_INTERVAL_MS`). Idle call budgets are kept
 * the default hour, or the budget's window when that is longer (a budget forgotten inside its
 * window would admit calls it should refuse).
 */
function retentionSettings(flags: ServeFlags, env: Env, callWindowSeconds: number): RetentionSchedule {
  // The value with where it came from, for messages that name the setting at fault.
  const read = (flag: number | undefined, flagName: string, variable: string): { value: number; source: string } | undefined => {
    if (flag !== undefined) return { value: flag, source: flagName };
    const value = envValue(env, variable, parsePositiveNumber);
    return value === undefined ? undefined : { value, source: variable };
  };
  const interval = read(flags.retentionInterval, "--retention-interval", SERVE_ENV.retentionIntervalSeconds);
  const delivered = read(flags.retentionDelivered, "--retention-delivered", SERVE_ENV.retentionDeliveredHours);
  const dead = read(flags.retentionDead, "--retention-dead", SERVE_ENV.retentionDeadDays);
  const dedupe = read(flags.retentionDedupe, "--retention-dedupe", SERVE_ENV.retentionDedupeDays);
  const intervalMs = interval === undefined ? DEFAULT_RETENTION_INTERVAL_MS : interval.value * 1000;
  if (interval !== undefined && intervalMs > MAX_RETENTION_INTERVAL_MS) {
    throw new UsageError(`${interval.source} (${interval.value} s) is too long: at most ${Math.floor(MAX_RETENTION_INTERVAL_MS / 1000)} s (about 24.8 days), the longest a timer waits`);
  }
  if (dedupe !== undefined && dedupe.value < MIN_RETENTION_DEDUPE_DAYS) {
    throw new UsageError(
      `${dedupe.source} (${dedupe.value}) must be at least ${MIN_RETENTION_DEDUPE_DAYS} (day): dedupe keys must outlive the triggers' look-back window and the gaps between polls, or events are delivered twice`,
    );
  }
  return {
    intervalMs,
    policy: {
      deliveredEventsMs: delivered === undefined ? DEFAULT_RETENTION_POLICY.deliveredEventsMs : delivered.value * HOUR_MS,
      deadEventsMs: dead === undefined ? DEFAULT_RETENTION_POLICY.deadEventsMs : dead.value * DAY_MS,
      dedupeKeysMs: dedupe === undefined ? DEFAULT_RETENTION_POLICY.dedupeKeysMs : dedupe.value * DAY_MS,
      callLogMs: Math.max(DEFAULT_RETENTION_POLICY.callLogMs, callWindowSeconds * 1000),
    },
  };
}
