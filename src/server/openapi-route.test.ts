import { afterEach, describe, expect, it } from "vitest";
import { CONNECTOR_ROUTES } from "./openapi/index.js";
import { ACTION_ROUTES, TRIGGER_POLL_ROUTES } from "./routes.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Swagger = { host?: string; basePath: string; schemes: string[]; paths: Record<string, Record<string, { operationId?: string }>> };

describe("GET /openapi.json", () => {
  it("serves the Swagger document for the host the caller reached, without a key", async () => {
    h = await startServiceHarness();
    const answer = await h.call("GET", "/openapi.json", { key: null, headers: { host: "connector.local:3000" } });
    expect(answer.status).toBe(200);
    const swagger = answer.body as Swagger & { swagger: string };
    expect(swagger).toMatchObject({ swagger: "2.0", host: "connector.local:3000", basePath: "/", schemes: ["http"] });
  });

  it("follows the public base URL when one is configured, and leaves out a host Swagger cannot hold", async () => {
    h = await startServiceHarness({ publicBaseUrl: "https://connector.example.com/intercom" });
    const swagger = (await h.call("GET", "/openapi.json", { key: null })).body as Swagger;
    expect(swagger).toMatchObject({ host: "connector.example.com", basePath: "/intercom", schemes: ["https"] });
    await h.close();
    h = await startServiceHarness();
    const ipv6 = (await h.call("GET", "/openapi.json", { key: null, headers: { host: "[::1]:3000" } })).body as Swagger;
    expect(ipv6.host).toBeUndefined();
  });

  it("describes exactly the routes the service answers, with the same layout as ACTION_ROUTES and TRIGGER_POLL_ROUTES", async () => {
    h = await startServiceHarness();
    const swagger = (await h.call("GET", "/openapi.json", { key: null })).body as Swagger;
    let described = 0;
    for (const [path, item] of Object.entries(swagger.paths)) {
      for (const method of Object.keys(item).filter((m) => ["get", "post", "delete", "put", "patch"].includes(m))) {
        // Without a key, a route the service has answers 401; one it lacks would be route_not_found.
        const answer = await h.call(method.toUpperCase(), path.replace(/\{\w+\}/g, "x"), { key: null });
        expect(answer.status, `${method} ${path}`).toBe(401);
        described++;
      }
    }
    expect(described).toBe(CONNECTOR_ROUTES.length);
    for (const [id, route] of Object.entries(ACTION_ROUTES)) {
      expect(swagger.paths[route.path]?.[route.method.toLowerCase()]?.operationId, id).toBe(id);
    }
    for (const [id, route] of Object.entries(TRIGGER_POLL_ROUTES)) {
      expect(swagger.paths[route.path]?.[route.method.toLowerCase()]?.operationId, id).toBe(`${id}Polling`);
    }
  });
});
