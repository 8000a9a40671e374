import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConnectorError, connectorError, ERROR_CODES, formatErrorMessage, type ErrorCode } from "./errors.js";

const docsPath = new URL("../../docs/errors.md", import.meta.url);

/** The rows of the table whose header starts with `| code | status |`. */
function documentedCodes(markdown: string): Array<{ code: string; status: number; message: string; meaning: string }> {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => /^\|\s*code\s*\|\s*status\s*\|/.test(line));
  expect(header, "docs/errors.md has a `| code | status | message | meaning |` table").toBeGreaterThanOrEqual(0);
  const rows: Array<{ code: string; status: number; message: string; meaning: string }> = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    const [code = "", status = "", message = "", meaning = ""] = cells;
    rows.push({ code: code.replace(/`/g, ""), status: Number(status), message: message.replace(/^`|`$/g, ""), meaning });
  }
  return rows;
}

describe("error registry", () => {
  it("is documented in docs/errors.md, entry for entry", () => {
    const documented = documentedCodes(readFileSync(docsPath, "utf8"));
    const registered = Object.entries(ERROR_CODES).map(([code, d]) => ({ code, status: d.status, message: d.message, meaning: d.meaning }));
    expect(documented).toEqual(registered);
  });

  it("gives every code a 4xx or 5xx status and a message template", () => {
    for (const [code, definition] of Object.entries(ERROR_CODES)) {
      expect(definition.status, code).toBeGreaterThanOrEqual(400);
      expect(definition.status, code).toBeLessThan(600);
      expect(definition.message.length, code).toBeGreaterThan(0);
    }
  });

  it("has the codes the operations rely on, with their statuses", () => {
    const expected: Partial<Record<ErrorCode, number>> = {
      invalid_input: 400,
      not_found: 404,
      wrong_role: 404,
      company_not_found: 422,
      conflict: 409,
      intercom_unauthorized: 401,
      intercom_rate_limited: 429,
      intercom_unavailable: 503,
      intercom_timeout: 504,
      intercom_error: 502,
    };
    for (const [code, status] of Object.entries(expected)) expect(ERROR_CODES[code as ErrorCode].status, code).toBe(status);
  });
});

describe("ConnectorError", () => {
  it("fills the template, keeps the field and renders JSON without undefined keys", () => {
    const e = connectorError("wrong_role", { id: "abc", actual: "lead", expected: "user" }, { field: "user_id" });
    expect(e).toBeInstanceOf(ConnectorError);
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe("Contact abc is a lead, not a user");
    expect(e.status).toBe(404);
    expect(e.toJSON()).toEqual({ code: "wrong_role", status: 404, message: "Contact abc is a lead, not a user", field: "user_id" });
  });

  it("carries retry_after for rate limits", () => {
    const e = connectorError("intercom_rate_limited", { retry_after: 7 }, { retryAfterSeconds: 7 });
    expect(e.message).toBe("Intercom's rate limit is exhausted; retry in 7 seconds");
    expect(e.toJSON()).toMatchObject({ retry_after: 7 });
  });

  it("leaves an unfilled placeholder visible rather than inventing a value", () => {
    expect(formatErrorMessage("not_found", { resource: "contact" } as never)).toBe("No contact with id {id}");
  });
});
