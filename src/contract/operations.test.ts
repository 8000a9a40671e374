import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OPERATIONS, operationIds } from "./operations.js";
import { Lead_Response, TrigUser_Response, User_Response } from "./outputs.js";
import { parseInput } from "./validate.js";

const lead = {
  id: "6762f0a51bb69f9f2193bb5c",
  created_at: "2026-11-24T12:30:38.000Z",
  user_id: null,
  email: "lead@example.com",
  phone: null,
  name: null,
  avatar: { image_url: null },
  unsubscribed_from_emails: false,
  location_data: { city_name: null, country_name: null, region_name: null, latitude: null, longitude: null, postal_code: null, timezone: null },
};

describe("operation registry", () => {
  it("has the seed's five actions and four triggers, with their Portuguese names", () => {
    expect(operationIds("action")).toEqual(["CreateUser", "CreateLead", "ListLeads", "GetLead", "GetUser"]);
    expect(operationIds("trigger")).toEqual(["TrigNewLead", "TrigNewUser", "TrigUpdateUser", "TrigNewConversation"]);
    expect(OPERATIONS.CreateUser.seedName).toBe("Criar ou atualizar usuário");
    expect(OPERATIONS.GetLead.seedName).toBe("Obter o cliente potencial");
    for (const [id, op] of Object.entries(OPERATIONS)) {
      expect(op.id).toBe(id);
      expect(op.summary.length, id).toBeGreaterThan(0);
      expect(op.seedName.length, id).toBeGreaterThan(0);
    }
  });

  it("turns every input and output schema into JSON Schema (for OpenAPI)", () => {
    for (const op of Object.values(OPERATIONS)) {
      expect(() => z.toJSONSchema(op.input), op.id).not.toThrow();
      expect(() => z.toJSONSchema(op.output), op.id).not.toThrow();
    }
    expect(z.toJSONSchema(OPERATIONS.CreateUser.input)).toMatchObject({ required: ["email"], additionalProperties: false });
  });
});

describe("output shapes", () => {
  it("require every path, null allowed where 2.x carries nothing", () => {
    expect(Lead_Response.safeParse(lead).success).toBe(true);
    const withoutLocation: Record<string, unknown> = { ...lead };
    delete withoutLocation.location_data;
    expect(Lead_Response.safeParse(withoutLocation).success).toBe(false);
    expect(User_Response.safeParse(lead).success).toBe(false);
    expect(User_Response.safeParse({ ...lead, session_count: null, pseudonym: null }).success).toBe(true);
    expect(TrigUser_Response.safeParse({ ...lead, session_count: null, pseudonym: null, companies: { companies: [{ name: "Acme" }] }, tags: { companies: [] } }).success).toBe(true);
  });

  it("accept only ISO 8601 UTC timestamps with milliseconds", () => {
    for (const created_at of ["2026-11-24T12:30:38Z", "2026-11-24T12:30:38.000+01:00", "1795523438"]) {
      expect(Lead_Response.safeParse({ ...lead, created_at }).success, created_at).toBe(false);
    }
  });
});

describe("input validation", () => {
  it("names the missing field and keeps valid input as given", () => {
    const missing = parseInput(OPERATIONS.CreateUser.input, { name: "Ada" });
    expect(!missing.ok && missing.error.toJSON()).toEqual({
      code: "invalid_input",
      status: 400,
      message: "Invalid input: email is required",
      field: "email",
      issues: [{ field: "email", reason: "is required" }],
    });
    expect(parseInput(OPERATIONS.CreateLead.input, { email: "a@example.com", image_url: "https://example.com/a.png" })).toEqual({
      ok: true,
      value: { email: "a@example.com", image_url: "https://example.com/a.png" },
    });
  });
});
