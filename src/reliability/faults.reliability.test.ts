import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killAllClis } from "../cli/testing/spawn-cli.js";
import { startTestEmulator, type TestEmulator } from "../emulator/testing/harness.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "../server/webhooks/testing/receiver.js";
import { recordFigures } from "./testing/figures.js";
import { PollingFlow } from "./testing/flow.js";
import { callServe, sleep, startServe, type ServeProcess } from "./testing/serve.js";

// Every fault the emulator injects, during a burst of new leads that a webhook subscription and a
// Power Automate polling flow watch at once, against `serve` as a child process polling every
// second: each lead reaches both exactly once, and the time from the fault's end to the last
// event delivered is measured.

/** The emulator's fault kinds (src/emulator/app.ts, applyFault). */
const FAULT_KINDS = ["500", "503", "429", "hang", "reset"] as const;
/** Searches each fault takes: a hang costs the transport's 20 s attempt timeout each, so it gets one. */
const FAULT_COUNT: Record<(typeof FAULT_KINDS)[number], number> = { "500": 3, "503": 3, "429": 2, hang: 1, reset: 3 };
const BURST = 15;
/** The scan's route: faults there hit the triggers, not the test's own lead creation. */
const SEARCH_ROUTE = "POST /contacts/search";

interface FaultFigures {
  kind: string;
  faultedRequests: number;
  leads: number;
  webhookLost: number;
  webhookDuplicated: number;
  pollLost: number;
  pollDuplicated: number;
  /** From the last faulted request to the last event delivered to each watcher, in ms. */
  webhookRecoveryMs: number;
  pollRecoveryMs: number;
  /** Answers other than 200/202 the flow got while this fault ran (status: count). */
  flowErrors: Record<string, number>;
}

let em: TestEmulator;
let receiver: StandardWebhookReceiver;
let serve: ServeProcess;
let flow: PollingFlow;
let dir: string;
/** When each `webhook-id` was first answered 2xx. */
const arrivals = new Map<string, number>();

beforeAll(async () => {
  em = await startTestEmulator({ workspaces: [{ token: "faults-token", timezone: "UTC", rateLimitPerMinute: 1_000_000 }] });
  receiver = await startStandardWebhookReceiver();
  receiver.answer = (_index, id) => {
    if (!arrivals.has(id)) arrivals.set(id, Date.now());
    return 200;
  };
  dir = await mkdtemp(join(tmpdir(), "reliability-faults-"));
  serve = await startServe({ baseUrl: em.baseUrl, token: em.token, env: { DATABASE_URL: join(dir, "connector.db"), CONNECTOR_SECRET_KEY: "11".repeat(32) } });
  const created = await callServe(serve.url, "POST", "/v1/triggers/TrigNewLead/subscriptions", { callback_url: receiver.url });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  receiver.secret = (created.body as { secret: string }).secret;
  flow = await PollingFlow.start(() => serve.url, "TrigNewLead");
}, 90_000);

afterAll(async () => {
  await flow?.stop();
  await killAllClis();
  await receiver?.close();
  await em?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function pendingFaults(): Promise<number> {
  const answer = await em.control("GET", `/workspaces/${em.workspace.id}/faults`);
  return (answer.body as { faults: Array<{ remaining: number }> }).faults.reduce((sum, f) => sum + f.remaining, 0);
}

async function createLead(email: string): Promise<string> {
  const answer = await em.request("POST", "/contacts", { role: "lead", email });
  if (answer.status !== 200) throw new Error(`the emulator answered ${answer.status}`);
  return (answer.body as { id: string }).id;
}

function webhookIdsOf(leadId: string): Set<string> {
  return new Set(receiver.accepted().filter((d) => d.payload.id === leadId).map((d) => d.id));
}

describe("faults during a burst, watched by a webhook and a polling flow", { timeout: 240_000 }, () => {
  const figures: FaultFigures[] = [];
  const allLeads: string[] = [];

  for (const kind of FAULT_KINDS) {
    it(`${kind}: every lead of the burst reaches the webhook and the flow once`, async () => {
      const errorsBefore = new Map(flow.errors);
      const injected = await em.control("POST", `/workspaces/${em.workspace.id}/faults`, { kind, count: FAULT_COUNT[kind], route: SEARCH_ROUTE });
      expect(injected.status).toBe(201);
      const leads: string[] = [];
      for (let i = 0; i < BURST; i++) leads.push(await createLead(`${kind}-${i}@example.com`));
      allLeads.push(...leads);

      await waitUntil(async () => (await pendingFaults()) === 0, `the ${kind} faults to be used`, 60_000);
      const faultEndMs = Date.now();
      const wanted = new Set(leads);
      await waitUntil(
        () => leads.every((id) => webhookIdsOf(id).size > 0) && leads.every((id) => flow.items.some((item) => item.id === id)),
        `the ${kind} burst at both watchers`,
        90_000,
      );

      const webhookTimes = receiver.accepted().filter((d) => wanted.has(d.payload.id as string)).map((d) => arrivals.get(d.id) ?? Number.NaN);
      const pollTimes = flow.items.filter((item) => wanted.has(item.id)).map((item) => item.atMs);
      const flowErrors: Record<string, number> = {};
      for (const [status, count] of flow.errors) if (count !== (errorsBefore.get(status) ?? 0)) flowErrors[String(status)] = count - (errorsBefore.get(status) ?? 0);
      figures.push({
        kind,
        faultedRequests: FAULT_COUNT[kind],
        leads: BURST,
        webhookLost: leads.filter((id) => webhookIdsOf(id).size === 0).length,
        webhookDuplicated: receiver.accepted().filter((d) => wanted.has(d.payload.id as string)).length - BURST,
        pollLost: leads.filter((id) => !flow.items.some((item) => item.id === id)).length,
        pollDuplicated: pollTimes.length - BURST,
        webhookRecoveryMs: Math.max(0, Math.max(...webhookTimes) - faultEndMs),
        pollRecoveryMs: Math.max(0, Math.max(...pollTimes) - faultEndMs),
        flowErrors,
      });
    });
  }

  it("nothing lost, nothing repeated, nothing else delivered, once the service has had time for more", async () => {
    await sleep(2_500); // more polls and deliveries: nothing more may come
    expect(figures.map((f) => f.kind)).toEqual([...FAULT_KINDS]);
    const accepted = receiver.accepted();
    expect(accepted.every((d) => d.signatureValid)).toBe(true);
    // Exactly once: one delivery per lead, one webhook-id per lead, the flow one item per lead.
    expect(accepted.map((d) => d.payload.id as string).sort()).toEqual([...allLeads].sort());
    expect(new Set(accepted.map((d) => d.id)).size).toBe(allLeads.length);
    expect(flow.items.map((item) => item.id).sort()).toEqual([...allLeads].sort());
    for (const f of figures) expect([f.webhookLost, f.webhookDuplicated, f.pollLost, f.pollDuplicated], f.kind).toEqual([0, 0, 0, 0]);
    recordFigures("faults", "npm run test:reliability", { burst: BURST, pollIntervalSeconds: 1, kinds: figures });
  });
});
