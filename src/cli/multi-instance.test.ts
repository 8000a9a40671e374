import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../emulator/testing/harness.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "../server/webhooks/testing/receiver.js";
import { killAllClis, spawnCli, type CliProcess } from "./testing/spawn-cli.js";

// Several `serve` processes on one PostgreSQL database (issue 5): they agree on one default
// connection, hold the per-connection limit together, and deliver every event once even when one
// of them is killed in the middle of the work.

const databaseUrl = process.env.TEST_DATABASE_URL;
const API_KEY = "multi-instance-api-key-0123456789";

interface Instance {
  cli: CliProcess;
  url: string;
  connectionId: string;
}

let em: TestEmulator | undefined;
let receiver: StandardWebhookReceiver | undefined;
let schema: string | undefined;

afterEach(async () => {
  await killAllClis();
  await receiver?.close();
  await em?.close();
  if (schema !== undefined) await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  em = undefined;
  receiver = undefined;
  schema = undefined;
});

async function sql<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Starts `count` serve processes at once on a fresh schema, all pointed at the emulator. */
async function startInstances(count: number, env: Record<string, string>): Promise<Instance[]> {
  em = await startTestEmulator({ workspaces: [{ token: "multi-token", timezone: "UTC", rateLimitPerMinute: 1_000_000 }] });
  schema = `icc_multi_${randomBytes(6).toString("hex")}`;
  const url = new URL(databaseUrl ?? "");
  url.searchParams.set("schema", schema);
  const common = {
    DATABASE_URL: url.href,
    CONNECTOR_SECRET_KEY: randomBytes(32).toString("hex"),
    INTERCOM_ACCESS_TOKEN: em.token,
    INTERCOM_BASE_URL: em.baseUrl,
    CONNECTOR_API_KEY: API_KEY,
    POLL_INTERVAL_SECONDS: "1",
    LOG_LEVEL: "warn",
    // The webhook receiver listens on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "true",
    ...env,
  };
  const clis = Array.from({ length: count }, () => spawnCli(["serve", "--port", "0"], { env: common }));
  return Promise.all(
    clis.map(async (cli) => {
      const [, url] = await cli.waitFor(/service listening on (http:\/\/\S+)/, 60_000);
      const [, connectionId] = await cli.waitFor(/^connection: (\S+)$/m);
      return { cli, url: url ?? "", connectionId: connectionId ?? "" };
    }),
  );
}

async function call(instance: Instance, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(instance.url + path, {
    method,
    headers: { "x-api-key": API_KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

describe.skipIf(databaseUrl === undefined || databaseUrl === "")("several serve instances on one PostgreSQL database", { timeout: 120_000 }, () => {
  it("agree on one connection and never accept more calls than its limit within the window", async () => {
    const instances = await startInstances(3, { CONNECTION_CALLS_PER_MINUTE: "20", CONNECTION_CALL_WINDOW_SECONDS: "8" });
    expect(new Set(instances.map((i) => i.connectionId)).size).toBe(1);
    const lead = em!.workspace.insertContact({ role: "lead", email: "limit@example.com" }).id;
    // 60 concurrent callers spread over the three instances, well inside one window.
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => call(instances[i % 3]!, "POST", "/v1/actions/GetLead", { contact_id: lead })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40);
    expect(answers.find((a) => a.status === 429)?.body).toMatchObject({ error: { code: "rate_limited" } });
  });

  it("answer one flow's polls on any instance: each lead handed out once, under one receipt", async () => {
    const instances = await startInstances(3, { CONNECTION_CALLS_PER_MINUTE: "1000", POLL_INTERVAL_SECONDS: "1" });
    const get = (instance: Instance, path: string): Promise<Response> => fetch(instance.url + path, { headers: { "x-api-key": API_KEY } });
    const pathOf = (location: string | null): string => {
      const url = new URL(location ?? "");
      return `${url.pathname}${url.search}`;
    };
    const subscribed = await get(instances[0]!, "/v1/triggers/TrigNewLead/poll");
    expect(subscribed.status).toBe(202);
    let state = pathOf(subscribed.headers.get("location"));
    const leads: string[] = [];
    for (let i = 0; i < 6; i++) leads.push(em!.workspace.insertContact({ role: "lead", email: `flow${i}@example.com` }).id);

    const seen: string[] = [];
    const deadline = Date.now() + 30_000;
    while (seen.length < leads.length && Date.now() < deadline) {
      // The flow's state polled through all three instances at once: whoever answers 200 answers alike.
      const answers = await Promise.all(instances.map((instance) => get(instance, state)));
      const batches = await Promise.all(
        answers.filter((a) => a.status === 200).map(async (a) => ({ location: pathOf(a.headers.get("location")), ids: ((await a.json()) as Array<{ id: string }>).map((l) => l.id) })),
      );
      expect(answers.every((a) => a.status === 200 || a.status === 202)).toBe(true);
      const [batch] = batches;
      if (batch === undefined) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        continue;
      }
      for (const other of batches) expect(other).toEqual(batch);
      seen.push(...batch.ids);
      state = batch.location; // the flow moves on only with the receipt
    }
    expect([...seen].sort()).toEqual([...leads].sort());
    const after = await get(instances[2]!, state);
    expect(after.status).toBe(202);
  });

  it("deliver every event once when the instance delivering is killed mid-burst", async () => {
    const instances = await startInstances(3, { CONNECTION_CALLS_PER_MINUTE: "1000", WORKER_LEASE_SECONDS: "3", WEBHOOK_TIMEOUT_SECONDS: "1" });
    receiver = await startStandardWebhookReceiver();
    const hooks = receiver;
    hooks.answer = () => ({ status: 200, delayMs: 40 }); // slow enough that the kill lands mid-delivery
    const created = await call(instances[0]!, "POST", "/v1/triggers/TrigNewLead/subscriptions", { callback_url: hooks.url });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    hooks.secret = created.body.secret as string;

    const leads: string[] = [];
    for (let i = 0; i < 40; i++) leads.push(em!.workspace.insertContact({ role: "lead", email: `burst${i}@example.com` }).id);
    await waitUntil(() => hooks.accepted().length >= 5, "the first deliveries", 20_000);

    // Kill the process that holds the delivery lease right now, with no chance to clean up.
    const [holder] = await sql<{ owner: string | null }>(`SELECT delivery_lease_owner AS owner FROM ${schema}.webhooks`);
    const pid = Number(holder?.owner?.split(":")[1]);
    const victim = instances.find((i) => i.cli.child.pid === pid) ?? instances[0]!;
    victim.cli.child.kill("SIGKILL");
    await victim.cli.exited;

    await waitUntil(() => new Set(hooks.accepted().map((d) => d.id)).size >= 40, "all forty events", 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // more polls and ticks: nothing more comes
    const accepted = hooks.accepted();
    expect(accepted.every((d) => d.signatureValid)).toBe(true);
    expect(new Set(accepted.map((d) => d.payload.id as string))).toEqual(new Set(leads));
    expect(new Set(accepted.map((d) => d.id)).size).toBe(40);
    // Exactly once, short of the one delivery the kill may have cut between the receiver's 2xx
    // and its acknowledgement: that one comes again under the same webhook-id, for the receiver to drop.
    const repeats = accepted.length - 40;
    expect(repeats).toBeLessThanOrEqual(1);
    // In order per subscription: webhook-ids (outbox ids) never go back, a repeat aside.
    const ids = accepted.map((d) => Number(d.id));
    expect(ids.filter((id, i) => i > 0 && id < ids[i - 1]!).length).toBeLessThanOrEqual(repeats);
  });
});
