import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { connectorError, type ConnectorError } from "../contract/index.js";
import { sendError } from "./errors.js";
import { ADMIN_KEY_HEADER } from "./routes.js";

/** Headers a reverse proxy adds: a request carrying one did not start on this machine. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"];

/**
 * Whether an IP address is a loopback address (127.0.0.0/8, `::1`, or IPv4 loopback mapped to IPv6).
 *
 * @example
 * isLoopbackAddress("127.0.0.1"); // true
 * isLoopbackAddress("0.0.0.0"); // false: every interface
 */
export function isLoopbackAddress(address: string): boolean {
  const a = address.toLowerCase();
  return a === "::1" || a.startsWith("127.") || a.startsWith("::ffff:127.");
}

/**
 * Whether a request comes straight from this machine: a loopback peer address and no proxy
 * forwarding header (a proxy on the same host would otherwise make every caller look local).
 *
 * @example
 * isDirectLoopback(request); // true for curl on the server itself
 */
export function isDirectLoopback(request: FastifyRequest): boolean {
  return isLoopbackAddress(request.socket.remoteAddress ?? "") && FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
}

/**
 * Who may create connections, by the service's settings: with an admin key, whoever sends it;
 * without one, anyone in demo mode (the in-process emulator's workspace, nothing real to reach),
 * only callers on this machine when the service listens on loopback, and nobody otherwise (a
 * proxy on the same host makes every remote caller look local, so the peer address cannot decide).
 *
 * @example
 * const rule: AdminRule = adminRule({ adminKey: undefined, demoMode: false, listensOn: "0.0.0.0" }); // "key-required"
 */
export type AdminRule = "admin-key" | "demo" | "loopback" | "key-required";

/**
 * The rule in force for `requireAdmin` (`listensOn`: the bound address; a Unix socket or an app not
 * listening yet counts as this machine).
 *
 * @example
 * adminRule({ adminKey: undefined, demoMode: false, listensOn: "127.0.0.1" }); // "loopback"
 */
export function adminRule(options: { adminKey: string | undefined; demoMode: boolean; listensOn: string | null }): AdminRule {
  if (options.adminKey !== undefined && options.adminKey !== "") return "admin-key";
  if (options.demoMode) return "demo";
  return options.listensOn === null || isLoopbackAddress(options.listensOn) ? "loopback" : "key-required";
}

/**
 * The start banner's line for a rule: who may create connections, and how to change it.
 *
 * @example
 * adminRuleLine("key-required"); // "connections: creating one needs CONNECTOR_ADMIN_KEY …"
 */
export function adminRuleLine(rule: AdminRule): string {
  switch (rule) {
    case "admin-key":
      return "connections: created with the admin key (CONNECTOR_ADMIN_KEY) in X-Admin-Key";
    case "demo":
      return "connections: anyone who reaches the service may create them (demo mode, no CONNECTOR_ADMIN_KEY)";
    case "loopback":
      return "connections: created only from this machine (listening on loopback, no CONNECTOR_ADMIN_KEY)";
    case "key-required":
      return "connections: nobody may create one until CONNECTOR_ADMIN_KEY is set (not listening on loopback only)";
  }
}

/** The bound address of the app a request arrived at: `null` for a Unix socket or `inject`. */
function boundAddress(request: FastifyRequest): string | null {
  const address = request.server.server.address();
  return address === null || typeof address === "string" ? null : address.address;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * Why a request may not act as the operator, or `null` when it may: the one rule of
 * `requireAdmin`, shared by the console's sign-in (which reads the key from its form, `given`).
 * With an admin key configured, `given` must be it (compared in constant time): else
 * `admin_unauthorized`. Without one: in demo mode anyone passes; a service listening beyond
 * loopback refuses everyone (`admin_key_required`); on loopback only direct (not proxied)
 * requests pass, else `admin_local_only`.
 *
 * @example
 * const refusal = adminRefusal(request, { adminKey: process.env.CONNECTOR_ADMIN_KEY, given: request.headers["x-admin-key"] });
 */
export function adminRefusal(request: FastifyRequest, options: { adminKey: string | undefined; demoMode?: boolean; given: string | string[] | undefined }): ConnectorError | null {
  if (options.adminKey === undefined || options.adminKey === "") {
    // The bound address is read per request: the app is built before it listens.
    const rule = adminRule({ adminKey: undefined, demoMode: options.demoMode === true, listensOn: boundAddress(request) });
    if (rule === "key-required") return connectorError("admin_key_required", {});
    if (rule === "loopback" && !isDirectLoopback(request)) return connectorError("admin_local_only", {});
    return null;
  }
  const given = Array.isArray(options.given) ? options.given[0] : options.given;
  // Hashing first gives equal lengths, so the comparison's time says nothing about the key.
  if (given === undefined || !timingSafeEqual(sha256(given), sha256(options.adminKey))) return connectorError("admin_unauthorized", {});
  return null;
}

/**
 * A preHandler for the admin routes (creating connections): `adminRefusal` with the key from
 * `X-Admin-Key`, its refusal sent in the one error shape.
 *
 * @example
 * app.post("/v1/connections", { preHandler: requireAdmin(process.env.CONNECTOR_ADMIN_KEY) }, create);
 */
export function requireAdmin(adminKey: string | undefined, options: { demoMode?: boolean } = {}): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  return async (request, reply) => {
    const refusal = adminRefusal(request, { adminKey, demoMode: options.demoMode === true, given: request.headers[ADMIN_KEY_HEADER] });
    if (refusal !== null) await sendError(reply, refusal);
  };
}
