import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Note } from "../../contract/catalogue/notes.js";
import { unwrap } from "../../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { addNoteToContact } from "./addNoteToContact.js";
import { listNotes } from "./listNotes.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

function contact(): string {
  return c.em.workspace.insertContact({ role: "user", email: "ada@example.com" }).id;
}

describe("AddNoteToContact", () => {
  it("adds a note by the token's owner and returns Intercom's note object", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const contactId = contact();
    const owner = c.em.workspace.admins.get(c.em.workspace.ownerAdminId);
    const note = unwrap(await addNoteToContact.run(c.intercom, { contact_id: contactId, body: "Called, wants a demo" }));
    expect(note).toEqual({
      type: "note",
      id: expect.any(String) as string,
      created_at: NOW,
      contact: { type: "contact", id: contactId },
      author: { type: "admin", id: owner?.id, name: owner?.name, email: owner?.email, away_mode_enabled: owner?.away_mode_enabled, away_mode_reassign: owner?.away_mode_reassign },
      body: "<p>Called, wants a demo</p>",
    });
    expect(Note.parse(note)).toEqual(note);
    expect(c.em.workspace.notes.get(note.id)).toMatchObject({ contact_id: contactId, author_id: owner?.id });
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts/:contact_id/notes": 1 } });
  });

  it("writes the note as the admin named", async () => {
    c.em.workspace.admins.set("777", { id: "777", name: "Grace", email: "grace@example.com", job_title: "", away_mode_enabled: false, away_mode_reassign: false, has_inbox_seat: true, team_ids: [], avatar: null });
    const note = unwrap(await addNoteToContact.run(c.intercom, { contact_id: contact(), body: "<b>VIP</b>", admin_id: "777" }));
    expect(note.author).toMatchObject({ id: "777", name: "Grace" });
  });

  it("refuses bad input naming the field, before any call", async () => {
    for (const [input, field] of [
      [{ contact_id: "../admins", body: "x" }, "contact_id"],
      [{ contact_id: "abc", body: "   " }, "body"],
      [{ contact_id: "abc" }, "body"],
      [{ contact_id: "abc", body: "x", admin_id: "1/2" }, "admin_id"],
      [{ contact_id: "abc", body: "x", extra: 1 }, "extra"],
    ] as const) {
      const result = await addNoteToContact.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message).toContain(field);
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's 404s to not_found naming the contact or the admin", async () => {
    const missingContact = await addNoteToContact.run(c.intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", body: "x" });
    expect(!missingContact.ok && missingContact.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: "No contact with id 6762f0a51bb69f9f2193bb5c" });
    const missingAdmin = await addNoteToContact.run(c.intercom, { contact_id: contact(), body: "x", admin_id: "424242" });
    expect(!missingAdmin.ok && missingAdmin.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: "No admin with id 424242", field: "admin_id" });
    expect(c.em.workspace.notes.size).toBe(0);
  });
});

describe("ListNotes", () => {
  it("streams every note, newest first, one page at a time", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: false });
    const contactId = contact();
    const other = c.em.workspace.insertContact({ role: "lead" }).id;
    unwrap(await addNoteToContact.run(c.intercom, { contact_id: other, body: "not this one" }));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await c.workspace("POST", "/clock", { advance: 60 });
      ids.push(unwrap(await addNoteToContact.run(c.intercom, { contact_id: contactId, body: `note ${i}` })).id);
    }
    await c.resetCalls();
    const notes = await all(unwrap(await listNotes.run(c.intercom, { contact_id: contactId })));
    expect(notes.map((n) => n.id)).toEqual(ids.reverse());
    expect(notes[0]).toMatchObject({ type: "note", body: "<p>note 4</p>", contact: { type: "contact", id: contactId } });
    for (const note of notes) expect(Note.parse(note)).toEqual(note);
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /contacts/:contact_id/notes": 1 } });

    // Over HTTP-sized pages: 2 + 2 + 1; the cursor carries the contact, whatever input comes with it.
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = unwrap(await listNotes.paged.page(c.intercom, { contact_id: cursor === undefined ? contactId : other }, { pageSize: 2, ...(cursor === undefined ? {} : { cursor }) }));
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) expect(cursor).toMatch(/^notes\./);
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it("refuses a forged cursor before any call, and an unknown contact is not_found", async () => {
    const forged = `notes.${Buffer.from(JSON.stringify({ after: "x", input: { contact_id: "abc" } })).toString("base64url")}`;
    const refused = await listNotes.paged.page(c.intercom, { contact_id: "abc" }, { cursor: forged });
    expect(!refused.ok && refused.error.toJSON()).toMatchObject({ code: "invalid_input", field: "cursor" });
    const bad = await listNotes.run(c.intercom, { contact_id: "a b" });
    expect(!bad.ok && bad.error.toJSON()).toMatchObject({ code: "invalid_input", field: "contact_id" });
    expect((await c.calls()).total).toBe(0);
    const missing = unwrap(await listNotes.run(c.intercom, { contact_id: "6762f0a51bb69f9f2193bb5c" }));
    await expect(all(missing)).rejects.toMatchObject({ code: "not_found", message: "No contact with id 6762f0a51bb69f9f2193bb5c" });
  });
});
