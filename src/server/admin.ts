import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { connectorError } from "../contract/index.js";
import { sendError } from "./errors.js";
import { ADMIN_KEY_HEADER } from "./routes.js";

/** Headers a reverse proxy adds: a request carrying one did not start on this machine. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"];

/**
 * Whether a request comes straight from this machine: a loopback peer address and no proxy
 * forwarding header (a proxy on the same host would otherwise make every caller look local).
 *
 * @example
 * isDirectLoopback(request); // true for curl on the server itself
 */
export function isDirectLoopback(request: FastifyRequest): boolean {
  const address = request.socket.remoteAddress ?? "";
  const loopback = address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
  return loopback && FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/**
 * A preHandler for the admin routes (creating connections). With an admin key configured
 * (`CONNECTOR_ADMIN_KEY`), the request must carry it in `X-Admin-Key` (compared in constant
 * time): else 401 `admin_unauthorized`. Without one, only direct loopback requests pass: else
 * 403 `admin_local_only`.
 *
 * @example
 * app.post("/v1/connections", { preHandler: requireAdmin(process.env.CONNECTOR_ADMIN_KEY) }, create);
 */
export function requireAdmin(adminKey: string | undefined): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const expected = adminKey === undefined || adminKey === "" ? null : sha256(adminKey);
  return async (request, reply) => {
    if (expected === null) {
      if (!isDirectLoopback(request)) await sendError(reply, connectorError("admin_local_only", {}));
      return;
    }
    const header = request.headers[ADMIN_KEY_HEADER];
    const given = Array.isArray(header) ? header[0] : header;
    // Hashing first gives equal lengths, so the comparison's time says nothing about the key.
    if (given === undefined || !timingSafeEqual(sha256(given), expected)) await sendError(reply, connectorError("admin_unauthorized", {}));
  };
}
