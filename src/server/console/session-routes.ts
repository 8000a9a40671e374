import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { connectorError, parseInput } from "../../contract/index.js";
import { addRoute } from "../add-route.js";
import { adminRefusal, adminRule } from "../admin.js";
import { sendError } from "../errors.js";
import type { ConsoleContext } from "./context.js";
import { cookieOf, sameOrigin, SESSION_COOKIE, sessionCookie } from "./guard.js";
import { CONSOLE_ROUTES } from "./routes.js";
import type { ConsoleSession } from "./sessions.js";

/** The sign-in form: the admin key, a connection's API key, or neither (this machine, when no admin key is set). */
const SignIn = z.strictObject({
  admin_key: z.string().min(1).max(1024).optional(),
  api_key: z.string().min(1).max(1024).optional(),
});

/** A session as the page reads it: never a key. */
function sessionJson(session: ConsoleSession): { scope: "admin" | "connection"; connection_id: string | null; csrf_token: string } {
  return {
    scope: session.scope.kind,
    connection_id: session.scope.kind === "connection" ? session.scope.connectionId : null,
    csrf_token: session.csrfToken,
  };
}

/**
 * Sign-in, the session and sign-out. Signing in as the operator follows the connections API's
 * rule exactly (`adminRefusal`: the admin key when `CONNECTOR_ADMIN_KEY` is set; else anyone in
 * demo mode, this machine only on loopback, nobody beyond it); a connection's API key signs in
 * to that connection alone (401 `unauthorized` for an unknown key). A sign-in from another
 * origin is refused (`csrf_refused`), so no site can sign a browser in to its own session.
 *
 * @example
 * registerSessionRoutes(app, consoleContext);
 */
export function registerSessionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { runtime, sessions, deps } = ctx;

  addRoute(app, CONSOLE_ROUTES.session, {}, async (request, reply) => {
    const session = sessions.find(cookieOf(request, SESSION_COOKIE));
    if (session === null) {
      const address = request.server.server.address();
      const rule = adminRule({ adminKey: deps.adminKey, demoMode: deps.demoMode === true, listensOn: address === null || typeof address === "string" ? null : address.address });
      // What the sign-in page offers: the admin key's field, or "sign in from this machine".
      return reply.status(401).send({ ...errorOf("console_signed_out"), sign_in: { admin_rule: rule } });
    }
    return sessionJson(session);
  });

  addRoute(app, CONSOLE_ROUTES.signIn, {}, async (request, reply) => {
    if (!sameOrigin(request, deps.publicBaseUrl)) return sendError(reply, connectorError("csrf_refused", {}));
    const form = parseInput(SignIn, request.body ?? {});
    if (!form.ok) return sendError(reply, form.error);
    let opened: ReturnType<typeof sessions.open>;
    if (form.value.api_key !== undefined) {
      const connection = await runtime.connectionByApiKey(form.value.api_key);
      if (connection === null) return sendError(reply, connectorError("unauthorized", {}));
      opened = sessions.open({ kind: "connection", connectionId: connection.id });
    } else {
      const refusal = adminRefusal(request, { adminKey: deps.adminKey, demoMode: deps.demoMode === true, given: form.value.admin_key });
      if (refusal !== null) return sendError(reply, refusal);
      opened = sessions.open({ kind: "admin" });
    }
    // A session id held before sign-in is ended: a planted cookie cannot become a signed-in one.
    sessions.close(cookieOf(request, SESSION_COOKIE));
    request.log.info({ scope: opened.session.scope.kind }, "console signed in");
    return reply.status(201).header("Set-Cookie", sessionCookie(request, opened.id, deps.publicBaseUrl)).send(sessionJson(opened.session));
  });

  addRoute(app, CONSOLE_ROUTES.signOut, {}, async (request, reply) => {
    const caller = await ctx.gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    sessions.close(caller.cookie);
    return reply.status(204).header("Set-Cookie", sessionCookie(request, null, deps.publicBaseUrl)).send();
  });
}

function errorOf(code: "console_signed_out"): { error: { code: string; message: string } } {
  const error = connectorError(code, {});
  return { error: { code: error.code, message: error.message } };
}
