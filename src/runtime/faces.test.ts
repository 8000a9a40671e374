import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliTestBed, type CliTestBed } from "../cli/testing/cli-bed.js";
import { createConnector, type Connector } from "../connector/index.js";
import type { ActionId } from "../contract/index.js";
import { buildServer } from "../server/index.js";
import { openStore, type Store } from "../store/index.js";
import { Runtime } from "./runtime.js";

/**
 * What a face answered, reduced to what every face can say: the value, or the error's code (and
 * for invalid input the field, which the CLI's one line names first in its message).
 */
type Outcome = { ok: true; value: unknown } | { ok: false; code: string; field?: string | undefined };

function failed(code: string, field: string | undefined): Outcome {
  return code === "invalid_input" ? { ok: false, code, field } : { ok: false, code };
}

let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let store: Store;
let app: FastifyInstance;
let apiKey: string;

beforeAll(async () => {
  bed = await startCliTestBed();
  connector = await createConnector({ databaseUrl: join(bed.dir, "library.db"), secretKey: randomBytes(32) });
  const added = await connector.addConnection({ access_token: bed.env.INTERCOM_ACCESS_TOKEN ?? "", base_url: bed.em.baseUrl });
  if (!added.ok) throw added.error;
  libraryConnection = added.value.connection.id;
  store = await openStore(join(bed.dir, "service.db"), { secretKey: randomBytes(32) });
  app = await buildServer({ runtime: new Runtime({ store }), logger: false });
  const created = await store.createConnection({ name: "service", region: "us", baseUrl: bed.em.baseUrl, accessToken: bed.env.INTERCOM_ACCESS_TOKEN ?? "" });
  apiKey = created.apiKey;
});

afterAll(async () => {
  await app.close();
  await store.close();
  await connector.close();
  await bed.cleanup();
});

async function viaLibrary(operationId: ActionId, input: unknown): Promise<Outcome> {
  const result = await connector.connection(libraryConnection).run(operationId, input);
  return result.ok ? { ok: true, value: result.value } : failed(result.error.code, result.error.field);
}

async function viaService(operationId: ActionId, input: unknown): Promise<Outcome> {
  // ListLeads is a GET whose input is the query string; the others POST their input as JSON.
  const answer =
    operationId === "ListLeads"
      ? await app.inject({ method: "GET", url: `/v1/actions/ListLeads?${new URLSearchParams(input as Record<string, string>).toString()}`, headers: { "x-api-key": apiKey } })
      : await app.inject({
          method: "POST",
          url: `/v1/actions/${operationId}`,
          headers: { "x-api-key": apiKey, "content-type": "application/json" },
          payload: JSON.stringify(input),
        });
  const body = JSON.parse(answer.body) as { error?: { code: string; field?: string } };
  if (answer.statusCode === 200) return { ok: true, value: body };
  return failed(body.error?.code ?? "?", body.error?.field);
}

async function viaCli(operationId: ActionId, input: unknown): Promise<Outcome> {
  const run = await bed.run(["call", operationId, "--input", JSON.stringify(input), "--state", bed.state]);
  if (run.code === 0) return { ok: true, value: JSON.parse(run.stdout) };
  const line = /^error (\w+): (.*)$/m.exec(run.stderr);
  // The CLI's line names the field first in the message (`Invalid input: email must …`).
  const field = /^Invalid input: (\S+) /.exec(line?.[2] ?? "")?.[1];
  return failed(line?.[1] ?? `exit ${String(run.code)}`, field);
}

describe("the library, the service and the CLI behave alike on the same input", { timeout: 120_000 }, () => {
  it("answers each bad input with the same code and field, and sends nothing to Intercom", async () => {
    const bad: Array<[ActionId, unknown]> = [
      ["CreateLead", { email: "not an email" }],
      ["CreateLead", { email: "a@example.com", surprise: true }],
      ["CreateUser", {}],
      ["CreateUser", { email: 42 }],
      ["GetLead", {}],
      ["GetLead", { contact_id: "" }],
      ["GetUser", { user_id: ["x"] }],
      ["ListLeads", { page: "2" }],
      ["GetLead", []],
    ];
    const before = await bed.callCount();
    for (const [operationId, input] of bad) {
      const library = await viaLibrary(operationId, input);
      expect(library.ok, `${operationId} ${JSON.stringify(input)}`).toBe(false);
      expect(await viaService(operationId, input), `service: ${operationId} ${JSON.stringify(input)}`).toEqual(library);
      expect(await viaCli(operationId, input), `CLI: ${operationId} ${JSON.stringify(input)}`).toEqual(library);
    }
    expect(await bed.callCount()).toBe(before);
  });

  it("answers good input with the same result, and a missing contact with the same error", async () => {
    const lead = bed.em.workspace.insertContact({ role: "lead", email: "same@example.com", name: "Same" });
    const user = bed.em.workspace.insertContact({ role: "user", email: "user@example.com", name: "User" });
    const cases: Array<[ActionId, unknown]> = [
      ["GetLead", { contact_id: lead.id }],
      ["GetUser", { user_id: user.id }],
      ["GetUser", { user_id: lead.id }],
      ["GetLead", { contact_id: "6762f0a51bb69f9f2193ffff" }],
    ];
    for (const [operationId, input] of cases) {
      const library = await viaLibrary(operationId, input);
      expect(await viaService(operationId, input), `service: ${operationId}`).toEqual(library);
      expect(await viaCli(operationId, input), `CLI: ${operationId}`).toEqual(library);
    }
    expect(await viaLibrary("GetLead", { contact_id: lead.id })).toMatchObject({ ok: true, value: { id: lead.id, email: "same@example.com" } });
  });

  it("adds a connection by the same rules: the same bad input is the same error in the library and the service, and the CLI refuses it", async () => {
    const bad: Array<Record<string, unknown>> = [
      {},
      { access_token: "two words" },
      { access_token: "t", region: "mars" },
      { access_token: "t", base_url: "ftp://example.com" },
      { access_token: "t", base_url: "https://user:secret@example.com" },
      { access_token: "t", base_url: "https://example.com/?q=1" },
      { access_token: "t", name: "   " },
      { access_token: "t", surprise: true },
    ];
    const before = { library: (await connector.runtime.store.listConnections()).length, service: (await store.listConnections()).length };
    for (const input of bad) {
      const library = await connector.addConnection(input as never);
      expect(library.ok, JSON.stringify(input)).toBe(false);
      if (library.ok) continue;
      const answer = await app.inject({ method: "POST", url: "/v1/connections", headers: { "content-type": "application/json" }, payload: JSON.stringify(input) });
      expect(answer.statusCode, JSON.stringify(input)).toBe(400);
      expect(JSON.parse(answer.body), JSON.stringify(input)).toMatchObject({ error: { code: library.error.code, field: library.error.field, message: library.error.message } });
    }
    expect((await connector.runtime.store.listConnections()).length).toBe(before.library);
    expect((await store.listConnections()).length).toBe(before.service);
    // The CLI adds its connection from the environment, by the same rules, named as the variable.
    for (const env of [{ INTERCOM_ACCESS_TOKEN: "two words" }, { INTERCOM_BASE_URL: "https://user:secret@example.com" }, { INTERCOM_REGION: "mars" }]) {
      const run = await bed.run(["call", "ListLeads", "--state", join(bed.dir, "refused")], env);
      expect(run.code, JSON.stringify(env)).toBe(2);
      expect(run.stderr.trim().split("\n"), JSON.stringify(env)).toHaveLength(1);
      expect(run.stderr).not.toContain("secret");
    }
  });
});

