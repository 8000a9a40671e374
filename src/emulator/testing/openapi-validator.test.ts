import { describe, expect, it } from "vitest";
import { OpenApiValidator } from "./openapi-validator.js";

describe("the description's leniencies", () => {
  it("checks an event.list answer of GET /events against data_event_list", async () => {
    const v = await OpenApiValidator.load();
    const event = { type: "event", event_name: "ordered", created_at: 1_700_000_000, metadata: { price: { amount: 1, currency: "eur" } } };
    expect(v.check("GET", "/events", 200, { type: "event.list", events: [event], pages: {} })).toBeNull();
    expect(v.check("GET", "/events", 200, { type: "event.list", events: [{ ...event, created_at: "today" }], pages: {} })).not.toBeNull();
    expect(v.check("GET", "/events", 200, { type: "event.list", events: [{ type: "event" }], pages: {} })).not.toBeNull();
    expect(v.check("GET", "/events", 200, { type: "event.summary", events: [{ name: "ordered", count: 1 }] })).toBeNull();
    expect(v.check("GET", "/events", 200, { type: "event.other", events: [] })).not.toBeNull();
  });

  it("accepts typed company custom attribute values, and nothing else changes", async () => {
    const v = await OpenApiValidator.load();
    const company = { type: "company", id: "1", app_id: "a", name: "Acme", company_id: "acme", created_at: 1, updated_at: 1, custom_attributes: { seats: 3, paid: true, tier: "gold" } };
    expect(v.check("GET", "/companies/1", 200, company)).toBeNull();
    expect(v.check("GET", "/companies/1", 200, { ...company, created_at: "yesterday" })).not.toBeNull();
  });
});
