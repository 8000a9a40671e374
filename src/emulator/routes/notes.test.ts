import { IntercomError, type Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedWorkspace } from "../seed.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(1_700_000_000, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

describe("notes", () => {
  it("adds a note by the token's owner or a named admin, finds it, and shows it on the contact", async () => {
    const sdk = em.sdk();
    seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
    const teammate = [...em.workspace.admins.values()].find((a) => a.id !== em.workspace.ownerAdminId);
    const contact = em.workspace.insertContact({ role: "user", email: "n@example.com" });
    const first = await sdk.notes.create({ contact_id: contact.id, body: "Called <them> & left a message" });
    const owner = em.workspace.admins.get(em.workspace.ownerAdminId);
    expect(first).toEqual({
      type: "note", id: first.id, created_at: 1_700_000_000, contact: { type: "contact", id: contact.id },
      author: { type: "admin", id: owner?.id, name: owner?.name, email: owner?.email, away_mode_enabled: false, away_mode_reassign: false },
      body: "<p>Called &lt;them&gt; &amp; left a message</p>",
    });
    em.workspace.clock.advance(60);
    const second = await sdk.notes.create({ contact_id: contact.id, body: "<p>Renewal <b>agreed</b></p>", admin_id: teammate?.id ?? "" });
    expect(second).toMatchObject({ author: { id: teammate?.id, name: teammate?.name }, body: "<p>Renewal <b>agreed</b></p>", created_at: 1_700_000_060 });
    expect(await sdk.notes.find({ note_id: Number(first.id) })).toEqual(first);
    const shown = await sdk.contacts.find({ contact_id: contact.id });
    expect(shown.notes).toEqual({
      type: "list", url: `/contacts/${contact.id}/notes`, total_count: 2, has_more: false,
      data: [{ type: "note", id: second.id, url: `/notes/${second.id}` }, { type: "note", id: first.id, url: `/notes/${first.id}` }],
    });
  });

  it("lists a contact's notes newest first, page by page with the SDK's pager", async () => {
    const sdk = em.sdk();
    const contact = em.workspace.insertContact({ role: "lead" });
    const other = em.workspace.insertContact({ role: "lead" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      em.workspace.clock.advance(10);
      ids.push((await sdk.notes.create({ contact_id: contact.id, body: `Note ${i}` })).id);
    }
    await sdk.notes.create({ contact_id: other.id, body: "Elsewhere" });
    const seen: Intercom.Note[] = [];
    for await (const note of await sdk.notes.list({ contact_id: contact.id, per_page: 2 })) seen.push(note);
    expect(seen.map((n) => n.id)).toEqual([...ids].reverse());
    const page = await em.request("GET", `/contacts/${contact.id}/notes?per_page=2&page=3`);
    expect(page.body).toMatchObject({ type: "list", total_count: 5, pages: { type: "pages", page: 3, per_page: 2, total_pages: 3 }, data: [{ id: ids[0] }] });
  });

  it("answers Intercom's errors and writes nothing", async () => {
    const contact = em.workspace.insertContact({ role: "user", email: "e@example.com" });
    const cases: Array<[string, string, unknown, number, string, string]> = [
      ["POST", "/contacts/123/notes", { body: "Hello" }, 404, "not_found", "User Not Found"],
      ["POST", `/contacts/${contact.id}/notes`, { body: "Hello", admin_id: 123 }, 404, "not_found", "Resource Not Found"],
      ["POST", `/contacts/${contact.id}/notes`, {}, 400, "parameter_not_found", "body is required"],
      ["POST", `/contacts/${contact.id}/notes`, { body: 5 }, 400, "parameter_invalid", "body: Invalid input: expected string, received number"],
      ["GET", "/contacts/123/notes", undefined, 404, "not_found", "User Not Found"],
      ["GET", `/contacts/${contact.id}/notes?page=0`, undefined, 400, "parameter_invalid", "page must be a positive integer"],
      ["GET", "/notes/999", undefined, 404, "not_found", "Resource Not Found"],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const r = await em.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code, message }] });
    }
    expect(em.workspace.notes.size).toBe(0);
    const error = await em.sdk().notes.find({ note_id: 999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomError);
    expect((error as IntercomError).statusCode).toBe(404);
  });
});
