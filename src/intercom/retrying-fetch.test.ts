import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { retryDelayMs } from "./retrying-fetch.js";
import { startConnectedEmulator, type ConnectedEmulator } from "./testing/emulator.js";

const NOW_MS = 1_700_000_004_000;

describe("retryDelayMs", () => {
  it("honours Retry-After in seconds or as a date", () => {
    expect(retryDelayMs(429, new Headers({ "Retry-After": "3" }), 0, NOW_MS, () => 0)).toBe(3000);
    expect(retryDelayMs(503, new Headers({ "Retry-After": new Date(NOW_MS + 5000).toUTCString() }), 0, NOW_MS, () => 0)).toBe(5000);
  });

  it("waits for X-RateLimit-Reset after a 429", () => {
    expect(retryDelayMs(429, new Headers({ "X-RateLimit-Reset": "1700000010" }), 0, NOW_MS, () => 0)).toBe(6000);
    // A reset already past: go at once (plus the spread).
    expect(retryDelayMs(429, new Headers({ "X-RateLimit-Reset": "1700000000" }), 0, NOW_MS, () => 0.5)).toBe(125);
  });

  it("backs off exponentially after a 5xx, whatever the rate-limit window says", () => {
    const headers = new Headers({ "X-RateLimit-Reset": "1700000010" });
    expect(retryDelayMs(500, headers, 0, NOW_MS, () => 0.5)).toBe(500);
    expect(retryDelayMs(500, headers, 2, NOW_MS, () => 0.5)).toBe(2000);
  });
});

describe("requests the SDK sends through it", () => {
  let c: ConnectedEmulator;
  beforeEach(async () => {
    c = await startConnectedEmulator();
  });
  afterEach(async () => {
    await c.close();
  });

  it("carry the token and Intercom-Version 2.14, or the version the connection sets", async () => {
    const seen: Array<{ version: string | null; authorization: string | null }> = [];
    // A pass-through that only records what goes to the emulator.
    const recordingFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seen.push({ version: headers.get("intercom-version"), authorization: headers.get("authorization") });
      return fetch(input, init);
    };
    expect((await c.transport({}, { fetch: recordingFetch }).listTags()).ok).toBe(true);
    expect((await c.transport({ version: "2.11" }, { fetch: recordingFetch }).listTags()).ok).toBe(true);
    expect(seen).toEqual([
      { version: "2.14", authorization: `Bearer ${c.em.token}` },
      { version: "2.11", authorization: `Bearer ${c.em.token}` },
    ]);
  });
});
