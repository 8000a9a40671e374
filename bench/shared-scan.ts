/**
 * Shared scans (issue 9): Intercom calls per poll interval for 100 subscriptions of one trigger on
 * one connection, through the two background paths that poll — the webhook worker (`serve`) and
 * library subscriptions (`subscribe`). Target: 1 call per interval, whatever the subscription count.
 * Part of `npm run bench:scale` (its "shared-scan" section of BENCHMARKS.md).
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnector } from "../src/connector/index.js";
import { createEmulator } from "../src/emulator/index.js";
import { Runtime } from "../src/runtime/index.js";
import { ANY_CALLBACK, WebhookDeliveryWorker } from "../src/server/webhooks/index.js";
import { SqliteStore } from "../src/store/index.js";

const SUBSCRIPTIONS = Number(process.env.BENCH_SHARED_SUBSCRIPTIONS ?? 100);
const INTERVAL_SECONDS = Number(process.env.BENCH_SHARED_INTERVAL ?? 2);
const INTERVALS = Number(process.env.BENCH_SHARED_INTERVALS ?? 5);

/** One path's figures. */
export interface SharedScanOutcome {
  path: string;
  subscriptions: number;
  intervals: number;
  intercomCalls: number;
  callsPerInterval: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs both paths against an in-process emulator and returns their figures.
 *
 * @example
 * const outcomes = await measureSharedScans();
 */
export async function measureSharedScans(): Promise<SharedScanOutcome[]> {
  const dir = mkdtempSync(join(tmpdir(), "bench-shared-"));
  const emulator = createEmulator({ workspaces: [{ token: "shared", timezone: "UTC", rateLimitPerMinute: 100_000_000 }] });
  const baseUrl = await emulator.listen(0, "127.0.0.1");
  const workspace = emulator.state.all()[0];
  if (workspace === undefined) throw new Error("no workspace");
  // Every call the emulator counted for the workspace (a scan of nothing new is one search).
  const searches = (): number => [...(emulator.state.calls.get(workspace.id)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const receiver = createServer((_request, response) => response.writeHead(204).end());
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const outcomes: SharedScanOutcome[] = [];
  try {
    // 1. Webhook subscriptions, polled by the worker as `serve` runs it.
    {
      const store = SqliteStore.open(join(dir, "webhooks.db"), { secretKey: randomBytes(32) });
      await store.migrate();
      const runtime = new Runtime({ store, pollIntervalSeconds: INTERVAL_SECONDS, callsPerWindow: 100_000_000, retention: false });
      const added = await runtime.addConnection({ access_token: "shared", base_url: baseUrl });
      if (!added.ok) throw added.error;
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        const subscription = await runtime.subscribe(added.value.connection.id, "TrigNewLead");
        if (!subscription.ok) throw subscription.error;
        await store.createWebhook({ subscriptionId: subscription.value.id, callbackUrl, secret: `whsec_${randomBytes(24).toString("base64")}` });
      }
      const worker = new WebhookDeliveryWorker({ runtime, callbackPolicy: ANY_CALLBACK, tickMs: 100 });
      worker.start();
      await sleep(INTERVAL_SECONDS * 1000); // the first interval makes the baselines line up
      const before = searches();
      await sleep(INTERVALS * INTERVAL_SECONDS * 1000);
      const calls = searches() - before;
      await worker.stop();
      await store.close();
      outcomes.push({ path: "webhook worker (`serve`)", subscriptions: SUBSCRIPTIONS, intervals: INTERVALS, intercomCalls: calls, callsPerInterval: calls / INTERVALS });
    }
    // 2. Library subscriptions, each its own loop.
    {
      const connector = await createConnector({ databaseUrl: join(dir, "library.db"), secretKey: randomBytes(32), pollIntervalSeconds: INTERVAL_SECONDS, callsPerWindow: 100_000_000, retention: false });
      const added = await connector.addConnection({ access_token: "shared", base_url: baseUrl });
      if (!added.ok) throw added.error;
      const client = connector.connection(added.value.connection.id);
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        const handle = await client.subscribe("TrigNewLead", () => undefined);
        if (!handle.ok) throw handle.error;
      }
      await sleep(INTERVAL_SECONDS * 1000);
      const before = searches();
      await sleep(INTERVALS * INTERVAL_SECONDS * 1000);
      const calls = searches() - before;
      await connector.close();
      outcomes.push({ path: "library subscriptions (`subscribe`)", subscriptions: SUBSCRIPTIONS, intervals: INTERVALS, intercomCalls: calls, callsPerInterval: calls / INTERVALS });
    }
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return outcomes;
}

/**
 * The section's markdown.
 *
 * @example
 * sharedScanMarkdown(await measureSharedScans(), "2 cores");
 */
export function sharedScanMarkdown(outcomes: readonly SharedScanOutcome[], machine: string): string {
  return [
    "## Shared scans: 100 subscriptions of one trigger on one connection (`npm run bench:scale`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}. ${SUBSCRIPTIONS} subscriptions of TrigNewLead on one connection, polled every ${INTERVAL_SECONDS} s for ${INTERVALS} intervals after a first one (the baselines); Intercom Intercom calls counted by the emulator. Target: 1 per interval (before shared scans: one per subscription, ${SUBSCRIPTIONS}).`,
    "",
    "| path | subscriptions | Intercom calls | calls per interval |",
    "|---|---|---|---|",
    ...outcomes.map((o) => `| ${o.path} | ${o.subscriptions} | ${o.intercomCalls} in ${o.intervals} intervals | ${o.callsPerInterval.toFixed(2)} |`),
  ].join("\n");
}
