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

/** Words a sentence-case summary may capitalise. */
const PROPER_NOUNS = new Set(["Intercom", "ID"]);

describe("operation registry", () => {
  it("has the seed's five actions and four triggers first, with their Portuguese names, then the catalogue's", () => {
    expect(operationIds("action").slice(0, 5)).toEqual(["CreateUser", "CreateLead", "ListLeads", "GetLead", "GetUser"]);
    expect(operationIds("trigger").slice(0, 4)).toEqual(["TrigNewLead", "TrigNewUser", "TrigUpdateUser", "TrigNewConversation"]);
    expect(OPERATIONS.CreateUser.seedName).toBe("Criar ou atualizar usuário");
    expect(OPERATIONS.GetLead.seedName).toBe("Obter o cliente potencial");
    const seed = [...operationIds("action").slice(0, 5), ...operationIds("trigger").slice(0, 4)] as string[];
    for (const [id, op] of Object.entries(OPERATIONS)) {
      expect(op.id).toBe(id);
      expect(op.summary.length, id).toBeGreaterThan(0);
      expect(op.description.length, id).toBeGreaterThan(0);
      // The seed's names are its own; the catalogue's operations had none.
      expect(op.seedName.length > 0, id).toBe(seed.includes(id));
      // Microsoft's connector string rules: sentence case, at most 80 characters, no trailing punctuation.
      expect(op.summary.length, id).toBeLessThanOrEqual(80);
      expect(op.summary, id).toMatch(/^[A-Z]/);
      expect(op.summary, id).not.toMatch(/[.!?;:,]$/);
      const words = op.summary.split(" ").slice(1).filter((word) => /^[A-Za-z]+$/.test(word));
      expect(words.filter((word) => /^[A-Z][a-z]+$/.test(word) && !PROPER_NOUNS.has(word)), `${id}: "${op.summary}" is not sentence case`).toEqual([]);
    }
  });

  it("turns every input and output schema into JSON Schema (for OpenAPI)", () => {
    for (const op of Object.values(OPERATIONS)) {
      // An input is described as a caller writes it (before any transform the contract applies).
      expect(() => z.toJSONSchema(op.input, { io: "input" }), op.id).not.toThrow();
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
