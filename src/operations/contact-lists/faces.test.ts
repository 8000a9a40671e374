import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliTestBed } from "../../cli/testing/cli-bed.js";
import type { Connector } from "../../connector/index.js";
import { ContactList } from "../../contract/catalogue/contact-lists.js";
import { SEARCH_MAX_QUERY_JSON } from "../../contract/catalogue/search-query.js";
import { startThreeFaces, type ThreeFaces } from "../../runtime/testing/three-faces.js";

// SearchContacts through the three faces, none of them edited for it: the library streams, `call`
// prints one JSON array, HTTP pages by POST then a GET on nextLink (as Power Automate follows it).

let faces: ThreeFaces;
let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let baseUrl: string;
let apiKey: string;
const expected: string[] = [];

const INPUT = {
  query: {
    operator: "AND",
    value: [
      { field: "email", operator: "$", value: "@acme.com" },
      { operator: "OR", value: [{ field: "role", operator: "=", value: "lead" }, { field: "name", operator: "^", value: "Keep" }] },
    ],
  },
  sort: { field: "created_at", order: "ascending" },
};

beforeAll(async () => {
  faces = await startThreeFaces();
  ({ bed, connector, libraryConnection, apiKey, baseUrl } = faces);
  const start = 1_700_000_000;
  // 160 matches (more than one page of 150), and contacts each half of the query leaves out.
  for (let i = 0; i < 160; i++) {
    const role = i % 2 === 0 ? "lead" : "user";
    const contact = bed.em.workspace.insertContact({ role, email: `c${i}@acme.com`, name: role === "user" ? `Keep ${i}` : `Lead ${i}`, created_at: start + i });
    expected.push(contact.id);
  }
  bed.em.workspace.insertContact({ role: "user", email: "drop@acme.com", name: "Drop", created_at: start });
  bed.em.workspace.insertContact({ role: "lead", email: "lead@other.org", created_at: start });

});

afterAll(() => faces.close());

describe("SearchContacts in the library, the HTTP service and the CLI", { timeout: 120_000 }, () => {
  it("answers the same contacts in the same order in all three", async () => {
    const streamed = await connector.connection(libraryConnection).run("SearchContacts", INPUT);
    if (!streamed.ok) throw streamed.error;
    const library: unknown[] = [];
    for await (const contact of streamed.value) library.push(contact);
    expect(ContactList.parse(library).map((contact) => contact.id)).toEqual(expected);

    const first = await fetch(`${baseUrl}/v1/actions/SearchContacts`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(INPUT) });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { value: unknown[]; nextLink?: string };
    expect(page1.value).toHaveLength(150);
    expect(page1.nextLink).toMatch(new RegExp(`^${baseUrl}/v1/actions/SearchContacts\\?cursor=search\\.`));
    const second = await fetch(page1.nextLink ?? "", { headers: { "x-api-key": apiKey } });
    expect(second.status).toBe(200);
    const page2 = (await second.json()) as { value: unknown[]; nextLink?: string };
    expect(page2).not.toHaveProperty("nextLink");
    expect([...page1.value, ...page2.value]).toEqual(library);

    const run = await bed.run(["call", "SearchContacts", "--input", JSON.stringify(INPUT), "--state", bed.state]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library);
  });

  it("pages the longest query accepted by a GET on nextLink, and refuses a longer one before any call", async () => {
    // 5 groups of 15 filters, their values grown until the query is as long as accepted.
    const big = (length: number) => {
      const filler = (i: number, j: number) => ({ field: "name", operator: "!=", value: `${i}-${j}-`.padEnd(length, "x") });
      return { operator: "AND", value: [...INPUT.query.value, ...Array.from({ length: 5 }, (_, i) => ({ operator: "AND", value: Array.from({ length: 15 }, (_, j) => filler(i, j)) }))] };
    };
    let length = 1;
    while (JSON.stringify(big(length + 1)).length <= SEARCH_MAX_QUERY_JSON) length++;
    const longest = { query: big(length), sort: INPUT.sort };
    expect(JSON.stringify(longest.query).length).toBeGreaterThan(SEARCH_MAX_QUERY_JSON - 5 * 15);

    const headers = { "x-api-key": apiKey, "content-type": "application/json" };
    const first = await fetch(`${baseUrl}/v1/actions/SearchContacts`, { method: "POST", headers, body: JSON.stringify(longest) });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { value: unknown[]; nextLink?: string };
    const second = await fetch(page1.nextLink ?? "", { headers: { "x-api-key": apiKey } });
    expect(second.status).toBe(200);
    expect(((await second.json()) as { value: unknown[] }).value).toHaveLength(expected.length - 150);

    const before = await bed.callCount();
    const tooLong = await fetch(`${baseUrl}/v1/actions/SearchContacts`, { method: "POST", headers, body: JSON.stringify({ query: big(length + 1) }) });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { field: string } }).error.field).toBe("query");
    expect(await bed.callCount()).toBe(before);
  });

  it("refuses a query 3 levels deep with the same code and field in all three, calling nothing", async () => {
    const before = await bed.callCount();
    const deep = { query: { operator: "OR", value: [{ operator: "AND", value: [{ operator: "OR", value: [{ field: "email", operator: "=", value: "a@acme.com" }] }] }] } };
    const field = "query.value.0.value.0.operator";

    const library = await connector.connection(libraryConnection).run("SearchContacts", deep);
    expect(library.ok ? "ok" : [library.error.code, library.error.field]).toEqual(["invalid_input", field]);

    const answer = await fetch(`${baseUrl}/v1/actions/SearchContacts`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(deep) });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "invalid_input", field });

    const run = await bed.run(["call", "SearchContacts", "--input", JSON.stringify(deep), "--state", bed.state]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(new RegExp(`^error invalid_input: Invalid input: ${field.replace(/\./g, "\\.")} `, "m"));
    expect(await bed.callCount()).toBe(before);
  });
});
