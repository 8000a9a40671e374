import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Contact } from "../../contract/catalogue/contacts.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { convertLead } from "./convertLead.js";
import { findContactByEmail } from "./findContactByEmail.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
  await c.workspace("PATCH", "", { search_delay: 0 });
});
afterEach(async () => {
  await c.close();
});

const T0 = 1_795_523_438;

describe("FindContactByEmail", () => {
  it("answers the user when a user and leads share the email, in one search call", async () => {
    c.em.workspace.insertContact({ role: "lead", email: "ada@example.com", created_at: T0 });
    const user = c.em.workspace.insertContact({ role: "user", email: "ada@example.com", name: "Ada", created_at: T0 + 60 });
    c.em.workspace.insertContact({ role: "user", email: "other@example.com", created_at: T0 - 60 });
    const result = await findContactByEmail.run(c.intercom, { email: "ada@example.com" });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ type: "contact", id: user.id, role: "user", email: "ada@example.com", name: "Ada", created_at: T0 + 60 });
    expect(Contact.parse(result.value)).toEqual(result.value);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts/search": 1 } });
  });

  it("answers the oldest lead when only leads have it, its role in the answer", async () => {
    c.em.workspace.insertContact({ role: "lead", email: "liz@example.com", created_at: T0 + 5 });
    const oldest = c.em.workspace.insertContact({ role: "lead", email: "liz@example.com", created_at: T0 });
    const result = await findContactByEmail.run(c.intercom, { email: "liz@example.com" });
    expect(result.ok && [result.value.id, result.value.role]).toEqual([oldest.id, "lead"]);
  });

  it("finds a user past a first page of leads with one more search", async () => {
    for (let i = 0; i < 151; i += 1) c.em.workspace.insertContact({ role: "lead", email: "many@example.com", created_at: T0 + i });
    const user = c.em.workspace.insertContact({ role: "user", email: "many@example.com", created_at: T0 + 1000 });
    const result = await findContactByEmail.run(c.intercom, { email: "many@example.com" });
    expect(result.ok && result.value.id).toBe(user.id);
    expect(await c.calls()).toEqual({ total: 2, calls: { "POST /contacts/search": 2 } });
  });

  it("answers not_found on email when none has it, and creates nothing", async () => {
    const before = c.em.workspace.contacts.size;
    const result = await findContactByEmail.run(c.intercom, { email: "nobody@example.com" });
    expect(!result.ok && result.error.toJSON()).toEqual({ code: "not_found", status: 404, message: "No contact with id nobody@example.com", field: "email" });
    expect(c.em.workspace.contacts.size).toBe(before);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts/search": 1 } });
  });

  it("refuses a bad email with no Intercom call, and maps a 429", async () => {
    for (const input of [{ email: "nope" }, {}, { email: "a@example.com", role: "user" }]) {
      const result = await findContactByEmail.run(c.intercom, input);
      expect(!result.ok && result.error.code, JSON.stringify(input)).toBe("invalid_input");
    }
    expect((await c.calls()).total).toBe(0);
    const limited = c.transport({ maxRetryDelaySeconds: 0 }, { sleep: async () => undefined });
    await c.workspace("POST", "/faults", { kind: "429", count: 1 });
    const rate = await findContactByEmail.run(limited, { email: "a@example.com" });
    expect(!rate.ok && [rate.error.code, rate.error.status]).toEqual(["intercom_rate_limited", 429]);
  });
});

describe("ConvertLead", () => {
  it("merges the lead into the user and answers the user, in one call", async () => {
    const lead = c.em.workspace.insertContact({ role: "lead", email: "lead@example.com", phone: "+351 2" });
    const user = c.em.workspace.insertContact({ role: "user", email: "user@example.com", external_id: "crm-1" });
    const result = await convertLead.run(c.intercom, { from: lead.id, into: user.id });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ type: "contact", id: user.id, role: "user", email: "user@example.com", external_id: "crm-1" });
    expect(Contact.parse(result.value)).toEqual(result.value);
    expect(c.em.workspace.contacts.has(lead.id)).toBe(false);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts/merge": 1 } });
  });

  it("says which id is wrong when Intercom refuses: not_found or wrong_role on from or into", async () => {
    const lead = c.em.workspace.insertContact({ role: "lead", email: "l@example.com" });
    const user = c.em.workspace.insertContact({ role: "user", email: "u@example.com" });
    const unknown = "5f0000000000000000000000";
    const cases = [
      [{ from: unknown, into: user.id }, { code: "not_found", field: "from", message: `No lead with id ${unknown}` }],
      [{ from: lead.id, into: unknown }, { code: "not_found", field: "into", message: `No user with id ${unknown}` }],
      [{ from: user.id, into: user.id }, { code: "wrong_role", field: "from", message: `Contact ${user.id} is a user, not a lead` }],
      [{ from: lead.id, into: lead.id }, { code: "wrong_role", field: "into", message: `Contact ${lead.id} is a lead, not a user` }],
    ] as const;
    for (const [input, expected] of cases) {
      const result = await convertLead.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject(expected);
    }
    expect(c.em.workspace.contacts.has(lead.id)).toBe(true);
  });

  it("refuses ids that are not Intercom ids, naming the field, with no call", async () => {
    for (const [input, field] of [
      [{ from: "..", into: "6762f0d51bb69f9f2193bb80" }, "from"],
      [{ from: "6762f0d51bb69f9f2193bb80", into: "a/b" }, "into"],
      [{ from: "6762f0d51bb69f9f2193bb80" }, "into"],
    ] as const) {
      const result = await convertLead.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON()).toMatchObject({ code: "invalid_input", field });
    }
    expect((await c.calls()).total).toBe(0);
  });
});
