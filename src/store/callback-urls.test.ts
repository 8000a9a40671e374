import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isClearCallbackUrl, openCallbackUrl, sealCallbackUrl } from "./callback-urls.js";
import { encryptSecret, isSealedSecret } from "./crypto.js";
import { isStoreError } from "./errors.js";

describe("callback URLs at rest", () => {
  const key = randomBytes(32);
  const url = "https://example.com/invoke?api-version=2016-06-01&sig=s3cr3t";

  it("seals a URL for its webhook only, and opens it there", () => {
    const sealed = sealCallbackUrl(key, "sub_1", url);
    expect(isSealedSecret(sealed)).toBe(true);
    expect(sealed).not.toContain("s3cr3t");
    expect(openCallbackUrl(key, "sub_1", sealed)).toBe(url);
    for (const [otherKey, id] of [[key, "sub_2"], [randomBytes(32), "sub_1"]] as const) {
      let caught: unknown;
      try {
        openCallbackUrl(otherKey, id, sealed);
      } catch (error) {
        caught = error;
      }
      expect(isStoreError(caught, "decryption_failed")).toBe(true);
    }
    // The signing secret's binding differs: a webhook's sealed secret does not open as its URL.
    expect(() => openCallbackUrl(key, "sub_1", encryptSecret(key, url, "webhook:sub_1"))).toThrow(/cannot decrypt/);
  });

  it("reads a URL an earlier release wrote in clear as it is, and refuses what is neither", () => {
    expect(isClearCallbackUrl(url)).toBe(true);
    expect(isSealedSecret(url)).toBe(false);
    expect(openCallbackUrl(key, "sub_1", url)).toBe(url);
    expect(openCallbackUrl(key, "sub_1", "HTTP://EXAMPLE.COM/hook")).toBe("HTTP://EXAMPLE.COM/hook");
    for (const damaged of ["v1:short", "", "ftp://example.com/x", sealCallbackUrl(key, "sub_1", url).slice(0, 20)]) {
      expect(() => openCallbackUrl(key, "sub_1", damaged), damaged).toThrow(/neither sealed nor a URL/);
    }
  });
});
