import { z } from "zod";
import { describe, expect, it } from "vitest";
import { AddConnectionInput } from "./connections.js";
import { CallbackUrlField, IdField, MAX_URL_LENGTH } from "./fields.js";
import { parseInput } from "./validate.js";

const SECRET = "pw-7f3c9e";

/** The reason a URL field gives for `url`, or "ok". */
function reasonOf(schema: z.ZodType, url: string): string {
  const parsed = schema.safeParse(url);
  return parsed.success ? "ok" : (parsed.error.issues[0]?.message ?? "?");
}

describe("URL fields (callback_url, base_url)", () => {
  const bad: Array<[url: string, reason: string]> = [
    [`https://example.com/${"a".repeat(MAX_URL_LENGTH)}`, `must be at most ${MAX_URL_LENGTH} characters`],
    [`https://example.com/${"a".repeat(900 * 1024)}`, `must be at most ${MAX_URL_LENGTH} characters`],
    ["https://example.com/ho\u0000ok", "must not contain spaces or control characters"],
    ["https://example.com/hook\n", "must not contain spaces or control characters"],
    ["https://exa\tmple.com/hook", "must not contain spaces or control characters"],
    [" https://example.com/hook", "must not contain spaces or control characters"],
    ["https://example.com/a b", "must not contain spaces or control characters"],
    ["https://example.com/\u007f", "must not contain spaces or control characters"],
    ["https://example.com/\u0085", "must not contain spaces or control characters"],
    ["https://example.com/\u2028", "must not contain spaces or control characters"],
    [`https://user:${SECRET}@example.com/hook`, "must not carry a user name or password"],
    [`https://${SECRET}@example.com/hook`, "must not carry a user name or password"],
    [`https://:${SECRET}@example.com/hook`, "must not carry a user name or password"],
    ["ftp://example.com/hook", "must be an http or https URL"],
    ["javascript:alert(1)", "must be an http or https URL"],
    ["file:///etc/passwd", "must be an http or https URL"],
    ["data:text/plain,x", "must be an http or https URL"],
    ["//example.com/hook", "must be an http or https URL"],
    ["example.com/hook", "must be an http or https URL"],
    ["", "must be an http or https URL"],
  ];

  it("refuses over-long URLs, control characters and whitespace, credentials and other schemes, never repeating the URL", () => {
    for (const [url, reason] of bad) {
      for (const [field, schema] of [
        ["callback_url", z.strictObject({ callback_url: CallbackUrlField })],
        ["base_url", AddConnectionInput],
      ] as const) {
        const input = field === "base_url" ? { access_token: "t", base_url: url } : { callback_url: url };
        const result = parseInput(schema, input);
        expect(result.ok, `${field} ${JSON.stringify(url.slice(0, 40))}`).toBe(false);
        if (result.ok) continue;
        expect(result.error.field).toBe(field);
        expect(result.error.message, JSON.stringify(url.slice(0, 40))).toBe(`Invalid input: ${field} ${reason}`);
        expect(JSON.stringify(result.error)).not.toContain(SECRET);
      }
    }
  });

  it("takes http and https URLs up to the limit; base_url has no query or fragment and loses its trailing slash", () => {
    const longest = `https://example.com/${"a".repeat(MAX_URL_LENGTH - "https://example.com/".length)}`;
    for (const url of ["https://prod-01.westeurope.logic.azure.com/workflows/w/invoke?api-version=2016-06-01&sig=abc", "http://127.0.0.1:8080/hook", "https://[2606:4700::1111]/hook", "https://bücher.example/hook", longest]) {
      expect(reasonOf(CallbackUrlField, url), url.slice(0, 60)).toBe("ok");
    }
    expect(AddConnectionInput.parse({ access_token: "t", base_url: "http://127.0.0.1:4010/" }).base_url).toBe("http://127.0.0.1:4010");
    expect(AddConnectionInput.parse({ access_token: "t", base_url: "https://proxy.example/intercom/" }).base_url).toBe("https://proxy.example/intercom");
    for (const url of ["https://example.com/?q=1", "https://example.com/#x", "https://example.com/?"]) {
      expect(reasonOf(AddConnectionInput.shape.base_url, url), url).toBe("must not have a query or fragment");
    }
  });
});

describe("IdField (every id that goes into an Intercom path)", () => {
  it("takes Intercom's ids: hex contact and company ids, numeric admin, tag, conversation and ticket ids", () => {
    for (const id of ["6762f0a51bb69f9f2193bb5c", "536e564f316c83104c000020", "991267459", "7", "123_doesnt_exist", "1a2b3c", "x".repeat(128)]) {
      expect(IdField.safeParse(id).success, id).toBe(true);
    }
  });

  it("refuses path-like and non-id strings, naming the rule", () => {
    for (const id of ["..", ".", "a/b", "%2e%2e", "?x", "#", "a b", "\u0000", "\t", "é", "a.b", "a\\b"]) {
      expect(reasonOf(IdField, id), JSON.stringify(id)).toBe("must be an Intercom id: letters, digits, _ or - only");
    }
    expect(reasonOf(IdField, "")).toBe("must not be empty");
    expect(reasonOf(IdField, "x".repeat(129))).toBe("must be at most 128 characters");
  });
});
