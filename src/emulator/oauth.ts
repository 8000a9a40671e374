import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { IntercomApiError } from "./errors.js";
import type { EmulatorState } from "./state.js";
import type { Workspace } from "./workspace.js";

// Intercom's OAuth for public apps, as its developer docs describe it: the customer is sent to
// `/oauth?client_id&state[&redirect_uri]` (app.intercom.com), picks a workspace and authorizes;
// Intercom redirects to the app's redirect URL with `code` and `state`; the app trades the code
// at `POST /auth/eagle/token` (api.intercom.io) with its client id and secret, within about five
// minutes, for an access token that does not expire. Scopes belong to the app, not the request.
// The emulator serves both hosts' paths on its one port. The wording of its refusals is ours.

/** Where the authorize page is. */
export const OAUTH_AUTHORIZE_PATH = "/oauth";
/** Where the authorize page's form posts the customer's choice. */
export const OAUTH_DECIDE_PATH = "/oauth/authorize";
/** Where an app trades a code for a token. */
export const OAUTH_TOKEN_PATH = "/auth/eagle/token";

/** Whether a request path is one of the OAuth paths (they take no access token). */
export function isOAuthPath(url: string): boolean {
  const path = url.split("?")[0];
  return path === OAUTH_AUTHORIZE_PATH || path === OAUTH_DECIDE_PATH || path === OAUTH_TOKEN_PATH;
}

/** A public app of the emulator: its credentials and redirect URLs (the first is the default). */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
}

interface IssuedCode {
  clientId: string;
  workspace: Workspace;
  redirectUri: string;
  expiresAt: number;
}

/** How long a code may be traded, as Intercom says ("about 5 minutes"). */
export const OAUTH_CODE_LIFETIME_MS = 5 * 60_000;

/**
 * The emulator's OAuth apps, the codes it issued, and the tokens it minted (each one opens the
 * workspace it was authorized for, as the workspace's own token does).
 *
 * @example
 * const app = oauth.register({ redirectUris: ["https://connector.example.com/console/oauth/callback"] });
 */
export class OAuthApps {
  private readonly apps = new Map<string, OAuthApp>();
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly state: EmulatorState,
    private readonly now: () => number = Date.now,
  ) {}

  /** Registers an app (credentials generated unless given). */
  register(fields: { clientId?: string; clientSecret?: string; name?: string; redirectUris: string[] }): OAuthApp {
    if (fields.redirectUris.length === 0) throw new RangeError("an OAuth app needs at least one redirect URL");
    const app: OAuthApp = {
      clientId: fields.clientId ?? randomBytes(16).toString("hex"),
      clientSecret: fields.clientSecret ?? randomBytes(24).toString("base64url"),
      name: fields.name ?? "Connector",
      redirectUris: [...fields.redirectUris],
    };
    if (this.apps.has(app.clientId)) throw new RangeError("an OAuth app with this client_id exists");
    this.apps.set(app.clientId, app);
    return app;
  }

  get(clientId: string): OAuthApp | undefined {
    return this.apps.get(clientId);
  }

  /** A code for the app and workspace, redeemable once within its lifetime. */
  issue(app: OAuthApp, workspace: Workspace, redirectUri: string): string {
    const code = randomBytes(18).toString("base64url");
    this.codes.set(code, { clientId: app.clientId, workspace, redirectUri, expiresAt: this.now() + OAUTH_CODE_LIFETIME_MS });
    return code;
  }

  /** Trades a code: the access token, or null when the code, the client or its secret is wrong, used or expired. */
  redeem(code: string, clientId: string, clientSecret: string): string | null {
    const issued = this.codes.get(code);
    // Used once, whatever the outcome: a code seen with the wrong secret is burnt.
    this.codes.delete(code);
    const app = this.apps.get(clientId);
    if (issued === undefined || app === undefined || app.clientSecret !== clientSecret || issued.clientId !== clientId || issued.expiresAt < this.now()) return null;
    const token = `oauth_${randomBytes(24).toString("base64url")}`;
    this.state.addAccessToken(issued.workspace, token);
    return token;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
  return reply.status(status).type("text/html; charset=utf-8").send(html);
}

/** The app and redirect URL a request names, or why not. */
function resolveClient(oauth: OAuthApps, query: Record<string, string | undefined>): { app: OAuthApp; redirectUri: string } | string {
  const app = query.client_id === undefined ? undefined : oauth.get(query.client_id);
  if (app === undefined) return "This app is not known: check its client_id.";
  const redirectUri = query.redirect_uri ?? app.redirectUris[0] ?? "";
  if (!app.redirectUris.includes(redirectUri)) return "This redirect_uri is not one of the app's redirect URLs.";
  return { app, redirectUri };
}

function redirectTo(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * Registers Intercom's OAuth paths: the authorize page (`GET /oauth`), its form's answer
 * (`POST /oauth/authorize`: a redirect with `code` and `state`, or `error=access_denied`), and the
 * code exchange (`POST /auth/eagle/token`: `{token_type, token, access_token}`; a wrong, used or
 * expired code, or a wrong client, is 401 `Unauthorized Code`).
 *
 * @example
 * registerOAuthRoutes(app, state, oauth);
 */
export function registerOAuthRoutes(app: FastifyInstance, state: EmulatorState, oauth: OAuthApps): void {
  // The authorize page's form posts application/x-www-form-urlencoded; the token exchange takes it too.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>(OAUTH_AUTHORIZE_PATH, async (request, reply) => {
    const client = resolveClient(oauth, request.query);
    if (typeof client === "string") return page(reply, 400, "Authorization failed", `<p>${escapeHtml(client)}</p>`);
    const hidden = (name: string, value: string): string => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const common = hidden("client_id", client.app.clientId) + hidden("redirect_uri", client.redirectUri) + hidden("state", request.query.state ?? "");
    const choices = state
      .all()
      .map(
        (ws) =>
          `<form method="post" action="${OAUTH_DECIDE_PATH}">${common}${hidden("workspace_id", ws.id)}<button type="submit" name="decision" value="allow">Authorize access to workspace ${escapeHtml(ws.id)}</button></form>`,
      )
      .join("");
    const cancel = `<form method="post" action="${OAUTH_DECIDE_PATH}">${common}<button type="submit" name="decision" value="deny">Cancel</button></form>`;
    return page(reply, 200, `${client.app.name} would like to connect to your Intercom workspace`, `<p>Choose the workspace ${escapeHtml(client.app.name)} may use.</p>${choices}${cancel}`);
  });

  app.post<{ Body: Record<string, string | undefined> | undefined }>(OAUTH_DECIDE_PATH, async (request, reply) => {
    const form = request.body ?? {};
    const client = resolveClient(oauth, form);
    if (typeof client === "string") return page(reply, 400, "Authorization failed", `<p>${escapeHtml(client)}</p>`);
    const echoed = form.state === undefined || form.state === "" ? {} : { state: form.state };
    if (form.decision !== "allow") return reply.redirect(redirectTo(client.redirectUri, { error: "access_denied", ...echoed }), 302);
    const workspace = form.workspace_id === undefined ? undefined : state.byId(form.workspace_id);
    if (workspace === undefined) return page(reply, 400, "Authorization failed", "<p>This workspace is not known.</p>");
    const code = oauth.issue(client.app, workspace, client.redirectUri);
    return reply.redirect(redirectTo(client.redirectUri, { code, ...echoed }), 302);
  });

  app.post<{ Body: Record<string, unknown> | undefined }>(OAUTH_TOKEN_PATH, async (request) => {
    const body = request.body ?? {};
    const text = (name: string): string => (typeof body[name] === "string" ? (body[name]) : "");
    const token = oauth.redeem(text("code"), text("client_id"), text("client_secret"));
    if (token === null) throw new IntercomApiError(401, "unauthorized", "Unauthorized Code");
    return { token_type: "Bearer", token, access_token: token };
  });
}
