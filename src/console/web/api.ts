/** An error the service answered: its stable code, message and the field it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
  }
}

let csrfToken = "";

/** Remembers the session's CSRF token, which every change carries. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/**
 * Calls one of the console's JSON endpoints: a change (any method but GET) carries the CSRF
 * token; an error answer becomes an `ApiError` with the service's code.
 */
export async function api<T>(method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/console/api${path}`, { method, headers, credentials: "same-origin", ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? "unknown", error?.message ?? `HTTP ${response.status}`, error?.field);
  }
  return json as T;
}

/** A connection as the console lists it. */
export interface ConnectionView {
  id: string;
  name: string;
  region: string;
  base_url: string | null;
  created_at: string;
  budget: { calls_per_window: number; window_seconds: number };
}

/** One minute of a connection's budget. */
export interface BudgetMinute {
  minute: string;
  spent: number;
  refused: number;
}

/** A connection's budget over the last hour. */
export interface BudgetView {
  limit: number;
  window_seconds: number;
  minutes: BudgetMinute[];
}

/** A subscription as the console lists it. */
export interface SubscriptionView {
  id: string;
  trigger_id: string;
  kind: "webhook" | "polling" | "library";
  state: "active" | "stopped";
  cursor_at: string | null;
  last_poll_at: string | null;
  next_poll_at: string;
  late_seconds: number;
  events: { pending: number; delivered: number; dead: number };
  last_delivery: { event_id: string; status: string; at: string | null; attempts: number; error: string | null } | null;
  callback_url: string | null;
  created_at: string;
}

/** An outbox event of the run history. */
export interface EventView {
  id: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  last_error: string | null;
  created_at: string;
  next_attempt_at: string;
  delivered_at: string | null;
  payload: unknown;
}

/** One attempt to deliver an event to a webhook. */
export interface AttemptView {
  id: string;
  event_id: string;
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
}

/** One change of the live feed. */
export interface FeedChange {
  type: "entered" | "delivered" | "failed" | "dead" | "replayed";
  subscription_id: string;
  trigger_id: string;
  event_id: string;
  attempts: number;
  error: string | null;
  at: string;
  payload: unknown;
}

/** A JSON Schema as the contract gives it for forms (agent-safe: no $ref, one type per field). */
export interface JsonSchema {
  type?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Array<string | number>;
  format?: string;
  minimum?: number;
  maximum?: number;
}

/** An action the "Try it" page offers. */
export interface ActionView {
  id: string;
  description: string;
  paged: boolean;
  schema: JsonSchema;
}

/** The session the page runs in. */
export interface SessionView {
  scope: "admin" | "connection";
  connection_id: string | null;
  csrf_token: string;
}
