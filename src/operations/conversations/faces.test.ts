import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliTestBed } from "../../cli/testing/cli-bed.js";
import type { Connector } from "../../connector/index.js";
import { Conversation, ConversationList } from "../../contract/catalogue/conversations.js";
import { startContactConversation } from "../../emulator/routes/conversation-records.js";
import { startThreeFaces, type ThreeFaces } from "../../runtime/testing/three-faces.js";

// The conversations area through the three faces, none of them edited for it: the same answers
// from the library, the HTTP service (a paged POST, then GETs on nextLink) and `call`, and bad
// input the same code and field in all three with no Intercom call.

let faces: ThreeFaces;
let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let baseUrl: string;
let apiKey: string;
let ownerId: string;
const expected: string[] = [];

const SEARCH = { query: { field: "state", operator: "=", value: "open" }, sort: { field: "created_at", order: "ascending" } };

beforeAll(async () => {
  faces = await startThreeFaces();
  ({ bed, connector, libraryConnection, apiKey, baseUrl } = faces);
  const ws = bed.em.workspace;
  ownerId = ws.ownerAdminId;
  const contact = ws.insertContact({ role: "user", email: "ada@example.com" });
  // 160 open conversations (more than one page of 150).
  for (let i = 0; i < 160; i++) expected.push(startContactConversation(ws, { contact, body: `<p>Question ${i}</p>`, createdAt: 1_700_000_000 + i }).id);
});

afterAll(() => faces.close());

describe("conversations in the library, the HTTP service and the CLI", { timeout: 120_000 }, () => {
  it("closes in one face and reads the same conversation in all three", async () => {
    const id = expected[0] ?? "";
    const closed = await connector.connection(libraryConnection).run("CloseConversation", { conversation_id: id, admin_id: ownerId, body: "Solved" });
    if (!closed.ok) throw closed.error;
    expect(closed.value).toMatchObject({ state: "closed", statistics: { last_closed_by_id: ownerId } });

    const library = await connector.connection(libraryConnection).run("GetConversation", { conversation_id: id });
    if (!library.ok) throw library.error;
    const http = await faces.post("GetConversation", { conversation_id: id });
    expect(http.status).toBe(200);
    expect(await http.json()).toEqual(library.value);
    const run = await faces.call("GetConversation", { conversation_id: id });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library.value);
    expect(Conversation.parse(library.value)).toEqual(library.value);
  });

  it("searches the same conversations in the same order in all three", async () => {
    const streamed = await connector.connection(libraryConnection).run("SearchConversations", SEARCH);
    if (!streamed.ok) throw streamed.error;
    const library: unknown[] = [];
    for await (const conversation of streamed.value) library.push(conversation);
    expect(ConversationList.parse(library).map((c) => c.id)).toEqual(expected.slice(1));

    const first = await faces.post("SearchConversations", SEARCH);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { value: unknown[]; nextLink?: string };
    expect(page1.value).toHaveLength(150);
    expect(page1.nextLink).toMatch(new RegExp(`^${baseUrl}/v1/actions/SearchConversations\\?cursor=conversations\\.`));
    const second = await fetch(page1.nextLink ?? "", { headers: { "x-api-key": apiKey } });
    expect(second.status).toBe(200);
    const page2 = (await second.json()) as { value: unknown[]; nextLink?: string };
    expect(page2).not.toHaveProperty("nextLink");
    expect([...page1.value, ...page2.value]).toEqual(library);

    const run = await faces.call("SearchConversations", SEARCH);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(library);
  });

  it("refuses a reply naming neither an admin nor a contact with the same code and field in all three, calling nothing", async () => {
    const before = await bed.callCount();
    const input = { conversation_id: expected[1], body: "Hi" };
    const library = await connector.connection(libraryConnection).run("ReplyToConversation", input);
    expect(library.ok ? "ok" : [library.error.code, library.error.field]).toEqual(["invalid_input", "admin_id"]);
    const answer = await faces.post("ReplyToConversation", input);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: "invalid_input", field: "admin_id" });
    const run = await faces.call("ReplyToConversation", input);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error invalid_input: Invalid input: admin_id /m);
    expect(await bed.callCount()).toBe(before);
  });
});
