import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unwrap } from "../../contract/index.js";
import { Contact } from "../../contract/catalogue/contacts.js";
import type { SearchContactsInput } from "../../contract/catalogue/contact-lists.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { listLeads } from "../listLeads.js";
import { listUsers } from "./listUsers.js";
import { searchContacts } from "./searchContacts.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const filter = (field: string, operator: string, v: unknown) => ({ field, operator, value: v });
// 2024-03-10T00:00:00Z: the emulator's workspace is on UTC.
const DAY0 = 1_710_028_800;

/** ada and bob at acme (users), cy at acme (lead), dee elsewhere (user), on days DAY0 + 0..3. */
function seed(): Record<string, string> {
  const ws = c.em.workspace;
  return {
    ada: ws.insertContact({ role: "user", email: "ada@acme.com", name: "Ada", created_at: DAY0 + 3600 }).id,
    bob: ws.insertContact({ role: "user", email: "bob@acme.com", name: "Bob", created_at: DAY0 + 86_400 + 60 }).id,
    cy: ws.insertContact({ role: "lead", email: "cy@acme.com", name: "Cy", created_at: DAY0 + 2 * 86_400 }).id,
    dee: ws.insertContact({ role: "user", email: "dee@other.org", name: "Dee", created_at: DAY0 + 3 * 86_400 }).id,
  };
}

describe("SearchContacts", () => {
  it("streams the contacts a nested AND/OR query matches, as Intercom's contact objects", async () => {
    const ids = seed();
    const query = { operator: "AND", value: [filter("email", "$", "@acme.com"), { operator: "OR", value: [filter("role", "=", "lead"), filter("name", "=", "Ada")] }] };
    const found = await collect(unwrap(await searchContacts.run(c.intercom, { query, sort: { field: "created_at", order: "ascending" } })));
    expect(found.map((contact) => contact.id)).toEqual([ids.ada, ids.cy]);
    const [ada, cy] = found;
    expect(Contact.safeParse(ada).success).toBe(true);
    expect(ada).toMatchObject({ type: "contact", id: ids.ada, role: "user", email: "ada@acme.com", name: "Ada", created_at: DAY0 + 3600 });
    expect(cy).toMatchObject({ type: "contact", role: "lead", email: "cy@acme.com", name: "Cy", created_at: DAY0 + 2 * 86_400 });
    expect(ada?.tags).toMatchObject({ type: "list", data: [] });
    expect(ada?.location).toHaveProperty("city");
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /contacts/search": 1 } });
  });

  it("matches a date by day, as Intercom does: > a time on day 1 starts at day 2", async () => {
    const ids = seed();
    // Bob was created 1 minute into day 1; `>` noon of day 1 still leaves him out.
    const query = filter("created_at", ">", DAY0 + 86_400 + 12 * 3600);
    const found = await collect(unwrap(await searchContacts.run(c.intercom, { query, sort: { field: "created_at", order: "ascending" } })));
    expect(found.map((contact) => contact.id)).toEqual([ids.cy, ids.dee]);
  });

  it("walks pages with cursors that carry the query, each item once", async () => {
    for (let i = 0; i < 7; i++) c.em.workspace.insertContact({ role: "user", email: `u${i}@acme.com`, created_at: DAY0 + i });
    c.em.workspace.insertContact({ role: "user", email: "x@other.org" });
    const input: SearchContactsInput = { query: { field: "email", operator: "$", value: "@acme.com" }, sort: { field: "created_at", order: "ascending" } };
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = unwrap(await searchContacts.paged.page(c.intercom, input, { pageSize: 3, ...(cursor === undefined ? {} : { cursor }) }));
      seen.push(...page.items.map((contact) => contact.email ?? ""));
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) expect(cursor).toMatch(/^search\./);
    } while (cursor !== undefined);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `u${i}@acme.com`));
  });

  it("allows groups 2 levels deep and refuses 3, and more than 15 filters a group, naming the path, with no call", async () => {
    seed();
    const two = { operator: "OR", value: [filter("role", "=", "user"), { operator: "AND", value: [filter("role", "=", "lead"), filter("email", "~", "acme")] }] };
    expect(unwrap(await searchContacts.run(c.intercom, { query: two }))).toBeDefined();
    const three = { operator: "OR", value: [filter("role", "=", "user"), { operator: "AND", value: [filter("role", "=", "lead"), { operator: "OR", value: [filter("name", "=", "x")] }] }] };
    const wide = { operator: "AND", value: Array.from({ length: 16 }, (_, i) => filter("name", "!=", `n${i}`)) };
    const cases: Array<[unknown, string]> = [
      [{ query: three }, "query.value.1.value.1.operator"],
      [{ query: wide }, "query.value"],
      [{ query: { operator: "AND", value: [filter("email", "~", "a"), filter("email", "LIKE", "b")] } }, "query.value.1.operator"],
      [{ query: filter("email", "IN", "a@b.c") }, "query.value"],
      [{ query: filter("email", "~", 3) }, "query.value"],
      [{ query: filter("email", "IN", ["a", true]) }, "query.value.1"],
      [{ query: { operator: "OR", value: [] } }, "query.value"],
      [{ query: { operator: "OR", value: [{ operator: "=", value: 1 }] } }, "query.value.0.field"],
      [{ query: { operator: "OR", value: [{ field: "email", operator: "=", value: "a", extra: 1 }] } }, "query.value.0.extra"],
      [{ query: "email = a" }, "query"],
      [{}, "query"],
      [{ query: filter("email", "=", "a"), sort: { field: "created_at", order: "up" } }, "sort.order"],
      [{ query: filter("email", "=", "a"), limit: 5 }, "limit"],
    ];
    await c.resetCalls();
    for (const [input, field] of cases) {
      const result = await searchContacts.run(c.intercom, input);
      expect(result.ok ? "ok" : [result.error.code, result.error.field]).toEqual(["invalid_input", field]);
    }
    const fifteen = { operator: "AND", value: Array.from({ length: 15 }, (_, i) => filter("name", "!=", `n${i}`)) };
    expect(searchContacts.definition.input.safeParse({ query: fifteen }).success).toBe(true);
    expect((await c.calls()).total).toBe(0);
  });

  it("refuses a cursor of ListLeads, and its own cursor with a query changed to a bad one", async () => {
    for (let i = 0; i < 3; i++) c.em.workspace.insertContact({ role: "lead", email: `l${i}@acme.com` });
    const leads = unwrap(await listLeads.paged.page(c.intercom, {}, { pageSize: 1 }));
    expect(leads.nextCursor).not.toBeNull();
    await c.resetCalls();
    const input: SearchContactsInput = { query: { field: "role", operator: "=", value: "lead" } };
    const refused = await searchContacts.paged.page(c.intercom, input, { cursor: leads.nextCursor ?? "" });
    expect(refused.ok ? "ok" : [refused.error.code, refused.error.field]).toEqual(["invalid_input", "cursor"]);
    const forged = `search.${Buffer.from(JSON.stringify({ after: "x", input: { query: { operator: "AND", value: [] } } })).toString("base64url")}`;
    const forgedAnswer = await searchContacts.paged.page(c.intercom, input, { cursor: forged });
    expect(forgedAnswer.ok ? "ok" : [forgedAnswer.error.code, forgedAnswer.error.field]).toEqual(["invalid_input", "cursor"]);
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's refusals: an unknown field is intercom_rejected naming it, a 429 intercom_rate_limited", async () => {
    const unknownField = await collect(unwrap(await searchContacts.run(c.intercom, { query: filter("shoe_size", "=", "9") }))).catch((error: unknown) => error);
    expect(unknownField).toMatchObject({ code: "intercom_rejected" });
    expect(String((unknownField as Error).message)).toContain("shoe_size");
    await c.workspace("POST", "/faults", { kind: "429", count: 5, route: "POST /contacts/search" });
    const limited = await collect(unwrap(await searchContacts.run(c.transport({ maxRetries: 0 }), { query: filter("role", "=", "user") }))).catch((error: unknown) => error);
    expect(limited).toMatchObject({ code: "intercom_rate_limited", status: 429 });
  });
});

describe("ListUsers", () => {
  it("streams every user, oldest first, no leads, one search call per 150", async () => {
    const ws = c.em.workspace;
    const users: string[] = [];
    for (let i = 0; i < 160; i++) users.push(ws.insertContact({ role: "user", email: `user${i}@example.com`, created_at: DAY0 + i }).id);
    for (let i = 0; i < 5; i++) ws.insertContact({ role: "lead", email: `lead${i}@example.com`, created_at: DAY0 + i });
    const seen = await collect(unwrap(await listUsers.run(c.intercom, {})));
    expect(seen.map((user) => user.id)).toEqual(users);
    expect(seen.every((user) => user.role === "user" && Contact.safeParse(user).success)).toBe(true);
    expect(seen[0]).toMatchObject({ type: "contact", email: "user0@example.com", created_at: DAY0 });
    expect(await c.calls()).toEqual({ total: 2, calls: { "POST /contacts/search": 2 } });
  });

  it("refuses any input and a cursor of SearchContacts, with no call", async () => {
    const bad = await listUsers.run(c.intercom, { role: "lead" });
    expect(bad.ok ? "ok" : [bad.error.code, bad.error.field]).toEqual(["invalid_input", "role"]);
    const search = `search.${Buffer.from(JSON.stringify({ after: "x" })).toString("base64url")}`;
    const refused = await listUsers.paged.page(c.intercom, {}, { cursor: search });
    expect(refused.ok ? "ok" : refused.error.field).toBe("cursor");
    expect((await c.calls()).total).toBe(0);
  });
});
