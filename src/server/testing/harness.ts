import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import { openStore, type Connection, type Store } from "../../store/index.js";
import { ManualClock } from "../../store/testing/harness.js";
import { Runtime } from "../../runtime/index.js";
import { buildServer } from "../app.js";
import type { ServerDeps } from "../context.js";

/** An answer as the tests read it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** Parsed JSON, or null for an empty body. */
  body: unknown;
  text: string;
}

/** How a test's service is set up. */
export interface ServiceHarnessOptions {
  callsPerMinute?: number;
  pollIntervalSeconds?: number;
  subscriptionIdleSeconds?: number;
  adminKey?: string;
  metricsToken?: string;
  pollBatchSize?: number;
  publicBaseUrl?: string;
}

/** A service built on a fresh in-memory store, talking to a fresh emulator, with captured logs. */
export interface ServiceHarness {
  em: TestEmulator;
  store: Store;
  runtime: Runtime;
  app: FastifyInstance;
  /** Drives the service's and the trigger engine's sense of time (not the emulator's). */
  clock: ManualClock;
  /** A connection to the emulator's workspace, and its key. */
  connection: Connection;
  apiKey: string;
  /** Every log line the service wrote (JSON text). */
  logs: string[];
  /** An in-process request (`app.inject`), with `key` as `X-API-Key`. */
  call(method: string, url: string, options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; remoteAddress?: string }): Promise<Answer>;
  /** Another connection to the same workspace. */
  newConnection(): Promise<{ connection: Connection; apiKey: string }>;
  /** How many calls the emulator has counted for the workspace so far. */
  intercomCalls(): Promise<number>;
  /** Creates a lead straight in the emulator (as someone using Intercom would). */
  createLeadInIntercom(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a service for a test: a test emulator (answers checked against Intercom's description),
 * an in-memory SQLite store, the real budget, trigger engine and transports, and logs captured.
 *
 * @example
 * const h = await startServiceHarness();
 * const answer = await h.call("GET", "/v1/connections", { key: h.apiKey });
 * await h.close();
 */
export async function startServiceHarness(options: ServiceHarnessOptions = {}): Promise<ServiceHarness> {
  const em = await startTestEmulator();
  const store = await openStore(":memory:", { secretKey: randomBytes(32) });
  const clock = new ManualClock(Date.now());
  const logs: string[] = [];
  const runtime = new Runtime({
    store,
    now: clock.now,
    ...(options.callsPerMinute === undefined ? {} : { callsPerWindow: options.callsPerMinute }),
    ...(options.pollIntervalSeconds === undefined ? {} : { pollIntervalSeconds: options.pollIntervalSeconds }),
    ...(options.subscriptionIdleSeconds === undefined ? {} : { subscriptionIdleSeconds: options.subscriptionIdleSeconds }),
  });
  const deps: ServerDeps = {
    runtime,
    logger: { level: "debug", stream: { write: (line: string) => void logs.push(line) } },
    ...(options.adminKey === undefined ? {} : { adminKey: options.adminKey }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    ...(options.pollBatchSize === undefined ? {} : { pollBatchSize: options.pollBatchSize }),
    ...(options.publicBaseUrl === undefined ? {} : { publicBaseUrl: options.publicBaseUrl }),
  };
  const app = await buildServer(deps);
  await app.ready();
  const created = await store.createConnection({ name: "Test workspace", region: "us", baseUrl: em.baseUrl, accessToken: em.token });

  const callsPath = `/workspaces/${em.workspace.id}/calls`;
  return {
    em,
    store,
    runtime,
    app,
    clock,
    connection: created.connection,
    apiKey: created.apiKey,
    logs,
    async call(method, url, callOptions = {}) {
      const key = callOptions.key === undefined ? created.apiKey : callOptions.key;
      const response = await app.inject({
        method: method as "GET",
        url,
        headers: { ...(key === null ? {} : { "x-api-key": key }), ...callOptions.headers },
        ...(callOptions.body === undefined ? {} : { payload: callOptions.body as string }),
        ...(callOptions.remoteAddress === undefined ? {} : { remoteAddress: callOptions.remoteAddress }),
      });
      const text = response.body;
      return { status: response.statusCode, headers: response.headers, body: text === "" ? null : (JSON.parse(text) as unknown), text };
    },
    newConnection: () => store.createConnection({ name: "Another", region: "us", baseUrl: em.baseUrl, accessToken: em.token }),
    async intercomCalls() {
      const answer = await em.control("GET", callsPath);
      return (answer.body as { total: number }).total;
    },
    async createLeadInIntercom(email) {
      const answer = await em.request("POST", "/contacts", { role: "lead", email });
      if (answer.status !== 200) throw new Error(`emulator answered ${answer.status}`);
      return (answer.body as { id: string }).id;
    },
    async close() {
      await runtime.close();
      await app.close();
      await store.close();
      await em.close();
    },
  };
}
