import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import { AddConnectionInput } from "../contract/index.js";
import { DEFAULT_DATA_DIR } from "../connector/index.js";
import { DEFAULT_ACTION_DEADLINE_SECONDS, DEFAULT_INTERCOM_VERSION, MAX_ACTION_DEADLINE_SECONDS, type IntercomRegion, type IntercomVersion } from "../intercom/index.js";
import { DEFAULT_CALLS_PER_WINDOW, DEFAULT_WINDOW_SECONDS } from "../limits/index.js";
import { parseSecretKey } from "../store/index.js";
import { DEFAULT_POLL_INTERVAL_SECONDS } from "../triggers/index.js";
import { parseBaseUrl, parseDirectory, parseIntercomVersion, parsePositiveInteger, parsePositiveNumber, parseRegion } from "./options.js";

/**
 * A command line that cannot run as given (a missing or invalid setting): one line to print,
 * exit code 2.
 *
 * @example
 * throw new UsageError("INTERCOM_ACCESS_TOKEN is not set");
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The flags of the commands that talk to Intercom, as commander parsed them (each validated by its
 * parser, except the two secrets, which are checked here so that no message repeats them).
 *
 * @example
 * const flags: ConnectorFlags = { region: "eu", state: "./watch-state" };
 */
export interface ConnectorFlags {
  accessToken?: string;
  region?: IntercomRegion;
  baseUrl?: string;
  intercomVersion?: IntercomVersion;
  databaseUrl?: string;
  secretKey?: string;
  state?: string;
  interval?: number;
  callsPerMinute?: number;
  callWindow?: number;
  /** Seconds one action call may take in all (`--action-deadline`). */
  actionDeadline?: number;
}

/**
 * Everything a command needs to reach Intercom and its store, resolved.
 *
 * @example
 * const settings = resolveSettings(flags, process.env);
 * const connector = await createConnector({ databaseUrl: settings.databaseUrl, ... });
 */
export interface CliSettings {
  accessToken: string;
  region: IntercomRegion;
  /** Overrides the region when set. */
  baseUrl: string | undefined;
  intercomVersion: IntercomVersion;
  databaseUrl: string;
  /** The encryption key as given (hex or base64); undefined: the key file under `dataDir`. */
  secretKey: string | undefined;
  /** Holds the generated key file and, by default, the SQLite file. */
  dataDir: string;
  pollIntervalSeconds: number;
  /** Calls a connection may make within `callWindowSeconds` (named for the default window). */
  callsPerMinute: number;
  /** The budget's sliding window (default 60; shorter in tests and benchmarks). */
  callWindowSeconds: number;
  /** Seconds one action call may take in all, whatever Intercom does (default 30). */
  actionDeadlineSeconds: number;
}

/**
 * The environment variables the CLI reads, by setting.
 *
 * @example
 * process.env[SETTINGS_ENV.accessToken]; // INTERCOM_ACCESS_TOKEN
 */
export const SETTINGS_ENV = {
  accessToken: "INTERCOM_ACCESS_TOKEN",
  region: "INTERCOM_REGION",
  baseUrl: "INTERCOM_BASE_URL",
  intercomVersion: "INTERCOM_VERSION",
  databaseUrl: "DATABASE_URL",
  secretKey: "CONNECTOR_SECRET_KEY",
  interval: "POLL_INTERVAL_SECONDS",
  callsPerMinute: "CONNECTION_CALLS_PER_MINUTE",
  callWindow: "CONNECTION_CALL_WINDOW_SECONDS",
  actionDeadline: "ACTION_DEADLINE_SECONDS",
} as const;

/**
 * An action deadline in seconds: a number above 0 and at most 3600 (an hour).
 *
 * @example
 * parseActionDeadline("2.5"); // 2.5
 */
export function parseActionDeadline(raw: string): number {
  const seconds = parsePositiveNumber(raw);
  if (seconds > MAX_ACTION_DEADLINE_SECONDS) throw new InvalidArgumentError(`The value must be at most ${MAX_ACTION_DEADLINE_SECONDS} (seconds).`);
  return seconds;
}

/** The process environment, or a test's. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * An environment variable's value; blank counts as unset.
 *
 * @example
 * fromEnv({ PORT: " " }, "PORT"); // undefined
 */
export function fromEnv(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * Parses an environment value with a flag's parser; a failure names the variable and the value.
 *
 * @example
 * envValue(process.env, "PORT", parsePort);
 */
export function envValue<T>(env: Env, name: string, parse: (raw: string) => T): T | undefined {
  const raw = fromEnv(env, name);
  if (raw === undefined) return undefined;
  try {
    return parse(raw);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(`${name} '${shownValue(raw)}' is invalid. ${error.message}`);
    throw error;
  }
}

/** A value as an error may repeat it: a URL's credentials hidden, and at most 100 characters. */
function shownValue(raw: string): string {
  let shown = raw;
  try {
    const url = new URL(raw.trim());
    if (url.username !== "" || url.password !== "") {
      url.username = "***";
      url.password = "";
      shown = url.toString();
    }
  } catch {
    // Not a URL: nothing to hide in it.
  }
  return shown.length > 100 ? `${shown.slice(0, 100)}…` : shown;
}

/** Checks a secret key without ever repeating it. */
function checkedSecretKey(value: string | undefined, source: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    parseSecretKey(value);
  } catch {
    throw new UsageError(`${source} is invalid: the secret key must be 32 bytes, written as 64 hex digits or in base64`);
  }
  return value;
}

/**
 * The store's URL: `--database-url`, else `DATABASE_URL` unless `--state` is given, else
 * `connector.db` in the state directory (default `./data`).
 *
 * @example
 * resolveDatabaseUrl({ state: "/tmp/w" }, { DATABASE_URL: "postgres://db/x" }); // "/tmp/w/connector.db"
 */
export function resolveDatabaseUrl(flags: Pick<ConnectorFlags, "databaseUrl" | "state">, env: Env): string {
  const fromState = flags.state !== undefined;
  return flags.databaseUrl ?? (fromState ? undefined : fromEnv(env, SETTINGS_ENV.databaseUrl)) ?? join(flags.state ?? DEFAULT_DATA_DIR, "connector.db");
}

/**
 * Resolves the settings: a flag wins over its environment variable, which wins over the default.
 * `--state DIR` is the flag for both the database and the key: given, they live in DIR
 * (`connector.db`, `secret.key`) and `DATABASE_URL` / `CONNECTOR_SECRET_KEY` are not read (only
 * `--database-url` / `--secret-key` override it). The access token is required.
 *
 * @example
 * resolveSettings({ state: "/tmp/w" }, { INTERCOM_ACCESS_TOKEN: "tok" }).databaseUrl; // "/tmp/w/connector.db"
 */
export function resolveSettings(flags: ConnectorFlags, env: Env): CliSettings {
  const accessToken = flags.accessToken ?? fromEnv(env, SETTINGS_ENV.accessToken);
  if (accessToken === undefined || accessToken.trim() === "") {
    throw new UsageError(`${SETTINGS_ENV.accessToken} is not set: set it to your Intercom workspace's access token (or pass --access-token)`);
  }
  // The contract's rule for a connection's token, named as the user gave it.
  const tokenCheck = AddConnectionInput.shape.access_token.safeParse(accessToken);
  if (!tokenCheck.success) {
    throw new UsageError(`the access token (${flags.accessToken === undefined ? SETTINGS_ENV.accessToken : "--access-token"}) ${tokenCheck.error.issues[0]?.message ?? "is not valid"}`);
  }

  const stateGiven = flags.state !== undefined;
  const dataDir = flags.state ?? DEFAULT_DATA_DIR;
  const databaseUrl = resolveDatabaseUrl(flags, env);
  const secretKey =
    flags.secretKey !== undefined
      ? checkedSecretKey(flags.secretKey, "--secret-key")
      : stateGiven
        ? undefined
        : checkedSecretKey(fromEnv(env, SETTINGS_ENV.secretKey), SETTINGS_ENV.secretKey);

  return {
    accessToken,
    region: flags.region ?? envValue(env, SETTINGS_ENV.region, parseRegion) ?? "us",
    baseUrl: flags.baseUrl ?? envValue(env, SETTINGS_ENV.baseUrl, parseBaseUrl),
    intercomVersion: flags.intercomVersion ?? envValue(env, SETTINGS_ENV.intercomVersion, parseIntercomVersion) ?? DEFAULT_INTERCOM_VERSION,
    databaseUrl,
    secretKey,
    dataDir: parseDirectory(dataDir),
    pollIntervalSeconds: flags.interval ?? envValue(env, SETTINGS_ENV.interval, parsePositiveInteger) ?? DEFAULT_POLL_INTERVAL_SECONDS,
    callsPerMinute: flags.callsPerMinute ?? envValue(env, SETTINGS_ENV.callsPerMinute, parsePositiveInteger) ?? DEFAULT_CALLS_PER_WINDOW,
    callWindowSeconds: flags.callWindow ?? envValue(env, SETTINGS_ENV.callWindow, parsePositiveNumber) ?? DEFAULT_WINDOW_SECONDS,
    actionDeadlineSeconds: flags.actionDeadline ?? envValue(env, SETTINGS_ENV.actionDeadline, parseActionDeadline) ?? DEFAULT_ACTION_DEADLINE_SECONDS,
  };
}
