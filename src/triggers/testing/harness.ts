import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import type { TriggerId } from "../../contract/index.js";
import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import type { WorkspaceOptions } from "../../emulator/workspace.js";
import { Runtime } from "../../runtime/index.js";
import { SqliteStore, type Store, type Subscription } from "../../store/index.js";
import { installErrorHandling } from "../../server/errors.js";
import { intercomPushPath } from "../../server/routes.js";
import { registerIntercomPushRoute } from "../../server/webhooks/intercom-routes.js";
import type { TriggerEngine } from "../engine.js";

/** An emulator, a real SQLite store in a temp dir, a connection to the emulator and an engine. */
export interface TriggerFixture {
  em: TestEmulator;
  store: Store;
  engine: TriggerEngine;
  /** The runtime the first engine belongs to. */
  runtime: Runtime;
  connectionId: string;
  /**
   * With `push: true`: the service's Intercom push URL for the connection (a real HTTP server on
   * port 0 running the push route; the connection has the workspace's client secret), else null.
   */
  pushUrl: string | null;
  dbPath: string;
  secretKey: Buffer;
  /** A new engine on the same store (a restart). */
  restartEngine(): TriggerEngine;
  subscribe(triggerId: TriggerId): Promise<Subscription>;
  /** Polls and fails the test on an error. */
  poll(subscriptionId: string, engine?: TriggerEngine): Promise<{ emitted: number; calls: number }>;
  /** Takes every pending event's payload, acknowledging them. */
  drain(subscriptionId: string, engine?: TriggerEngine): Promise<Array<Record<string, unknown>>>;
  /** Sets the workspace clock (frozen) to a unix time. */
  setClock(unixSeconds: number): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts everything a trigger test needs, on real HTTP and a real SQLite file.
 *
 * @example
 * const f = await startTriggerFixture({ timezone: "America/New_York" });
 * const sub = await f.subscribe("TrigNewLead");
 */
export async function startTriggerFixture(
  workspace: Partial<WorkspaceOptions> = {},
  engineOptions: { lookbackSeconds?: number } = {},
  options: { push?: boolean; webhookRetryDelayMs?: number } = {},
): Promise<TriggerFixture> {
  const em = await startTestEmulator({
    workspaces: [{ token: "trigger-token", timezone: "UTC", rateLimitPerMinute: 1_000_000, ...workspace }],
    ...(options.webhookRetryDelayMs === undefined ? {} : { webhookRetryDelayMs: options.webhookRetryDelayMs }),
  });
  const dir = mkdtempSync(join(tmpdir(), "icc-triggers-"));
  const dbPath = join(dir, "connector.db");
  const secretKey = randomBytes(32);
  const store = SqliteStore.open(dbPath, { secretKey });
  await store.migrate();
  const { connection } = await store.createConnection({
    name: "emulator",
    region: "us",
    baseUrl: em.baseUrl,
    accessToken: em.token,
    ...(options.push === true ? { intercomClientSecret: em.workspace.clientSecret } : {}),
  });
  // The runtime's transports and budget (never spent here), with no retries: each poll's calls count exactly.
  // The engine schedules on the workspace's clock, so a test that moves Intercom's time moves
  // the polls' schedule with it (nothing here waits on the machine's clock).
  const makeRuntime = () =>
    new Runtime({ store, intercomMaxRetries: 0, callsPerWindow: 1_000_000, pollIntervalSeconds: 1, now: () => em.workspace.clock.nowMs(), retention: false, ...engineOptions });
  const makeEngine = () => makeRuntime().engine;
  const runtime = makeRuntime();
  const engine = runtime.engine;
  let app: FastifyInstance | null = null;
  let pushUrl: string | null = null;
  if (options.push === true) {
    app = Fastify({ logger: false });
    installErrorHandling(app);
    registerIntercomPushRoute(app, { runtime });
    pushUrl = (await app.listen({ port: 0, host: "127.0.0.1" })) + intercomPushPath(connection.id);
  }
  const control = async (method: string, path: string, body?: unknown) => {
    const answer = await em.control(method, `/workspaces/${em.workspace.id}${path}`, body);
    if (answer.status >= 300) throw new Error(`control ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  };
  return {
    em,
    store,
    engine,
    runtime,
    connectionId: connection.id,
    pushUrl,
    dbPath,
    secretKey,
    restartEngine: makeEngine,
    subscribe: (triggerId) => engine.subscribe(connection.id, triggerId),
    async poll(subscriptionId, which = engine) {
      const report = await which.poll(subscriptionId);
      if (!report.ok) throw new Error(`poll failed: ${report.error.code} ${report.error.message}`);
      if (!report.value.committed) throw new Error("poll was not committed");
      return { emitted: report.value.emitted, calls: report.value.calls };
    },
    async drain(subscriptionId, which = engine) {
      const payloads: Array<Record<string, unknown>> = [];
      await which.deliver(subscriptionId, (events) => {
        for (const e of events) payloads.push(e.payload as Record<string, unknown>);
      });
      return payloads;
    },
    setClock: (unixSeconds) => control("POST", "/clock", { set: unixSeconds, frozen: true }),
    advanceClock: (seconds) => control("POST", "/clock", { advance: seconds }),
    async close() {
      await app?.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      await em.close();
    },
  };
}
