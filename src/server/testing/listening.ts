import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { Runtime } from "../../runtime/index.js";
import { openStore, type Store } from "../../store/index.js";
import { buildServer } from "../app.js";
import type { ServerDeps } from "../context.js";

/** A service listening on a real socket, on a fresh in-memory store, with nothing logged. */
export interface ListeningService {
  app: FastifyInstance;
  store: Store;
  port: number;
  /** A request to 127.0.0.1 on the service's port, with the given `Host` (default `127.0.0.1:port`). */
  send(method: string, path: string, options?: { host?: string; headers?: Record<string, string>; body?: unknown }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown }>;
  close(): Promise<void>;
}

/**
 * Builds the service with `deps` (no runtime needed: one is made on an in-memory store) and
 * listens on `host`, port 0: for what depends on the bound address or the `Host` a client sends,
 * which `inject` cannot show.
 *
 * @example
 * const service = await listeningService("0.0.0.0", {});
 * const answer = await service.send("POST", "/v1/connections", { body: { access_token: "t" } });
 */
export async function listeningService(host: string, deps: Omit<ServerDeps, "runtime">): Promise<ListeningService> {
  const store = await openStore(":memory:", { secretKey: randomBytes(32) });
  const runtime = new Runtime({ store });
  const app = await buildServer({ logger: false, ...deps, runtime });
  await app.listen({ host, port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    store,
    port,
    send(method, path, options = {}) {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port,
            method,
            path,
            headers: { host: options.host ?? `127.0.0.1:${port}`, ...(payload === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === "" ? null : (JSON.parse(text) as unknown) }));
          },
        );
        req.on("error", reject);
        req.end(payload);
      });
    },
    async close() {
      await app.close();
      await runtime.close();
      await store.close();
    },
  };
}
