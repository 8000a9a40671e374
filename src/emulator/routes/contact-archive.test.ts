import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(1_700_000_000, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

const emailQuery = (email: string) => ({ query: { field: "email", operator: "=" as const, value: email } });

describe("archive and unarchive", () => {
  it("takes a contact out of lists and search, keeps it by id, and brings it back", async () => {
    const sdk = em.sdk();
    const kept = await sdk.contacts.create({ email: "kept@example.com" });
    const gone = await sdk.contacts.create({ email: "gone@example.com", external_id: "ext-gone" });
    const archived = await sdk.contacts.archive({ contact_id: gone.id });
    expect(archived).toEqual({ type: "contact", id: gone.id, external_id: "ext-gone", archived: true });
    // Twice is the same answer and the same state.
    expect(await sdk.contacts.archive({ contact_id: gone.id })).toEqual(archived);

    const list = await sdk.contacts.list();
    expect(list.data.map((c) => c.id)).toEqual([kept.id]);
    expect((await sdk.contacts.search(emailQuery("gone@example.com"))).data).toEqual([]);
    // Still there by id and by external id, unchanged.
    expect(await sdk.contacts.find({ contact_id: gone.id })).toMatchObject({ id: gone.id, updated_at: gone.updated_at });
    expect(await sdk.contacts.showContactByExternalId({ external_id: "ext-gone" })).toMatchObject({ id: gone.id });

    const back = await sdk.contacts.unarchive({ contact_id: gone.id });
    expect(back).toEqual({ type: "contact", id: gone.id, external_id: "ext-gone", archived: false });
    expect((await sdk.contacts.list()).data.map((c) => c.id).sort()).toEqual([kept.id, gone.id].sort());
    expect((await sdk.contacts.search(emailQuery("gone@example.com"))).data.map((c) => c.id)).toEqual([gone.id]);
  });

  it("answers 404 for an unknown contact, and counts the calls", async () => {
    for (const action of ["archive", "unarchive"]) {
      const r = await em.request("POST", `/contacts/000000000000000000000000/${action}`);
      expect(r).toMatchObject({ status: 404, body: { type: "error.list", errors: [{ code: "not_found", message: "Contact Not Found" }] } });
    }
    await expect(em.sdk().contacts.archive({ contact_id: "nope" })).rejects.toMatchObject({ statusCode: 404 });
    const calls = await em.control("GET", `/workspaces/${em.workspace.id}/calls`);
    expect(calls.body).toMatchObject({ calls: { "POST /contacts/:contact_id/archive": 2, "POST /contacts/:contact_id/unarchive": 1 } });
  });

  it("fails with an injected fault on its route", async () => {
    const contact = em.workspace.insertContact({ role: "user", email: "f@example.com" });
    await em.control("POST", `/workspaces/${em.workspace.id}/faults`, { kind: "503", route: "POST /contacts/:contact_id/archive" });
    expect((await em.request("POST", `/contacts/${contact.id}/archive`)).status).toBe(503);
    expect(em.workspace.archivedContacts.has(contact.id)).toBe(false);
    expect((await em.request("POST", `/contacts/${contact.id}/archive`)).status).toBe(200);
    expect(em.workspace.archivedContacts.has(contact.id)).toBe(true);
  });
});
