import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { unwrap, ok, type ConnectorError, type Result } from "../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { definePagedAction } from "./define-paged-action.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

function failure<T>(result: Result<T, ConnectorError>): ConnectorError {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

// A paged action over numbered pages of contacts, on ListLeads' contract entry (whose input is
// `{}`): what the factory adds is tested apart from any one Intercom list.
const pagesSeen: Array<string | undefined> = [];
const numbered = definePagedAction({
  id: "ListLeads",
  cursorPrefix: "numbered",
  maxPageSize: 3,
  async fetchPage(intercom, _input, { after, pageSize }) {
    pagesSeen.push(after);
    const page = await intercom.listContacts({ perPage: pageSize, ...(after === undefined ? {} : { startingAfter: after }) });
    return page.ok ? ok({ items: page.value.items.map((contact) => contact.id), nextAfter: page.value.nextStartingAfter }) : page;
  },
});

describe("definePagedAction", () => {
  beforeEach(() => {
    pagesSeen.length = 0;
    for (let i = 0; i < 7; i++) c.em.workspace.insertContact({ role: "lead", email: `lead${i}@example.com` });
  });

  it("streams every item once, one Intercom page per page, and nothing before iteration", async () => {
    const stream = unwrap(await numbered.run(c.intercom, {}));
    expect((await c.calls()).total).toBe(0);
    const ids: string[] = [];
    for await (const id of stream) ids.push(id);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    expect(await c.calls()).toEqual({ total: 3, calls: { "GET /contacts": 3 } });
  });

  it("pages by its own opaque cursor, which the next page needs alone", async () => {
    const first = unwrap(await numbered.paged.page(c.intercom, {}));
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toMatch(/^numbered\.[A-Za-z0-9_-]+$/);
    const second = unwrap(await numbered.paged.page(c.intercom, {}, { cursor: first.nextCursor ?? "" }));
    expect(second.items.filter((id) => first.items.includes(id))).toEqual([]);
    expect(pagesSeen[1]).toBe(unwrap(numbered.paged.decodeCursor(first.nextCursor ?? "")).after);
  });

  it("refuses a cursor it did not make, or whose input the contract refuses, before any call", async () => {
    const forged = (body: unknown, prefix = "numbered."): string => prefix + Buffer.from(JSON.stringify(body)).toString("base64url");
    for (const cursor of [
      "garbage",
      forged({ after: "x" }, "leads."),
      forged({ after: "x", input: { extra: true } }),
      forged({ after: "" }),
      forged({ after: "x", other: 1 }),
      "numbered.!!!",
      `numbered.${"A".repeat(17_000)}`,
    ]) {
      const error = failure(await numbered.paged.page(c.intercom, {}, { cursor }));
      expect(error.code).toBe("invalid_input");
      expect(error.field).toBe("cursor");
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("answers a cursor Intercom refuses as the caller's bad cursor, and refuses a page size out of range", async () => {
    const stale = "numbered." + Buffer.from(JSON.stringify({ after: "not-an-intercom-cursor" })).toString("base64url");
    const error = failure(await numbered.paged.page(c.intercom, {}, { cursor: stale }));
    expect([error.code, error.field]).toEqual(["invalid_input", "cursor"]);
    for (const pageSize of [0, 4, 1.5]) expect(failure(await numbered.paged.page(c.intercom, {}, { pageSize })).field).toBe("pageSize");
  });
});
