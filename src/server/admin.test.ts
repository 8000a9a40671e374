import { afterEach, describe, expect, it } from "vitest";
import { adminRule, adminRuleLine } from "./admin.js";
import { listeningService, type ListeningService } from "./testing/listening.js";

let service: ListeningService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const ADMIN_KEY = "admin-key-for-tests-0123456789";
const BODY = { access_token: "tok_admin_test", region: "eu" };

describe("who may create connections, by where the service listens", () => {
  it("listening on every interface without CONNECTOR_ADMIN_KEY: refused even from 127.0.0.1, 403 naming the setting, nothing created", async () => {
    for (const host of ["0.0.0.0", "::"]) {
      service = await listeningService(host, {});
      const refused = await service.send("POST", "/v1/connections", { body: BODY });
      expect(refused.status, host).toBe(403);
      expect(refused.body).toEqual({
        error: { code: "admin_key_required", message: "Creating connections needs CONNECTOR_ADMIN_KEY: set it on the service and send it in the X-Admin-Key header" },
      });
      expect(await service.store.listConnections()).toEqual([]);
      await service.close();
      service = undefined;
    }
  });

  it("listening on 127.0.0.1 without CONNECTOR_ADMIN_KEY: a caller on this machine creates one; a proxied one does not", async () => {
    service = await listeningService("127.0.0.1", {});
    const created = await service.send("POST", "/v1/connections", { body: BODY });
    expect(created.status).toBe(201);
    const proxied = await service.send("POST", "/v1/connections", { body: BODY, headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(proxied.status).toBe(403);
    expect((proxied.body as { error: { code: string } }).error.code).toBe("admin_local_only");
    expect(await service.store.listConnections()).toHaveLength(1);
  });

  it("with CONNECTOR_ADMIN_KEY, on any interface: the key is required, and enough", async () => {
    service = await listeningService("0.0.0.0", { adminKey: ADMIN_KEY });
    expect((await service.send("POST", "/v1/connections", { body: BODY })).status).toBe(401);
    expect((await service.send("POST", "/v1/connections", { body: BODY, headers: { "x-admin-key": "wrong" } })).status).toBe(401);
    expect((await service.send("POST", "/v1/connections", { body: BODY, headers: { "x-admin-key": ADMIN_KEY } })).status).toBe(201);
  });

  it("in demo mode, on every interface without a key: anyone who reaches it creates one", async () => {
    service = await listeningService("0.0.0.0", { demoMode: true });
    expect((await service.send("POST", "/v1/connections", { body: BODY })).status).toBe(201);
  });

  it("names the rule in force for the banner", () => {
    expect(adminRule({ adminKey: ADMIN_KEY, demoMode: true, listensOn: "0.0.0.0" })).toBe("admin-key");
    expect(adminRule({ adminKey: undefined, demoMode: true, listensOn: "0.0.0.0" })).toBe("demo");
    expect(adminRule({ adminKey: undefined, demoMode: false, listensOn: "127.0.0.1" })).toBe("loopback");
    expect(adminRule({ adminKey: undefined, demoMode: false, listensOn: "::1" })).toBe("loopback");
    expect(adminRule({ adminKey: undefined, demoMode: false, listensOn: "::" })).toBe("key-required");
    expect(adminRule({ adminKey: undefined, demoMode: false, listensOn: "192.168.1.20" })).toBe("key-required");
    expect(adminRuleLine("key-required")).toContain("CONNECTOR_ADMIN_KEY");
  });
});
