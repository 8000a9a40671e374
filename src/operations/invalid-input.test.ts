import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { ACTIONS } from "./actions.js";

let c: ConnectedEmulator;
beforeAll(async () => {
  c = await startConnectedEmulator();
});
afterAll(async () => {
  await c.close();
});

type Case = [action: keyof typeof ACTIONS, input: unknown, field: string, reason: string];

const CASES: Case[] = [
  ["CreateUser", {}, "email", "is required"],
  ["CreateUser", { email: "not-an-email" }, "email", "must be a valid email address"],
  ["CreateUser", { email: 42 }, "email", "must be a valid email address"],
  ["CreateUser", { email: "a@example.com", nickname: "A" }, "nickname", "is not a known field"],
  ["CreateUser", { email: "a@example.com", name: 7 }, "name", "must be a string"],
  ["CreateUser", { email: "a@example.com", phone: "9".repeat(256) }, "phone", "must be at most 255 characters"],
  ["CreateUser", { email: "a@example.com", companies: "" }, "companies", "must not be empty"],
  ["CreateUser", { email: "a@example.com", image_url: "https://example.com/a.png" }, "image_url", "is not a known field"],
  ["CreateUser", null, "input", "must be an object"],
  ["CreateUser", "ada@example.com", "input", "must be an object"],
  ["CreateLead", { name: "No Email" }, "email", "is required"],
  ["CreateLead", { email: "lead@example.com", image_url: "not-a-url" }, "image_url", "must be an https URL"],
  ["CreateLead", { email: "lead@example.com", image_url: "https://example.com/a b.png" }, "image_url", "must not contain spaces or control characters"],
  ["CreateLead", { email: "lead@example.com", image_url: "http://example.com/a.png" }, "image_url", "must be an https URL"],
  ["CreateLead", { email: "lead@example.com", companies: 12 }, "companies", "must be a string"],
  ["ListLeads", { page: 2 }, "page", "is not a known field"],
  ["ListLeads", [], "input", "must be an object"],
  ["GetLead", {}, "contact_id", "is required"],
  ["GetLead", { contact_id: "" }, "contact_id", "must not be empty"],
  ["GetLead", { contact_id: "../admins" }, "contact_id", "must be an Intercom id: letters, digits, _ or - only"],
  ["GetLead", { contact_id: ".." }, "contact_id", "must be an Intercom id: letters, digits, _ or - only"],
  ["GetLead", { contact_id: "x".repeat(129) }, "contact_id", "must be at most 128 characters"],
  ["GetLead", { user_id: "abc" }, "contact_id", "is required"],
  ["GetUser", {}, "user_id", "is required"],
  ["GetUser", { user_id: 123 }, "user_id", "must be a string"],
  ["GetUser", { user_id: "a b" }, "user_id", "must be an Intercom id: letters, digits, _ or - only"],
  ["CreateLead", { email: "lead@example.com", image_url: "https://user:pw@example.com/a.png" }, "image_url", "must not carry a user name or password"],
  ["CreateLead", { email: "lead@example.com", image_url: `https://example.com/${"a".repeat(2048)}` }, "image_url", "must be at most 2048 characters"],
];

describe("invalid input to every action", () => {
  it.each(CASES)("%s %j is invalid_input on %s, with nothing sent to Intercom", async (id, input, field, reason) => {
    await c.resetCalls();
    const result = await ACTIONS[id].run(c.intercom, input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_input");
    expect(result.error.status).toBe(400);
    expect(result.error.field).toBe(field);
    expect(result.error.message).toBe(`Invalid input: ${field} ${reason}`);
    expect((await c.calls()).total).toBe(0);
  });

  it("lists every problem of an input, not only the first", async () => {
    const result = await ACTIONS.CreateLead.run(c.intercom, { email: "nope", image_url: "ftp://x", extra: true });
    expect(!result.ok && result.error.issues.map((issue) => issue.field).sort()).toEqual(["email", "extra", "image_url"]);
    expect((await c.calls()).total).toBe(0);
  });
});
