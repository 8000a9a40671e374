import { randomUUID } from "node:crypto";

/** One entry of Intercom's `error.list`. */
export interface IntercomErrorItem {
  code: string;
  message: string;
  field?: string;
}

/**
 * An error the emulator answers the way Intercom does: an HTTP status and an `error.list` body.
 * Route handlers throw it; the app's error handler renders it.
 *
 * @example
 * throw new IntercomApiError(404, "not_found", "User Not Found");
 */
export class IntercomApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, options: { field?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = "IntercomApiError";
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }

  /** The body Intercom sends for this error. */
  toBody(requestId: string = newRequestId()): ErrorListBody {
    const item: IntercomErrorItem = { code: this.code, message: this.message };
    if (this.field !== undefined) item.field = this.field;
    return { type: "error.list", request_id: requestId, errors: [item] };
  }
}

/** Intercom's error envelope. */
export interface ErrorListBody {
  type: "error.list";
  request_id: string;
  errors: IntercomErrorItem[];
}

/**
 * A fresh request id, a UUID as Intercom sends in `request_id`.
 *
 * @example
 * newRequestId(); // "2b4a…"
 */
export function newRequestId(): string {
  return randomUUID();
}

/** Shorthands for the errors most routes raise. */
export const errors = {
  notFound: (message: string, code = "not_found"): IntercomApiError => new IntercomApiError(404, code, message),
  badRequest: (message: string, field?: string, code = "parameter_invalid"): IntercomApiError =>
    new IntercomApiError(400, code, message, field === undefined ? {} : { field }),
  missing: (field: string): IntercomApiError =>
    new IntercomApiError(400, "parameter_not_found", `${field} is required`, { field }),
  conflict: (message: string): IntercomApiError => new IntercomApiError(409, "conflict", message),
};
