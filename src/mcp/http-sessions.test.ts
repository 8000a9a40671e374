import { randomBytes } from "node:crypto";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterEach, describe, expect, it } from "vitest";
import { Runtime, TriggerPolls } from "../runtime/index.js";
import { openStore, type Store } from "../store/index.js";
import { ManualClock } from "../store/testing/harness.js";
import { McpSessions } from "./http-sessions.js";

// The sessions' own rules, on a bare node:http server (the service's route adds only the API key
// and the toolsets): idle sessions close, and past the cap the least recently used one goes.

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function serve(options: { idleMs?: number; maxSessions?: number }): Promise<{ url: string; clock: ManualClock; sessions: McpSessions }> {
  const store: Store = await openStore(":memory:", { secretKey: randomBytes(32) });
  const clock = new ManualClock(Date.now());
  const runtime = new Runtime({ store, now: clock.now, retention: false });
  const sessions = new McpSessions({ runtime, polls: new TriggerPolls(runtime), ...options });
  const server: HttpServer = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      // Every caller here is the one connection: the route's API key would say which.
      void sessions.handle(request, response, body === "" ? undefined : JSON.parse(body), { connectionId: "connection-a", toolsets: ["raw"] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(async () => {
    await sessions.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`, clock, sessions };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: "sessions-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  cleanup.push(() => client.close());
  return client;
}

describe("McpSessions", () => {
  it("keeps a session while it is used and closes it once idle past the limit", async () => {
    const { url, clock, sessions } = await serve({ idleMs: 60_000 });
    const client = await connect(url);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["SendRequest"]);
    clock.advance(59_000);
    await client.listTools();
    clock.advance(59_000);
    await client.listTools();
    expect(sessions.size).toBe(1);
    clock.advance(60_001);
    await expect(client.listTools()).rejects.toThrow();
    expect(sessions.size).toBe(0);
  });

  it("closes the least recently used session past the cap", async () => {
    const { url, clock, sessions } = await serve({ maxSessions: 2 });
    const first = await connect(url);
    clock.advance(1_000);
    const second = await connect(url);
    clock.advance(1_000);
    await first.listTools(); // now the second is the least recently used
    clock.advance(1_000);
    const third = await connect(url);
    expect(sessions.size).toBe(2);
    await expect(second.listTools()).rejects.toThrow();
    expect((await first.listTools()).tools).toHaveLength(1);
    expect((await third.listTools()).tools).toHaveLength(1);
  });
});
