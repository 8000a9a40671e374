import { afterEach, describe, expect, it } from "vitest";
import { hostAllowed, parseHostEntry } from "./allowed-hosts.js";
import { listeningService, type ListeningService } from "./testing/listening.js";

let service: ListeningService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

describe("parseHostEntry and hostAllowed", () => {
  it("reads host and host:port, spelled as URLs spell them, and nothing else", () => {
    expect(parseHostEntry("Connector.Example.COM")).toEqual({ hostname: "connector.example.com", port: null });
    expect(parseHostEntry("connector.example.com:08443")).toEqual({ hostname: "connector.example.com", port: "8443" });
    expect(parseHostEntry("[::1]:3000")).toEqual({ hostname: "[::1]", port: "3000" });
    expect(parseHostEntry("10.0.0.5")).toEqual({ hostname: "10.0.0.5", port: null });
    for (const bad of ["", "https://x.example", "x.example/path", "user@x.example", "x.example:0", "x.example:70000", "x.example:", "a b", "::1", "x.example?q"]) {
      expect(parseHostEntry(bad), bad).toBeNull();
    }
  });

  it("matches the name, and the port when the entry names one", () => {
    const allowed = [parseHostEntry("connector.example.com"), parseHostEntry("10.0.0.5:3000")].filter((e) => e !== null);
    expect(hostAllowed("CONNECTOR.example.com:8443", allowed)).toBe(true);
    expect(hostAllowed("10.0.0.5:3000", allowed)).toBe(true);
    expect(hostAllowed("10.0.0.5:3001", allowed)).toBe(false);
    expect(hostAllowed("10.0.0.5", allowed)).toBe(false);
    expect(hostAllowed("connector.example.com.evil.invalid", allowed)).toBe(false);
    expect(hostAllowed("", allowed)).toBe(false);
  });
});

describe("ALLOWED_HOSTS on a listening service", () => {
  it("answers 421 host_not_allowed to another Host before any route, links follow only allowed hosts, /health answers whatever the Host", async () => {
    service = await listeningService("127.0.0.1", { allowedHosts: ["connector.example.com"] });
    const refused = await service.send("POST", "/v1/connections", { host: "attacker.invalid", body: { access_token: "t" } });
    expect(refused.status).toBe(421);
    expect(refused.body).toEqual({
      error: { code: "host_not_allowed", message: "This service does not answer to that Host: use one of ALLOWED_HOSTS, or the address in PUBLIC_BASE_URL" },
    });
    expect(JSON.stringify(refused.body)).not.toContain("attacker");
    expect(await service.store.listConnections()).toEqual([]);
    // The service's own address is not allowed unless listed.
    expect((await service.send("GET", "/v1/connections")).status).toBe(421);

    const created = await service.send("POST", "/v1/connections", { host: "connector.example.com:8443", body: { access_token: "t" } });
    expect(created.status).toBe(201);
    expect(created.headers.location).toMatch(/^http:\/\/connector\.example\.com:8443\/v1\/connections\//);
    expect((await service.send("GET", "/health", { host: "attacker.invalid" })).status).toBe(200);
  });

  it("answers every Host when ALLOWED_HOSTS is not set", async () => {
    service = await listeningService("127.0.0.1", {});
    expect((await service.send("GET", "/v1/connections", { host: "anything.invalid" })).status).toBe(401);
  });
});
