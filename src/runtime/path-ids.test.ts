import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliTestBed, type CliTestBed } from "../cli/testing/cli-bed.js";
import { createConnector, type Connector } from "../connector/index.js";
import { buildServer } from "../server/index.js";
import { openStore, type Store } from "../store/index.js";
import { Runtime } from "./runtime.js";

/**
 * Ids that would move a request path (`..` sent as `GET /` with the token, found by an outside
 * test), or that are no Intercom id at all.
 */
const BAD_IDS = ["..", ".", "a/b", "../admins", "%2e%2e", "?x", "#", " ", "a b", "\u0000", "a\nb", "\u202e", "", "x".repeat(129)];

/** The CLI validates through the same runtime; a few of the battery keep its test short (a process per call). */
const CLI_BAD_IDS = ["..", "a/b", "%2e%2e", "\u0000", ""];

/** One unit of budget per face: what the battery leaves shows whether it spent any. */
const ONE_CALL = 1;

let bed: CliTestBed;
let connector: Connector;
let libraryConnection: string;
let store: Store;
let app: FastifyInstance;
let serviceUrl: string;
let apiKey: string;
let leadId: string;

beforeAll(async () => {
  bed = await startCliTestBed();
  leadId = bed.em.workspace.insertContact({ role: "lead", email: "lead@example.com", name: "Lead" }).id;
  connector = await createConnector({ databaseUrl: join(bed.dir, "library.db"), secretKey: randomBytes(32), callsPerWindow: ONE_CALL });
  const added = await connector.addConnection({ access_token: bed.env.INTERCOM_ACCESS_TOKEN ?? "", base_url: bed.em.baseUrl });
  if (!added.ok) throw added.error;
  libraryConnection = added.value.connection.id;
  store = await openStore(join(bed.dir, "service.db"), { secretKey: randomBytes(32) });
  app = await buildServer({ runtime: new Runtime({ store, callsPerWindow: ONE_CALL }), logger: false });
  serviceUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  apiKey = (await store.createConnection({ name: "service", region: "us", baseUrl: bed.em.baseUrl, accessToken: bed.env.INTERCOM_ACCESS_TOKEN ?? "" })).apiKey;
});

afterAll(async () => {
  await app.close();
  await store.close();
  await connector.close();
  await bed.cleanup();
});

type Outcome = { code: string; field?: string | undefined; message: string };

async function viaLibrary(contactId: string): Promise<Outcome | "ok"> {
  const result = await connector.connection(libraryConnection).run("GetLead", { contact_id: contactId });
  return result.ok ? "ok" : { code: result.error.code, field: result.error.field, message: result.error.message };
}

async function viaService(contactId: string): Promise<Outcome | "ok"> {
  const answer = await fetch(`${serviceUrl}/v1/actions/GetLead`, {
    method: "POST",
    headers: { "x-api-key": apiKey, "content-type": "application/json" },
    body: JSON.stringify({ contact_id: contactId }),
  });
  const body = (await answer.json()) as { error?: Outcome };
  if (answer.status === 200) return "ok";
  expect(answer.status).toBe(body.error?.code === "invalid_input" ? 400 : 429);
  return { code: body.error?.code ?? "?", field: body.error?.field, message: body.error?.message ?? "" };
}

async function viaCli(contactId: string): Promise<Outcome | "ok"> {
  const run = await bed.run(["call", "GetLead", "--input", JSON.stringify({ contact_id: contactId }), "--state", bed.state], { CONNECTION_CALLS_PER_MINUTE: String(ONE_CALL) });
  if (run.code === 0) return "ok";
  const line = /^error (\w+): (.*)$/m.exec(run.stderr);
  expect(run.stderr.trim().split("\n"), JSON.stringify(contactId)).toHaveLength(1);
  return { code: line?.[1] ?? `exit ${String(run.code)}`, field: /^Invalid input: (\S+) /.exec(line?.[2] ?? "")?.[1], message: line?.[2] ?? "" };
}

describe("a path-like id is refused in every face before any call", { timeout: 180_000 }, () => {
  it.each([
    ["the library", viaLibrary, BAD_IDS],
    ["the HTTP service (a real port)", viaService, BAD_IDS],
    ["the CLI", viaCli, CLI_BAD_IDS],
  ] as const)("%s: 400 invalid_input naming contact_id, no Intercom call, no budget spent", async (_face, via, ids) => {
    const before = await bed.callCount();
    for (const id of ids) {
      const outcome = await via(id);
      expect(outcome, JSON.stringify(id)).toMatchObject({ code: "invalid_input", field: "contact_id", message: expect.stringMatching(/^Invalid input: contact_id must /) as string });
    }
    expect(await bed.callCount()).toBe(before);
    // The one unit of budget is still there: a good id is answered, and the next is over the limit.
    expect(await via(leadId)).toBe("ok");
    expect(await via(leadId)).toMatchObject({ code: "rate_limited" });
    expect(await bed.callCount()).toBe(before + 1);
  });
});
