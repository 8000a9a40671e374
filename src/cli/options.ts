import { InvalidArgumentError } from "commander";
import { AddConnectionInput, BaseUrlField } from "../contract/index.js";
import { isValidTimeZone } from "../emulator/workspace.js";
import { type IntercomRegion, type IntercomVersion } from "../intercom/index.js";

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
 * A number greater than zero, decimals allowed (a window in seconds).
 *
 * @example
 * parsePositiveNumber("0.5"); // 0.5
 */
export function parsePositiveNumber(raw: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("The value must be a number greater than 0.");
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

/**
 * A yes-or-no setting: `true`, `1`, `yes`, `on` or `false`, `0`, `no`, `off` (any case).
 *
 * @example
 * parseBoolean("TRUE"); // true
 */
export function parseBoolean(raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(value)) return true;
  if (["false", "0", "no", "off"].includes(value)) return false;
  throw new InvalidArgumentError("Use true or false.");
}

/**
 * The `Intercom-Version` values the official SDK accepts.
 *
 * @example
 * INTERCOM_VERSIONS.includes("2.14"); // true
 */
export const INTERCOM_VERSIONS = [
  "1.0", "1.1", "1.2", "1.3", "1.4",
  "2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11", "2.12", "2.13", "2.14",
] as const satisfies readonly IntercomVersion[];

/**
 * An Intercom region: us, eu or au.
 *
 * @example
 * parseRegion("eu"); // "eu"
 */
export function parseRegion(raw: string): IntercomRegion {
  // The contract's rule (every face adds connections by AddConnectionInput), in this flag's words.
  const parsed = AddConnectionInput.shape.region.safeParse(raw.trim().toLowerCase());
  if (!parsed.success || parsed.data === undefined) throw new InvalidArgumentError("Use us, eu or au.");
  return parsed.data;
}

/**
 * The base URL of an Intercom-compatible API (the emulator, a proxy), by the contract's
 * `BaseUrlField`: http or https, without credentials, query or fragment. The trailing slash is dropped.
 *
 * @example
 * parseBaseUrl("http://127.0.0.1:4010/"); // "http://127.0.0.1:4010"
 */
export function parseBaseUrl(raw: string): string {
  const parsed = BaseUrlField.safeParse(raw.trim());
  if (parsed.success) return parsed.data;
  const reason = parsed.error.issues[0]?.message ?? "must be an http or https URL";
  throw new InvalidArgumentError(reason === "must be an http or https URL" ? "Use an http or https URL such as http://127.0.0.1:4010." : `The URL ${reason}.`);
}

/**
 * An `Intercom-Version` the SDK knows.
 *
 * @example
 * parseIntercomVersion("2.14"); // "2.14"
 */
export function parseIntercomVersion(raw: string): IntercomVersion {
  const value = raw.trim();
  const known: readonly string[] = INTERCOM_VERSIONS;
  if (!known.includes(value)) throw new InvalidArgumentError(`Use an Intercom API version from 1.0 to 2.14 (the contract is written against 2.14).`);
  return value as IntercomVersion;
}

/**
 * A directory path (not empty).
 *
 * @example
 * parseDirectory("./data"); // "./data"
 */
export function parseDirectory(raw: string): string {
  if (raw.trim() === "") throw new InvalidArgumentError("Give a directory path.");
  return raw;
}
