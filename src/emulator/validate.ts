import type { z } from "zod";
import { IntercomApiError } from "./errors.js";

/**
 * Parses a request body with a zod schema; the first problem becomes the 400 Intercom would send,
 * naming the field (`parameter_not_found` when missing, `parameter_invalid` otherwise).
 *
 * @example
 * const body = parseBody(z.object({ name: z.string() }), request.body);
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new IntercomApiError(400, "bad_request", "Request body must be a JSON object");
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue === undefined ? undefined : issue.path.map(String).join(".");
  // zod reports a missing enum or union as invalid too; what Intercom calls it is "not found".
  const missing = issue !== undefined && issue.path.length > 0 && valueAt(body, issue.path) === undefined;
  if (missing && field !== undefined && field !== "") {
    throw new IntercomApiError(400, "parameter_not_found", `${field} is required`, { field });
  }
  const message = field === undefined || field === "" ? (issue?.message ?? "Invalid body") : `${field}: ${issue?.message ?? "invalid"}`;
  throw new IntercomApiError(400, "parameter_invalid", message, field === undefined || field === "" ? {} : { field });
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = body;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
