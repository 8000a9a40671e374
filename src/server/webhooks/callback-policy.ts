import { BlockList, isIP } from "node:net";
import { err, ok, type Result } from "../../contract/index.js";
import { addressKindPhrase, blockedAddressKind, type BlockedAddressKind } from "./blocked-addresses.js";

/**
 * Where webhook deliveries may go. By default only to public addresses: a connection's owner must
 * not make the service POST to itself, its private network or a cloud metadata service (SSRF).
 *
 * @example
 * const onPremises: CallbackPolicy = { allowPrivate: false, allowedHosts: ["hooks.corp.example", "10.20.0.0/16"] };
 */
export interface CallbackPolicy {
  /** Any address goes (on-premises receivers, tests, the demo): the guard is off. */
  allowPrivate: boolean;
  /**
   * Allowed even though private: host names (exactly, whatever they resolve to) and addresses or
   * CIDR ranges (`10.20.0.0/16`, `fd00::/8`, `192.168.1.10`), for the receivers an operator trusts.
   */
  allowedHosts: readonly string[];
}

/**
 * The default policy: public addresses only, no exceptions.
 *
 * @example
 * new CallbackGuard(PUBLIC_CALLBACKS_ONLY).checkUrl("http://127.0.0.1/hook").ok; // false
 */
export const PUBLIC_CALLBACKS_ONLY: CallbackPolicy = { allowPrivate: false, allowedHosts: [] };

/**
 * The guard off: any address goes (tests, the demo, on-premises receivers).
 *
 * @example
 * new CallbackGuard(ANY_CALLBACK).checkUrl("http://127.0.0.1/hook").ok; // true
 */
export const ANY_CALLBACK: CallbackPolicy = { allowPrivate: true, allowedHosts: [] };

/** A host name as DNS has it: letters, digits, hyphens and underscores in dot-separated labels. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * Why an `allowedHosts` entry is not one (a host name, an IP address, or a CIDR range), or `null`
 * when it is. For settings to name the faulty entry.
 *
 * @example
 * allowedHostError("10.0.0.0/33"); // "'10.0.0.0/33' has a prefix longer than 32 bits"
 * allowedHostError("hooks.corp.example"); // null
 */
export function allowedHostError(entry: string): string | null {
  const [address = "", prefix, extra] = entry.split("/");
  if (extra !== undefined) return `'${entry}' is not a host name, an address or a CIDR range`;
  const version = isIP(address);
  if (prefix === undefined) return version !== 0 || HOST_NAME.test(normalHost(address)) ? null : `'${entry}' is not a host name, an address or a CIDR range`;
  if (version === 0) return `'${entry}' is not a CIDR range (an address, then /bits)`;
  const bits = version === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return `'${entry}' has a prefix longer than ${bits} bits`;
  return null;
}

/** A host as compared: lower case, without a root dot or IPv6 brackets. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, "").replace(/^\[(.*)\]$/, "$1");
}

/**
 * Applies a {@link CallbackPolicy}: `checkUrl` when a subscription is created (and again before
 * each delivery), `checkAddress` on every address a delivery's host name resolves to, so that a
 * name that resolves to a private address (DNS rebinding included) is refused too. Expected
 * refusals are values; an invalid `allowedHosts` entry throws `RangeError` (settings check them
 * first, with `allowedHostError`).
 *
 * @example
 * const guard = new CallbackGuard(PUBLIC_CALLBACKS_ONLY);
 * guard.checkUrl("http://169.254.169.254/latest/meta-data"); // { ok: false, error: "must not point to a link-local address (169.254.169.254)…" }
 * guard.checkAddress("hooks.example.com", "10.0.0.7"); // "private"
 */
export class CallbackGuard {
  readonly policy: CallbackPolicy;
  private readonly names = new Set<string>();
  private readonly ranges = new BlockList();

  constructor(policy: CallbackPolicy) {
    this.policy = policy;
    for (const entry of policy.allowedHosts) {
      const problem = allowedHostError(entry);
      if (problem !== null) throw new RangeError(`allowed callback hosts: ${problem}`);
      const [address = "", prefix] = entry.split("/");
      const version = isIP(address);
      if (version === 0) this.names.add(normalHost(address));
      else this.ranges.addSubnet(address, prefix === undefined ? (version === 4 ? 32 : 128) : Number(prefix), version === 4 ? "ipv4" : "ipv6");
    }
  }

  /**
   * Whether a callback URL may be subscribed (and delivered to): http or https, no user name or
   * password in it, and, unless allowed, not `localhost` nor a literal non-public address. A host
   * name is not resolved here: what it resolves to is checked when a delivery connects. The error
   * completes "callback_url …" and never repeats the URL's path or query.
   *
   * @example
   * new CallbackGuard(PUBLIC_CALLBACKS_ONLY).checkUrl("https://user:pw@example.com/hook"); // { ok: false, error: "must not carry a user name or password" }
   */
  checkUrl(callbackUrl: string): Result<URL, string> {
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      return err("must be an http or https URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return err("must be an http or https URL");
    if (url.username !== "" || url.password !== "") return err("must not carry a user name or password");
    if (this.policy.allowPrivate) return ok(url);
    const host = normalHost(url.hostname);
    if (this.names.has(host)) return ok(url);
    const refused = "the service delivers to public addresses only, unless its operator allows private callbacks";
    if (isIP(host) === 0) {
      return host === "localhost" || host.endsWith(".localhost") ? err(`must not point to localhost: ${refused}`) : ok(url);
    }
    const kind = this.addressKind(host);
    return kind === null ? ok(url) : err(`must not point to ${addressKindPhrase(kind)} (${host}): ${refused}`);
  }

  /**
   * Why a delivery to `host` may not connect to `address` (one it resolved to): the kind of
   * non-public address it is, or `null` when it may.
   *
   * @example
   * new CallbackGuard({ allowPrivate: false, allowedHosts: ["10.0.0.0/8"] }).checkAddress("hooks.corp", "10.0.0.7"); // null
   */
  checkAddress(host: string, address: string): BlockedAddressKind | null {
    if (this.policy.allowPrivate || this.names.has(normalHost(host))) return null;
    return this.addressKind(address);
  }

  /** The kind of non-public address `address` is, unless an allowed range holds it. */
  private addressKind(address: string): BlockedAddressKind | null {
    const kind = blockedAddressKind(address);
    if (kind === null) return null;
    return this.ranges.check(address, isIP(address) === 4 ? "ipv4" : "ipv6") ? null : kind;
  }
}
