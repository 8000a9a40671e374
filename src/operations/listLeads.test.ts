import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unwrap, Lead_Response } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { encodeLeadsCursor, listLeads, listLeadsPage } from "./listLeads.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

function insertLeadsAndUsers(leads: number, users: number): Set<string> {
  const leadIds = new Set<string>();
  for (let i = 0; i < leads; i++) leadIds.add(c.em.workspace.insertContact({ role: "lead", email: `lead${i}@example.com` }).id);
  for (let i = 0; i < users; i++) c.em.workspace.insertContact({ role: "user", email: `user${i}@example.com` });
  return leadIds;
}

describe("ListLeads", () => {
  it("yields each of 320 leads exactly once, no users, one search call per 150", async () => {
    const leadIds = insertLeadsAndUsers(320, 40);
    const seen: string[] = [];
    for await (const lead of unwrap(await listLeads.run(c.intercom, {}))) {
      expect(Lead_Response.safeParse(lead).success).toBe(true);
      seen.push(lead.id);
    }
    expect(seen).toHaveLength(320);
    expect(new Set(seen)).toEqual(leadIds);
    expect(await c.calls()).toEqual({ total: 3, calls: { "POST /contacts/search": 3 } });
  });

  it("fetches a page only when the iteration reaches it", async () => {
    insertLeadsAndUsers(200, 0);
    const leads = unwrap(await listLeads.run(c.intercom, {}));
    expect((await c.calls()).total).toBe(0);
    const iterator = leads[Symbol.asyncIterator]();
    await iterator.next();
    expect((await c.calls()).total).toBe(1);
    await iterator.return?.();
  });

  it("yields nothing for a workspace without leads", async () => {
    insertLeadsAndUsers(0, 3);
    const seen: unknown[] = [];
    for await (const lead of unwrap(await listLeads.run(c.intercom, {}))) seen.push(lead);
    expect(seen).toEqual([]);
  });

  it("throws the ConnectorError when a page fails mid-way", async () => {
    insertLeadsAndUsers(200, 0);
    const transport = c.transport({ maxRetries: 0 });
    const leads = unwrap(await listLeads.run(transport, {}));
    const iterator = leads[Symbol.asyncIterator]();
    await iterator.next();
    await c.workspace("POST", "/faults", { kind: "500", count: 1, route: "POST /contacts/search" });
    let failure: unknown;
    try {
      for (;;) if ((await iterator.next()).done === true) break;
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: "intercom_unavailable", status: 503 });
  });
});

describe("listLeadsPage", () => {
  it("walks the leads with opaque cursors", async () => {
    const leadIds = insertLeadsAndUsers(5, 2);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = unwrap(await listLeadsPage(c.intercom, { pageSize: 2, ...(cursor === undefined ? {} : { cursor }) }));
      seen.push(...page.items.map((lead) => lead.id));
      cursor = page.nextCursor ?? undefined;
      if (cursor !== undefined) expect(cursor).toMatch(/^leads\./);
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(new Set(seen)).toEqual(leadIds);
    expect(seen).toHaveLength(5);
  });

  it("refuses a malformed cursor as invalid_input on cursor, without calling Intercom", async () => {
    for (const cursor of ["garbage", "leads.", "leads.!!!", `leads.${Buffer.from("{}").toString("base64url")}`, "leads.bm90IGpzb24", "x".repeat(5000)]) {
      const page = await listLeadsPage(c.intercom, { cursor });
      expect(page.ok, cursor).toBe(false);
      if (page.ok) return;
      expect(page.error).toMatchObject({ code: "invalid_input", status: 400, field: "cursor" });
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("refuses a well-formed cursor Intercom does not accept as invalid_input on cursor", async () => {
    insertLeadsAndUsers(3, 0);
    const page = await listLeadsPage(c.intercom, { cursor: encodeLeadsCursor("not-a-real-intercom-cursor") });
    expect(!page.ok && page.error).toMatchObject({ code: "invalid_input", field: "cursor" });
  });

  it("refuses a page size outside 1..150", async () => {
    for (const pageSize of [0, 151, 1.5]) {
      const page = await listLeadsPage(c.intercom, { pageSize });
      expect(!page.ok && page.error).toMatchObject({ code: "invalid_input", field: "pageSize" });
    }
    expect((await c.calls()).total).toBe(0);
  });
});
