import { afterEach, describe, expect, it } from "vitest";
import { CONNECTOR_ROUTES, fillPath } from "./openapi/index.js";
import { CONSOLE_ROUTES } from "./console/routes.js";
import { MCP_ROUTES } from "./openapi/mcp-operation.js";
import { CONNECTION_ROUTES, connectionPath, HEALTH_PATH, INTERCOM_PUSH_ROUTE, intercomPushPath, METRICS_PATH, OPENAPI_PATH, READY_PATH } from "./routes.js";
import { startServiceHarness, type ServiceHarness } from "./testing/harness.js";

let h: ServiceHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/**
 * The routes fastify has, as `METHOD url` (HEAD left out: fastify adds one to every GET), read
 * from `printRoutes`: each line is a path segment under its parent, with the methods served there.
 */
function registeredRoutes(tree: string): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of tree.split("\n")) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? "").length / 4;
    const url = `${parents[depth - 1] ?? ""}${match[2] ?? ""}`;
    parents[depth] = url;
    for (const method of (match[3] ?? "").split(", ").filter((m) => m !== "" && m !== "HEAD")) routes.push(`${method} ${url}`);
  }
  return routes.sort();
}

describe("the service's routes", () => {
  it("are the connector's route table and the service's own endpoints, nothing else", async () => {
    h = await startServiceHarness();
    const own = [...Object.values(CONNECTION_ROUTES), INTERCOM_PUSH_ROUTE, { method: "GET", url: HEALTH_PATH }, { method: "GET", url: READY_PATH }, { method: "GET", url: METRICS_PATH }, { method: "GET", url: OPENAPI_PATH }, ...MCP_ROUTES, ...Object.values(CONSOLE_ROUTES)];
    const expected = [...CONNECTOR_ROUTES, ...own].map((route) => `${route.method} ${route.url}`).sort();
    expect(registeredRoutes(h.app.printRoutes({ commonPrefix: false }))).toEqual(expected);
  });

  it("serve every route of the table at its method, behind the API key", async () => {
    h = await startServiceHarness();
    for (const route of CONNECTOR_ROUTES) {
      expect(h.app.hasRoute({ method: route.method, url: route.url }), `${route.method} ${route.url}`).toBe(true);
      const url = fillPath(route.path, Object.fromEntries(route.parameters.filter((p) => p.in === "path").map((p) => [p.name, "x"])));
      // A route the service lacks answers 404 route_not_found; one it has wants the key first.
      const answer = await h.call(route.method, url, { key: null });
      expect(answer.status, `${route.method} ${url}`).toBe(401);
      expect(answer.body, `${route.method} ${url}`).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect((await h.call("PATCH", "/v1/actions/GetLead", { key: null })).body).toMatchObject({ error: { code: "route_not_found" } });
  });

  it("fill their paths for Location headers and settings, encoded", () => {
    expect(connectionPath("9f1c")).toBe("/v1/connections/9f1c");
    expect(intercomPushPath("a/b")).toBe("/intercom/webhooks/a%2Fb");
    expect(() => fillPath("/v1/subscriptions/{subscriptionId}", {})).toThrow(/subscriptionId/);
  });
});
