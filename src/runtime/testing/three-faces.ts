import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { startCliTestBed, type CliTestBed } from "../../cli/testing/cli-bed.js";
import { createConnector, type Connector } from "../../connector/index.js";
import { buildServer } from "../../server/index.js";
import { openStore, type Store } from "../../store/index.js";
import { Runtime } from "../runtime.js";

/**
 * One emulator behind the three faces a test compares: the library (its own store and
 * connection), the HTTP service on a real port (its own store and connection, by API key), and
 * the CLI (`bed.run`, the emulator's connection from its environment).
 *
 * @example
 * const faces = await startThreeFaces();
 * const answer = await faces.app.inject({ method: "POST", url: "/v1/actions/ListTags", headers: { "x-api-key": faces.apiKey }, payload: {} });
 * await faces.close();
 */
export interface ThreeFaces {
  bed: CliTestBed;
  connector: Connector;
  /** The library's connection to the emulator. */
  libraryConnection: string;
  store: Store;
  app: FastifyInstance;
  /** Where the service listens (port 0: the OS's choice). */
  baseUrl: string;
  /** The service's connection's API key. */
  apiKey: string;
  /** `POST /v1/actions/{id}` over the real socket, with the API key and `body` as JSON. */
  post(operationId: string, body: unknown): Promise<Response>;
  /** `call {id} --input <json>` on the CLI bed (its connection, its state). */
  call(operationId: string, input: unknown): Promise<{ code: number | null; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/**
 * Starts the emulator, the library and the service (see {@link ThreeFaces}).
 *
 * @example
 * let faces: ThreeFaces;
 * beforeAll(async () => (faces = await startThreeFaces()));
 * afterAll(() => faces.close());
 */
export async function startThreeFaces(): Promise<ThreeFaces> {
  const bed = await startCliTestBed();
  const token = bed.env.INTERCOM_ACCESS_TOKEN ?? "";
  const connector = await createConnector({ databaseUrl: join(bed.dir, "library.db"), secretKey: randomBytes(32) });
  const added = await connector.addConnection({ access_token: token, base_url: bed.em.baseUrl });
  if (!added.ok) throw added.error;
  const store = await openStore(join(bed.dir, "service.db"), { secretKey: randomBytes(32) });
  const app = await buildServer({ runtime: new Runtime({ store }), logger: false });
  const baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  const created = await store.createConnection({ name: "service", region: "us", baseUrl: bed.em.baseUrl, accessToken: token });
  return {
    bed,
    connector,
    libraryConnection: added.value.connection.id,
    store,
    app,
    baseUrl,
    apiKey: created.apiKey,
    post: (operationId, body) =>
      fetch(`${baseUrl}/v1/actions/${operationId}`, { method: "POST", headers: { "x-api-key": created.apiKey, "content-type": "application/json" }, body: JSON.stringify(body) }),
    call: (operationId, input) => bed.run(["call", operationId, "--input", JSON.stringify(input), "--state", bed.state]),
    async close() {
      await app.close();
      await store.close();
      await connector.close();
      await bed.cleanup();
    },
  };
}
