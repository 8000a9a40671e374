import type { FastifyInstance } from "fastify";
import { connectorError } from "../contract/index.js";
import { sendError } from "./errors.js";
import { HEALTH_PATH, METRICS_PATH, READY_PATH } from "./routes.js";

/**
 * One `ALLOWED_HOSTS` entry, or a request's `Host`, parsed: the host name as URLs spell it
 * (lower case, IDNs in punycode, IPv6 in brackets) and the port when one is written.
 *
 * @example
 * const entry: HostEntry = { hostname: "connector.example.com", port: "8443" };
 */
export interface HostEntry {
  hostname: string;
  port: string | null;
}

/**
 * Reads `host` or `host:port` (an IPv6 address in brackets); `null` for anything else (a path,
 * credentials, a scheme, a port out of range, an empty name).
 *
 * @example
 * parseHostEntry("Connector.Example.com:8443"); // { hostname: "connector.example.com", port: "8443" }
 * parseHostEntry("https://connector.example.com"); // null
 */
export function parseHostEntry(text: string): HostEntry | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:/?#@[\]\s]+)(?::(\d{1,5}))?$/.exec(text.trim());
  if (match === null) return null;
  const [, host = "", port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65_535)) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
  return hostname === "" ? null : { hostname, port: port === undefined ? null : String(Number(port)) };
}

/**
 * Whether `host` (a request's `Host`) is one of `allowed`: the same name, and the same port when
 * the entry names one (an entry without a port allows every port).
 *
 * @example
 * hostAllowed("connector.example.com:3000", [{ hostname: "connector.example.com", port: null }]); // true
 */
export function hostAllowed(host: string, allowed: readonly HostEntry[]): boolean {
  const given = parseHostEntry(host);
  if (given === null) return false;
  return allowed.some((entry) => entry.hostname === given.hostname && (entry.port === null || entry.port === given.port));
}

/**
 * With `ALLOWED_HOSTS` set, answers every request whose `Host` is not listed 421
 * `host_not_allowed` before any route runs, so a link built from `Host` (`Location`, `nextLink`)
 * can only name a listed host. `/health` is exempt: probes address the instance however they
 * reach it, and its answer names no host.
 *
 * @example
 * limitHosts(app, ["connector.example.com", "10.0.0.5:3000"]);
 */
export function limitHosts(app: FastifyInstance, allowedHosts: readonly string[] | undefined): void {
  if (allowedHosts === undefined || allowedHosts.length === 0) return;
  const allowed = allowedHosts.map((entry) => {
    const parsed = parseHostEntry(entry);
    // The CLI validates ALLOWED_HOSTS; a library caller's bad entry is a bug.
    if (parsed === null) throw new Error(`allowedHosts: "${entry}" is not a host or host:port`);
    return parsed;
  });
  app.addHook("onRequest", async (request, reply) => {
    // Probes and scrapers reach an instance by its address, whatever name clients use.
    const path = request.url.split("?")[0];
    if (path === HEALTH_PATH || path === READY_PATH || path === METRICS_PATH) return;
    if (!hostAllowed(request.host, allowed)) return sendError(reply, connectorError("host_not_allowed", {}));
    return undefined;
  });
}
