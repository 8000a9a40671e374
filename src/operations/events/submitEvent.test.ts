import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventAccepted } from "../../contract/catalogue/events.js";
import { unwrap } from "../../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { submitEvent, submitEventWith } from "./submitEvent.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;
const atNow = submitEventWith(() => NOW * 1000 + 999);

describe("SubmitEvent", () => {
  it("sends the event with created_at from the caller's clock and metadata of every documented type", async () => {
    const user = c.em.workspace.insertContact({ role: "user", email: "ada@example.com", external_id: "u-1" });
    const metadata = { invitee: "bob@example.com", seats: 3, paid_at: 1_795_000_000, article: { url: "https://example.org/a.html", value: "A" }, price: { amount: 34_999, currency: "eur" } };
    const sent = unwrap(await atNow.run(c.intercom, { event_name: "invited-friend", email: "ada@example.com", metadata }));
    expect(sent).toEqual({ accepted: true, event_name: "invited-friend", created_at: NOW });
    expect(EventAccepted.parse(sent)).toEqual(sent);
    expect(c.em.workspace.events.get(user.id)).toEqual([{ event_name: "invited-friend", created_at: NOW, contact_id: user.id, metadata }]);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /events": 1 } });
  });

  it("names the contact by user_id or id, and a repeat of the same time is one event (safe to retry)", async () => {
    const user = c.em.workspace.insertContact({ role: "user", external_id: "u-2" });
    const lead = c.em.workspace.insertContact({ role: "lead" });
    const first = unwrap(await submitEvent.run(c.intercom, { event_name: "signed-up", user_id: "u-2", created_at: NOW - 60 }));
    unwrap(await submitEvent.run(c.intercom, { event_name: "signed-up", user_id: "u-2", created_at: first.created_at }));
    expect(c.em.workspace.events.get(user.id)).toHaveLength(1);
    unwrap(await submitEvent.run(c.intercom, { event_name: "viewed-pricing", id: lead.id }));
    expect(c.em.workspace.events.get(lead.id)?.map((e) => e.event_name)).toEqual(["viewed-pricing"]);
  });

  it("refuses bad input naming the field, before any call", async () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    for (const [input, field] of [
      [{ user_id: "u" }, "event_name"],
      [{ event_name: "x" }, "id"],
      [{ event_name: "x", user_id: "u", email: "a@example.com" }, "email"],
      [{ event_name: "x", id: "../x" }, "id"],
      [{ event_name: "x", user_id: "u", created_at: 1.5 }, "created_at"],
      [{ event_name: "x", user_id: "u", metadata: many }, "metadata"],
      [{ event_name: "x", user_id: "u", metadata: { nested: { a: { b: 1 } } } }, "metadata.nested"],
      [{ event_name: "x", user_id: "u", metadata: { ok: true } }, "metadata.ok"],
    ] as const) {
      const result = await submitEvent.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message, JSON.stringify(input)).toContain(field);
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's 404 for an unknown contact to not_found, and 429 to intercom_rate_limited", async () => {
    const missing = await submitEvent.run(c.intercom, { event_name: "x", email: "nobody@example.com" });
    expect(!missing.ok && missing.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: "No contact with id nobody@example.com" });
    await c.workspace("POST", "/faults", { kind: "429", count: 5, route: "POST /events", retry_after: 120 });
    const limited = await submitEvent.run(c.transport({ maxRetries: 0 }), { event_name: "x", email: "nobody@example.com" });
    expect(!limited.ok && limited.error.toJSON()).toMatchObject({ code: "intercom_rate_limited", status: 429 });
  });
});
