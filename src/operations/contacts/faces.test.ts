import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliTestBed } from "../../cli/testing/cli-bed.js";
import type { Connector } from "../../connector/index.js";
import type { ActionId } from "../../contract/index.js";
import { startThreeFaces, type ThreeFaces } from "../../runtime/testing/three-faces.js";

// One contacts operation through the library, the HTTP service and the CLI, none of them edited
// for it: the same answer, the same error with the same field, and nothing sent for bad input.

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
}, 60_000);

afterAll(() => faces.close());

async function viaLibrary(operationId: ActionId, input: unknown): Promise<Outcome> {
  const result = await connector.connection(libraryConnection).run(operationId, input);
  return result.ok ? { ok: true, value: result.value } : { ok: false, code: result.error.code, field: result.error.field };
}

async function viaService(operationId: ActionId, input: unknown): Promise<Outcome> {
  const answer = await app.inject({
    method: "POST",
    url: `/v1/actions/${operationId}`,
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    payload: JSON.stringify(input),
  });
  const body = JSON.parse(answer.body) as { error?: { code: string; field?: string } };
  if (answer.statusCode === 200) return { ok: true, value: body };
  return { ok: false, code: body.error?.code ?? "?", field: body.error?.field };
}

async function viaCli(operationId: ActionId, input: unknown): Promise<Outcome> {
  const run = await bed.run(["call", operationId, "--input", JSON.stringify(input), "--state", bed.state]);
  if (run.code === 0) return { ok: true, value: JSON.parse(run.stdout) };
  const line = /^error (\w+): (.*)$/m.exec(run.stderr);
  // The CLI's one line says the field: first for invalid input, in the message for not_found.
  const field = /^Invalid input: (\S+) /.exec(line?.[2] ?? "")?.[1];
  return { ok: false, code: line?.[1] ?? `exit ${String(run.code)}`, field };
}

describe("FindContactByExternalId in the library, the service and the CLI", { timeout: 120_000 }, () => {
  it("answers the same contact, the same not_found and the same invalid_input, with no call for bad input", async () => {
    const stored = bed.em.workspace.insertContact({ role: "lead", email: "faces@example.com", external_id: "crm/7 eu", created_at: 1_795_523_438 });
    const library = await viaLibrary("FindContactByExternalId", { external_id: "crm/7 eu" });
    expect(library).toMatchObject({ ok: true, value: { id: stored.id, role: "lead", external_id: "crm/7 eu", created_at: 1_795_523_438 } });
    expect(await viaService("FindContactByExternalId", { external_id: "crm/7 eu" })).toEqual(library);
    expect(await viaCli("FindContactByExternalId", { external_id: "crm/7 eu" })).toEqual(library);

    const missing = await viaLibrary("FindContactByExternalId", { external_id: "nobody" });
    expect(missing).toEqual({ ok: false, code: "not_found", field: "external_id" });
    expect(await viaService("FindContactByExternalId", { external_id: "nobody" })).toEqual(missing);
    expect(await viaCli("FindContactByExternalId", { external_id: "nobody" })).toEqual({ ok: false, code: "not_found", field: undefined });

    const before = await bed.callCount();
    for (const input of [{ external_id: ".." }, { external_id: "" }, {}]) {
      const bad = await viaLibrary("FindContactByExternalId", input);
      expect(bad, JSON.stringify(input)).toEqual({ ok: false, code: "invalid_input", field: "external_id" });
      expect(await viaService("FindContactByExternalId", input), JSON.stringify(input)).toEqual(bad);
      expect(await viaCli("FindContactByExternalId", input), JSON.stringify(input)).toEqual(bad);
    }
    expect(await bed.callCount()).toBe(before);
  });
});
