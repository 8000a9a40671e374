import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { IntercomApiError, newRequestId } from "./errors.js";
import { spendRateLimit } from "./rate-limit.js";
import { registerControlRoutes } from "./control.js";
import { registerConversationControlRoutes } from "./control-conversations.js";
import { registerAdminRoutes } from "./routes/admins.js";
import { registerCompanyRoutes } from "./routes/companies.js";
import { registerContactRoutes } from "./routes/contacts.js";
import { registerContactRelationRoutes } from "./routes/contact-relations.js";
import { registerConversationRoutes } from "./routes/conversations.js";
import { registerSearchRoutes } from "./routes/search.js";
import { registerTagRoutes } from "./routes/tags.js";
import { registerTeamRoutes } from "./routes/teams.js";
import { registerCompanyScrollRoutes } from "./routes/company-scroll.js";
import { registerEventRoutes } from "./routes/events.js";
import { registerDataAttributeRoutes } from "./routes/data-attributes.js";
import { registerNoteRoutes } from "./routes/notes.js";
import { registerTicketRoutes } from "./routes/tickets.js";
import { registerTicketSearchRoutes } from "./routes/ticket-search.js";
import { registerTicketTypeRoutes } from "./routes/ticket-types.js";
import { registerContactArchiveRoutes } from "./routes/contact-archive.js";
import { isOAuthPath, OAuthApps, registerOAuthRoutes } from "./oauth.js";
import { EmulatorState, type PendingFault } from "./state.js";
import { WebhookDispatcher } from "./webhooks.js";
import type { Workspace, WorkspaceOptions } from "./workspace.js";

/** The `Intercom-Version` values of the 2.14 description's `intercom_version` enum. */
export const INTERCOM_VERSIONS = [
  "1.0", "1.1", "1.2", "1.3", "1.4",
  "2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14",
] as const;

/** The prefix of the control API; no Intercom path starts with it. */
export const CONTROL_PREFIX = "/_emulator";

declare module "fastify" {
  interface FastifyRequest {
    /** The workspace the request's access token opened (Intercom routes only). */
    workspace: Workspace;
    intercomRequestId: string;
  }
}

/** How to build an emulator. */
export interface EmulatorOptions {
  /** Workspaces to create at start. */
  workspaces?: WorkspaceOptions[];
  /** Milliseconds before a failed webhook delivery is retried once (Intercom: one minute). */
  webhookRetryDelayMs?: number;
  /** Log requests with pino (off by default). */
  logger?: boolean;
}

/** A built emulator: its fastify app and state. */
export interface Emulator {
  app: FastifyInstance;
  state: EmulatorState;
  webhooks: WebhookDispatcher;
  /** Its public OAuth apps ("Connect with Intercom"): register one, then send a customer to `/oauth`. */
  oauth: OAuthApps;
  /** Listens on `port` (0: one the OS picks) and returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** The `METHOD /route-pattern` key calls are counted and faults matched by. */
export function routeKey(request: FastifyRequest): string {
  const pattern = request.routeOptions.url ?? request.url.split("?")[0] ?? request.url;
  return `${request.method} ${pattern}`;
}

/**
 * Builds the Intercom API emulator (REST API 2.14) with its control API under `/_emulator`.
 *
 * @example
 * const emulator = createEmulator({ workspaces: [{ token: "tok", timezone: "UTC" }] });
 * const baseUrl = await emulator.listen(0);
 * await fetch(`${baseUrl}/me`, { headers: { Authorization: "Bearer tok" } });
 * await emulator.close();
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const state = new EmulatorState();
  const app = Fastify({
    logger: options.logger === true,
    forceCloseConnections: true,
    bodyLimit: 10 * 1024 * 1024,
  });
  const webhooks = new WebhookDispatcher({ retryDelayMs: options.webhookRetryDelayMs ?? 60_000 });
  const watchWorkspace = (ws: Workspace): void => ws.onEvent((event) => webhooks.dispatch(ws, event));
  for (const ws of options.workspaces ?? []) watchWorkspace(state.addWorkspace(ws));

  app.decorateRequest("workspace", null as unknown as Workspace);
  app.decorateRequest("intercomRequestId", "");

  // Intercom routes: auth, version, faults, rate limit, call counting, in that order.
  app.addHook("onRequest", async (request, reply) => {
    request.intercomRequestId = newRequestId();
    void reply.header("X-Request-Id", request.intercomRequestId);
    if (request.url.startsWith(CONTROL_PREFIX) || isOAuthPath(request.url)) return;
    const auth = request.headers.authorization;
    const token = auth?.startsWith("Bearer ") === true ? auth.slice("Bearer ".length).trim() : undefined;
    const workspace = token === undefined ? undefined : state.byToken(token);
    if (workspace === undefined) throw new IntercomApiError(401, "unauthorized", "Access Token Invalid");
    request.workspace = workspace;
    // Intercom's `Date` is Intercom's time; here that is the workspace clock, which tests move.
    void reply.header("Date", new Date(workspace.clock.nowMs()).toUTCString());
    const key = routeKey(request);
    state.countCall(workspace.id, key);

    const decision = spendRateLimit(state.windows, workspace.id, workspace.rateLimitPerMinute, Date.now());
    void reply.headers({
      "X-RateLimit-Limit": String(decision.limit),
      "X-RateLimit-Remaining": String(decision.remaining),
      "X-RateLimit-Reset": String(decision.reset),
    });

    const version = request.headers["intercom-version"];
    if (version !== undefined && !(INTERCOM_VERSIONS as readonly string[]).includes(String(version))) {
      throw new IntercomApiError(400, "intercom_version_invalid", `Requested version ${String(version)} is not valid`);
    }

    const fault = state.takeFault(workspace.id, key);
    if (fault !== undefined) return applyFault(fault, request, reply);

    if (!decision.allowed) {
      throw new IntercomApiError(429, "rate_limit_exceeded", "You have exceeded the rate limit. Please try again later.");
    }
  });

  app.setErrorHandler((error: unknown, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, "emulator error");
    void reply.headers(apiError.headers).status(apiError.status).send(apiError.toBody(request.intercomRequestId || newRequestId()));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(new IntercomApiError(404, "not_found", `No route for ${request.method} ${request.url.split("?")[0] ?? ""}`).toBody(request.intercomRequestId));
  });

  registerAdminRoutes(app);
  registerContactRoutes(app);
  registerContactRelationRoutes(app);
  registerSearchRoutes(app);
  registerCompanyRoutes(app);
  registerTagRoutes(app);
  registerTeamRoutes(app);
  registerCompanyScrollRoutes(app);
  registerEventRoutes(app);
  registerDataAttributeRoutes(app);
  registerNoteRoutes(app);
  registerTicketTypeRoutes(app);
  registerTicketSearchRoutes(app);
  registerTicketRoutes(app);
  registerContactArchiveRoutes(app);
  registerConversationRoutes(app);
  registerControlRoutes(app, { state, webhooks, onWorkspaceAdded: watchWorkspace });
  registerConversationControlRoutes(app, state);
  const oauth = new OAuthApps(state);
  registerOAuthRoutes(app, state, oauth);
  app.post<{ Body: { client_id?: string; client_secret?: string; name?: string; redirect_uris?: unknown } | undefined }>(`${CONTROL_PREFIX}/oauth/apps`, async (request, reply) => {
    const body = request.body ?? {};
    const uris = Array.isArray(body.redirect_uris) ? body.redirect_uris.filter((uri): uri is string => typeof uri === "string") : [];
    if (uris.length === 0) return reply.status(400).send({ error: "redirect_uris: give at least one URL" });
    if (body.client_id !== undefined && oauth.get(body.client_id) !== undefined) return reply.status(409).send({ error: "client_id: an app with this client_id exists" });
    const registered = oauth.register({
      redirectUris: uris,
      ...(body.client_id === undefined ? {} : { clientId: body.client_id }),
      ...(body.client_secret === undefined ? {} : { clientSecret: body.client_secret }),
      ...(body.name === undefined ? {} : { name: body.name }),
    });
    return reply.status(201).send({ client_id: registered.clientId, client_secret: registered.clientSecret, name: registered.name, redirect_uris: registered.redirectUris });
  });

  return {
    app,
    state,
    webhooks,
    oauth,
    async listen(port = 0, host = "127.0.0.1") {
      await app.listen({ port, host });
      const address = app.server.address();
      if (address === null || typeof address === "string") throw new Error("emulator: no TCP address");
      return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
    },
    async close() {
      webhooks.close();
      await app.close();
    },
  };
}

async function applyFault(fault: PendingFault, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const retryAfter = fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
  switch (fault.kind) {
    case "500":
      throw new IntercomApiError(500, "server_error", "Injected server error");
    case "503":
      throw new IntercomApiError(503, "service_unavailable", "Injected: service temporarily unavailable", { headers: retryAfter });
    case "429":
      // Shaped like a real limit hit: a client reading the headers sees nothing left in the window.
      throw new IntercomApiError(429, "rate_limit_exceeded", "You have exceeded the rate limit. Please try again later.", {
        headers: { "X-RateLimit-Remaining": "0", ...retryAfter },
      });
    case "stall_body":
      // The headers and a first piece of the body, then nothing: a body that never finishes.
      reply.hijack();
      reply.raw.writeHead(200, { "Content-Type": "application/json", "Content-Length": "4096" });
      reply.raw.write('{"type":"list","data":[');
      return;
    case "reset":
      request.raw.socket.destroy();
      return reply.hijack();
    case "hang":
      // Never answer; the socket is closed by the client's timeout or by close().
      return reply.hijack();
    default:
      throw new Error(`unknown fault ${String(fault.kind)}`);
  }
}

function toApiError(error: unknown): IntercomApiError {
  if (error instanceof IntercomApiError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string; validation?: unknown };
  if (typeof e.code === "string" && e.code.startsWith("FST_ERR_CTP")) {
    if (e.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return new IntercomApiError(415, "unsupported_media_type", "Content-Type must be application/json");
    }
    if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE") return new IntercomApiError(413, "request_too_large", "Request body too large");
    return new IntercomApiError(400, "bad_request", "Request body is not valid JSON");
  }
  if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
    return new IntercomApiError(e.statusCode, "bad_request", e.message ?? "Bad request");
  }
  return new IntercomApiError(500, "server_error", "Internal server error");
}
