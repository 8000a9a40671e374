import { describe, expect, it } from "vitest";
import { isIntercomRegion, resolveBaseUrl } from "./connection.js";

describe("resolveBaseUrl", () => {
  it("uses the region's host, us by default", () => {
    expect(resolveBaseUrl({})).toBe("https://api.intercom.io");
    expect(resolveBaseUrl({ region: "eu" })).toBe("https://api.eu.intercom.io");
    expect(resolveBaseUrl({ region: "au" })).toBe("https://api.au.intercom.io");
  });

  it("prefers a base URL override, without a trailing slash", () => {
    expect(resolveBaseUrl({ region: "eu", baseUrl: "http://127.0.0.1:4010/" })).toBe("http://127.0.0.1:4010");
  });

  it("knows the three regions only", () => {
    expect(["us", "eu", "au", "uk"].map(isIntercomRegion)).toEqual([true, true, true, false]);
  });
});
