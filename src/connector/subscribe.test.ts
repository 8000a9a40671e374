import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrigLead_Response, unwrap, type ConnectorError, type Result, type TrigLead_Response as TrigLead } from "../contract/index.js";
import type { PollReport } from "../triggers/index.js";
import { eventually, startConnectorTestBed, type ConnectorTestBed } from "./testing/setup.js";
import type { ConnectionClient, SubscribeOptions } from "./types.js";

let bed: ConnectorTestBed;
beforeEach(async () => {
  bed = await startConnectorTestBed();
});
afterEach(async () => {
  await bed.cleanup();
});

/** Options that record each poll, and a way to wait for the n-th. */
function pollWatcher(): { options: SubscribeOptions; polls: Array<Result<PollReport, ConnectorError>>; afterPolls(n: number): Promise<void> } {
  const polls: Array<Result<PollReport, ConnectorError>> = [];
  return {
    polls,
    options: { onPoll: (report) => polls.push(report) },
    afterPolls: (n) => eventually(() => (polls.length >= n ? true : undefined), 15_000, `${n} polls`).then(() => undefined),
  };
}

function lead(email: string): string {
  return bed.em.workspace.insertContact({ role: "lead", email }).id;
}

/**
 * Subscribes each client to TrigNewLead (half-second intervals), waits out the baselines, creates
 * one lead, and checks every subscription received it exactly once. Returns the Intercom calls
 * made meanwhile and how many intervals that took.
 */
async function sharedScanRun(clients: ConnectionClient[], email: string): Promise<{ calls: number; intervals: number }> {
  const received = clients.map((): string[] => []);
  const handles = [];
  for (const [i, client] of clients.entries()) handles.push(unwrap(await client.subscribe("TrigNewLead", (payload) => void received[i]?.push(payload.id))));
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the baselines
  await bed.resetCalls();
  const started = performance.now();
  const created = lead(email);
  await eventually(() => (received.every((ids) => ids.length === 1) ? true : undefined), 15_000, "every subscription's lead");
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const intervals = (performance.now() - started) / 500;
  const calls = (await bed.calls()).total;
  for (const handle of handles) await handle.stop();
  for (const ids of received) expect(ids).toEqual([created]);
  return { calls, intervals };
}

describe("ConnectionClient.subscribe", () => {
  it("refuses a push-only trigger on a connection without push set up, saying how, and subscribes nothing", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const refused = await connector.connection(connectionId).subscribe("TrigLeadConverted", () => undefined);
    expect(refused).toMatchObject({ ok: false, error: { code: "push_not_set_up", field: "triggerId" } });
    if (!refused.ok) expect(refused.error.message).toMatch(/intercom_client_secret.*INTERCOM_CLIENT_SECRET.*\/intercom\/webhooks\//);
  });

  it("delivers a lead created after subscribing, in the contract's shape, and none from before", async () => {
    const before = lead("before@example.com");
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const client = connector.connection(connectionId);
    const received: TrigLead[] = [];
    const polls = pollWatcher();
    const handle = unwrap(await client.subscribe("TrigNewLead", (payload) => void received.push(payload), polls.options));
    await polls.afterPolls(1);
    expect(polls.polls[0]).toMatchObject({ ok: true, value: { baseline: true, emitted: 0 } });

    const created = await client.createLead({ email: "after@example.com", name: "After" });
    if (!created.ok) throw created.error;
    await eventually(() => (received.length > 0 ? true : undefined), 15_000, "the new lead");
    // A few more rounds: nothing else arrives, the new lead is not repeated.
    await polls.afterPolls(polls.polls.length + 2);
    await handle.stop();
    expect(received.map((l) => l.id)).toEqual([created.value.id]);
    expect(received[0]?.id).not.toBe(before);
    expect(TrigLead_Response.parse(received[0])).toMatchObject({ email: "after@example.com", name: "After", companies: { companies: [] }, tags: { companies: [] } });
  });

  it("runs 20 subscriptions of one trigger on one scan per interval, each receiving each new lead once", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 0.5 });
    const { calls, intervals } = await sharedScanRun(Array.from({ length: 20 }, () => connector.connection(connectionId)), "shared@example.com");
    // One search per interval for all twenty (a little slack for timer jitter), where one per subscription would be 20 per interval.
    expect(calls).toBeLessThanOrEqual(Math.ceil(intervals) + 2);
  });

  it("shares one scan per interval between two connectors on one database, each subscription receiving each lead once", async () => {
    const first = await bed.connected({ pollIntervalSeconds: 0.5 });
    const second = await bed.connector({ pollIntervalSeconds: 0.5 });
    const clients = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first.connector : second).connection(first.connectionId));
    const { calls, intervals } = await sharedScanRun(clients, "across@example.com");
    // Each instance reserves the whole group's interval before it asks: about one search per
    // interval for both (slack for timers), where one per subscription would be 10 per interval.
    expect(calls).toBeLessThanOrEqual(Math.ceil(intervals) + 3);
  });

  it("delivers every lead of a burst once, oldest first", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const received: string[] = [];
    const polls = pollWatcher();
    const handle = unwrap(await connector.connection(connectionId).subscribe("TrigNewLead", (payload) => void received.push(payload.id), polls.options));
    await polls.afterPolls(1);
    const ids: string[] = [];
    for (let i = 0; i < 160; i++) ids.push(lead(`burst${i}@example.com`));
    await eventually(() => (received.length >= 160 ? true : undefined), 15_000, "160 leads");
    await polls.afterPolls(polls.polls.length + 1);
    await handle.stop();
    expect(received).toEqual(ids);
  });

  it("offers an event again at the next round when the handler throws, without repeating those acknowledged", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const polls = pollWatcher();
    const calls: string[] = [];
    const errors: Array<{ error: unknown; phase: string }> = [];
    let failuresLeft = 2;
    const a = { id: "" };
    const handle = unwrap(await connector.connection(connectionId).subscribe(
      "TrigNewLead",
      async (payload) => {
        calls.push(payload.email ?? "");
        if (payload.id === a.id && failuresLeft > 0) {
          failuresLeft--;
          throw new Error("downstream is down");
        }
      },
      { ...polls.options, onError: (error, phase) => errors.push({ error, phase }) },
    ));
    await polls.afterPolls(1);
    // One poll sees both: the first is handed over and acknowledged, the second fails twice.
    lead("first@example.com");
    a.id = lead("second@example.com");
    await eventually(() => (calls.filter((c) => c === "second@example.com").length === 3 ? true : undefined), 15_000, "the third attempt");
    lead("third@example.com");
    await eventually(() => (calls.includes("third@example.com") ? true : undefined), 15_000, "the third lead");
    await handle.stop();
    expect(calls).toEqual(["first@example.com", "second@example.com", "second@example.com", "second@example.com", "third@example.com"]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ phase: "deliver", error: { message: "downstream is down" } });
  });

  it("resumes a stopped subscription by id: what happened meanwhile arrives, nothing twice", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const client = connector.connection(connectionId);
    const received: string[] = [];
    const first = pollWatcher();
    const handle = unwrap(await client.subscribe("TrigNewLead", (payload) => void received.push(payload.id), first.options));
    await first.afterPolls(1);
    const one = lead("one@example.com");
    await eventually(() => (received.length === 1 ? true : undefined), 15_000, "the first lead");
    await handle.stop();

    const two = lead("two@example.com");
    const second = pollWatcher();
    const resumed = unwrap(await client.subscribe("TrigNewLead", (payload) => void received.push(payload.id), { ...second.options, subscriptionId: handle.subscriptionId }));
    expect(resumed.subscriptionId).toBe(handle.subscriptionId);
    await eventually(() => (received.length === 2 ? true : undefined), 15_000, "the second lead");
    await second.afterPolls(second.polls.length + 2);
    await resumed.stop();
    expect(received).toEqual([one, two]);
    expect(second.polls[0]).toMatchObject({ ok: true, value: { baseline: false } });

    expect(await client.subscribe("TrigNewUser", () => undefined, { subscriptionId: handle.subscriptionId })).toMatchObject({ ok: false, error: { code: "not_found", field: "subscriptionId" } });
    expect(await client.subscribe("TrigNope" as never, () => undefined)).toMatchObject({ ok: false, error: { code: "invalid_input", field: "triggerId" } });
    expect(await client.unsubscribe(handle.subscriptionId)).toBe(true);
    expect(await client.unsubscribe(handle.subscriptionId)).toBe(false);
  });

  it("hands batches to subscribeBatches and stops on its signal and on close()", async () => {
    const { connector, connectionId } = await bed.connected({ pollIntervalSeconds: 1 });
    const client = connector.connection(connectionId);
    const batches: number[][] = [];
    const controller = new AbortController();
    const polls = pollWatcher();
    const handle = unwrap(await client.subscribeBatches("TrigNewLead", (events) => void batches.push(events.map((e) => e.id)), { ...polls.options, signal: controller.signal }));
    await polls.afterPolls(1);
    for (let i = 0; i < 3; i++) lead(`b${i}@example.com`);
    await eventually(() => (batches.length > 0 ? true : undefined), 15_000, "a batch");
    expect(batches).toEqual([[1, 2, 3].map((n) => batches[0]![0]! + n - 1)]);
    controller.abort();
    await handle.stop();
    const pollsAtStop = polls.polls.length;

    const other = pollWatcher();
    unwrap(await client.subscribe("TrigNewUser", () => undefined, other.options));
    await other.afterPolls(1);
    await connector.close();
    const pollsAtClose = other.polls.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(polls.polls.length).toBe(pollsAtStop);
    expect(other.polls.length).toBe(pollsAtClose);
  });
});
