import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startTriggerFixture, type TriggerFixture } from "./testing/harness.js";

let f: TriggerFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const T0 = 1_796_000_000; // 2026-11-29T23:33:20Z

function ids(payloads: Array<Record<string, unknown>>): string[] {
  return payloads.map((p) => String(p.id));
}

function expectExactlyOnce(delivered: string[], expected: string[]): void {
  expect(new Set(delivered).size, "no event delivered twice").toBe(delivered.length);
  expect([...delivered].sort()).toEqual([...expected].sort());
}

describe("TrigNewLead", () => {
  it("starts from now: existing leads are not events, new ones are, once", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const before = f.em.workspace.insertContact({ role: "lead", email: "old@example.com" });
    const sub = await f.subscribe("TrigNewLead");
    expect(await f.poll(sub.id)).toMatchObject({ emitted: 0 });
    await f.advanceClock(30);
    const lead = f.em.workspace.insertContact({ role: "lead", email: "new@example.com", name: "New Lead" });
    f.em.workspace.insertContact({ role: "user", email: "user@example.com" });
    await f.poll(sub.id);
    await f.poll(sub.id);
    const payloads = await f.drain(sub.id);
    expect(ids(payloads)).toEqual([lead.id]);
    expect(ids(payloads)).not.toContain(before.id);
    expect(payloads[0]).toMatchObject({ id: lead.id, email: "new@example.com", name: "New Lead", created_at: new Date((T0 + 30) * 1000).toISOString() });
    expect(await f.drain(sub.id)).toEqual([]);
  });

  for (const [label, offsetDays] of [["a week behind", -7], ["a week ahead of", 7]] as const) {
    it(`records what exists at the baseline, and never fires it, with Intercom's clock ${label} the machine's`, async () => {
      f = await startTriggerFixture();
      const intercomNow = Math.floor(Date.now() / 1000) + offsetDays * 86_400;
      await f.setClock(intercomNow - 3_600);
      const existing = [
        f.em.workspace.insertContact({ role: "lead", email: "hour-old@example.com" }).id,
        (await f.advanceClock(3_590), f.em.workspace.insertContact({ role: "lead", email: "ten-seconds-old@example.com" }).id),
      ];
      await f.advanceClock(10);
      const sub = await f.subscribe("TrigNewLead");
      expect(await f.poll(sub.id)).toMatchObject({ emitted: 0, calls: 1 });
      await f.advanceClock(60);
      const lead = f.em.workspace.insertContact({ role: "lead", email: "after@example.com" });
      await f.advanceClock(60);
      await f.poll(sub.id);
      await f.advanceClock(700);
      await f.poll(sub.id);
      const delivered = ids(await f.drain(sub.id));
      expect(delivered).toEqual([lead.id]);
      for (const id of existing) expect(delivered).not.toContain(id);
    });
  }

  it("delivers 500 leads created within one second exactly once, across pages", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewLead");
    await f.poll(sub.id);
    await f.advanceClock(5);
    const created = Array.from({ length: 500 }, (_, i) => f!.em.workspace.insertContact({ role: "lead", email: `burst${i}@example.com` }).id);
    const first = await f.poll(sub.id);
    expect(first.emitted).toBe(500);
    expect(first.calls).toBeLessThanOrEqual(5);
    await f.advanceClock(120);
    expect((await f.poll(sub.id)).emitted).toBe(0);
    expectExactlyOnce(ids(await f.drain(sub.id)), created);
  });

  it("keeps more than 150 new leads between polls spread over time, oldest first", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewLead");
    await f.poll(sub.id);
    const created: string[] = [];
    for (let i = 0; i < 320; i++) {
      await f.advanceClock(i % 3 === 0 ? 1 : 0);
      created.push(f.em.workspace.insertContact({ role: "lead", email: `spread${i}@example.com` }).id);
    }
    await f.poll(sub.id);
    const delivered = ids(await f.drain(sub.id));
    expectExactlyOnce(delivered, created);
    const times = delivered.map((id) => f!.em.workspace.contacts.get(id)?.created_at ?? 0);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  for (const [zone, label] of [
    ["America/New_York", "UTC−05:00"],
    ["Pacific/Tongatapu", "UTC+13:00"],
  ] as const) {
    it(`loses nothing around midnight in a workspace at ${label} (${zone})`, async () => {
      f = await startTriggerFixture({ timezone: zone });
      // Local midnight of a day in that zone, found from the zone's offset at T0.
      const offsetMinutes = zone === "America/New_York" ? -300 : 780;
      const localMidnight = Math.floor((T0 + offsetMinutes * 60) / 86_400) * 86_400 - offsetMinutes * 60 + 86_400;
      await f.setClock(localMidnight - 90);
      const sub = await f.subscribe("TrigNewLead");
      await f.poll(sub.id);
      const created: string[] = [];
      for (const step of [10, 40, 39, 1, 1, 20, 30]) {
        await f.advanceClock(step); // crosses local midnight
        created.push(f.em.workspace.insertContact({ role: "lead", email: `m${step}-${created.length}@example.com` }).id);
        await f.poll(sub.id);
      }
      await f.advanceClock(86_400 + 3_600); // the next poll a day later still sees nothing new
      f.em.workspace.insertContact({ role: "lead", email: "late-day@example.com" });
      await f.poll(sub.id);
      const delivered = ids(await f.drain(sub.id));
      expect(delivered.slice(0, created.length)).toEqual(created);
      expect(delivered).toHaveLength(created.length + 1);
      expect(new Set(delivered).size).toBe(delivered.length);
    });
  }

  it("waits out a 180 s search delay without losing or repeating a lead", async () => {
    f = await startTriggerFixture({ searchDelaySeconds: 180 });
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewLead");
    await f.poll(sub.id);
    await f.advanceClock(60);
    const early = f.em.workspace.insertContact({ role: "lead", email: "early@example.com" }).id;
    await f.advanceClock(100);
    const late = f.em.workspace.insertContact({ role: "lead", email: "late@example.com" }).id;
    await f.poll(sub.id); // neither is searchable yet
    expect(await f.drain(sub.id)).toEqual([]);
    for (let i = 0; i < 6; i++) {
      await f.advanceClock(60);
      await f.poll(sub.id);
    }
    expectExactlyOnce(ids(await f.drain(sub.id)), [early, late]);
  });

  it("goes on after a restart from the stored cursor: nothing lost, nothing repeated", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewLead");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const a = f.em.workspace.insertContact({ role: "lead", email: "a@example.com" }).id;
    await f.poll(sub.id);
    const restarted = f.restartEngine();
    await f.advanceClock(10);
    const b = f.em.workspace.insertContact({ role: "lead", email: "b@example.com" }).id;
    await f.poll(sub.id, restarted);
    await f.poll(sub.id, restarted);
    expectExactlyOnce(ids(await f.drain(sub.id, restarted)), [a, b]);
  });

  it("costs one Intercom call per idle poll", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewLead");
    await f.poll(sub.id);
    await f.advanceClock(5);
    for (let i = 0; i < 40; i++) f.em.workspace.insertContact({ role: "lead", email: `w${i}@example.com` });
    await f.poll(sub.id);
    for (let i = 0; i < 3; i++) {
      await f.advanceClock(120);
      expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
    }
  });
});

describe("TrigNewUser and TrigUpdateUser", () => {
  it("fires TrigNewUser for users only, with company and tag names", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewUser");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const company = await f.em.request("POST", "/companies", { company_id: "acme", name: "Acme" });
    const tag = await f.em.request("POST", "/tags", { name: "VIP" });
    const user = await f.em.request("POST", "/contacts", { role: "user", email: "u@example.com" });
    const userId = (user.body as { id: string }).id;
    await f.em.request("POST", `/contacts/${userId}/companies`, { id: (company.body as { id: string }).id });
    await f.em.request("POST", `/contacts/${userId}/tags`, { id: (tag.body as { id: string }).id });
    await f.em.request("POST", "/contacts", { role: "lead", email: "l@example.com" });
    await f.poll(sub.id);
    const payloads = await f.drain(sub.id);
    expect(ids(payloads)).toEqual([userId]);
    expect(payloads[0]).toMatchObject({ companies: { companies: [{ name: "Acme" }] }, tags: { companies: [{ name: "VIP" }] }, session_count: null });
  });

  it("fires TrigUpdateUser once per distinct updated_at seen, never for the creation", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const user = f.em.workspace.insertContact({ role: "user", email: "up@example.com" });
    const sub = await f.subscribe("TrigUpdateUser");
    await f.poll(sub.id);
    await f.advanceClock(10);
    f.em.workspace.insertContact({ role: "user", email: "fresh@example.com" }); // a creation, not an update
    f.em.workspace.updateContact(user.id, { name: "One" });
    await f.advanceClock(10);
    f.em.workspace.updateContact(user.id, { name: "Two" });
    await f.advanceClock(10);
    f.em.workspace.updateContact(user.id, { name: "Three" }); // three changes between polls: one event
    await f.poll(sub.id);
    await f.advanceClock(30);
    f.em.workspace.updateContact(user.id, { name: "Four" });
    await f.poll(sub.id);
    await f.poll(sub.id);
    const payloads = await f.drain(sub.id);
    expect(payloads.map((p) => p.name)).toEqual(["Three", "Four"]);
  });
});

describe("TrigNewConversation", () => {
  it("fires for conversations contacts start, never for those a teammate starts", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewConversation");
    await f.poll(sub.id);
    await f.advanceClock(10);
    const lead = f.em.workspace.insertContact({ role: "lead", email: "cl@example.com" });
    const user = f.em.workspace.insertContact({ role: "user", email: "cu@example.com" });
    const byLead = await f.em.request("POST", "/conversations", { from: { type: "lead", id: lead.id }, body: "Hello from a lead" });
    const byUser = await f.em.request("POST", "/conversations", { from: { type: "user", id: user.id }, body: "Hello from a user" });
    const byAdmin = await f.em.request("POST", "/messages", {
      message_type: "inapp",
      body: "Hello from support",
      from: { type: "admin", id: f.em.workspace.ownerAdminId },
      to: { type: "user", id: user.id },
    });
    expect([byLead.status, byUser.status, byAdmin.status]).toEqual([200, 200, 200]);
    await f.poll(sub.id);
    await f.advanceClock(120);
    await f.poll(sub.id);
    const payloads = await f.drain(sub.id);
    expect(payloads).toHaveLength(2);
    expect(payloads.map((p) => (p.user as { id: string; type: string }).type).sort()).toEqual(["lead", "user"]);
    const bodies = payloads.map((p) => (p.conversation_message as { body: string }).body);
    expect(bodies.join(" ")).toContain("Hello from a lead");
    expect(bodies.join(" ")).not.toContain("Hello from support");
  });
});

describe("one scan for the subscriptions of a connection and trigger", () => {
  it("serves 25 subscriptions with one Intercom call per interval, each event once to each, each from its own start", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const early = await Promise.all(Array.from({ length: 24 }, () => f!.subscribe("TrigNewLead")));
    const users = await f.subscribe("TrigNewUser");
    // One baseline scan serves all 24 lead subscriptions; the user trigger has its own.
    expect(await f.poll(early[0]!.id)).toMatchObject({ emitted: 0, calls: 1 });
    await f.advanceClock(30);
    const first = f.em.workspace.insertContact({ role: "lead", email: "first@example.com" });
    await f.advanceClock(30);
    const late = await f.subscribe("TrigNewLead"); // after `first`: its baseline records it
    const report = await f.poll(early[5]!.id);
    expect(report).toMatchObject({ emitted: 1, calls: 1 });
    await f.advanceClock(30);
    const second = f.em.workspace.insertContact({ role: "lead", email: "second@example.com" });
    await f.advanceClock(90);
    expect(await f.poll(late.id)).toMatchObject({ calls: 1 });
    await f.advanceClock(120);
    await f.poll(early[10]!.id);

    for (const sub of early) expect(ids(await f.drain(sub.id)), sub.id).toEqual([first.id, second.id]);
    expect(ids(await f.drain(late.id))).toEqual([second.id]);
    expect(await f.drain(users.id)).toEqual([]);
    // Each subscription's cursor moved with the scans: none is due before the next interval.
    const cursors = await Promise.all(early.map((sub) => f!.store.getSubscription(sub.id)));
    expect(new Set(cursors.map((c) => c?.nextPollAt.getTime())).size).toBe(1);
  });

  it("keeps the others going when a subscription of the group is stopped or deleted", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const [a, b, c] = await Promise.all([f.subscribe("TrigNewLead"), f.subscribe("TrigNewLead"), f.subscribe("TrigNewLead")]);
    await f.poll(a.id);
    await f.store.setSubscriptionState(b.id, "stopped");
    await f.store.deleteSubscription(c.id);
    await f.advanceClock(30);
    const lead = f.em.workspace.insertContact({ role: "lead", email: "lead@example.com" });
    await f.advanceClock(120);
    expect(await f.poll(a.id)).toMatchObject({ emitted: 1, calls: 1 });
    expect(ids(await f.drain(a.id))).toEqual([lead.id]);
    expect(await f.drain(b.id)).toEqual([]);
  });
});

describe("a damaged subscription in a shared scan", () => {
  it("leaves out a subscription whose stored cursor does not read; the others go on, and its own poll says so", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const [good, damaged] = await Promise.all([f.subscribe("TrigNewLead"), f.subscribe("TrigNewLead")]);
    await f.poll(good.id);
    const db = new Database(f.dbPath);
    db.prepare("UPDATE trigger_subscriptions SET cursor = ? WHERE id = ?").run('{"v":9}', damaged.id);
    db.close();
    await f.advanceClock(30);
    const lead = f.em.workspace.insertContact({ role: "lead", email: "still@example.com" });
    await f.advanceClock(120);
    expect(await f.poll(good.id)).toMatchObject({ emitted: 1, calls: 1 });
    expect(ids(await f.drain(good.id))).toEqual([lead.id]);
    await expect(f.engine.poll(damaged.id)).rejects.toThrow(/cursor/);
  });
});

describe("poll leases", () => {
  it("refuses the late commit of a poller whose lease expired and was taken over: the new holder's poll counts, once", async () => {
    f = await startTriggerFixture();
    await f.setClock(T0);
    const sub = await f.subscribe("TrigNewLead");
    await f.poll(sub.id);
    await f.store.createWebhook({ subscriptionId: sub.id, callbackUrl: "https://example.com/hook", secret: "whsec_test" });
    await f.store.commitPoll(sub.id, { ...(await reschedule(sub.id)), nextPollAt: new Date(0) });
    expect((await f.store.claimDueWebhookPolls("instance-a", { limit: 1, leaseMs: 30 })).map((s) => s.id)).toEqual([sub.id]);
    await f.advanceClock(30);
    const lead = f.em.workspace.insertContact({ role: "lead", email: "leased@example.com" });
    await new Promise((resolve) => setTimeout(resolve, 60)); // instance-a's lease runs out
    expect((await f.store.claimDueWebhookPolls("instance-b", { limit: 1, leaseMs: 60_000 })).map((s) => s.id)).toEqual([sub.id]);
    const late = await f.engine.poll(sub.id, { leaseOwner: "instance-a" });
    expect(late).toMatchObject({ ok: true, value: { committed: false, emitted: 0 } });
    expect(await f.store.pendingEvents(sub.id, 10)).toEqual([]);
    expect(await f.engine.poll(sub.id, { leaseOwner: "instance-b" })).toMatchObject({ ok: true, value: { committed: true, emitted: 1 } });
    expect(ids(await f.drain(sub.id))).toEqual([lead.id]);
    // The commit released instance-b's lease.
    expect(await f.store.getSubscription(sub.id)).toMatchObject({ leaseOwner: null });
  });
});

async function reschedule(subscriptionId: string) {
  const current = await f!.store.getSubscription(subscriptionId);
  if (current === null) throw new Error("no subscription");
  return { expectedCursorVersion: current.cursorVersion, newCursor: current.cursor, events: [] };
}
