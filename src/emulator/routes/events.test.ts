import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
const NOW = 1_700_000_000;
beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(NOW, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

type EventList = { type: string; events: Array<Record<string, unknown>>; pages: { next?: string } };

describe("data events", () => {
  it("records events by id, user_id or email, ignores repeats, keeps 10 metadata keys", async () => {
    const sdk = em.sdk();
    const user = em.workspace.insertContact({ role: "user", email: "ev@example.com", external_id: "u-1" });
    const lead = em.workspace.insertContact({ role: "lead", email: "lead@example.com" });
    const metadata = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`]));
    await sdk.events.create({ event_name: "invited-friend", created_at: NOW - 30, user_id: "u-1", metadata });
    await sdk.events.create({ event_name: "invited-friend", created_at: NOW - 30, email: "ev@example.com" });
    await sdk.events.create({ event_name: "ordered-item", created_at: NOW - 10, id: user.id, metadata: { price: { amount: 34999, currency: "eur" }, load: 3.67 } as unknown as Record<string, string> });
    await sdk.events.create({ event_name: "viewed-pricing", created_at: NOW - 5, id: lead.id });
    const raw = await em.request("POST", "/events", { event_name: "logged-in", created_at: NOW, user_id: "u-1" });
    expect(raw).toMatchObject({ status: 202, body: null });

    const list = (await sdk.events.list({ type: "user", user_id: "u-1" })) as unknown as EventList;
    expect(list.type).toBe("event.list");
    expect(list.events.map((e) => e.event_name)).toEqual(["logged-in", "ordered-item", "invited-friend"]);
    const invited = list.events[2];
    expect(invited).toEqual({ type: "event", event_name: "invited-friend", created_at: NOW - 30, intercom_user_id: user.id, email: "ev@example.com", user_id: "u-1", metadata: Object.fromEntries(Object.entries(metadata).slice(0, 10)) });
    expect(list.events[1]?.metadata).toEqual({ price: { amount: 34999, currency: "eur" }, load: 3.67 });
    const leadEvents = (await sdk.events.list({ type: "user", intercom_user_id: lead.id })) as unknown as EventList;
    expect(leadEvents.events.map((e) => e.event_name)).toEqual(["viewed-pricing"]);
  });

  it("pages newest first and summarises, with summaries sent in bulk", async () => {
    const sdk = em.sdk();
    const user = em.workspace.insertContact({ role: "user", email: "sum@example.com", external_id: "u-2" });
    for (let i = 0; i < 5; i++) await sdk.events.create({ event_name: i % 2 === 0 ? "even" : "odd", created_at: NOW - 100 + i, id: user.id });
    // Older than 90 days: summarised, not listed.
    await sdk.events.create({ event_name: "even", created_at: NOW - 91 * 86_400, id: user.id });
    const names: number[] = [];
    let page = (await em.request("GET", `/events?type=user&intercom_user_id=${user.id}&per_page=2`)).body as EventList;
    for (;;) {
      names.push(...page.events.map((e) => Number(e.created_at)));
      if (page.pages.next === undefined) break;
      const next = new URL(page.pages.next);
      page = (await em.request("GET", `${next.pathname}${next.search}`)).body as EventList;
    }
    expect(names).toEqual([4, 3, 2, 1, 0].map((i) => NOW - 100 + i));

    await sdk.events.summaries({ user_id: "u-2", event_summaries: { event_name: "odd", count: 10, first: NOW - 500_000, last: NOW - 400_000 } });
    const summary = (await sdk.events.list({ type: "user", email: "sum@example.com", summary: true }));
    expect(summary).toEqual({
      type: "event.summary", intercom_user_id: user.id, email: "sum@example.com", user_id: "u-2",
      events: [
        { name: "even", count: 4, first: new Date((NOW - 91 * 86_400) * 1000).toISOString().replace("Z", "+00:00"), last: new Date((NOW - 96) * 1000).toISOString().replace("Z", "+00:00") },
        { name: "odd", count: 12, first: new Date((NOW - 500_000) * 1000).toISOString().replace("Z", "+00:00"), last: new Date((NOW - 97) * 1000).toISOString().replace("Z", "+00:00") },
      ],
    });
  });

  it("answers Intercom's errors and records nothing", async () => {
    const user = em.workspace.insertContact({ role: "user", email: "err@example.com", external_id: "u-3" });
    const cases: Array<[string, string, unknown, number, string]> = [
      ["POST", "/events", { event_name: "x", created_at: NOW, user_id: "nobody" }, 404, "not_found"],
      ["POST", "/events", { event_name: "x", created_at: NOW }, 400, "parameter_not_found"],
      ["POST", "/events", { created_at: NOW, id: user.id }, 400, "parameter_not_found"],
      ["POST", "/events", { event_name: "x", id: user.id }, 400, "parameter_not_found"],
      ["POST", "/events", { event_name: "x", created_at: "yesterday", id: user.id }, 400, "parameter_invalid"],
      ["POST", "/events", { event_name: "x", created_at: NOW, id: user.id, metadata: { nested: { deep: { er: 1 } } } }, 400, "parameter_invalid"],
      ["GET", `/events?intercom_user_id=${user.id}`, undefined, 400, "parameter_not_found"],
      ["GET", `/events?type=company&intercom_user_id=${user.id}`, undefined, 400, "parameter_invalid"],
      ["GET", "/events?type=user", undefined, 400, "parameter_not_found"],
      ["GET", "/events?type=user&user_id=nobody", undefined, 404, "not_found"],
      ["POST", "/events/summaries", { user_id: "nobody", event_summaries: { event_name: "x", count: 1, first: NOW, last: NOW } }, 404, "not_found"],
      ["POST", "/events/summaries", { user_id: "u-3", event_summaries: { event_name: "x", count: 1, first: NOW, last: NOW - 1 } }, 400, "parameter_invalid"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await em.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code }] });
    }
    expect(em.workspace.events.size).toBe(0);
    expect(em.workspace.eventSummaries.size).toBe(0);
    await expect(em.sdk().events.create({ event_name: "x", created_at: NOW, email: "nobody@example.com" })).rejects.toMatchObject({ statusCode: 404 });
    const calls = (await em.control("GET", `/workspaces/${em.workspace.id}/calls`)).body as { calls: Record<string, number> };
    expect(calls.calls).toMatchObject({ "POST /events": 7, "GET /events": 4, "POST /events/summaries": 2 });
  });
});
