import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliTestBed } from "../../cli/testing/cli-bed.js";
import type { Connector } from "../../connector/index.js";
import { Company } from "../../contract/catalogue/companies.js";
import { startThreeFaces, type ThreeFaces } from "../../runtime/testing/three-faces.js";

// ListCompanies and TagContact through the three faces, none of them edited for them: the library
// streams, `call` prints one JSON array, HTTP pages by GET and nextLink (Intercom's scroll inside
// the cursor); a tagging answers the same tag, once, whichever face asks.

let faces: ThreeFaces;
let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let baseUrl: string;
let apiKey: string;
const made: string[] = [];

beforeAll(async () => {
  faces = await startThreeFaces();
  ({ bed, connector, libraryConnection, apiKey, baseUrl } = faces);
  // 20 companies: more than one scroll page of 15.
  for (let i = 0; i < 20; i++) {
    const company = await connector.connection(libraryConnection).run("CreateOrUpdateCompany", { company_id: `co-${i}`, name: `Company ${i}` });
    if (!company.ok) throw company.error;
    made.push(company.value.id);
  }
});

afterAll(() => faces.close());

describe("companies and tags in the library, the HTTP service and the CLI", { timeout: 120_000 }, () => {
  it("ListCompanies answers the same companies in the same order in all three", async () => {
    const streamed = await connector.connection(libraryConnection).run("ListCompanies", {});
    if (!streamed.ok) throw streamed.error;
    const library: unknown[] = [];
    for await (const company of streamed.value) library.push(company);
    expect(library.map((company) => Company.parse(company).id)).toEqual(made);

    const pages: unknown[] = [];
    let next: string | undefined = `${baseUrl}/v1/actions/ListCompanies`;
    let fetched = 0;
    while (next !== undefined) {
      const answer = await fetch(next, { headers: { "x-api-key": apiKey } });
      expect(answer.status).toBe(200);
      const page = (await answer.json()) as { value: unknown[]; nextLink?: string };
      pages.push(...page.value);
      if (page.nextLink !== undefined) expect(page.nextLink).toMatch(new RegExp(`^${baseUrl}/v1/actions/ListCompanies\\?cursor=companies\\.`));
      next = page.nextLink;
      fetched += 1;
    }
    expect(pages).toEqual(library);
    // 15, 5, and the empty page that ends Intercom's scroll.
    expect(fetched).toBe(3);

    const run = await bed.run(["call", "ListCompanies", "--state", bed.state]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library);
  });

  it("TagContact answers the same tag in all three and tags the contact once; a bad id is refused alike, calling nothing", async () => {
    const contact = bed.em.workspace.insertContact({ role: "lead", email: "faces@example.com" });
    const tag = await connector.connection(libraryConnection).run("CreateTag", { name: "faces" });
    if (!tag.ok) throw tag.error;
    const input = { contact_id: contact.id, tag_id: tag.value.id };
    const library = await connector.connection(libraryConnection).run("TagContact", input);
    if (!library.ok) throw library.error;
    const answer = await fetch(`${baseUrl}/v1/actions/TagContact`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(input) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual(library.value);
    const run = await bed.run(["call", "TagContact", "--input", JSON.stringify(input), "--state", bed.state]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library.value);
    expect(bed.em.workspace.contacts.get(contact.id)?.tags.map((t) => t.id)).toEqual([tag.value.id]);

    const before = await bed.callCount();
    const bad = { contact_id: "..", tag_id: tag.value.id };
    const refused = await connector.connection(libraryConnection).run("TagContact", bad);
    expect(refused.ok ? "ok" : [refused.error.code, refused.error.field]).toEqual(["invalid_input", "contact_id"]);
    const http = await fetch(`${baseUrl}/v1/actions/TagContact`, { method: "POST", headers: { "x-api-key": apiKey, "content-type": "application/json" }, body: JSON.stringify(bad) });
    expect(http.status).toBe(400);
    expect(((await http.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "invalid_input", field: "contact_id" });
    const cli = await bed.run(["call", "TagContact", "--input", JSON.stringify(bad), "--state", bed.state]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toMatch(/^error invalid_input: Invalid input: contact_id /m);
    expect(await bed.callCount()).toBe(before);
  });
});
