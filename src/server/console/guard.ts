import type { FastifyReply, FastifyRequest } from "fastify";
import { connectorError } from "../../contract/index.js";
import type { Runtime } from "../../runtime/index.js";
import type { Connection } from "../../store/index.js";
import { baseUrlOf } from "../base-url.js";
import { sendError } from "../errors.js";
import { CONSOLE_PATH } from "./routes.js";
import { csrfMatches, type ConsoleSession, type ConsoleSessions } from "./sessions.js";

/** The session cookie's name. */
export const SESSION_COOKIE = "icc_console";
/** The header every change carries its session's CSRF token in. */
export const CSRF_HEADER = "x-csrf-token";

/**
 * The value of one cookie of a request (`Cookie: a=1; b=2`), or `undefined`.
 *
 * @example
 * cookieOf(request, SESSION_COOKIE); // "Zm9v…"
 */
export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of a session (or of its end, with `null`): only the console's paths,
 * never readable by scripts, never sent by another site's requests, and only over https when
 * the service is reached over https (`PUBLIC_BASE_URL` or the request itself).
 *
 * @example
 * reply.header("Set-Cookie", sessionCookie(request, id, publicBaseUrl));
 */
export function sessionCookie(request: FastifyRequest, id: string | null, publicBaseUrl: string | undefined): string {
  const secure = baseUrlOf(request, publicBaseUrl).startsWith("https:") ? "; Secure" : "";
  const value = id === null ? "; Max-Age=0" : "";
  return `${SESSION_COOKIE}=${id ?? ""}; Path=${CONSOLE_PATH}; HttpOnly; SameSite=Strict${secure}${value}`;
}

/**
 * Whether a request comes from a page of the service's own origin: its `Origin` (when sent)
 * names the service, and the browser's `Sec-Fetch-Site` (when sent) says same-origin.
 *
 * @example
 * sameOrigin(request, undefined); // false for a form posted from another site
 */
export function sameOrigin(request: FastifyRequest, publicBaseUrl: string | undefined): boolean {
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const own = new Set([new URL(baseUrlOf(request, undefined)).origin]);
  if (publicBaseUrl !== undefined) own.add(new URL(publicBaseUrl).origin);
  return own.has(origin);
}

/** What a console handler needs to know about who asks. */
export interface ConsoleCaller {
  session: ConsoleSession;
  /** The session cookie's value (to end it). */
  cookie: string;
}

/**
 * The console's gate for its JSON endpoints: a live session (401 `console_signed_out`), and for a
 * change (`change: true`) the session's CSRF token in `X-CSRF-Token` from a same-origin page
 * (403 `csrf_refused`). A session signed in with a connection's key whose connection is gone
 * ends here. Answers `null` once it has sent the refusal.
 *
 * @example
 * const caller = await gate.check(request, reply, { change: true });
 * if (caller === null) return reply;
 */
export class ConsoleGate {
  constructor(
    private readonly sessions: ConsoleSessions,
    private readonly runtime: Runtime,
    private readonly publicBaseUrl: string | undefined,
  ) {}

  async check(request: FastifyRequest, reply: FastifyReply, options: { change: boolean }): Promise<ConsoleCaller | null> {
    const cookie = cookieOf(request, SESSION_COOKIE);
    const session = this.sessions.find(cookie);
    if (session === null || cookie === undefined) {
      await sendError(reply, connectorError("console_signed_out", {}));
      return null;
    }
    if (session.scope.kind === "connection" && (await this.runtime.store.getConnection(session.scope.connectionId)) === null) {
      this.sessions.close(cookie);
      await sendError(reply, connectorError("console_signed_out", {}));
      return null;
    }
    if (options.change && (!sameOrigin(request, this.publicBaseUrl) || !csrfMatches(session, request.headers[CSRF_HEADER]))) {
      await sendError(reply, connectorError("csrf_refused", {}));
      return null;
    }
    return { session, cookie };
  }

  /**
   * The connection a request names, if the session may see it: its own for a connection's
   * session, any for the operator's. `null` once a refusal is sent (403 `console_forbidden`, 404
   * `not_found`).
   */
  async connection(caller: ConsoleCaller, connectionId: string, reply: FastifyReply): Promise<Connection | null> {
    const scope = caller.session.scope;
    if (scope.kind === "connection" && scope.connectionId !== connectionId) {
      await sendError(reply, connectorError("console_forbidden", {}));
      return null;
    }
    const connection = await this.runtime.store.getConnection(connectionId);
    if (connection === null) {
      await sendError(reply, connectorError("not_found", { resource: "connection", id: connectionId }));
      return null;
    }
    return connection;
  }
}
