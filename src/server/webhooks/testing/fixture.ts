import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import { startTestEmulator, type TestEmulator } from "../../../emulator/testing/harness.js";
import type { IntercomTransport } from "../../../intercom/index.js";
import { Runtime } from "../../../runtime/index.js";
import { SqliteStore, type Connection, type DeliveryRetryPolicy, type Store } from "../../../store/index.js";
import type { TriggerEngine } from "../../../triggers/index.js";
import { installErrorHandling } from "../../errors.js";
import { ANY_CALLBACK, type CallbackPolicy } from "../callback-policy.js";
import { registerWebhookRoutes } from "../register.js";
import { WebhookDeliveryWorker, type WebhookDeliveryWorkerOptions } from "../worker.js";

/** An HTTP answer, its body parsed. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Everything a webhook test runs on: the Intercom emulator, a SQLite store in a temp dir, a
 * connection to the emulator (with the workspace's client secret) and a second one, a trigger
 * engine, and a tiny fastify app with the error handling and the webhook routes on a real port.
 */
export interface WebhookFixture {
  em: TestEmulator;
  store: Store;
  /** The runtime the routes and workers run on (its budget allows `callsPerWindow`, by default a million). */
  runtime: Runtime;
  engine: TriggerEngine;
  app: FastifyInstance;
  /** The app's `http://127.0.0.1:<port>`. */
  baseUrl: string;
  connection: Connection;
  apiKey: string;
  /** Another connection (same workspace), to try someone else's subscriptions. */
  otherApiKey: string;
  /** Every log line the app and the workers wrote. */
  logs: string[];
  /** A runtime on another store instance of the same database (another process's view; closed by `close`). */
  openRuntime(): Promise<Runtime>;
  transportFor(connectionId: string): Promise<IntercomTransport>;
  /** A worker on the fixture's store (stopped by `close`). */
  startWorker(options?: Partial<WebhookDeliveryWorkerOptions>): WebhookDeliveryWorker;
  /** Calls the app with the fixture connection's key (or `apiKey: null` for none). */
  api(method: string, path: string, options?: { body?: unknown; apiKey?: string | null }): Promise<ApiAnswer>;
  /** Creates a lead in the emulator through its API (which pushes it to subscribed webhooks). */
  createLead(email: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts a webhook fixture. The engine polls every `pollIntervalSeconds` (fractions allowed). Its
 * receivers listen on 127.0.0.1, so the routes and workers allow private callbacks unless a test
 * gives another `callbackPolicy`.
 *
 * @example
 * const f = await startWebhookFixture({ pollIntervalSeconds: 0.2 });
 * const worker = f.startWorker({ deliveryPolicy: { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 5_000 } });
 */
export async function startWebhookFixture(
  options: { pollIntervalSeconds?: number; deliveryPolicy?: DeliveryRetryPolicy; callsPerWindow?: number; callbackPolicy?: CallbackPolicy } = {},
): Promise<WebhookFixture> {
  const em = await startTestEmulator({ workspaces: [{ token: "webhook-token", timezone: "UTC", rateLimitPerMinute: 1_000_000 }] });
  const dir = mkdtempSync(join(tmpdir(), "icc-webhooks-"));
  const dbPath = join(dir, "connector.db");
  const secretKey = randomBytes(32);
  const store = SqliteStore.open(dbPath, { secretKey });
  const extraStores: Store[] = [];
  const { connection, apiKey } = await store.createConnection({
    name: "emulator",
    region: "us",
    baseUrl: em.baseUrl,
    accessToken: em.token,
    intercomClientSecret: em.workspace.clientSecret,
  });
  const other = await store.createConnection({ name: "other", region: "us", baseUrl: em.baseUrl, accessToken: em.token });
  const runtimeOn = (on: Store): Runtime =>
    new Runtime({ store: on, intercomMaxRetries: 0, pollIntervalSeconds: options.pollIntervalSeconds ?? 0.2, callsPerWindow: options.callsPerWindow ?? 1_000_000 });
  const runtime = runtimeOn(store);
  const engine = runtime.engine;
  const transportFor = async (id: string): Promise<IntercomTransport> => {
    const intercom = await runtime.intercomForPush(id);
    if (!intercom.ok) throw new Error(`no connection ${id}`);
    return intercom.value;
  };

  const callbackPolicy = options.callbackPolicy ?? ANY_CALLBACK;
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const app = Fastify({ logger: { level: "debug", stream } });
  app.decorateRequest("connection", null as unknown as Connection);
  installErrorHandling(app);
  registerWebhookRoutes(app, {
    runtime,
    callbackPolicy,
    ...(options.deliveryPolicy === undefined ? {} : { deliveryPolicy: options.deliveryPolicy }),
  });
  const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });

  const workers: WebhookDeliveryWorker[] = [];
  return {
    em,
    store,
    runtime,
    engine,
    app,
    baseUrl,
    connection,
    apiKey,
    otherApiKey: other.apiKey,
    logs,
    async openRuntime() {
      const another = SqliteStore.open(dbPath, { secretKey });
      extraStores.push(another);
      return runtimeOn(another);
    },
    transportFor,
    startWorker(workerOptions = {}) {
      const worker = new WebhookDeliveryWorker({
        runtime,
        tickMs: 25,
        requestTimeoutMs: 2_000,
        logger: app.log,
        callbackPolicy,
        ...(options.deliveryPolicy === undefined ? {} : { deliveryPolicy: options.deliveryPolicy }),
        ...workerOptions,
      });
      workers.push(worker);
      worker.start();
      return worker;
    },
    async api(method, path, callOptions = {}) {
      const key = callOptions.apiKey === undefined ? apiKey : callOptions.apiKey;
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          ...(key === null ? {} : { "x-api-key": key }),
          ...(callOptions.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(callOptions.body === undefined ? {} : { body: JSON.stringify(callOptions.body) }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
    },
    async createLead(email) {
      const answer = await em.request("POST", "/contacts", { role: "lead", email });
      if (answer.status !== 200) throw new Error(`emulator refused the lead: ${answer.status}`);
      return (answer.body as { id: string }).id;
    },
    async close() {
      for (const worker of workers) await worker.stop();
      await app.close();
      for (const another of extraStores) await another.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      await em.close();
    },
  };
}
