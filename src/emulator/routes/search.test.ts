import type { Intercom } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ContactRecord, ConversationRecord } from "../model.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
});
afterEach(async () => {
  await em.close();
});

const HOUR = 3600;
const JAN_1_2020 = 1_577_836_800; // 2020-01-01T00:00Z
const JAN_1_2020_9AM = 1_577_869_200; // the description's example
const utc = (y: number, m: number, d: number, h = 0, min = 0): number => Date.UTC(y, m - 1, d, h, min) / 1000;

type SearchBody = { query: unknown; pagination?: unknown; sort?: unknown };
type ContactList = { type: string; data: Array<{ id: string; email: string; created_at: number }>; total_count: number; pages: { page: number; per_page: number; total_pages: number; next?: { starting_after: string } } };

/** Creates a contact whose created_at (and updated_at) is exactly `t`. */
function contactAt(t: number, fields: Partial<ContactRecord> = {}): ContactRecord {
  em.workspace.clock.set(t, { frozen: true });
  return em.workspace.insertContact({ role: "user", email: `c${t}@example.com`, ...fields });
}

/** Freezes the workspace's clock after every test record's time (before saving conversations, which are searchable at once). */
function settle(): void {
  em.workspace.clock.set(utc(2021, 1, 1), { frozen: true });
}

async function searchContacts(body: SearchBody): Promise<ContactList> {
  const r = await em.request("POST", "/contacts/search", body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as ContactList;
}

async function createdAtOf(query: unknown): Promise<number[]> {
  const list = await searchContacts({ query, sort: { field: "created_at", order: "ascending" }, pagination: { per_page: 150 } });
  return list.data.map((c) => c.created_at);
}

describe("POST /contacts/search: dates match calendar days in the workspace's time zone", () => {
  it("follows the description's UTC example", async () => {
    const instants = [utc(2019, 12, 31, 23, 59), JAN_1_2020, JAN_1_2020 + 1, JAN_1_2020_9AM - 1, JAN_1_2020_9AM, JAN_1_2020_9AM + 1, utc(2020, 1, 1, 23, 59), utc(2020, 1, 2) - 1, utc(2020, 1, 2), utc(2020, 1, 3, 12)];
    for (const t of instants) contactAt(t);
    settle();
    // > 9:00 Jan 1 starts at Jan 2 00:00, not at 9:00; the value may be a numeric string.
    expect(await createdAtOf({ field: "created_at", operator: ">", value: JAN_1_2020_9AM })).toEqual([utc(2020, 1, 2), utc(2020, 1, 3, 12)]);
    expect(await createdAtOf({ operator: "AND", value: [{ field: "created_at", operator: ">", value: String(JAN_1_2020_9AM) }] })).toEqual([utc(2020, 1, 2), utc(2020, 1, 3, 12)]);
    // = midnight Jan 1 (or any instant that day) covers the whole of Jan 1.
    const jan1 = instants.filter((t) => t >= JAN_1_2020 && t < utc(2020, 1, 2));
    expect(await createdAtOf({ field: "created_at", operator: "=", value: JAN_1_2020 })).toEqual(jan1);
    expect(await createdAtOf({ field: "created_at", operator: "=", value: JAN_1_2020_9AM })).toEqual(jan1);
    // < 9:00 Jan 1 is before Jan 1 00:00.
    expect(await createdAtOf({ field: "created_at", operator: "<", value: JAN_1_2020_9AM })).toEqual([utc(2019, 12, 31, 23, 59)]);
    // Answers carry full timestamps.
    const one = await searchContacts({ query: { field: "created_at", operator: "=", value: JAN_1_2020 }, sort: { field: "created_at", order: "ascending" }, pagination: { per_page: 1 } });
    expect(one.data[0]?.created_at).toBe(JAN_1_2020);
  });

  it.each([
    // zone; the local day holding 2020-01-01T00:00Z as [start, end); where "> 09:00Z Jan 1" starts
    // (the next local day); where "< 09:00Z Jan 1" ends (the start of its local day)
    ["UTC", JAN_1_2020, utc(2020, 1, 2), utc(2020, 1, 2), JAN_1_2020],
    ["America/New_York", utc(2019, 12, 31, 5), utc(2020, 1, 1, 5), utc(2020, 1, 2, 5), utc(2020, 1, 1, 5)],
    ["Asia/Kolkata", utc(2019, 12, 31, 18, 30), utc(2020, 1, 1, 18, 30), utc(2020, 1, 1, 18, 30), utc(2019, 12, 31, 18, 30)],
    ["Pacific/Auckland", utc(2019, 12, 31, 11), utc(2020, 1, 1, 11), utc(2020, 1, 1, 11), utc(2019, 12, 31, 11)],
    ["Pacific/Kiritimati", utc(2019, 12, 31, 10), utc(2020, 1, 1, 10), utc(2020, 1, 1, 10), utc(2019, 12, 31, 10)],
  ])("puts day boundaries on %s midnights, set through the control API", async (zone, dayStart, dayEnd, afterFrom, beforeTo) => {
    // Records one second either side of every zone's boundaries.
    const boundaries = [JAN_1_2020, utc(2020, 1, 2), utc(2019, 12, 31, 5), utc(2020, 1, 1, 5), utc(2020, 1, 2, 5), utc(2019, 12, 31, 18, 30), utc(2020, 1, 1, 18, 30), utc(2019, 12, 31, 11), utc(2020, 1, 1, 11), utc(2019, 12, 31, 10), utc(2020, 1, 1, 10)];
    const instants = [...new Set(boundaries.flatMap((b) => [b - 1, b]))].sort((a, b) => a - b);
    for (const t of instants) contactAt(t);
    settle();
    const patched = await em.control("PATCH", `/workspaces/${em.workspace.id}`, { timezone: zone });
    expect(patched.status).toBe(200);
    expect(await createdAtOf({ field: "created_at", operator: "=", value: JAN_1_2020 })).toEqual(instants.filter((t) => t >= dayStart && t < dayEnd));
    expect(await createdAtOf({ field: "created_at", operator: ">", value: JAN_1_2020_9AM })).toEqual(instants.filter((t) => t >= afterFrom));
    expect(await createdAtOf({ field: "created_at", operator: "<", value: JAN_1_2020_9AM })).toEqual(instants.filter((t) => t < beforeTo));
  });

  it("handles a 23-hour DST day (America/New_York, 2024-03-10)", async () => {
    await em.control("PATCH", `/workspaces/${em.workspace.id}`, { timezone: "America/New_York" });
    const instants = [utc(2024, 3, 10, 5) - 1, utc(2024, 3, 10, 5), utc(2024, 3, 10, 12), utc(2024, 3, 11, 4) - 1, utc(2024, 3, 11, 4)];
    for (const t of instants) contactAt(t);
    em.workspace.clock.set(utc(2025, 1, 1), { frozen: true });
    expect(await createdAtOf({ field: "created_at", operator: "=", value: utc(2024, 3, 10, 12) })).toEqual(instants.slice(1, 4));
    expect(await createdAtOf({ field: "created_at", operator: ">", value: utc(2024, 3, 10, 12) })).toEqual(instants.slice(4));
  });
});

describe("POST /contacts/search through the official SDK", () => {
  it("answers a nested AND/OR query with date filters", async () => {
    const leadJan2 = contactAt(utc(2020, 1, 2, 10), { role: "lead", email: "lead2@sample.org" });
    const userJan2 = contactAt(utc(2020, 1, 2, 11), { email: "ada@example.com" });
    contactAt(utc(2020, 1, 2, 12), { email: "bob@sample.org" });
    const leadJan3 = contactAt(utc(2020, 1, 3, 23), { role: "lead", email: "lead3@sample.org" });
    contactAt(utc(2020, 1, 4, 1), { role: "lead", email: "lead4@sample.org" });
    contactAt(utc(2020, 1, 1, 23), { role: "lead", email: "lead1@sample.org" });
    settle();
    const query: Intercom.SearchRequest["query"] = {
      operator: "AND",
      value: [
        { operator: "AND", value: [{ field: "created_at", operator: ">", value: String(utc(2020, 1, 1, 12)) }, { field: "created_at", operator: "<", value: utc(2020, 1, 4, 0) }] },
        { operator: "OR", value: [{ field: "role", operator: "=", value: "lead" }, { field: "email", operator: "$", value: "@example.com" }] },
      ],
    };
    const page = await em.sdk().contacts.search({ query, pagination: { per_page: 10 } });
    expect(page.data.map((c) => c.id)).toEqual([leadJan3.id, userJan2.id, leadJan2.id]);
    expect(page.response).toMatchObject({ type: "list", total_count: 3, pages: { type: "pages", page: 1, per_page: 10, total_pages: 1 } });
    expect(page.response.pages?.next).toBeUndefined();
  });

  it("pages through every result with the SDK's pager", async () => {
    const made = Array.from({ length: 23 }, (_, i) => contactAt(utc(2020, 3, 1) + i * HOUR, { role: i % 2 === 0 ? "lead" : "user" }));
    contactAt(utc(2020, 2, 1));
    settle();
    const seen: string[] = [];
    const pager = await em.sdk().contacts.search({ query: { field: "created_at", operator: ">", value: utc(2020, 2, 15) }, pagination: { per_page: 5 } });
    expect(pager.response).toMatchObject({ total_count: 23, pages: { page: 1, per_page: 5, total_pages: 5 } });
    for await (const contact of pager) seen.push(contact.id);
    // Default order: newest first.
    expect(seen).toEqual(made.map((c) => c.id).reverse());
  });
});

describe("POST /contacts/search: what search sees", () => {
  it("shows a created or updated contact only after the search delay", async () => {
    const wsPath = `/workspaces/${em.workspace.id}`;
    expect((await em.control("PATCH", wsPath, { search_delay: 60 })).status).toBe(200);
    await em.control("POST", `${wsPath}/clock`, { set: utc(2024, 5, 1, 12), frozen: true });
    const sdk = em.sdk();
    const created = await sdk.contacts.create({ email: "late@example.com", name: "Before" });
    const byEmail = { query: { field: "email", operator: "=", value: "late@example.com" } };
    expect((await searchContacts(byEmail)).total_count).toBe(0);
    await em.control("POST", `${wsPath}/clock`, { advance: 59 });
    expect((await searchContacts(byEmail)).total_count).toBe(0);
    await em.control("POST", `${wsPath}/clock`, { advance: 1 });
    expect((await searchContacts(byEmail)).data.map((c) => c.id)).toEqual([created.id]);

    await sdk.contacts.update({ contact_id: created.id, name: "After" });
    const byName = (name: string) => ({ query: { field: "name", operator: "=", value: name } });
    // Until the delay passes, search keeps the previous version and answers with it.
    const stale = await searchContacts(byName("Before"));
    expect(stale.data.map((c) => [c.id, (c as { name?: string }).name])).toEqual([[created.id, "Before"]]);
    expect((await searchContacts(byName("After"))).total_count).toBe(0);
    await em.control("POST", `${wsPath}/clock`, { advance: 60 });
    expect((await searchContacts(byName("Before"))).total_count).toBe(0);
    expect((await searchContacts(byName("After"))).data.map((c) => c.id)).toEqual([created.id]);
  });

  it("never shows deleted or merged contacts", async () => {
    const sdk = em.sdk();
    const lead = await sdk.contacts.create({ role: "lead", email: "lead@example.com" });
    const user = await sdk.contacts.create({ role: "user", email: "user@example.com" });
    const gone = await sdk.contacts.create({ role: "user", email: "gone@example.com" });
    const all = { query: { field: "email", operator: "$", value: "@example.com" } };
    expect((await searchContacts(all)).total_count).toBe(3);
    await em.control("PATCH", `/workspaces/${em.workspace.id}`, { search_delay: 600 });
    await sdk.contacts.delete({ contact_id: gone.id });
    await sdk.contacts.mergeLeadInUser({ from: lead.id, into: user.id });
    const left = await searchContacts(all);
    expect(left.data.map((c) => c.id)).toEqual([user.id]);
    expect(left.total_count).toBe(1);
  });
});

describe("POST /contacts/search: sorting and pages", () => {
  it("sorts by any field, either way, with records lacking a value last and ties by id", async () => {
    const b = contactAt(utc(2020, 1, 1), { email: "b@example.com" });
    const a = contactAt(utc(2020, 1, 2), { email: "a@example.com" });
    const none1 = contactAt(utc(2020, 1, 3), { email: null, role: "lead" });
    const none2 = contactAt(utc(2020, 1, 4), { email: null, role: "lead" });
    const c = contactAt(utc(2020, 1, 5), { email: "c@example.com" });
    settle();
    const ids = async (order: string) =>
      (await searchContacts({ query: { field: "created_at", operator: ">", value: 0 }, sort: { field: "email", order } })).data.map((x) => x.id);
    const nulls = [none1.id, none2.id].sort();
    expect(await ids("ascending")).toEqual([a.id, b.id, c.id, ...nulls]);
    expect(await ids("descending")).toEqual([c.id, b.id, a.id, ...nulls.reverse()]);
  });

  it("continues from the last item's place when it was deleted or changed between pages", async () => {
    const made = Array.from({ length: 9 }, (_, i) => contactAt(utc(2020, 1, 1) + i * HOUR));
    settle();
    const body = (startingAfter?: string): SearchBody => ({
      query: { field: "created_at", operator: "=", value: utc(2020, 1, 1) },
      sort: { field: "created_at", order: "ascending" },
      pagination: { per_page: 3, ...(startingAfter === undefined ? {} : { starting_after: startingAfter }) },
    });
    const first = await searchContacts(body());
    expect(first.data.map((c) => c.id)).toEqual(made.slice(0, 3).map((c) => c.id));
    expect(first.pages).toMatchObject({ page: 1, per_page: 3, total_pages: 3 });
    const sdk = em.sdk();
    await sdk.contacts.delete({ contact_id: made[2]?.id ?? "" });
    const second = await searchContacts(body(first.pages.next?.starting_after));
    expect(second.data.map((c) => c.id)).toEqual(made.slice(3, 6).map((c) => c.id));
    expect(second.pages).toMatchObject({ page: 2, per_page: 3, total_pages: 3 });
    expect(second.total_count).toBe(8);
    const third = await searchContacts(body(second.pages.next?.starting_after));
    expect(third.data.map((c) => c.id)).toEqual(made.slice(6).map((c) => c.id));
    expect(third.pages.page).toBe(3);
    expect(third.pages.next).toBeUndefined();
  });

  it("uses per_page 50 by default and refuses more than 150", async () => {
    for (let i = 0; i < 55; i++) contactAt(utc(2020, 1, 1) + i);
    settle();
    const list = await searchContacts({ query: { field: "created_at", operator: "=", value: utc(2020, 1, 1) } });
    expect(list.data).toHaveLength(50);
    expect(list.pages).toMatchObject({ per_page: 50, total_pages: 2 });
    const r = await em.request("POST", "/contacts/search", { query: { field: "created_at", operator: "=", value: 0 }, pagination: { per_page: 151 } });
    expect(r.status).toBe(400);
  });
});

describe("POST /contacts/search: bad requests", () => {
  it("answers 400 with Intercom's error list naming the field or operator, and changes nothing", async () => {
    for (let i = 0; i < 3; i++) contactAt(utc(2020, 1, 1) + i * HOUR);
    settle();
    const good = { query: { field: "created_at", operator: "=", value: utc(2020, 1, 1) } };
    const before = await searchContacts(good);
    const records = JSON.stringify([...em.workspace.contacts.values()]);
    const leaf = { field: "email", operator: "~", value: "a" };
    const cases: Array<[unknown, string, string[]]> = [
      [{ pagination: { per_page: 5 } }, "parameter_not_found", ["query"]],
      [{ query: { field: "shoe_size", operator: "=", value: "9" } }, "parameter_invalid", ["shoe_size"]],
      [{ query: { field: "email", operator: "LIKE", value: "a" } }, "parameter_invalid", ["LIKE"]],
      [{ query: { field: "created_at", operator: "!=", value: JAN_1_2020 } }, "parameter_invalid", ["created_at", "!="]],
      [{ query: { field: "created_at", operator: ">=", value: JAN_1_2020 } }, "parameter_invalid", ["created_at", ">="]],
      [{ query: { field: "created_at", operator: "<=", value: JAN_1_2020 } }, "parameter_invalid", ["created_at", "<="]],
      [{ query: { field: "created_at", operator: "IN", value: [JAN_1_2020] } }, "parameter_invalid", ["created_at", "IN"]],
      [{ query: { field: "updated_at", operator: "NIN", value: [JAN_1_2020] } }, "parameter_invalid", ["updated_at", "NIN"]],
      [{ query: { field: "created_at", operator: ">", value: "foorbar" } }, "parameter_invalid", ["created_at"]],
      [{ query: { field: "tag_id", operator: "IN", value: ["1"] } }, "parameter_invalid", ["tag_id", "IN"]],
      [{ query: { field: "email", operator: "IN", value: "a@b.c" } }, "parameter_invalid", ["email", "IN"]],
      [{ query: { field: "email", operator: ">", value: "a" } }, "parameter_invalid", ["email", ">"]],
      [{ query: { operator: "OR", value: Array.from({ length: 16 }, () => leaf) } }, "parameter_invalid", ["15"]],
      [{ query: { operator: "AND", value: [{ operator: "OR", value: [{ operator: "AND", value: [leaf] }] }] } }, "parameter_invalid", ["nested"]],
      [{ query: leaf, sort: { field: "shoe_size", order: "ascending" } }, "parameter_invalid", ["shoe_size"]],
      [{ query: leaf, pagination: { starting_after: "not-a-cursor" } }, "parameter_invalid", ["starting_after"]],
    ];
    for (const [body, code, words] of cases) {
      const r = await em.request("POST", "/contacts/search", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      const error = (r.body as { type: string; errors: Array<{ code: string; message: string }> });
      expect(error.type).toBe("error.list");
      expect(error.errors[0]?.code, JSON.stringify(body)).toBe(code);
      for (const word of words) expect(error.errors[0]?.message, JSON.stringify(body)).toContain(word);
    }
    expect(JSON.stringify([...em.workspace.contacts.values()])).toBe(records);
    expect(await searchContacts(good)).toEqual(before);
  });

  it("refuses an edited cursor, and one made for another sort", async () => {
    for (let i = 0; i < 4; i++) contactAt(utc(2020, 1, 1) + i * HOUR);
    settle();
    const query = { field: "created_at", operator: "=", value: utc(2020, 1, 1) };
    const first = await searchContacts({ query, pagination: { per_page: 2 } });
    const cursor = first.pages.next?.starting_after ?? "";
    expect(cursor).not.toBe("");
    const [payload, signature] = cursor.split(".");
    const decoded = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as { n: number };
    const edited = `${Buffer.from(JSON.stringify({ ...decoded, n: 0 })).toString("base64url")}.${signature ?? ""}`;
    for (const bad of [edited, `${cursor}x`, cursor.slice(0, -2)]) {
      const r = await em.request("POST", "/contacts/search", { query, pagination: { per_page: 2, starting_after: bad } });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errors: [{ code: "parameter_invalid", field: "starting_after" }] });
    }
    const otherSort = await em.request("POST", "/contacts/search", { query, sort: { field: "updated_at", order: "ascending" }, pagination: { starting_after: cursor } });
    expect(otherSort.status).toBe(400);
    const ok = await searchContacts({ query, pagination: { per_page: 2, starting_after: cursor } });
    expect(ok.data).toHaveLength(2);
  });
});

/** A conversation record; ids are small decimal strings as Intercom's. */
function conversation(id: string, fields: Partial<ConversationRecord> = {}): ConversationRecord {
  const t = fields.created_at ?? JAN_1_2020;
  return {
    id, title: null, created_at: t, updated_at: t, waiting_since: null, snoozed_until: null, open: true, state: "open", read: false,
    priority: "not_priority", admin_assignee_id: null, team_assignee_id: null,
    source: { type: "conversation", id: `40${id}`, delivered_as: "customer_initiated", subject: "", body: "<p>I need support</p>", author: { type: "user", id: "u1", name: "Ada", email: "ada@example.com" }, url: null },
    contact_ids: [], tag_ids: [], parts: [], ...fields,
  };
}

describe("POST /conversations/search", () => {
  it("answers a conversation.list, 20 per page by default, paged by the SDK", async () => {
    settle();
    for (let i = 1; i <= 25; i++) em.workspace.saveConversation(conversation(String(i), { created_at: utc(2020, 1, 1) + i * HOUR, updated_at: utc(2020, 2, 1) + i }));
    const r = await em.request("POST", "/conversations/search", { query: { field: "created_at", operator: ">", value: utc(2019, 12, 31) } });
    expect(r.status).toBe(200);
    const body = r.body as { type: string; conversations: Array<{ id: string }>; total_count: number; pages: { per_page: number; total_pages: number } };
    expect(body.type).toBe("conversation.list");
    expect(body.total_count).toBe(25);
    expect(body.pages).toMatchObject({ per_page: 20, total_pages: 2 });
    // Default order: most recently updated first.
    expect(body.conversations[0]?.id).toBe("25");
    // Search answers list items: no conversation parts.
    expect(body.conversations[0]).not.toHaveProperty("conversation_parts");
    const seen: string[] = [];
    const pager = await em.sdk().conversations.search({ query: { field: "created_at", operator: ">", value: utc(2019, 12, 31) }, pagination: { per_page: 7 } });
    for await (const c of pager) seen.push(c.id);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => String(25 - i)));
  });

  it("matches body words, contacts, state and days, in nested groups", async () => {
    settle();
    em.workspace.saveConversation(conversation("1", { created_at: utc(2020, 1, 1, 22), contact_ids: ["c1"] }));
    em.workspace.saveConversation(conversation("2", { created_at: utc(2020, 1, 2, 1), contact_ids: ["c2", "c3"], state: "closed", open: false }));
    em.workspace.saveConversation(conversation("3", { created_at: utc(2020, 1, 2, 2), source: { ...conversation("x").source, body: "<p>Billing question</p>" } }));
    const find = async (query: unknown): Promise<string[]> => {
      const page = await em.sdk().conversations.search({ query: query as Intercom.SearchRequest["query"] });
      return page.data.map((c) => c.id).sort();
    };
    expect(await find({ field: "source.body", operator: "=", value: "support" })).toEqual(["1", "2"]);
    expect(await find({ field: "source.body", operator: "=", value: "need support" })).toEqual([]);
    expect(await find({ field: "contact_ids", operator: "=", value: "c3" })).toEqual(["2"]);
    expect(await find({ field: "created_at", operator: "=", value: utc(2020, 1, 2, 12) })).toEqual(["2", "3"]);
    expect(await find({ field: "created_at", operator: "!=", value: utc(2020, 1, 2, 12) })).toEqual(["1"]);
    expect(await find({ operator: "AND", value: [{ operator: "OR", value: [{ field: "state", operator: "=", value: "closed" }, { field: "source.body", operator: "~", value: "bill" }] }, { operator: "AND", value: [{ field: "created_at", operator: ">", value: utc(2020, 1, 1, 12) }] }] })).toEqual(["2", "3"]);
    // The same day filter on a +14 workspace: Jan 2 there runs from Jan 1 10:00Z.
    await em.control("PATCH", `/workspaces/${em.workspace.id}`, { timezone: "Pacific/Kiritimati" });
    expect(await find({ field: "created_at", operator: "=", value: utc(2020, 1, 1, 12) })).toEqual(["1", "2", "3"]);
  });

  it("refuses operators the conversations table lacks, naming them", async () => {
    const r = await em.request("POST", "/conversations/search", { query: { field: "created_at", operator: ">=", value: JAN_1_2020 } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: "error.list", errors: [{ code: "parameter_invalid" }] });
    expect(JSON.stringify(r.body)).toContain(">=");
    const unknown = await em.request("POST", "/conversations/search", { query: { field: "email", operator: "=", value: "a" } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain("email");
  });
});
