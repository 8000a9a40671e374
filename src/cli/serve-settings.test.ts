import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_POLICY, RetentionSweeper } from "../store/index.js";
import { resolveServeSettings } from "./serve-settings.js";
import { UsageError } from "./settings.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("serve settings", () => {
  it("defaults to port 3000 on loopback, the emulator (no token), info logs", () => {
    const settings = resolveServeSettings({}, {});
    expect(settings).toMatchObject({ port: 3000, host: "127.0.0.1", accessToken: undefined, apiKey: undefined, adminKey: undefined, logLevel: "info", pollIntervalSeconds: 120, callsPerMinute: 100 });
    expect(settings).toMatchObject({ leaseSeconds: 60, webhookTimeoutSeconds: 10, pollConcurrency: 16 });
    expect(resolveServeSettings({}, { WORKER_POLL_CONCURRENCY: "64" }).pollConcurrency).toBe(64);
    expect(resolveServeSettings({ pollConcurrency: 2 }, { WORKER_POLL_CONCURRENCY: "64" }).pollConcurrency).toBe(2);
    expect(() => resolveServeSettings({}, { WORKER_POLL_CONCURRENCY: "0" })).toThrow(/^WORKER_POLL_CONCURRENCY '0' is invalid/);
  });

  it("gives every action a 30 s deadline unless ACTION_DEADLINE_SECONDS or --action-deadline says otherwise, at most an hour", () => {
    expect(resolveServeSettings({}, {}).actionDeadlineSeconds).toBe(30);
    expect(resolveServeSettings({}, { ACTION_DEADLINE_SECONDS: "12.5" }).actionDeadlineSeconds).toBe(12.5);
    expect(resolveServeSettings({ actionDeadline: 5 }, { ACTION_DEADLINE_SECONDS: "12" }).actionDeadlineSeconds).toBe(5);
    for (const value of ["0", "-3", "3601", "soon"]) {
      expect(() => resolveServeSettings({}, { ACTION_DEADLINE_SECONDS: value }), value).toThrow(UsageError);
      expect(() => resolveServeSettings({}, { ACTION_DEADLINE_SECONDS: value }), value).toThrow(/^ACTION_DEADLINE_SECONDS '.*' is invalid\./);
    }
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
      INTERCOM_CLIENT_ID: "client-id",
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
      intercomClientId: "client-id",
      logLevel: "warn",
    });
    expect(resolveServeSettings({ port: 0, apiKey: "flag-api-key-0123456789", logLevel: "silent", interval: 5, intercomClientId: "flag-client-id" }, env)).toMatchObject({
      port: 0,
      intercomClientId: "flag-client-id",
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

  it("resolves the retention schedule: defaults, variables, flags over variables, budgets kept their window", () => {
    expect(resolveServeSettings({}, {}).retention).toEqual({ intervalMs: 900_000, policy: DEFAULT_RETENTION_POLICY });
    expect(resolveServeSettings({}, {}).retention.policy).toEqual({ deliveredEventsMs: DAY, deadEventsMs: 7 * DAY, dedupeKeysMs: 7 * DAY, callLogMs: HOUR });
    const env = { RETENTION_INTERVAL_SECONDS: "60", RETENTION_DELIVERED_HOURS: "1.5", RETENTION_DEAD_DAYS: "30", RETENTION_DEDUPE_DAYS: "2" };
    expect(resolveServeSettings({}, env).retention).toEqual({
      intervalMs: 60_000,
      policy: { deliveredEventsMs: 1.5 * HOUR, deadEventsMs: 30 * DAY, dedupeKeysMs: 2 * DAY, callLogMs: HOUR },
    });
    expect(resolveServeSettings({ retentionInterval: 5, retentionDelivered: 48, retentionDead: 1, retentionDedupe: 14 }, env).retention).toEqual({
      intervalMs: 5_000,
      policy: { deliveredEventsMs: 48 * HOUR, deadEventsMs: DAY, dedupeKeysMs: 14 * DAY, callLogMs: HOUR },
    });
    // A budget window longer than the default hour: idle budgets are kept the window.
    expect(resolveServeSettings({}, { CONNECTION_CALL_WINDOW_SECONDS: "7200" }).retention.policy.callLogMs).toBe(2 * HOUR);
    // The shortest schedule the settings take is one the sweeper takes.
    const shortest = resolveServeSettings({ retentionInterval: 0.001, retentionDelivered: 0.001, retentionDead: 0.001, retentionDedupe: 1 }, {}).retention;
    const sweeper = new RetentionSweeper({ prune: async () => ({ deliveredEvents: 0, deadEvents: 0, dedupeKeys: 0, callLog: 0 }) }, { ...shortest, logger: { info: () => undefined, warn: () => undefined } });
    expect(sweeper.policy).toEqual(shortest.policy);
  });

  it("refuses a retention setting out of range, naming it", () => {
    const cases: Array<[Parameters<typeof resolveServeSettings>[0], Record<string, string>, RegExp]> = [
      [{}, { RETENTION_INTERVAL_SECONDS: "0" }, /^RETENTION_INTERVAL_SECONDS '0' is invalid. The value must be a number greater than 0.$/],
      [{}, { RETENTION_INTERVAL_SECONDS: "hourly" }, /^RETENTION_INTERVAL_SECONDS 'hourly' is invalid/],
      [{}, { RETENTION_INTERVAL_SECONDS: "2147484" }, /^RETENTION_INTERVAL_SECONDS \(2147484 s\) is too long: at most 2147483 s/],
      [{ retentionInterval: 3_000_000 }, {}, /^--retention-interval \(3000000 s\) is too long/],
      [{}, { RETENTION_DELIVERED_HOURS: "-1" }, /^RETENTION_DELIVERED_HOURS '-1' is invalid/],
      [{}, { RETENTION_DEAD_DAYS: "a week" }, /^RETENTION_DEAD_DAYS 'a week' is invalid/],
      [{}, { RETENTION_DEDUPE_DAYS: "0.5" }, /^RETENTION_DEDUPE_DAYS \(0.5\) must be at least 1 \(day\): dedupe keys must outlive the triggers' look-back window/],
      [{ retentionDedupe: 0.9 }, { RETENTION_DEDUPE_DAYS: "7" }, /^--retention-dedupe \(0.9\) must be at least 1/],
    ];
    for (const [flags, env, message] of cases) {
      const error: unknown = (() => {
        try {
          return resolveServeSettings(flags, env);
        } catch (e) {
          return e;
        }
      })();
      expect(error, JSON.stringify([flags, env])).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
    }
    expect(resolveServeSettings({}, { RETENTION_INTERVAL_SECONDS: "2147483" }).retention.intervalMs).toBe(2_147_483_000);
  });

  it("expires Power Automate polling subscriptions after 7 idle days unless told otherwise, from an hour to 10 years, naming the setting at fault", () => {
    expect(resolveServeSettings({}, {}).subscriptionIdleSeconds).toBe(604_800);
    expect(resolveServeSettings({}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "86400" }).subscriptionIdleSeconds).toBe(86_400);
    expect(resolveServeSettings({ subscriptionIdle: 3_600 }, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "86400" }).subscriptionIdleSeconds).toBe(3_600);
    expect(resolveServeSettings({}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "315360000" }).subscriptionIdleSeconds).toBe(315_360_000);
    const cases: Array<[Parameters<typeof resolveServeSettings>[0], Record<string, string>, RegExp]> = [
      [{}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "0" }, /^TRIGGER_SUBSCRIPTION_IDLE_SECONDS '0' is invalid\. The value must be 1 or more\.$/],
      [{}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "7d" }, /^TRIGGER_SUBSCRIPTION_IDLE_SECONDS '7d' is invalid/],
      [{}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "3600.5" }, /^TRIGGER_SUBSCRIPTION_IDLE_SECONDS '3600.5' is invalid/],
      [{}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "3599" }, /^TRIGGER_SUBSCRIPTION_IDLE_SECONDS \(3599\) must be from 3600 \(an hour\) to 315360000 seconds: how long a Power Automate polling subscription lives without a poll$/],
      [{}, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "315360001" }, /^TRIGGER_SUBSCRIPTION_IDLE_SECONDS \(315360001\) must be from 3600/],
      [{ subscriptionIdle: 60 }, { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "86400" }, /^--subscription-idle \(60\) must be from 3600/],
    ];
    for (const [flags, env, message] of cases) {
      expect(() => resolveServeSettings(flags, env), JSON.stringify([flags, env])).toThrow(UsageError);
      expect(() => resolveServeSettings(flags, env)).toThrow(message);
    }
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
