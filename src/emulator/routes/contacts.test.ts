import { IntercomError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
});
afterEach(async () => {
  await em.close();
});

describe("contacts", () => {
  it("creates, retrieves, updates and deletes a contact through the official SDK", async () => {
    const sdk = em.sdk();
    const created = await sdk.contacts.create({ email: "ada@example.com", name: "Ada", role: "user" });
    expect(created).toMatchObject({ type: "contact", role: "user", email: "ada@example.com", name: "Ada", workspace_id: em.workspace.id });
    const found = await sdk.contacts.find({ contact_id: created.id });
    expect(found.id).toBe(created.id);
    const updated = await sdk.contacts.update({ contact_id: created.id, name: "Ada L." });
    expect(updated.name).toBe("Ada L.");
    const deleted = await sdk.contacts.delete({ contact_id: created.id });
    expect(deleted).toMatchObject({ id: created.id, deleted: true });
    await expect(sdk.contacts.find({ contact_id: created.id })).rejects.toMatchObject({ statusCode: 404 });
  });

  it("answers 409 conflict naming the existing id for a second user with the same email", async () => {
    const sdk = em.sdk();
    const first = await sdk.contacts.create({ email: "dup@example.com", role: "user" });
    const error = await sdk.contacts.create({ email: "DUP@example.com", role: "user" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomError);
    const e = error as IntercomError;
    expect(e.statusCode).toBe(409);
    expect(e.body).toMatchObject({ type: "error.list", errors: [{ code: "conflict", message: `A contact matching those details already exists with id=${first.id}` }] });
    // Leads may share an email with a user.
    const lead = await sdk.contacts.create({ email: "dup@example.com", role: "lead" });
    expect(lead.role).toBe("lead");
    expect(em.workspace.contacts.size).toBe(2);
  });

  it("keeps external_id unique and finds by it", async () => {
    const sdk = em.sdk();
    const c = await sdk.contacts.create({ external_id: "ext-1", email: "e@example.com" });
    const found = await sdk.contacts.showContactByExternalId({ external_id: "ext-1" });
    expect(found.id).toBe(c.id);
    await expect(sdk.contacts.create({ external_id: "ext-1", role: "lead" })).rejects.toMatchObject({ statusCode: 409 });
  });

  it("lists every contact across pages with starting_after", async () => {
    for (let i = 0; i < 23; i++) em.workspace.insertContact({ role: i % 2 === 0 ? "lead" : "user", email: `p${i}@example.com` });
    const sdk = em.sdk();
    const seen: string[] = [];
    const pager = await sdk.contacts.list({ per_page: 5 });
    for await (const contact of pager) seen.push(contact.id);
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
  });

  it("rejects bad input with Intercom's codes and changes nothing", async () => {
    const cases: Array<[unknown, number, string]> = [
      ["{not json", 400, "bad_request"],
      [{ email: 42 }, 400, "parameter_invalid"],
      [{ email: "not-an-email" }, 400, "parameter_invalid"],
      [{ role: "admin" }, 400, "parameter_invalid"],
      [{ name: "only a name" }, 400, "parameter_not_found"],
      [{ email: "a@example.com", unknown_field: 1 }, 400, "parameter_invalid"],
    ];
    for (const [body, status, code] of cases) {
      const r = await em.request("POST", "/contacts", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code }] });
    }
    expect(em.workspace.contacts.size).toBe(0);
  });

  it("merges a lead into a user; the lead leaves list and lookup", async () => {
    const sdk = em.sdk();
    const lead = await sdk.contacts.create({ role: "lead", email: "l@example.com", name: "Lead" });
    const user = await sdk.contacts.create({ role: "user", email: "u@example.com" });
    const merged = await sdk.contacts.mergeLeadInUser({ from: lead.id, into: user.id });
    expect(merged).toMatchObject({ id: user.id, name: "Lead" });
    await expect(sdk.contacts.find({ contact_id: lead.id })).rejects.toMatchObject({ statusCode: 404 });
    const list = await em.request("GET", "/contacts");
    expect((list.body as { data: Array<{ id: string }> }).data.map((c) => c.id)).toEqual([user.id]);
  });
});

describe("authentication, version and rate limits", () => {
  it("answers 401 unauthorized without a token or with an unknown one", async () => {
    for (const auth of [undefined, "Bearer nope"]) {
      const r = await fetch(`${em.baseUrl}/contacts`, auth === undefined ? {} : { headers: { Authorization: auth } });
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ type: "error.list", errors: [{ code: "unauthorized", message: "Access Token Invalid" }] });
    }
  });

  it("accepts the described Intercom-Version values and refuses others", async () => {
    expect((await em.request("GET", "/contacts", undefined, { "Intercom-Version": "2.11" })).status).toBe(200);
    const r = await em.request("GET", "/contacts", undefined, { "Intercom-Version": "9.9" });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ errors: [{ code: "intercom_version_invalid" }] });
  });
});
