import type { IntercomVersion } from "../intercom/index.js";
import { DEFAULT_ACTION_DEADLINE_SECONDS, DEFAULT_INTERCOM_VERSION, MAX_ACTION_DEADLINE_SECONDS } from "../intercom/index.js";
import { DEFAULT_CALLS_PER_WINDOW, DEFAULT_WINDOW_SECONDS } from "../limits/index.js";
import type { RetentionSchedule, Store } from "../store/index.js";
import { DEFAULT_LOOKBACK_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS } from "../triggers/index.js";

/**
 * The data directory used when neither `store` nor `secretKey` says otherwise: the generated key
 * file (`secret.key`, mode 0600) lives there, and so does the default SQLite file.
 *
 * @example
 * await createConnector({ dataDir: DEFAULT_DATA_DIR }); // ./data/secret.key, ./data/connector.db
 */
export const DEFAULT_DATA_DIR = "./data";

/**
 * What {@link createConnector} takes. Every field is optional: with none, the connector keeps its
 * data in `./data/connector.db` (SQLite) and encrypts access tokens with a key generated into
 * `./data/secret.key`.
 *
 * @example
 * const options: ConnectorOptions = { databaseUrl: "sqlite:///var/lib/icc/connector.db", dataDir: "/var/lib/icc", callsPerWindow: 100 };
 */
export interface ConnectorOptions {
  /**
   * A store you opened (e.g. with `openStore`). The connector uses it and leaves it open on
   * `close()`; `databaseUrl`, `secretKey` and `dataDir` are then ignored.
   */
  store?: Store;
  /**
   * Where the connector's own store lives (`sqlite:///abs/file.db`, a path, `:memory:`, or
   * `postgres://user@host:5432/db` to share it with other processes).
   * Default: `<dataDir>/connector.db`.
   */
  databaseUrl?: string;
  /** The 32-byte key that encrypts access tokens at rest. Default: the key file under `dataDir`. */
  secretKey?: Buffer;
  /** Holds the generated key file (0600) and the default database. Default `./data`. */
  dataDir?: string;
  /** Calls each connection may make within `windowSeconds` (actions and trigger polls). Default 100. */
  callsPerWindow?: number;
  /** The budget's sliding window in seconds. Default 60. */
  windowSeconds?: number;
  /** Seconds between two polls of a subscription. Default 120. */
  pollIntervalSeconds?: number;
  /** How far behind its last poll each trigger scan looks (Intercom's search delay). Default 600. */
  lookbackSeconds?: number;
  /** The `Intercom-Version` header. Default 2.14, the version the contract is written against. */
  intercomVersion?: IntercomVersion;
  /**
   * Seconds one action call may take in all, whatever Intercom does (every attempt, retry wait
   * and body read); past it the call answers `intercom_timeout` (504). Default 30, at most 3600;
   * `listLeads()`: each page.
   */
  actionDeadlineSeconds?: number;
  /**
   * How often delivered events, dead letters and old dedupe keys are pruned (default every
   * 15 minutes: delivered kept 1 day, dead letters and dedupe keys 7 days); `false` when another
   * process (a `serve` on the same database) prunes it.
   */
  retention?: Partial<RetentionSchedule> | false;
}

/**
 * The options with their defaults applied and checked.
 *
 * @example
 * const { pollIntervalSeconds }: ResolvedConnectorOptions = resolveConnectorOptions({});
 */
export interface ResolvedConnectorOptions {
  callsPerWindow: number;
  windowSeconds: number;
  pollIntervalSeconds: number;
  lookbackSeconds: number;
  intercomVersion: IntercomVersion;
  actionDeadlineSeconds: number;
  dataDir: string;
  retention: Partial<RetentionSchedule> | false;
}

/**
 * Applies the defaults and refuses nonsense at once (a `RangeError` naming the option), before
 * anything is opened.
 *
 * @example
 * resolveConnectorOptions({ callsPerWindow: 5 }).windowSeconds; // 60
 */
export function resolveConnectorOptions(options: ConnectorOptions): ResolvedConnectorOptions {
  const resolved: ResolvedConnectorOptions = {
    callsPerWindow: options.callsPerWindow ?? DEFAULT_CALLS_PER_WINDOW,
    windowSeconds: options.windowSeconds ?? DEFAULT_WINDOW_SECONDS,
    pollIntervalSeconds: options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
    lookbackSeconds: options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS,
    intercomVersion: options.intercomVersion ?? DEFAULT_INTERCOM_VERSION,
    actionDeadlineSeconds: options.actionDeadlineSeconds ?? DEFAULT_ACTION_DEADLINE_SECONDS,
    dataDir: options.dataDir ?? DEFAULT_DATA_DIR,
    retention: options.retention ?? {},
  };
  if (!Number.isSafeInteger(resolved.callsPerWindow) || resolved.callsPerWindow <= 0) throw new RangeError("callsPerWindow must be a positive integer");
  if (!Number.isFinite(resolved.windowSeconds) || resolved.windowSeconds <= 0) throw new RangeError("windowSeconds must be a positive number");
  if (!Number.isFinite(resolved.pollIntervalSeconds) || resolved.pollIntervalSeconds <= 0) throw new RangeError("pollIntervalSeconds must be a positive number");
  if (!Number.isFinite(resolved.lookbackSeconds) || resolved.lookbackSeconds < 0) throw new RangeError("lookbackSeconds must be 0 or more");
  if (!(resolved.actionDeadlineSeconds > 0 && resolved.actionDeadlineSeconds <= MAX_ACTION_DEADLINE_SECONDS)) {
    throw new RangeError(`actionDeadlineSeconds must be more than 0 and at most ${MAX_ACTION_DEADLINE_SECONDS}`);
  }
  if (resolved.dataDir.trim() === "") throw new RangeError("dataDir must not be empty");
  return resolved;
}
