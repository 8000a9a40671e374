/**
 * The connector's error codes: one registry (code, HTTP status, message template, meaning) that
 * every face renders the same way. docs/errors.md documents each entry; a test keeps them in step.
 */

/** One registered error: its HTTP status, message template (`{name}` placeholders) and meaning. */
export interface ErrorDefinition {
  readonly status: number;
  readonly message: string;
  readonly meaning: string;
}

/**
 * Every error code the connector answers with.
 *
 * @example
 * ERROR_CODES.wrong_role.status; // 404
 */
export const ERROR_CODES = {
  invalid_input: {
    status: 400,
    message: "Invalid input: {field} {reason}",
    meaning: "The input does not match the operation's contract (missing or unknown field, wrong type, malformed email, URL or cursor, an id that is not an Intercom id such as `..` or `a/b`, a URL over 2,048 characters or with spaces, control characters or credentials, a webhook callback URL on a non-public address, `localhost` or a name resolving to one), or the body is not JSON (`field` is `body`: it does not parse, holds a `__proto__` key, or is empty under `Content-Type: application/json`). Nothing was sent to Intercom.",
  },
  not_found: {
    status: 404,
    message: "No {resource} with id {id}",
    meaning: "Intercom has no object with this id.",
  },
  wrong_role: {
    status: 404,
    message: "Contact {id} is a {actual}, not a {expected}",
    meaning: "The id names a contact of the other role (GetUser on a lead, GetLead on a user).",
  },
  company_not_found: {
    status: 422,
    message: "No company with company_id {company_id}",
    meaning: "The `companies` input names no company of the workspace. Checked before any write: nothing was created or changed.",
  },
  invalid_custom_attribute: {
    status: 422,
    message: "Custom attribute {name} {reason}",
    meaning:
      "A `custom_attributes` value names no custom data attribute of the workspace's contacts (or companies), names an archived one, or is not of its type (a list attribute's value is not one of its options; a date is Unix seconds). Checked against the workspace's data attributes (ListDataAttributes) before any write: nothing was created or changed. `field` is `custom_attributes.<name>`; CreateDataAttribute adds an attribute.",
  },
  invalid_ticket_attribute: {
    status: 422,
    message: "Ticket attribute {name} {reason}",
    meaning:
      "A `ticket_attributes` value of CreateTicket or UpdateTicket names no attribute of the ticket's type, names an archived one, is not of its type (a list attribute takes one of its options' ids; a datetime is Unix seconds; files cannot be set), or a new ticket leaves out one its type requires. Checked against the ticket type (ListTicketTypes shows it) before any write: nothing was created or changed. `field` is `ticket_attributes.<name>`.",
  },
  invalid_ticket_state: {
    status: 422,
    message: "The ticket's type has no {state} state",
    meaning: "UpdateTicket's `state` names a category (submitted, in_progress, waiting_on_customer, resolved) that the ticket's type has no live state of. Nothing was changed. `field` is `state`; ListTicketTypes shows each type's states.",
  },
  conflict: {
    status: 409,
    message: "Intercom reports a conflict: {detail}",
    meaning: "Intercom refused a write because it clashes with an existing object, and the connector could not resolve it.",
  },
  unauthorized: {
    status: 401,
    message: "Missing or unknown API key: send the connection's key in the X-API-Key header",
    meaning: "The request carried no `X-API-Key`, or one no connection has. Nothing was done.",
  },
  forbidden: {
    status: 403,
    message: "This API key belongs to another connection",
    meaning: "The `X-API-Key` is valid but for a different connection than the one the path names.",
  },
  route_not_found: {
    status: 404,
    message: "No route {method} {path}",
    meaning: "The service has no such endpoint; see `GET /openapi.json`.",
  },
  invalid_path: {
    status: 400,
    message: "The path is not valid percent-encoding: encode each path segment as UTF-8 with encodeURIComponent",
    meaning: "A path parameter holds a `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded (fastify's `FST_ERR_BAD_URL`). Nothing was done.",
  },
  path_parameter_too_long: {
    status: 414,
    message: "A path parameter is longer than {max} characters: use the id the service answered",
    meaning: "A path parameter (a connection, subscription or event id) is longer than any id the service issues (fastify's `FST_ERR_MAX_PARAM_LENGTH`, 100 characters). Nothing was done.",
  },
  unsupported_media_type: {
    status: 415,
    message: "The body must be JSON in UTF-8: {reason}",
    meaning: "The request has a body whose `Content-Type` the service does not read (only `application/json`; `text/plain` is read as text and then refused as `invalid_input`), or a `Content-Type` that does not parse (fastify's `FST_ERR_CTP_INVALID_MEDIA_TYPE`), or one naming a charset other than UTF-8 (`charset=utf-16`, `latin1`, …; the message names it when it is a known one). Intercom's pushes may carry any valid type, in UTF-8. Nothing was done.",
  },
  payload_too_large: {
    status: 413,
    message: "The body is over {limit} bytes: send a smaller one",
    meaning: "The body is larger than the service reads (1 MiB; no operation needs more than a few kilobytes), by its `Content-Length` or as it arrived (fastify's `FST_ERR_CTP_BODY_TOO_LARGE`). The connection is closed; nothing was done.",
  },
  headers_too_large: {
    status: 431,
    message: "The request line and headers are over {limit} bytes: send fewer or shorter headers, or a shorter URL",
    meaning: "Node's HTTP parser refused the request before the service saw it: its request line and headers together exceed Node's limit (`--max-http-header-size`, 16 KiB by default), usually a URL with a huge query or a huge header. The connection is closed.",
  },
  malformed_request: {
    status: 400,
    message: "Malformed request: {reason}",
    meaning: "The request is not valid HTTP/1.1 (a bad request line, method token, header or chunked encoding; no `Host`), its body is not as long as its `Content-Length`, a `QUERY` request has no `Content-Type`, or fastify refused it for a reason without a code of its own. The reason says which. Nothing was done.",
  },
  request_timeout: {
    status: 408,
    message: "The request did not arrive in time: send its headers and body without pausing",
    meaning: "The client took longer than Node's `headersTimeout` (60 s) to send the request's headers. The connection is closed; nothing was done.",
  },
  expectation_failed: {
    status: 417,
    message: "The Expect header can only be 100-continue: leave it out, or send Expect: 100-continue",
    meaning: "The request's `Expect` header asks for something other than `100-continue`, the only expectation HTTP/1.1 defines (Node refuses it before the service sees the request). Nothing was done.",
  },
  admin_unauthorized: {
    status: 401,
    message: "Missing or wrong admin key: send CONNECTOR_ADMIN_KEY in the X-Admin-Key header",
    meaning: "Creating a connection needs the service's admin key (`CONNECTOR_ADMIN_KEY`) in `X-Admin-Key`; the request carried none or another. Nothing was created.",
  },
  admin_local_only: {
    status: 403,
    message: "Connections can be created only from this machine while CONNECTOR_ADMIN_KEY is not set",
    meaning: "No admin key is configured and the service listens on loopback only, so only requests from this machine, not forwarded by a proxy, may create connections. Set `CONNECTOR_ADMIN_KEY` to create them remotely.",
  },
  admin_key_required: {
    status: 403,
    message: "Creating connections needs CONNECTOR_ADMIN_KEY: set it on the service and send it in the X-Admin-Key header",
    meaning: "No admin key is configured and the service listens beyond loopback (`HOST` 0.0.0.0, `::` or another address), outside demo mode: nobody may create connections, from this machine either, because a proxy on the same host would make every remote caller look local. Set `CONNECTOR_ADMIN_KEY`. Nothing was created.",
  },
  console_signed_out: {
    status: 401,
    message: "Sign in to the console first: your session ended or never began",
    meaning: "A request of the web console (`/console/api/…`) carried no live session cookie: never signed in, signed out, idle past 12 hours, or its connection's API key was rotated or the connection deleted. Sign in again at `/console`. Nothing was done.",
  },
  console_forbidden: {
    status: 403,
    message: "This console session is signed in to another connection",
    meaning: "A session signed in with a connection's API key sees that connection alone; the request named another one, or needs the operator (the admin key, or this machine). Nothing was done.",
  },
  csrf_refused: {
    status: 403,
    message: "Refused: the request did not come from the console's own page (missing or wrong CSRF token, or another origin)",
    meaning: "Every change the console makes carries its session's CSRF token in `X-CSRF-Token`, from a page of the same origin; a request without it, with another, or with a foreign `Origin` is refused, so another site cannot act through a signed-in browser. Reload the console. Nothing was done.",
  },
  host_not_allowed: {
    status: 421,
    message: "This service does not answer to that Host: use one of ALLOWED_HOSTS, or the address in PUBLIC_BASE_URL",
    meaning: "The request's `Host` header is not one of the service's `ALLOWED_HOSTS` (so links it builds, `Location` and `nextLink`, never point at a host the operator did not list). `/health` is exempt. Nothing was done.",
  },
  subscription_not_found: {
    status: 404,
    message: "No trigger subscription {id}: call the trigger without state to start a new one",
    meaning:
      "A trigger poll's `state` names a subscription that Power Automate's polling does not deliver: a webhook subscription or a library one (the service signs states only for its polling subscriptions). Polling the trigger's URL without `state` starts a new subscription from now.",
  },
  push_not_set_up: {
    status: 409,
    message: "{triggerId} is push only and connection {connectionId} has no push set up: give the connection its Intercom client secret (intercom_client_secret, or INTERCOM_CLIENT_SECRET for serve's connection) and point the Intercom app's webhooks at /intercom/webhooks/{connectionId}",
    meaning:
      "The trigger (TrigTagAddedToContact, TrigLeadConverted) is push only: Intercom's search cannot see its events, so they come from Intercom's webhooks alone, and the connection has no Intercom client secret to verify them with (`X-Hub-Signature`). Subscribing (a webhook, a Power Automate polling trigger, a library or CLI subscription, an agent's trigger tool) is refused before anything is stored or any Intercom call is made. Add the connection with `intercom_client_secret` (or set `INTERCOM_CLIENT_SECRET` for the connection `serve` makes), subscribe the Intercom app's webhooks to the trigger's topics at `<PUBLIC_BASE_URL>/intercom/webhooks/<connection id>`, then subscribe again. `field` is `triggerId`.",
  },
  subscription_expired: {
    status: 410,
    message: "This flow's trigger subscription has expired or was deleted: re-save the flow, or turn it off and on",
    meaning:
      "A trigger poll's `state` names a Power Automate polling subscription that no flow polled for `TRIGGER_SUBSCRIPTION_IDLE_SECONDS` (7 days by default), or that was deleted. Its events are gone with it; re-saving the flow (or turning it off and on) starts a new subscription from now.",
  },
  webhook_not_found: {
    status: 404,
    message: "No webhook subscription {id} for this connection",
    meaning: "The id names no webhook subscription of the caller's connection: deleted, never created, or another connection's (which is not revealed).",
  },
  dead_letter_not_found: {
    status: 404,
    message: "No dead-lettered event {event_id} in subscription {id}",
    meaning: "A replay names an event that is not dead-lettered in this webhook subscription: unknown, still pending, already delivered, or already replayed.",
  },
  invalid_signature: {
    status: 401,
    message: "Missing or invalid X-Hub-Signature",
    meaning: "An Intercom push carried no `X-Hub-Signature`, or one that is not `sha1=` and the HMAC-SHA1 of the raw body under the connection's Intercom client secret (also when the connection is unknown or has no client secret set). Nothing was stored.",
  },
  rate_limited: {
    status: 429,
    message: "The connection's budget of {limit} calls per {window} seconds is spent; retry in {retry_after} seconds",
    meaning: "The connection made as many Intercom calls as its budget allows (actions and trigger scans alike, 100 per 60 s by default; invalid input never counts). `Retry-After` says when the next call is allowed. Nothing was sent to Intercom.",
  },
  intercom_rejected: {
    status: 400,
    message: "Intercom rejected the request: {detail}",
    meaning: "Intercom refused the request as invalid for a reason the connector's own validation does not know; the message carries Intercom's explanation.",
  },
  intercom_unauthorized: {
    status: 401,
    message: "Intercom rejected the connection's access token",
    meaning: "The connection's Intercom access token is invalid, revoked, or for another region.",
  },
  intercom_forbidden: {
    status: 403,
    message: "The connection's access token may not do this: {detail}",
    meaning: "The Intercom app behind the token lacks a permission the operation needs.",
  },
  intercom_rate_limited: {
    status: 429,
    message: "Intercom's rate limit is exhausted; retry in {retry_after} seconds",
    meaning: "Intercom answered 429 and waiting for its reset would take too long (or the retries ran out). `Retry-After` says when to try again.",
  },
  intercom_unavailable: {
    status: 503,
    message: "Intercom is unavailable: {detail}",
    meaning: "Intercom answered 5xx, or the connection failed, after the connector's retries (never a retry wait that would end past the action's deadline). `Retry-After` is Intercom's own wait when it sent one, else 5 seconds.",
  },
  intercom_timeout: {
    status: 504,
    message: "Intercom did not answer in time: {detail}",
    meaning: "Intercom did not answer within an attempt's timeout (20 s) after the retries, or the action's total deadline passed (`ACTION_DEADLINE_SECONDS`, 30 s by default: every attempt, retry wait and body read of the action); the request in flight is aborted, and the message says how many attempts were made. `Retry-After` is 5 seconds.",
  },
  intercom_error: {
    status: 502,
    message: "Unexpected answer from Intercom: {detail}",
    meaning: "Intercom answered something the connector does not understand (an unknown status, or a body that is not the documented shape).",
  },
  oauth_not_configured: {
    status: 404,
    message: "Connect with Intercom is not set up: set INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET to a public Intercom app's",
    meaning: "The service has no public Intercom app to run Intercom's OAuth flow with. Add a connection with an access token instead, or set both variables (the app's redirect URL: the service's `/console/oauth/callback`).",
  },
  oauth_state_invalid: {
    status: 400,
    message: "This answer from Intercom matches no sign-in started here: start Connect with Intercom again",
    meaning: "The redirect's `state` is unknown (forged), was used already (a replay), expired (10 minutes), or was started by another sign-in session. Nothing was created; the state, if it was one, is used up.",
  },
  oauth_denied: {
    status: 400,
    message: "The Intercom workspace's admin did not authorize the connection",
    meaning: "Intercom redirected back with an error (`access_denied`: the admin cancelled). Nothing was created.",
  },
  oauth_exchange_failed: {
    status: 502,
    message: "Intercom did not trade the authorization code for a token: {detail}",
    meaning: "Intercom refused the code (expired after about 5 minutes, used already, or not this app's) or could not be reached. Nothing was created; start Connect with Intercom again.",
  },
  not_ready: {
    status: 503,
    message: "The service is not ready: {reason}",
    meaning:
      "`GET /ready` found the store unreachable, or its schema behind this release (run `intercom-connector migrate`, or start one instance, which migrates). A load balancer should send no traffic to this instance until it answers 200. `Retry-After` is 5 seconds.",
  },
  metrics_unauthorized: {
    status: 401,
    message: "Missing or wrong metrics token: send METRICS_TOKEN in the Authorization header as Bearer <token>",
    meaning: "`METRICS_TOKEN` is set on the service and the request to `GET /metrics` carried no `Authorization: Bearer` or another token. Nothing was read.",
  },
  internal_error: {
    status: 500,
    message: "Internal error",
    meaning: "A bug in the connector. The details are logged with the request id (`X-Request-Id`), never sent to the caller.",
  },
} as const satisfies Record<string, ErrorDefinition>;

/** One of the registered error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** The values a code's message template needs, by placeholder name. */
export type ErrorParams<C extends ErrorCode> = Readonly<Record<Placeholders<(typeof ERROR_CODES)[C]["message"]>, string | number>>;

/** One problem found in an input: the field (dotted path) and what is wrong with it. */
export interface InputIssue {
  readonly field: string;
  readonly reason: string;
}

/** What a {@link ConnectorError} may carry besides its code and message. */
export interface ConnectorErrorOptions {
  /** The input field at fault (`email`, `companies`, `cursor`). */
  field?: string;
  /** Every problem of an invalid input (the message names the first). */
  issues?: readonly InputIssue[];
  /** Seconds to wait before retrying (rate limits). */
  retryAfterSeconds?: number;
  /** Intercom's `request_id`, to quote to Intercom's support. */
  intercomRequestId?: string;
}

/**
 * Fills a message template's `{name}` placeholders.
 *
 * @example
 * formatErrorMessage("not_found", { resource: "contact", id: "42" }); // "No contact with id 42"
 */
export function formatErrorMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  const values = params as Readonly<Record<string, string | number>>;
  return ERROR_CODES[code].message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}

/**
 * A failure the connector reports to its caller: a registered code, its HTTP status, a message
 * built from the code's template, and the field at fault when there is one. It never carries
 * secrets (no token, no request headers).
 *
 * @example
 * const e = new ConnectorError("invalid_input", { field: "email", reason: "is required" }, { field: "email" });
 * e.status; // 400
 * e.message; // "Invalid input: email is required"
 */
export class ConnectorError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly issues: readonly InputIssue[];
  readonly retryAfterSeconds: number | undefined;
  readonly intercomRequestId: string | undefined;

  constructor(code: ErrorCode, params: Readonly<Record<string, string | number>>, options: ConnectorErrorOptions = {}) {
    super(formatErrorMessage(code, params as never));
    this.name = "ConnectorError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.field = options.field;
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.intercomRequestId = options.intercomRequestId;
  }

  /** The JSON body faces answer with. */
  toJSON(): { code: ErrorCode; status: number; message: string; field?: string; issues?: readonly InputIssue[]; retry_after?: number } {
    return {
      code: this.code,
      status: this.status,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.issues.length === 0 ? {} : { issues: this.issues }),
      ...(this.retryAfterSeconds === undefined ? {} : { retry_after: this.retryAfterSeconds }),
    };
  }
}

/**
 * Builds a {@link ConnectorError} with the placeholders its code needs checked at compile time.
 *
 * @example
 * throw connectorError("wrong_role", { id: "abc", actual: "lead", expected: "user" });
 */
export function connectorError<C extends ErrorCode>(code: C, params: ErrorParams<C>, options: ConnectorErrorOptions = {}): ConnectorError {
  return new ConnectorError(code, params, options);
}

/**
 * Tells whether a value is a {@link ConnectorError}.
 *
 * @example
 * if (isConnectorError(e) && e.code === "not_found") reply.status(404);
 */
export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}
