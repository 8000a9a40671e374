import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { intercomPushPath } from "./routes.js";
import { Runtime } from "../runtime/index.js";
import { startServiceHarness, type Answer, type ServiceHarness } from "./testing/harness.js";
import { waitUntil } from "./webhooks/testing/receiver.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PUSH_SECRET = "intercom-client-secret-for-tests";
const IDLE_SECONDS = 3_600;
const MINUTE = 60_000;

const stateOf = (answer: Answer): string => {
  const location = new URL(String(answer.headers.location));
  return `${location.pathname}${location.search}`;
};

/** Pushes a `contact.lead.created` for a new lead through the real push route, signed; returns how many outboxes took it. */
async function pushNewLead(harness: ServiceHarness, email: string): Promise<number> {
  const id = await harness.createLeadInIntercom(email);
  const contact = await harness.em.request("GET", `/contacts/${id}`);
  const body = JSON.stringify({ type: "notification_event", data: { type: "notification_event_data", item: contact.body }, id: `notif_${id}`, topic: "contact.lead.created", created_at: 1 });
  const answer = await harness.call("POST", intercomPushPath(harness.connection.id), {
    key: null,
    body,
    headers: { "content-type": "application/json", "x-hub-signature": `sha1=${createHmac("sha1", PUSH_SECRET).update(body).digest("hex")}` },
  });
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { appended: number }).appended;
}

describe("abandoned Power Automate polling subscriptions", () => {
  it("get no pushes and no scans once idle past the limit, answer 410 to their old state, and are swept with their outbox; library and webhook ones never expire", async () => {
    h = await startServiceHarness({ subscriptionIdleSeconds: IDLE_SECONDS });
    const harness = h;
    await harness.store.updateConnection(harness.connection.id, { intercomClientSecret: PUSH_SECRET });
    // Two flows on one trigger (the first one re-saved: Power Automate made the second), a library
    // subscription and a webhook on the same trigger.
    const abandoned = stateOf(await harness.call("GET", "/v1/triggers/TrigNewLead/poll"));
    const kept = stateOf(await harness.call("GET", "/v1/triggers/TrigNewLead/poll"));
    const [abandonedSub, keptSub] = await harness.store.listSubscriptions();
    if (abandonedSub === undefined || keptSub === undefined) throw new Error("two polling subscriptions expected");
    expect([abandonedSub.kind, keptSub.kind]).toEqual(["polling", "polling"]);
    const library = await harness.runtime.subscribe(harness.connection.id, "TrigNewLead");
    if (!library.ok) throw library.error;
    const webhook = await harness.call("POST", "/v1/triggers/TrigNewLead/subscriptions", {
      body: JSON.stringify({ callback_url: "https://example.com/hook" }),
      headers: { "content-type": "application/json" },
    });
    expect(webhook.status, webhook.text).toBe(201);
    const webhookId = (webhook.body as { id: string }).id;
    // Within the limit every subscription takes a push.
    expect(await pushNewLead(harness, "early@example.com")).toBe(4);

    // The kept flow polls at 40 minutes; at 70 the abandoned one is idle past the hour, the kept one is not.
    harness.clock.advance(40 * MINUTE);
    const early = await harness.call("GET", kept);
    expect((early.body as Array<{ email: string }>).map((lead) => lead.email)).toEqual(["early@example.com"]);
    const keptReceipt = stateOf(early);
    harness.clock.advance(30 * MINUTE);
    const abandonedBefore = await harness.store.getSubscription(abandonedSub.id);
    expect(await harness.store.outboxStats(abandonedSub.id)).toEqual({ pending: 1, delivered: 0, dead: 0 });
    expect(await pushNewLead(harness, "late@example.com")).toBe(3);
    expect(await harness.store.outboxStats(abandonedSub.id)).toEqual({ pending: 1, delivered: 0, dead: 0 });

    // Its flow comes back with the old state: 410 that says what to do, no old event, no Intercom call.
    const callsBefore = await harness.intercomCalls();
    const expired = await harness.call("GET", abandoned);
    expect(expired.status).toBe(410);
    expect(expired.body).toEqual({
      error: { code: "subscription_expired", message: "This flow's trigger subscription has expired or was deleted: re-save the flow, or turn it off and on", field: "state" },
    });
    expect(expired.headers.location).toBeUndefined();
    expect(await harness.intercomCalls()).toBe(callsBefore);

    // The kept flow gets the pushed lead; its next poll (nothing waiting, the interval passed) scans
    // Intercom for its group: the expired one is not in that scan.
    const late = await harness.call("GET", keptReceipt);
    expect((late.body as Array<{ email: string }>).map((lead) => lead.email)).toEqual(["late@example.com"]);
    const scanned = await harness.call("GET", stateOf(late));
    expect(scanned.status).toBe(202);
    expect(await harness.intercomCalls()).toBeGreaterThan(callsBefore);
    expect(await harness.store.getSubscription(abandonedSub.id)).toEqual(abandonedBefore);
    expect((await harness.store.getSubscription(keptSub.id))?.cursorVersion).toBeGreaterThan(keptSub.cursorVersion);

    // The retention sweep deletes it with its outbox; the others stay.
    harness.runtime.start();
    await waitUntil(async () => (await harness.store.getSubscription(abandonedSub.id)) === null, "the abandoned subscription swept");
    expect(await harness.store.pendingEvents(abandonedSub.id, 10)).toEqual([]);
    expect((await harness.call("GET", abandoned)).status).toBe(410);
    expect((await harness.store.listSubscriptions()).map((s) => s.id).sort()).toEqual([keptSub.id, library.value.id, webhookId].sort());

    // A month later nobody polled the kept one: it expires too; the library and webhook ones never do.
    harness.clock.advance(30 * 86_400_000);
    expect(await pushNewLead(harness, "month-later@example.com")).toBe(2);
    expect(await harness.runtime.engine.expireIdleSubscriptions()).toBe(1);
    expect((await harness.store.listSubscriptions()).map((s) => s.id).sort()).toEqual([library.value.id, webhookId].sort());
    expect((await harness.store.outboxStats(library.value.id)).pending).toBe(3);
    expect((await harness.store.outboxStats(webhookId)).pending).toBe(3);
    expect((await harness.call("GET", kept)).status).toBe(410);
  });

  it("keeps a flow that polls within the limit alive for as long as it polls", async () => {
    h = await startServiceHarness({ subscriptionIdleSeconds: IDLE_SECONDS });
    let location = stateOf(await h.call("GET", "/v1/triggers/TrigNewUser/poll"));
    // Five idle-limits long, polled every 50 minutes: never expired, never swept.
    for (let i = 0; i < 6; i++) {
      h.clock.advance(50 * MINUTE);
      const answer = await h.call("GET", location);
      expect(answer.status, answer.text).toBe(202);
      location = stateOf(answer);
      expect(await h.runtime.engine.expireIdleSubscriptions()).toBe(0);
    }
    await h.em.request("POST", "/contacts", { role: "user", email: "still-here@example.com" });
    h.clock.advance(50 * MINUTE);
    const found = await h.call("GET", location);
    expect(found.status).toBe(200);
    expect((found.body as Array<{ email: string }>).map((user) => user.email)).toEqual(["still-here@example.com"]);
  });
  it("is deleted only by the sweeps of a runtime given the idle limit (serve), never by a library process's", async () => {
    h = await startServiceHarness({ subscriptionIdleSeconds: IDLE_SECONDS });
    await h.call("GET", "/v1/triggers/TrigNewLead/poll");
    h.clock.advance(2 * IDLE_SECONDS * 1000);
    // A library runtime on the same database, on the same clock: its first sweep runs at start and close awaits it.
    const library = new Runtime({ store: h.store, now: h.clock.now });
    library.start();
    await library.close();
    expect(await h.store.listSubscriptions()).toHaveLength(1);
    h.runtime.start();
    await h.runtime.close();
    expect(await h.store.listSubscriptions()).toEqual([]);
  });
});
