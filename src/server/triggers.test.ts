import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { TrigLead_Response, TrigUser_Response } from "../contract/index.js";
import { POLL_STATE_KEY_PURPOSE, PollStateCodec } from "../runtime/poll-state.js";
import { startServiceHarness, type Answer, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type ErrorAnswer = { error: { code: string; message: string; field?: string } };

/** The path and query of an answer's Location, checked to be an absolute URL of the same trigger. */
function nextPoll(answer: Answer, trigger: string): string {
  const location = String(answer.headers.location);
  const url = new URL(location);
  expect(location).toMatch(/^http:\/\/localhost:80\//);
  expect(url.pathname).toBe(`/v1/triggers/${trigger}/poll`);
  expect(url.searchParams.get("state")).toMatch(/\S/);
  return `${url.pathname}${url.search}`;
}

describe("Power Automate polling", () => {
  it("goes 202 (subscribed) → 202 (idle) → 200 with the new leads → 202, never repeating a lead", async () => {
    h = await startServiceHarness();
    h.em.workspace.insertContact({ role: "lead", email: "before@example.com" });

    const first = await h.call("GET", "/v1/triggers/TrigNewLead/poll");
    expect(first.status).toBe(202);
    expect(first.headers["retry-after"]).toBe("120");
    expect(first.text).toBe("");
    const next = nextPoll(first, "TrigNewLead");
    expect(await h.store.listSubscriptions({ connectionId: h.connection.id })).toHaveLength(1);

    // Within the interval: answered from the outbox, no Intercom call.
    const callsAfterBaseline = await h.intercomCalls();
    const idle = await h.call("GET", next);
    expect(idle.status).toBe(202);
    expect(idle.headers["retry-after"]).toBe("120");
    expect(nextPoll(idle, "TrigNewLead")).toBe(next);
    const emails = ["new1@example.com", "new2@example.com", "new3@example.com"];
    for (const email of emails) await h.createLeadInIntercom(email);
    const callsAfterCreating = await h.intercomCalls();
    expect(callsAfterCreating).toBe(callsAfterBaseline + emails.length);
    h.clock.advance(60_000);
    const early = await h.call("GET", next);
    expect(early.status).toBe(202);
    expect(early.headers["retry-after"]).toBe("60");
    expect(await h.intercomCalls()).toBe(callsAfterCreating);

    // The interval has passed: one Intercom poll finds the three new leads (not the old one).
    h.clock.advance(60_000);
    const found = await h.call("GET", next);
    expect(found.status).toBe(200);
    expect(found.headers["retry-after"]).toBeUndefined();
    const receipt = nextPoll(found, "TrigNewLead");
    expect(receipt).not.toBe(next);
    const leads = (found.body as unknown[]).map((item) => TrigLead_Response.parse(item));
    expect(leads.map((l) => l.email)).toEqual(emails);
    const callsAfterFinding = await h.intercomCalls();
    expect(callsAfterFinding).toBeGreaterThan(callsAfterCreating);

    // The 200 never reached the flow (it polls its old Location again): the same leads, the same
    // receipt, and no Intercom call.
    const resent = await h.call("GET", next);
    expect(resent.status).toBe(200);
    expect((resent.body as Array<{ email: string }>).map((l) => l.email)).toEqual(emails);
    expect(nextPoll(resent, "TrigNewLead")).toBe(receipt);
    expect(await h.intercomCalls()).toBe(callsAfterFinding);

    // Polling the new Location is the flow's receipt: the leads are acknowledged, never repeated.
    const after = await h.call("GET", receipt);
    expect(after.status).toBe(202);
    const idleAgain = nextPoll(after, "TrigNewLead");
    h.clock.advance(120_000);
    const again = await h.call("GET", idleAgain);
    expect(again.status).toBe(202);
    await h.createLeadInIntercom("new4@example.com");
    h.clock.advance(120_000);
    const fourth = await h.call("GET", nextPoll(again, "TrigNewLead"));
    expect(fourth.status).toBe(200);
    expect((fourth.body as Array<{ email: string }>).map((l) => l.email)).toEqual(["new4@example.com"]);
    const subscription = (await h.store.listSubscriptions())[0];
    expect(await h.store.outboxStats(subscription?.id ?? "")).toEqual({ pending: 1, delivered: 3, dead: 0 });
    expect((await h.call("GET", nextPoll(fourth, "TrigNewLead"))).status).toBe(202);
    expect(await h.store.outboxStats(subscription?.id ?? "")).toEqual({ pending: 0, delivered: 4, dead: 0 });
  });

  it("hands out a backlog in batches, each acknowledged, without asking Intercom in between", async () => {
    h = await startServiceHarness({ pollBatchSize: 2 });
    const first = await h.call("GET", "/v1/triggers/TrigNewUser/poll");
    const next = nextPoll(first, "TrigNewUser");
    for (let i = 0; i < 5; i++) await h.em.request("POST", "/contacts", { role: "user", email: `u${i}@example.com` });
    h.clock.advance(120_000);
    const seen: string[] = [];
    const sizes: number[] = [];
    let location = next;
    for (;;) {
      const answer = await h.call("GET", location);
      location = nextPoll(answer, "TrigNewUser");
      if (answer.status === 202) break;
      expect(answer.status).toBe(200);
      const users = (answer.body as unknown[]).map((u) => TrigUser_Response.parse(u));
      sizes.push(users.length);
      seen.push(...users.map((u) => u.email ?? ""));
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(["u0@example.com", "u1@example.com", "u2@example.com", "u3@example.com", "u4@example.com"]);
  });

  it("answers concurrent polls of one state with one Intercom poll and the same batch under the same receipt", async () => {
    h = await startServiceHarness();
    const next = nextPoll(await h.call("GET", "/v1/triggers/TrigNewLead/poll"), "TrigNewLead");
    for (let i = 0; i < 3; i++) await h.createLeadInIntercom(`c${i}@example.com`);
    h.clock.advance(120_000);
    const callsBefore = await h.intercomCalls();
    const answers = await Promise.all([h.call("GET", next), h.call("GET", next), h.call("GET", next)]);
    const batches = answers.filter((a) => a.status === 200);
    expect(batches.length).toBeGreaterThanOrEqual(1);
    for (const batch of batches) {
      expect((batch.body as Array<{ email: string }>).map((l) => l.email)).toEqual(["c0@example.com", "c1@example.com", "c2@example.com"]);
      expect(nextPoll(batch, "TrigNewLead")).toBe(nextPoll(batches[0]!, "TrigNewLead"));
    }
    // One reservation of the interval's Intercom poll won: the cursor moved by it and by the one poll
    // (each scan reserves its group's interval, then commits).
    const [subscription] = await h.store.listSubscriptions();
    expect(subscription?.cursorVersion).toBe(5); // baseline (reserve, commit), the poll's reservation, the scan (reserve, commit)
    expect(await h.intercomCalls()).toBe(callsBefore + 1); // the one poll's search
    expect(answers.filter((a) => a.status === 202).length + batches.length).toBe(3);
    const receipt = await h.call("GET", nextPoll(batches[0]!, "TrigNewLead"));
    expect(receipt.status).toBe(202);
  });

  it("refuses a state that is unknown, another trigger's, or another connection's", async () => {
    h = await startServiceHarness();
    const next = nextPoll(await h.call("GET", "/v1/triggers/TrigNewLead/poll"), "TrigNewLead");
    const state = new URL(next, "http://x").searchParams.get("state") ?? "";

    // Signed by this service, naming a subscription that is gone (deleted, or expired and swept).
    const codec = new PollStateCodec(h.store.deriveKey(POLL_STATE_KEY_PURPOSE));
    const unknown = await h.call("GET", `/v1/triggers/TrigNewLead/poll?state=${codec.encode({ subscriptionId: randomUUID(), ackedThrough: 3 })}`);
    expect(unknown.status).toBe(410);
    expect(unknown.body).toEqual({
      error: { code: "subscription_expired", message: "This flow's trigger subscription has expired or was deleted: re-save the flow, or turn it off and on", field: "state" },
    });
    const forged = await h.call("GET", "/v1/triggers/TrigNewLead/poll?state=no-such-subscription");
    expect(forged.status).toBe(400);
    expect((forged.body as ErrorAnswer).error).toMatchObject({ code: "invalid_input", field: "state" });
    const otherTrigger = await h.call("GET", `/v1/triggers/TrigNewUser/poll?state=${state}`);
    expect(otherTrigger.status).toBe(400);
    expect((otherTrigger.body as ErrorAnswer).error).toEqual({
      code: "invalid_input",
      message: "Invalid input: state names a subscription of TrigNewLead, not TrigNewUser",
      field: "state",
    });
    const other = await h.newConnection();
    const foreign = await h.call("GET", next, { key: other.apiKey });
    expect(foreign.status).toBe(403);
    expect((foreign.body as ErrorAnswer).error.code).toBe("forbidden");
    const extra = await h.call("GET", "/v1/triggers/TrigNewLead/poll?since=yesterday");
    expect((extra.body as ErrorAnswer).error).toMatchObject({ code: "invalid_input", field: "since" });
    expect(await h.store.listSubscriptions()).toHaveLength(1);
  });

  it("refuses a forged, altered or unsigned state with 400 naming state: nothing acknowledged, no Intercom call", async () => {
    h = await startServiceHarness();
    const next = nextPoll(await h.call("GET", "/v1/triggers/TrigNewLead/poll"), "TrigNewLead");
    for (const email of ["f1@example.com", "f2@example.com"]) await h.createLeadInIntercom(email);
    h.clock.advance(120_000);
    const found = await h.call("GET", next);
    expect(found.status).toBe(200);
    const [subscription] = await h.store.listSubscriptions();
    const id = subscription?.id ?? "";
    const pending = await h.store.pendingEvents(id, 10);
    const lastId = pending.at(-1)?.id ?? 0;
    expect(pending).toHaveLength(2);
    // Due again: a poll that got past the state would ask Intercom.
    h.clock.advance(120_000);

    const genuine = new URL(next, "http://x").searchParams.get("state") ?? "";
    const [prefix, , mac] = genuine.split(".") as [string, string, string];
    const payload = (body: unknown): string => Buffer.from(JSON.stringify(body)).toString("base64url");
    const forged: Record<string, string> = {
      "tampered a": `${prefix}.${payload({ s: id, a: lastId })}.${mac}`,
      "signed under another key": new PollStateCodec(randomBytes(32)).encode({ subscriptionId: id, ackedThrough: lastId }),
      "truncated MAC": `${prefix}.${payload({ s: id, a: null })}.${mac.slice(0, 20)}`,
      "unsigned, as the previous release wrote it": `poll.${payload({ s: id, a: lastId })}`,
      "a bare subscription id, as the first release wrote it": id,
    };
    const calls = await h.intercomCalls();
    for (const [label, state] of Object.entries(forged)) {
      const answer = await h.call("GET", `/v1/triggers/TrigNewLead/poll?state=${encodeURIComponent(state)}`);
      expect(answer.status, label).toBe(400);
      expect((answer.body as ErrorAnswer).error, label).toMatchObject({ code: "invalid_input", field: "state" });
      expect((answer.body as ErrorAnswer).error.message, label).toMatch(/^Invalid input: state /);
    }
    expect(await h.intercomCalls()).toBe(calls);
    expect(await h.store.outboxStats(id)).toEqual({ pending: 2, delivered: 0, dead: 0 });
    expect(await h.store.getSubscription(id)).toEqual(subscription);
    // The genuine receipt still works.
    expect((await h.call("GET", nextPoll(found, "TrigNewLead"))).status).toBe(202);
    expect(await h.store.outboxStats(id)).toEqual({ pending: 0, delivered: 2, dead: 0 });
  });

  it("keeps no subscription when the baseline poll fails, and says why", async () => {
    h = await startServiceHarness();
    const bad = await h.store.createConnection({ name: "Bad", region: "us", baseUrl: h.em.baseUrl, accessToken: "revoked-token" });
    const answer = await h.call("GET", "/v1/triggers/TrigNewConversation/poll", { key: bad.apiKey });
    expect(answer.status).toBe(401);
    expect((answer.body as ErrorAnswer).error.code).toBe("intercom_unauthorized");
    expect(answer.headers.location).toBeUndefined();
    expect(await h.store.listSubscriptions()).toEqual([]);
  });

  it("asks Intercom at most once per interval even when a poll fails, then reports the failure once", async () => {
    h = await startServiceHarness();
    const next = nextPoll(await h.call("GET", "/v1/triggers/TrigNewLead/poll"), "TrigNewLead");
    h.clock.advance(120_000);
    await h.em.control("POST", `/workspaces/${h.em.workspace.id}/faults`, { route: "POST /contacts/search", kind: "503", count: 10 });
    const before = await h.intercomCalls();
    const failed = await h.call("GET", next);
    expect(failed.status).toBe(503);
    expect((failed.body as ErrorAnswer).error.code).toBe("intercom_unavailable");
    const afterFailure = await h.intercomCalls();
    expect(afterFailure).toBeGreaterThan(before);
    const retried = await h.call("GET", next);
    expect(retried.status).toBe(202);
    expect(Number(retried.headers["retry-after"])).toBe(120);
    expect(await h.intercomCalls()).toBe(afterFailure);
  });
});
