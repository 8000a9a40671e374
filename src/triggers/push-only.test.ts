import { afterEach, describe, expect, it } from "vitest";
import { TRIGGERS } from "./registry.js";
import { startTriggerFixture, type TriggerFixture } from "./testing/harness.js";

let f: TriggerFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

const T0 = 1_796_000_000;

async function hooks(fx: TriggerFixture, topics: readonly string[]): Promise<void> {
  const answer = await fx.em.control("POST", `/workspaces/${fx.em.workspace.id}/webhooks`, { url: fx.pushUrl, topics });
  expect(answer.status).toBe(201);
}

async function pending(fx: TriggerFixture, subscriptionId: string, count: number): Promise<Array<Record<string, unknown>>> {
  for (let i = 0; i < 400; i++) {
    await fx.em.emulator.webhooks.idle();
    const events = await fx.store.pendingEvents(subscriptionId, 100);
    if (events.length >= count) return events.map((e) => e.payload as Record<string, unknown>);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`fewer than ${count} events arrived`);
}

describe("push-only triggers", () => {
  it("are not polled: no search, and Intercom's topics name them", () => {
    expect(TRIGGERS.TrigTagAddedToContact).toMatchObject({ polled: false, pushTopics: ["contact.user.tag.created", "contact.lead.tag.created"] });
    expect(TRIGGERS.TrigLeadConverted).toMatchObject({ polled: false, pushTopics: ["contact.merged"] });
  });

  for (const triggerId of ["TrigTagAddedToContact", "TrigLeadConverted"] as const) {
    it(`refuses to subscribe ${triggerId} on a connection without push set up, saying how, storing nothing and asking Intercom nothing`, async () => {
      f = await startTriggerFixture();
      const refused = await f.runtime.subscribe(f.connectionId, triggerId);
      expect(refused).toMatchObject({ ok: false, error: { code: "push_not_set_up", status: 409, field: "triggerId" } });
      if (refused.ok) throw new Error("subscribed");
      expect(refused.error.message).toContain("INTERCOM_CLIENT_SECRET");
      expect(refused.error.message).toContain("intercom_client_secret");
      expect(refused.error.message).toContain(`/intercom/webhooks/${f.connectionId}`);
      expect(await f.store.listSubscriptions({ connectionId: f.connectionId })).toEqual([]);
      expect(((await f.em.control("GET", `/workspaces/${f.em.workspace.id}/calls`)).body as { total: number }).total).toBe(0);
      // An unknown connection is still not_found, and a polled trigger needs no push.
      expect(await f.runtime.subscribe("no-such-connection", triggerId)).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(await f.runtime.subscribe(f.connectionId, "TrigContactReplied")).toMatchObject({ ok: true });
    });
  }

  it("TrigTagAddedToContact: once per tagging, from the push alone, its polls costing no Intercom call", async () => {
    f = await startTriggerFixture({}, {}, { push: true });
    await f.setClock(T0);
    const sdk = f.em.sdk();
    const user = await sdk.contacts.create({ role: "user", email: "tagged@example.com", name: "Tagged" });
    const lead = await sdk.contacts.create({ role: "lead", email: "lead@example.com" });
    const tag = await sdk.tags.create({ name: "VIP" });
    const sub = await f.subscribe("TrigTagAddedToContact");
    await f.em.control("DELETE", `/workspaces/${f.em.workspace.id}/calls`);
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 0 });
    await hooks(f, TRIGGERS.TrigTagAddedToContact.pushTopics);
    await f.advanceClock(10);
    await sdk.tags.tagContact({ contact_id: user.id, id: tag.id });
    await sdk.tags.tagContact({ contact_id: lead.id, id: tag.id });
    const events = await pending(f, sub.id, 2);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ type: "contact_tag", created_at: T0 + 10, tag: { type: "tag", id: tag.id, name: "VIP" }, contact: { id: user.id, role: "user", name: "Tagged" } });
    expect(events[1]).toMatchObject({ type: "contact_tag", tag: { id: tag.id }, contact: { id: lead.id, role: "lead" } });
    await f.advanceClock(120);
    expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 0 });
    // Only the test's own taggings reached Intercom: the connector asked nothing.
    const calls = (await f.em.control("GET", `/workspaces/${f.em.workspace.id}/calls`)).body as { calls: Record<string, number> };
    expect(calls.calls).toEqual({ "POST /contacts/:contact_id/tags": 2 });
    expect((await f.drain(sub.id)).length).toBe(2);
  });

  it("TrigLeadConverted: once per lead merged into a user (ConvertLead), with merged_from, never for other contact pushes", async () => {
    f = await startTriggerFixture({}, {}, { push: true });
    await f.setClock(T0);
    const sdk = f.em.sdk();
    const user = await sdk.contacts.create({ role: "user", email: "user@example.com" });
    const lead = await sdk.contacts.create({ role: "lead", email: "convert@example.com", name: "Convert Me" });
    const sub = await f.subscribe("TrigLeadConverted");
    await f.poll(sub.id);
    await hooks(f, ["contact.merged", "contact.user.updated"]);
    await f.advanceClock(10);
    const converted = await f.runtime.call(f.connectionId, "ConvertLead", { from: lead.id, into: user.id });
    expect(converted).toMatchObject({ ok: true });
    const [event] = await pending(f, sub.id, 1);
    expect(event).toMatchObject({ type: "contact", id: user.id, role: "user", name: "Convert Me", merged_from: { type: "contact", id: lead.id } });
    await f.advanceClock(120);
    await f.poll(sub.id);
    expect((await f.drain(sub.id)).map((p) => (p.merged_from as { id: string }).id)).toEqual([lead.id]);
  });
});
