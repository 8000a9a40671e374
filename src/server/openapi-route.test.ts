import { afterEach, describe, expect, it } from "vitest";
import { CONNECTOR_ROUTES } from "./openapi/index.js";
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

  it("describes exactly the route table, and the service answers each operation it describes", async () => {
    h = await startServiceHarness();
    const swagger = (await h.call("GET", "/openapi.json", { key: null })).body as Swagger;
    const described: string[] = [];
    for (const [path, item] of Object.entries(swagger.paths)) {
      for (const method of Object.keys(item).filter((m) => ["get", "post", "delete", "put", "patch"].includes(m))) {
        described.push(`${method.toUpperCase()} ${path} ${item[method]?.operationId ?? "?"}`);
        // Without a key, a route the service has answers 401; one it lacks would be route_not_found.
        const answer = await h.call(method.toUpperCase(), path.replace(/\{\w+\}/g, "x"), { key: null });
        expect(answer.status, `${method} ${path}`).toBe(401);
        expect(answer.body, `${method} ${path}`).toMatchObject({ error: { code: "unauthorized" } });
      }
    }
    // The route table, and the MCP server (POST /mcp) that Copilot Studio reaches.
    expect(described.sort()).toEqual([...CONNECTOR_ROUTES.map((route) => `${route.method} ${route.path} ${route.operationId}`), "POST /mcp InvokeMCP"].sort());
    for (const operationId of ["ListDeadLetters", "ReplayDeadLetter", "GetSubscription", "DeleteSubscription"]) expect(described.join("\n")).toContain(` ${operationId}`);
  });
});
