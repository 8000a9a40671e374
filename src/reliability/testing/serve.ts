import { spawnCli, type CliProcess } from "../../cli/testing/spawn-cli.js";

/** The API key the suite's `serve` processes take (`CONNECTOR_API_KEY`). */
export const SERVE_API_KEY = "reliability-suite-api-key-0123456789";

/** A `serve` child process, read from its banner. */
export interface ServeProcess {
  cli: CliProcess;
  /** The service's base URL (a port the OS chose). */
  url: string;
}

/**
 * Starts `intercom-connector serve --port 0` as a child process (through `spawnCli`, so
 * `killAllClis` stops it) against an Intercom at `baseUrl`, with the suite's API key, a one-second
 * poll interval, private callbacks allowed (the receivers are on 127.0.0.1) and `env` over that.
 *
 * @example
 * const serve = await startServe({ baseUrl: em.baseUrl, token: em.token, env: { DATABASE_URL: file } });
 */
export async function startServe(options: { baseUrl: string; token: string; env: Record<string, string> }): Promise<ServeProcess> {
  const cli = spawnCli(["serve", "--port", "0"], {
    env: {
      INTERCOM_ACCESS_TOKEN: options.token,
      INTERCOM_BASE_URL: options.baseUrl,
      CONNECTOR_API_KEY: SERVE_API_KEY,
      POLL_INTERVAL_SECONDS: "1",
      CONNECTION_CALLS_PER_MINUTE: "1000000",
      WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "true",
      LOG_LEVEL: "warn",
      ...options.env,
    },
  });
  const [, url] = await cli.waitFor(/service listening on (http:\/\/\S+)/, 60_000);
  return { cli, url: url ?? "" };
}

/** An answer of the service as the suite reads it. */
export interface ServeAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * One request to a `serve` process with the suite's API key (JSON in, JSON out).
 *
 * @example
 * const created = await callServe(serve.url, "POST", "/v1/triggers/TrigNewLead/subscriptions", { callback_url });
 */
export async function callServe(url: string, method: string, path: string, body?: unknown): Promise<ServeAnswer> {
  const response = await fetch(url + path, {
    method,
    headers: { "x-api-key": SERVE_API_KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

/**
 * The path and query of a `Location` (the flow polls it on whatever instance answers).
 *
 * @example
 * locationPath("http://127.0.0.1:3000/v1/triggers/TrigNewLead/poll?state=poll.x"); // "/v1/triggers/TrigNewLead/poll?state=poll.x"
 */
export function locationPath(location: string | null): string {
  const url = new URL(location ?? "");
  return `${url.pathname}${url.search}`;
}

/**
 * Resolves after `ms`.
 *
 * @example
 * await sleep(2_000); // more polls and deliveries: a repeat would show now
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
