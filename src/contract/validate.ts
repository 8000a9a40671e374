import type { z } from "zod";
import { connectorError, type ConnectorError, type InputIssue } from "./errors.js";
import { err, ok, type Result } from "./result.js";

/**
 * The field name used when the input as a whole is wrong (not an object).
 *
 * @example
 * parseInput(CreateUserInput, null); // error.field === WHOLE_INPUT ("input")
 */
export const WHOLE_INPUT = "input";

function isPresent(input: unknown, path: readonly PropertyKey[]): boolean {
  let value: unknown = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return false;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value !== undefined;
}

/** The issues of a failed parse, one per field, in a caller's words. */
function inputIssues(error: z.ZodError, input: unknown): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) issues.push({ field: field === "" ? key : `${field}.${key}`, reason: "is not a known field" });
      continue;
    }
    if (field === "") {
      issues.push({ field: WHOLE_INPUT, reason: issue.code === "invalid_type" ? `must be an ${issue.expected}` : issue.message });
      continue;
    }
    // zod reports a missing key as a type error; say what it is.
    if (issue.code === "invalid_type" && !isPresent(input, issue.path)) issues.push({ field, reason: "is required" });
    else issues.push({ field, reason: issue.message });
  }
  return issues;
}

/**
 * Validates an operation's input against its schema. A failure is an `invalid_input`
 * {@link ConnectorError} naming the first field at fault, with every issue attached.
 *
 * @example
 * const r = parseInput(CreateUserInput, { email: "nope" });
 * if (!r.ok) r.error.message; // "Invalid input: email must be a valid email address"
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>, ConnectorError> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = inputIssues(parsed.error, input);
  const first = issues[0] ?? { field: WHOLE_INPUT, reason: "is not valid" };
  return err(connectorError("invalid_input", { field: first.field, reason: first.reason }, { field: first.field, issues }));
}
