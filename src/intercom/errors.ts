import { IntercomError, IntercomTimeoutError } from "intercom-client";
import { connectorError, type ConnectorError } from "../contract/index.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "./deadline.js";

/** What the transport was doing when a call failed, for the error's wording. */
export interface CallContext {
  /** What a 404 means: no such `resource` with this `id` (omit when a 404 is unexpected). */
  notFound?: { resource: string; id: string };
}

/** One entry of Intercom's `error.list`. */
export interface IntercomErrorItem {
  code: string;
  message: string;
}

const MAX_DETAIL = 300;

/** What the transport knows of a call's timing, for the wording of `intercom_timeout`. */
export interface CallTiming {
  /** Seconds each attempt may take. */
  attemptTimeoutSeconds?: number;
  /** Attempts made, when the call ran under a deadline that counted them. */
  attempts?: number;
}

/**
 * The first entry of an `error.list` body and its `request_id`, if the body is one.
 *
 * @example
 * errorListOf({ type: "error.list", request_id: "r1", errors: [{ code: "conflict", message: "…" }] });
 */
export function errorListOf(body: unknown): { first: IntercomErrorItem | undefined; requestId: string | undefined } {
  if (typeof body !== "object" || body === null) return { first: undefined, requestId: undefined };
  const b = body as { errors?: unknown; request_id?: unknown };
  const requestId = typeof b.request_id === "string" ? b.request_id : undefined;
  const items = Array.isArray(b.errors) ? (b.errors as unknown[]) : [];
  const item = items[0] as { code?: unknown; message?: unknown } | undefined;
  const first =
    item !== undefined && typeof item.code === "string"
      ? { code: item.code, message: typeof item.message === "string" ? item.message : "" }
      : undefined;
  return { first, requestId };
}

/**
 * Removes a secret from text that may reach a caller or a log, and caps its length.
 *
 * @example
 * redact("token abc123 rejected", "abc123"); // "token [redacted] rejected"
 */
export function redact(text: string, secret: string): string {
  const clean = secret.length > 0 ? text.split(secret).join("[redacted]") : text;
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}

/**
 * Seconds until Intercom accepts requests again, from `Retry-After` or `X-RateLimit-Reset`
 * (at least 1).
 *
 * @example
 * retryAfterSeconds(new Headers({ "Retry-After": "7" }), Date.now()); // 7
 */
export function retryAfterSeconds(headers: Headers | undefined, nowMs: number): number {
  const retryAfter = headers?.get("retry-after");
  if (retryAfter !== undefined && retryAfter !== null && /^\d+$/.test(retryAfter)) return Math.max(1, Number(retryAfter));
  const reset = Number(headers?.get("x-ratelimit-reset"));
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - nowMs / 1000));
  return 1;
}

function headersOf(error: IntercomError): Headers | undefined {
  const headers = error.rawResponse?.headers;
  return headers instanceof Headers ? headers : undefined;
}

/** Intercom's own wait on a 5xx when it gave one in seconds (`Retry-After`), else the connector's. */
function unavailableRetryAfter(headers: Headers | undefined): number {
  const retryAfter = headers?.get("retry-after");
  return retryAfter !== undefined && retryAfter !== null && /^\d+$/.test(retryAfter) ? Math.max(1, Number(retryAfter)) : UNAVAILABLE_RETRY_AFTER_SECONDS;
}

function timeoutDetail(timing: CallTiming): string {
  const each = timing.attemptTimeoutSeconds === undefined ? "in time" : `within ${timing.attemptTimeoutSeconds} s`;
  const attempts = timing.attempts === undefined ? "" : timing.attempts === 1 ? " (1 attempt)" : ` (${timing.attempts} attempts)`;
  return `no answer ${each}${attempts}; retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds`;
}

/**
 * Maps what the SDK threw to the connector's error codes. Anything that is not an SDK error is a
 * bug and is thrown again. Intercom's words go into the message with the token removed. 429s,
 * 503s and 504s carry the wait before a retry (`retryAfterSeconds`).
 *
 * @example
 * try { await sdk.contacts.find({ contact_id }) } catch (e) { return err(toConnectorError(e, { notFound: { resource: "contact", id: contact_id } }, token)); }
 */
export function toConnectorError(error: unknown, context: CallContext, secret: string, timing: CallTiming = {}): ConnectorError {
  if (error instanceof IntercomTimeoutError) return connectorError("intercom_timeout", { detail: timeoutDetail(timing) }, { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
  if (!(error instanceof IntercomError)) throw error;
  const status = error.statusCode;
  if (status === undefined) {
    // No HTTP answer: the connection failed (after the retries the fetch wrapper made).
    return connectorError("intercom_unavailable", { detail: redact(error.message.split("\n")[0] ?? "connection failed", secret) }, { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
  }
  const { first, requestId } = errorListOf(error.body);
  const said = first === undefined ? (typeof error.body === "string" ? error.body : "") : `${first.code}: ${first.message}`;
  const detail = redact(said === "" ? `HTTP ${status}` : `HTTP ${status} ${said}`, secret);
  const options = requestId === undefined ? {} : { intercomRequestId: requestId };
  switch (status) {
    case 400:
    case 422:
      return connectorError("intercom_rejected", { detail }, options);
    case 401:
      return connectorError("intercom_unauthorized", {}, options);
    case 403:
      return connectorError("intercom_forbidden", { detail }, options);
    case 404:
      return context.notFound === undefined
        ? connectorError("intercom_error", { detail }, options)
        : connectorError("not_found", context.notFound, options);
    case 409:
      return connectorError("conflict", { detail: redact(first?.message ?? detail, secret) }, options);
    case 429: {
      const seconds = retryAfterSeconds(headersOf(error), Date.now());
      return connectorError("intercom_rate_limited", { retry_after: seconds }, { ...options, retryAfterSeconds: seconds });
    }
    default:
      return status >= 500
        ? connectorError("intercom_unavailable", { detail }, { ...options, retryAfterSeconds: unavailableRetryAfter(headersOf(error)) })
        : connectorError("intercom_error", { detail }, options);
  }
}
