import { describe, expect, it } from "vitest";
import { resolveServeSettings } from "./serve-settings.js";
import { UsageError } from "./settings.js";

describe("serve settings", () => {
  it("defaults to port 3000 on loopback, the emulator (no token), info logs", () => {
    const settings = resolveServeSettings({}, {});
    expect(settings).toMatchObject({ port: 3000, host: "127.0.0.1", accessToken: undefined, apiKey: undefined, adminKey: undefined, logLevel: "info", pollIntervalSeconds: 120, callsPerMinute: 100 });
    expect(settings).toMatchObject({ leaseSeconds: 60, webhookTimeoutSeconds: 10, pollConcurrency: 16 });
    expect(resolveServeSettings({}, { WORKER_POLL_CONCURRENCY: "64" }).pollConcurrency).toBe(64);
    expect(resolveServeSettings({ pollConcurrency: 2 }, { WORKER_POLL_CONCURRENCY: "64" }).pollConcurrency).toBe(2);
    expect(() => resolveServeSettings({}, { WORKER_POLL_CONCURRENCY: "0" })).toThrow(/^WORKER_POLL_CONCURRENCY '0' is invalid/);
  });

  it("shortens the webhook timeout with a short lease, and refuses a timeout over half the lease", () => {
    expect(resolveServeSettings({}, { WORKER_LEASE_SECONDS: "4" })).toMatchObject({ leaseSeconds: 4, webhookTimeoutSeconds: 2 });
    expect(resolveServeSettings({ lease: 30, webhookTimeout: 3 }, { WORKER_LEASE_SECONDS: "4" })).toMatchObject({ leaseSeconds: 30, webhookTimeoutSeconds: 3 });
    expect(() => resolveServeSettings({}, { WORKER_LEASE_SECONDS: "10", WEBHOOK_TIMEOUT_SECONDS: "6" })).toThrow(
      /^WORKER_LEASE_SECONDS \(10 s\) must be at least twice the webhook timeout \(6 s\): raise the lease or lower WEBHOOK_TIMEOUT_SECONDS$/,
    );
    expect(() => resolveServeSettings({}, { WEBHOOK_TIMEOUT_SECONDS: "40" })).toThrow(/^the default lease \(60 s\) must be at least twice/);
    expect(() => resolveServeSettings({}, { WORKER_LEASE_SECONDS: "soon" })).toThrow(/^WORKER_LEASE_SECONDS 'soon' is invalid/);
  });

  it("reads every variable, and a flag wins over its variable", () => {
    const env = {
      PORT: "8080",
      HOST: "0.0.0.0",
      INTERCOM_ACCESS_TOKEN: "tok",
      INTERCOM_REGION: "eu",
      POLL_INTERVAL_SECONDS: "60",
      CONNECTION_CALLS_PER_MINUTE: "500",
      CONNECTOR_API_KEY: "env-api-key-0123456789",
      CONNECTOR_ADMIN_KEY: "env-admin-key-0123456789",
      PUBLIC_BASE_URL: "https://connector.example.com/",
      INTERCOM_CLIENT_SECRET: "client-secret",
      LOG_LEVEL: "warn",
    };
    expect(resolveServeSettings({}, env)).toMatchObject({
      port: 8080,
      host: "0.0.0.0",
      accessToken: "tok",
      region: "eu",
      pollIntervalSeconds: 60,
      callsPerMinute: 500,
      apiKey: "env-api-key-0123456789",
      adminKey: "env-admin-key-0123456789",
      publicBaseUrl: "https://connector.example.com",
      intercomClientSecret: "client-secret",
      logLevel: "warn",
    });
    expect(resolveServeSettings({ port: 0, apiKey: "flag-api-key-0123456789", logLevel: "silent", interval: 5 }, env)).toMatchObject({
      port: 0,
      apiKey: "flag-api-key-0123456789",
      logLevel: "silent",
      pollIntervalSeconds: 5,
    });
  });

  it("allows private webhook callbacks in demo mode only, unless told otherwise, and reads the allowed hosts", () => {
    expect(resolveServeSettings({}, {}).callbackPolicy).toEqual({ allowPrivate: true, allowedHosts: [] });
    expect(resolveServeSettings({}, { INTERCOM_ACCESS_TOKEN: "tok" }).callbackPolicy).toEqual({ allowPrivate: false, allowedHosts: [] });
    expect(resolveServeSettings({}, { WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "false" }).callbackPolicy.allowPrivate).toBe(false);
    expect(resolveServeSettings({}, { INTERCOM_ACCESS_TOKEN: "tok", WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "TRUE" }).callbackPolicy.allowPrivate).toBe(true);
    expect(resolveServeSettings({ allowPrivateCallbacks: true }, { INTERCOM_ACCESS_TOKEN: "tok", WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "no" }).callbackPolicy.allowPrivate).toBe(true);
    expect(resolveServeSettings({}, { INTERCOM_ACCESS_TOKEN: "tok", WEBHOOK_ALLOWED_HOSTS: " hooks.corp.example, 10.20.0.0/16,,fd00::/8 " }).callbackPolicy).toEqual({
      allowPrivate: false,
      allowedHosts: ["hooks.corp.example", "10.20.0.0/16", "fd00::/8"],
    });
    expect(resolveServeSettings({ webhookAllowedHosts: ["192.168.1.10"] }, { WEBHOOK_ALLOWED_HOSTS: "10.0.0.0/8" }).callbackPolicy.allowedHosts).toEqual(["192.168.1.10"]);
    expect(() => resolveServeSettings({}, { WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "sometimes" })).toThrow(/^WEBHOOK_ALLOW_PRIVATE_CALLBACKS 'sometimes' is invalid. Use true or false.$/);
    expect(() => resolveServeSettings({}, { WEBHOOK_ALLOWED_HOSTS: "hooks.example, 10.0.0.0/33" })).toThrow(
      /^WEBHOOK_ALLOWED_HOSTS 'hooks.example, 10.0.0.0\/33' is invalid. '10.0.0.0\/33' has a prefix longer than 32 bits: give host names/,
    );
  });

  it("names the variable at fault without repeating a secret", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: "70000" }, /^PORT '70000' is invalid/],
      [{ HOST: "http://x" }, /^HOST 'http:\/\/x' is invalid/],
      [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL 'loud' is invalid/],
      [{ CONNECTOR_ADMIN_KEY: "tiny" }, /^CONNECTOR_ADMIN_KEY is invalid/],
      [{ PUBLIC_BASE_URL: "ftp://x" }, /^PUBLIC_BASE_URL 'ftp:\/\/x' is invalid/],
    ];
    for (const [env, message] of cases) {
      const error: unknown = (() => {
        try {
          return resolveServeSettings({}, env);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify(env)).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
    expect(() => resolveServeSettings({}, { CONNECTOR_API_KEY: "secret value" })).toThrow(/^CONNECTOR_API_KEY is invalid: (?!.*secret value)/);
  });
});
