import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliTestBed } from "../../cli/testing/cli-bed.js";
import type { Connector } from "../../connector/index.js";
import type { ActionId } from "../../contract/index.js";
import { addTeam } from "../../emulator/routes/teams.js";
import { startThreeFaces, type ThreeFaces } from "../../runtime/testing/three-faces.js";

// The notes, events, workspace, data attributes and raw areas through the three faces, with no
// face naming them: the same input answers the same in the library, the service and the CLI.

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; field?: string | undefined };

let faces: ThreeFaces;
let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let app: FastifyInstance;
let apiKey: string;

beforeAll(async () => {
  faces = await startThreeFaces();
  ({ bed, connector, libraryConnection, app, apiKey } = faces);
});

afterAll(() => faces.close());

function failed(code: string, field: string | undefined): Outcome {
  return code === "invalid_input" ? { ok: false, code, field } : { ok: false, code };
}

async function viaLibrary(operationId: ActionId, input: unknown): Promise<Outcome> {
  const result = await connector.connection(libraryConnection).run(operationId, input);
  if (!result.ok) return failed(result.error.code, result.error.field);
  const value: unknown = result.value;
  if (typeof value === "object" && value !== null && Symbol.asyncIterator in value) {
    const items: unknown[] = [];
    for await (const item of value as AsyncIterable<unknown>) items.push(item);
    return { ok: true, value: items };
  }
  return { ok: true, value };
}

/** A list's pages are `{value, nextLink}`: the items of the first (these lists have one page). */
async function viaService(operationId: ActionId, input: unknown, get = false): Promise<Outcome> {
  const answer = get
    ? await app.inject({ method: "GET", url: `/v1/actions/${operationId}?${new URLSearchParams(input as Record<string, string>).toString()}`, headers: { "x-api-key": apiKey } })
    : await app.inject({ method: "POST", url: `/v1/actions/${operationId}`, headers: { "x-api-key": apiKey, "content-type": "application/json" }, payload: JSON.stringify(input) });
  const body = JSON.parse(answer.body) as { error?: { code: string; field?: string }; value?: unknown; nextLink?: string };
  if (answer.statusCode !== 200) return failed(body.error?.code ?? "?", body.error?.field);
  if (typeof body === "object" && "value" in body && Array.isArray(body.value)) {
    expect(body.nextLink, operationId).toBeUndefined();
    return { ok: true, value: body.value };
  }
  return { ok: true, value: body };
}

async function viaCli(operationId: ActionId, input: unknown): Promise<Outcome> {
  const run = await bed.run(["call", operationId, "--input", JSON.stringify(input), "--state", bed.state]);
  if (run.code === 0) return { ok: true, value: JSON.parse(run.stdout) };
  const line = /^error (\w+): (.*)$/m.exec(run.stderr);
  const field = /^Invalid input: (\S+) /.exec(line?.[2] ?? "")?.[1];
  return failed(line?.[1] ?? `exit ${String(run.code)}`, field);
}

describe("notes, events, workspace, data attributes and SendRequest through every face", { timeout: 120_000 }, () => {
  it("answer the same in the library, the service and the CLI", async () => {
    const contact = bed.em.workspace.insertContact({ role: "user", email: "faces@example.com", external_id: "faces-1" });
    addTeam(bed.em.workspace, { name: "Support", admin_ids: [Number(bed.em.workspace.ownerAdminId)] });
    const note = await viaLibrary("AddNoteToContact", { contact_id: contact.id, body: "Seen in every face" });
    expect(note).toMatchObject({ ok: true, value: { type: "note", body: "<p>Seen in every face</p>", contact: { id: contact.id } } });
    const cases: Array<[ActionId, unknown, boolean]> = [
      ["ListNotes", { contact_id: contact.id }, true],
      ["ListTeams", {}, true],
      ["ListAdmins", {}, true],
      ["ListDataAttributes", { model: "company", include_archived: true }, false],
      ["SubmitEvent", { event_name: "opened-faces", user_id: "faces-1", created_at: 1_795_523_438, metadata: { face: "any" } }, false],
      ["SendRequest", { method: "GET", path: "/contacts/6762f0a51bb69f9f2193ffff" }, false],
      ["SendRequest", { method: "GET", path: "/me" }, false],
    ];
    // Intercom's request_id is new on every answer: the one thing that differs.
    const same = (outcome: Outcome): unknown => JSON.parse(JSON.stringify(outcome).replace(/"request_id":"[^"]*"/g, '"request_id":"…"'));
    for (const [operationId, input, get] of cases) {
      const library = await viaLibrary(operationId, input);
      expect(library.ok, operationId).toBe(true);
      expect(same(await viaService(operationId, input, get)), `service: ${operationId}`).toEqual(same(library));
      expect(same(await viaCli(operationId, input)), `CLI: ${operationId}`).toEqual(same(library));
    }
    expect(bed.em.workspace.events.get(contact.id)).toHaveLength(1);
    expect(await viaLibrary("ListNotes", { contact_id: contact.id })).toMatchObject({ ok: true, value: [{ body: "<p>Seen in every face</p>" }] });
  });

  it("refuse the same bad input with the same code and field, sending nothing", async () => {
    const bad: Array<[ActionId, unknown]> = [
      ["SendRequest", { method: "GET", path: "//evil.invalid/me" }],
      ["SendRequest", { method: "GET", path: "/_emulator/workspaces" }],
      ["SubmitEvent", { event_name: "x" }],
      ["CreateDataAttribute", { name: "x", model: "contact", data_type: "options" }],
      ["AddNoteToContact", { contact_id: "../x", body: "x" }],
    ];
    const before = await bed.callCount();
    for (const [operationId, input] of bad) {
      const library = await viaLibrary(operationId, input);
      expect(library.ok, `${operationId} ${JSON.stringify(input)}`).toBe(false);
      expect(await viaService(operationId, input), `service: ${operationId}`).toEqual(library);
      expect(await viaCli(operationId, input), `CLI: ${operationId}`).toEqual(library);
    }
    expect(await bed.callCount()).toBe(before);
  });
});
