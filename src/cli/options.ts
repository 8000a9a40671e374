import { InvalidArgumentError } from "commander";
import { isValidTimeZone } from "../emulator/workspace.js";

/**
 * Parsers for command-line option values. Each returns the parsed value or throws commander's
 * `InvalidArgumentError` with what to fix; commander then prints one line
 * (`error: option '--port <port>' argument 'x' is invalid. …`) and the CLI exits with code 2.
 */

function integer(raw: string, what: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new InvalidArgumentError(`${what} must be a whole number.`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${what} is too large.`);
  return n;
}

/**
 * A TCP port: 0 (the OS picks a free one) to 65535.
 *
 * @example
 * parsePort("4010"); // 4010
 */
export function parsePort(raw: string): number {
  const n = integer(raw, "The port");
  if (n < 0 || n > 65_535) throw new InvalidArgumentError("The port must be from 0 to 65535 (0 picks a free port).");
  return n;
}

/**
 * A whole number of zero or more (seconds, milliseconds).
 *
 * @example
 * parseNonNegativeInteger("0"); // 0
 */
export function parseNonNegativeInteger(raw: string): number {
  const n = integer(raw, "The value");
  if (n < 0) throw new InvalidArgumentError("The value must be 0 or more.");
  return n;
}

/**
 * A whole number of one or more (requests per minute).
 *
 * @example
 * parsePositiveInteger("1000"); // 1000
 */
export function parsePositiveInteger(raw: string): number {
  const n = integer(raw, "The value");
  if (n < 1) throw new InvalidArgumentError("The value must be 1 or more.");
  return n;
}

/**
 * An IANA time zone name this runtime knows.
 *
 * @example
 * parseTimeZone("Europe/Paris"); // "Europe/Paris"
 */
export function parseTimeZone(raw: string): string {
  if (!isValidTimeZone(raw) || raw.trim() === "") {
    throw new InvalidArgumentError("Use an IANA time zone name such as UTC, Europe/Paris or America/New_York.");
  }
  return raw;
}

/**
 * An access token: printable, without spaces (it travels in an `Authorization: Bearer` header).
 *
 * @example
 * parseToken("dG9rOmFiYw=="); // "dG9rOmFiYw=="
 */
export function parseToken(raw: string): string {
  if (!/^[\x21-\x7e]{1,512}$/.test(raw)) {
    throw new InvalidArgumentError("The token must be 1 to 512 printable ASCII characters without spaces.");
  }
  return raw;
}

/**
 * A host name or IP address to listen on.
 *
 * @example
 * parseHost("0.0.0.0"); // "0.0.0.0"
 */
export function parseHost(raw: string): string {
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(raw)) throw new InvalidArgumentError("Use a host name or an IP address, such as 127.0.0.1.");
  return raw;
}
