import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ArchivedContact} from "../../contract/catalogue/contacts.js";
import { Contact, DeletedContact } from "../../contract/catalogue/contacts.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { archiveContact } from "./archiveContact.js";
import { deleteContact } from "./deleteContact.js";
import { findContactByExternalId } from "./findContactByExternalId.js";
import { unarchiveContact } from "./unarchiveContact.js";
import { updateContact } from "./updateContact.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
  await c.workspace("PATCH", "", { search_delay: 0 });
});
afterEach(async () => {
  await c.close();
});

const UNKNOWN = "5f0000000000000000000000";

describe("UpdateContact", () => {
  it("changes the attributes given and answers Intercom's contact, every path, in one call", async () => {
    const stored = c.em.workspace.insertContact({ role: "lead", email: "liz@example.com", name: "Liz", phone: "+351 1", created_at: 1_795_523_438 });
    const result = await updateContact.run(c.intercom, { contact_id: stored.id, name: "Liz Taylor", phone: null, external_id: "crm-7", role: "user", signed_up_at: 1_795_523_000 });
    if (!result.ok) throw new Error(result.error.message);
    const v = result.value;
    expect(Contact.parse(v)).toEqual(v);
    expect(Object.keys(v).sort()).toEqual(Object.keys(Contact.shape).sort());
    expect(v).toMatchObject({
      type: "contact",
      id: stored.id,
      role: "user",
      external_id: "crm-7",
      email: "liz@example.com",
      email_domain: "example.com",
      name: "Liz Taylor",
      phone: null,
      created_at: 1_795_523_438,
      signed_up_at: 1_795_523_000,
      workspace_id: c.em.workspace.id,
      avatar: null,
      custom_attributes: {},
      tags: { type: "list", data: [], url: `/contacts/${stored.id}/tags`, total_count: 0, has_more: false },
      location: { type: "location" },
      social_profiles: { type: "list", data: [] },
      ios_device: null,
    });
    expect(typeof v.updated_at).toBe("number");
    expect(await c.calls()).toEqual({ total: 1, calls: { "PUT /contacts/:contact_id": 1 } });
    expect(c.em.workspace.contacts.get(stored.id)?.name).toBe("Liz Taylor");
  });

  it("clears name, phone, avatar and owner with null", async () => {
    const stored = c.em.workspace.insertContact({ role: "user", email: "clear@example.com", name: "N", phone: "+1", avatar: "https://example.com/a.png", owner_id: 7 });
    const result = await updateContact.run(c.intercom, { contact_id: stored.id, name: null, phone: null, avatar: null, owner_id: null });
    expect(result.ok && [result.value.name, result.value.phone, result.value.avatar, result.value.owner_id]).toEqual([null, null, null, null]);
  });

  it("refuses bad input naming the field, and an update with nothing to change, with no Intercom call", async () => {
    const id = c.em.workspace.insertContact({ role: "user", email: "a@example.com" }).id;
    for (const [input, field] of [
      [{ contact_id: id }, "contact_id"],
      [{ contact_id: "../admins", name: "x" }, "contact_id"],
      [{ contact_id: id, email: "nope" }, "email"],
      [{ contact_id: id, role: "admin" }, "role"],
      [{ contact_id: id, avatar: "http://example.com/a.png" }, "avatar"],
      [{ contact_id: id, signed_up_at: 1.5 }, "signed_up_at"],
      [{ contact_id: id, external_id: "a\nb" }, "external_id"],
      [{ contact_id: id, nickname: "x" }, "nickname"],
    ] as const) {
      const result = await updateContact.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", status: 400, field });
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's errors: 404 not_found on contact_id, 409 conflict, 429 rate limited", async () => {
    const missing = await updateContact.run(c.intercom, { contact_id: UNKNOWN, name: "x" });
    expect(!missing.ok && missing.error.toJSON()).toEqual({ code: "not_found", status: 404, message: `No contact with id ${UNKNOWN}`, field: "contact_id" });

    c.em.workspace.insertContact({ role: "user", email: "taken@example.com" });
    const other = c.em.workspace.insertContact({ role: "user", email: "free@example.com" });
    const clash = await updateContact.run(c.intercom, { contact_id: other.id, email: "taken@example.com" });
    expect(!clash.ok && [clash.error.code, clash.error.status]).toEqual(["conflict", 409]);

    const limited = c.transport({ maxRetryDelaySeconds: 0 }, { sleep: async () => undefined });
    await c.workspace("POST", "/faults", { kind: "429", count: 1 });
    const rate = await updateContact.run(limited, { contact_id: other.id, name: "x" });
    expect(!rate.ok && [rate.error.code, rate.error.status]).toEqual(["intercom_rate_limited", 429]);
  });
});

describe("DeleteContact", () => {
  it("deletes and answers contact_deleted; a second delete is not_found on contact_id", async () => {
    const stored = c.em.workspace.insertContact({ role: "user", email: "gone@example.com", external_id: "crm-9" });
    const result = await deleteContact.run(c.intercom, { contact_id: stored.id });
    expect(result.ok && result.value).toEqual({ type: "contact", id: stored.id, external_id: "crm-9", deleted: true });
    expect(result.ok && DeletedContact.parse(result.value)).toEqual(result.ok && result.value);
    expect(c.em.workspace.contacts.has(stored.id)).toBe(false);
    const again = await deleteContact.run(c.intercom, { contact_id: stored.id });
    expect(!again.ok && again.error.toJSON()).toMatchObject({ code: "not_found", status: 404, field: "contact_id" });
    expect(await c.calls()).toEqual({ total: 2, calls: { "DELETE /contacts/:contact_id": 2 } });
  });

  it("refuses a bad id with no call", async () => {
    const result = await deleteContact.run(c.intercom, { contact_id: ".." });
    expect(!result.ok && result.error.toJSON()).toMatchObject({ code: "invalid_input", field: "contact_id" });
    expect((await c.calls()).total).toBe(0);
  });
});

describe("ArchiveContact and UnarchiveContact", () => {
  it("archive, archive again, unarchive, unarchive again: each answers Intercom's object, one call each", async () => {
    const stored = c.em.workspace.insertContact({ role: "lead", email: "arch@example.com" });
    const expected = (archived: boolean): ArchivedContact => ({ type: "contact", id: stored.id, external_id: null, archived });
    for (const [action, archived] of [[archiveContact, true], [archiveContact, true], [unarchiveContact, false], [unarchiveContact, false]] as const) {
      const result = await action.run(c.intercom, { contact_id: stored.id });
      expect(result.ok && result.value).toEqual(expected(archived));
    }
    expect(await c.calls()).toEqual({ total: 4, calls: { "POST /contacts/:contact_id/archive": 2, "POST /contacts/:contact_id/unarchive": 2 } });
  });

  it("answers not_found on contact_id for an unknown id, and refuses bad input with no call", async () => {
    for (const action of [archiveContact, unarchiveContact]) {
      const missing = await action.run(c.intercom, { contact_id: UNKNOWN });
      expect(!missing.ok && missing.error.toJSON()).toMatchObject({ code: "not_found", field: "contact_id" });
    }
    await c.resetCalls();
    const bad = await archiveContact.run(c.intercom, { contact_id: "a/b" });
    expect(!bad.ok && bad.error.field).toBe("contact_id");
    expect((await c.calls()).total).toBe(0);
  });
});

describe("FindContactByExternalId", () => {
  it("finds by an external id with characters that must be encoded, in one call", async () => {
    const stored = c.em.workspace.insertContact({ role: "user", email: "ext@example.com", external_id: "crm 42/eu?x=1#y%2e" });
    const result = await findContactByExternalId.run(c.intercom, { external_id: "crm 42/eu?x=1#y%2e" });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ id: stored.id, role: "user", external_id: "crm 42/eu?x=1#y%2e", email: "ext@example.com" });
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /contacts/find_by_external_id/:external_id": 1 } });
  });

  it("answers not_found on external_id when none has it", async () => {
    const result = await findContactByExternalId.run(c.intercom, { external_id: "nobody" });
    expect(!result.ok && result.error.toJSON()).toEqual({ code: "not_found", status: 404, message: "No contact with id nobody", field: "external_id" });
  });

  it("refuses what encoding cannot make safe, with no call", async () => {
    for (const externalId of [".", "..", "", "a\u0000b", "x".repeat(256), 42]) {
      const result = await findContactByExternalId.run(c.intercom, { external_id: externalId });
      expect(!result.ok && result.error.toJSON(), String(externalId)).toMatchObject({ code: "invalid_input", field: "external_id" });
    }
    expect((await c.calls()).total).toBe(0);
  });
});
