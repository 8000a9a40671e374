import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envConnectionKey, watchSubscriptionKey } from "./env-connection.js";
import { resolveSettings, UsageError } from "./settings.js";

const TOKEN = "tok_settings-test";

describe("resolveSettings", () => {
  it("applies the defaults of DESIGN.md", () => {
    expect(resolveSettings({}, { INTERCOM_ACCESS_TOKEN: TOKEN })).toEqual({
      accessToken: TOKEN,
      region: "us",
      baseUrl: undefined,
      intercomVersion: "2.14",
      databaseUrl: join("./data", "connector.db"),
      secretKey: undefined,
      dataDir: "./data",
      pollIntervalSeconds: 120,
      callsPerMinute: 100,
      callWindowSeconds: 60,
      actionDeadlineSeconds: 30,
    });
  });

  it("reads every variable, and a flag wins over its variable", () => {
    const key = randomBytes(32).toString("hex");
    const env = {
      INTERCOM_ACCESS_TOKEN: TOKEN,
      INTERCOM_REGION: "EU",
      INTERCOM_BASE_URL: "http://127.0.0.1:4010/",
      INTERCOM_VERSION: "2.13",
      DATABASE_URL: "sqlite:///srv/icc.db",
      CONNECTOR_SECRET_KEY: key,
      POLL_INTERVAL_SECONDS: "30",
      CONNECTION_CALLS_PER_MINUTE: "50",
      CONNECTION_CALL_WINDOW_SECONDS: "0.5",
      ACTION_DEADLINE_SECONDS: "2.5",
    };
    expect(resolveSettings({}, env)).toMatchObject({
      region: "eu",
      baseUrl: "http://127.0.0.1:4010",
      intercomVersion: "2.13",
      databaseUrl: "sqlite:///srv/icc.db",
      secretKey: key,
      pollIntervalSeconds: 30,
      callsPerMinute: 50,
      callWindowSeconds: 0.5,
      actionDeadlineSeconds: 2.5,
    });
    expect(
      resolveSettings({ accessToken: "other", region: "au", baseUrl: "https://proxy.example.com", intercomVersion: "2.14", databaseUrl: "/tmp/x.db", interval: 5, callsPerMinute: 7, callWindow: 2, actionDeadline: 90 }, env),
    ).toMatchObject({ accessToken: "other", region: "au", baseUrl: "https://proxy.example.com", intercomVersion: "2.14", databaseUrl: "/tmp/x.db", pollIntervalSeconds: 5, callsPerMinute: 7, callWindowSeconds: 2, actionDeadlineSeconds: 90 });
  });

  it("puts the database and the key under --state, which outranks DATABASE_URL and CONNECTOR_SECRET_KEY", () => {
    const env = { INTERCOM_ACCESS_TOKEN: TOKEN, DATABASE_URL: "/srv/icc.db", CONNECTOR_SECRET_KEY: randomBytes(32).toString("base64") };
    expect(resolveSettings({ state: "/tmp/w" }, env)).toMatchObject({ databaseUrl: join("/tmp/w", "connector.db"), secretKey: undefined, dataDir: "/tmp/w" });
    expect(resolveSettings({ state: "/tmp/w", databaseUrl: "/tmp/other.db" }, env)).toMatchObject({ databaseUrl: "/tmp/other.db", dataDir: "/tmp/w" });
  });

  it("refuses a missing token and invalid values in one line, without repeating a secret", () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{}, /^INTERCOM_ACCESS_TOKEN is not set: set it to your Intercom workspace's access token \(or pass --access-token\)$/],
      [{ INTERCOM_ACCESS_TOKEN: "  " }, /^INTERCOM_ACCESS_TOKEN is not set/],
      [{ INTERCOM_ACCESS_TOKEN: "two words" }, /^the access token \(INTERCOM_ACCESS_TOKEN\) must be 1 to 1024 printable ASCII characters without spaces$/],
      [{ INTERCOM_ACCESS_TOKEN: "tøken" }, /^the access token \(INTERCOM_ACCESS_TOKEN\) must be 1 to 1024 printable ASCII characters without spaces$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, INTERCOM_REGION: "mars" }, /^INTERCOM_REGION 'mars' is invalid\. Use us, eu or au\.$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, INTERCOM_BASE_URL: "ftp://x" }, /^INTERCOM_BASE_URL 'ftp:\/\/x' is invalid\. Use an http or https URL/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, INTERCOM_VERSION: "3.0" }, /^INTERCOM_VERSION '3\.0' is invalid\./],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, POLL_INTERVAL_SECONDS: "0" }, /^POLL_INTERVAL_SECONDS '0' is invalid\. The value must be 1 or more\.$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, CONNECTION_CALLS_PER_MINUTE: "lots" }, /^CONNECTION_CALLS_PER_MINUTE 'lots' is invalid\. The value must be a whole number\.$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, CONNECTION_CALL_WINDOW_SECONDS: "-1" }, /^CONNECTION_CALL_WINDOW_SECONDS '-1' is invalid\. The value must be a number greater than 0\.$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, ACTION_DEADLINE_SECONDS: "0" }, /^ACTION_DEADLINE_SECONDS '0' is invalid\. The value must be a number greater than 0\.$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, ACTION_DEADLINE_SECONDS: "7200" }, /^ACTION_DEADLINE_SECONDS '7200' is invalid\. The value must be at most 3600 \(seconds\)\.$/],
      [{ INTERCOM_ACCESS_TOKEN: TOKEN, CONNECTOR_SECRET_KEY: "short-secret-value" }, /^CONNECTOR_SECRET_KEY is invalid: the secret key must be 32 bytes/],
    ];
    for (const [env, message] of cases) {
      let error: unknown;
      try {
        resolveSettings({}, env);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(UsageError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("short-secret-value");
    }
    expect(() => resolveSettings({ secretKey: "nope" }, { INTERCOM_ACCESS_TOKEN: TOKEN })).toThrow(/^--secret-key is invalid/);
  });
});

describe("settings keys", () => {
  it("keeps the environment's connection under an HMAC of token and base URL, never the token", () => {
    const secret = randomBytes(32);
    const key = envConnectionKey(secret, TOKEN, "https://api.intercom.io");
    expect(key).toMatch(/^cli\.connection\.[0-9a-f]{64}$/);
    expect(key).not.toContain(TOKEN);
    expect(envConnectionKey(secret, TOKEN, "https://api.intercom.io")).toBe(key);
    expect(envConnectionKey(secret, TOKEN, "https://api.eu.intercom.io")).not.toBe(key);
    expect(envConnectionKey(secret, `${TOKEN}x`, "https://api.intercom.io")).not.toBe(key);
    expect(envConnectionKey(randomBytes(32), TOKEN, "https://api.intercom.io")).not.toBe(key);
    expect(watchSubscriptionKey("c1", "TrigNewLead")).toBe("cli.watch.c1.TrigNewLead");
  });
});
