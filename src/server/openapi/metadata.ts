import { readFileSync } from "node:fs";

/**
 * What Power Platform shows about the connector: its title, description, brand colour and
 * publisher's links (the seed's "Metadados do conector").
 *
 * @example
 * CONNECTOR_INFO.title; // "Intercom"
 */
export const CONNECTOR_INFO = Object.freeze({
  title: "Intercom",
  description:
    "Intercom builds messaging apps for businesses to understand and talk to their customers. " +
    "This self-hosted connector creates, updates and reads Intercom users and leads, and starts flows " +
    "when a lead or user is created, a user is updated, or a conversation is started.",
  website: "https://www.intercom.com/",
  privacyPolicy: "https://www.intercom.com/legal/terms-and-policies#privacy",
  categories: "Sales and CRM;Communication",
  brandColor: "#1f8ded",
});

/** The header that carries a connection's API key (the service reads it case-insensitively). */
export const API_KEY_HEADER_NAME = "X-API-Key";
/** The name of the API key's security definition and of its connection parameter. */
export const API_KEY_SECURITY_NAME = "api_key";
/** The name of the connection parameter that holds the service's host. */
export const HOST_CONNECTION_PARAMETER = "host";

/**
 * The package's version (src/server/openapi and dist/server/openapi are both three levels below
 * package.json).
 *
 * @example
 * packageVersion(); // "0.1.0"
 */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "0.0.0";
}

/** Where the connector is reached, as the OpenAPI file and apiProperties.json say it. */
export interface ConnectorLocation {
  /** Host name or address, with an optional port (`connector.example.com`, `localhost:3000`). */
  host?: string | undefined;
  /** The path every route is below (default `/`). */
  basePath?: string | undefined;
  /** `https` (default) or `http`. */
  scheme?: "http" | "https" | undefined;
}

/** Swagger 2.0's own rule for `host`: a name or address, an optional port, nothing else. */
const HOST = /^[^{}/ :\\]+(?::\d+)?$/;

/**
 * Checks a host for the OpenAPI file: a name or IPv4 address with an optional port, no scheme,
 * path or IPv6 literal (Swagger 2.0 cannot hold those). Throws a RangeError saying what to fix.
 *
 * @example
 * checkHost("connector.example.com:8443"); // "connector.example.com:8443"
 */
export function checkHost(host: string): string {
  if (!HOST.test(host)) throw new RangeError(`The host must be a host name or address with an optional port, like connector.example.com:8443 (no scheme, path or IPv6 literal); got ${JSON.stringify(host)}.`);
  const port = host.split(":")[1];
  if (port !== undefined && Number(port) > 65_535) throw new RangeError(`The port must be from 0 to 65535; got ${port}.`);
  return host;
}

/**
 * Checks a base path: starts with `/`, no query, fragment, spaces or template; a trailing `/`
 * (but on `/` itself) goes.
 *
 * @example
 * checkBasePath("/intercom/"); // "/intercom"
 */
export function checkBasePath(basePath: string): string {
  if (!/^\/[^?#\s{}]*$/.test(basePath)) throw new RangeError(`The base path must start with / and hold no spaces, ?, # or braces; got ${JSON.stringify(basePath)}.`);
  return basePath.length > 1 ? basePath.replace(/\/+$/, "") || "/" : basePath;
}

/**
 * Checks a scheme: `http` or `https`.
 *
 * @example
 * checkScheme("https"); // "https"
 */
export function checkScheme(scheme: string): "http" | "https" {
  if (scheme !== "http" && scheme !== "https") throw new RangeError(`The scheme must be http or https; got ${JSON.stringify(scheme)}.`);
  return scheme;
}

/** A location with its defaults filled in and each part checked. */
export interface ResolvedLocation {
  host: string | undefined;
  basePath: string;
  scheme: "http" | "https";
}

/**
 * Checks a location and fills in the defaults (base path `/`, scheme `https`, host left out: a
 * client then uses the host it fetched the file from).
 *
 * @example
 * resolveLocation({ host: "localhost:3000", scheme: "http" }); // { host: "localhost:3000", basePath: "/", scheme: "http" }
 */
export function resolveLocation(location: ConnectorLocation = {}): ResolvedLocation {
  return {
    host: location.host === undefined ? undefined : checkHost(location.host),
    basePath: checkBasePath(location.basePath ?? "/"),
    scheme: checkScheme(location.scheme ?? "https"),
  };
}
