import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";
import { err, ok, webUrlProblem, type Result } from "../../contract/index.js";
import { addressKindPhrase, blockedAddressKind, type BlockedAddressKind } from "./blocked-addresses.js";

/**
 * Resolves a host name to every address it has (`dns.lookup` with `all: true` by default; tests
 * answer names their own way).
 *
 * @example
 * const resolve: ResolveHost = async () => [{ address: "127.0.0.1", family: 4 }];
 */
export type ResolveHost = (hostname: string, options: LookupOptions) => Promise<LookupAddress[]>;

/**
 * The system's resolver (`dns.lookup`, every address).
 *
 * @example
 * const addresses = await resolveWithDns("localhost", {}); // [{ address: "127.0.0.1", family: 4 }, …]
 */
export const resolveWithDns: ResolveHost = (hostname, options) =>
  new Promise((resolve, reject) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => (error === null ? resolve(addresses) : reject(error)));
  });

/** How long a subscription's creation waits for its host's addresses; past it, delivery decides. */
const CREATION_LOOKUP_MS = 5_000;

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
  /**
   * How host names are resolved, when a subscription is created and when a delivery connects
   * (default {@link resolveWithDns}): tests answer names themselves.
   */
  resolve?: ResolveHost;
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

/** What every refusal ends with: why, and who may change it. */
const REFUSED = "the service delivers to public addresses only, unless its operator allows private callbacks";

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
 * Applies a {@link CallbackPolicy}: `checkCallback` when a subscription is created (the URL, and
 * the addresses its host name resolves to then), `checkUrl` again before each delivery, and
 * `checkAddress` on every address a delivery's host name resolves to as it connects, so that a
 * name that resolves to a private address later (DNS rebinding) is refused too. Expected
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
    // The contract's rule for every URL first: length, control characters, scheme, credentials.
    const problem = webUrlProblem(callbackUrl, ["http:", "https:"]);
    if (problem !== null) return err(problem);
    const url = new URL(callbackUrl);
    if (this.policy.allowPrivate) return ok(url);
    const host = normalHost(url.hostname);
    if (this.names.has(host)) return ok(url);
    if (isIP(host) === 0) {
      return host === "localhost" || host.endsWith(".localhost") ? err(`must not point to localhost: ${REFUSED}`) : ok(url);
    }
    const kind = this.addressKind(host);
    return kind === null ? ok(url) : err(`must not point to ${addressKindPhrase(kind)} (${host}): ${REFUSED}`);
  }

  /**
   * What a subscription's creation checks: {@link checkUrl}, then, unless the guard is off or the
   * name is allowed, every address the host name resolves to now, so that `localhost.example`
   * pointing at 127.0.0.1 is refused at once rather than at its first delivery. A name that does
   * not resolve (yet), or not within 5 s, is let through: each delivery checks the addresses it
   * connects to. The error completes "callback_url …" and names the host and address, never the
   * URL's path or query.
   *
   * @example
   * await new CallbackGuard({ ...PUBLIC_CALLBACKS_ONLY, resolve: async () => [{ address: "127.0.0.1", family: 4 }] }).checkCallback("https://hooks.example/h");
   * // { ok: false, error: "must not point to a loopback address (hooks.example resolves to 127.0.0.1): …" }
   */
  async checkCallback(callbackUrl: string): Promise<Result<URL, string>> {
    const checked = this.checkUrl(callbackUrl);
    if (!checked.ok || this.policy.allowPrivate) return checked;
    const host = normalHost(checked.value.hostname);
    if (isIP(host) !== 0 || this.names.has(host)) return checked;
    const addresses = await this.resolveForCreation(host);
    for (const { address } of addresses) {
      const kind = this.addressKind(address);
      if (kind !== null) return err(`must not point to ${addressKindPhrase(kind)} (${host} resolves to ${address}): ${REFUSED}`);
    }
    return checked;
  }

  /** Every address of `host`, or none when it does not resolve in time. */
  private async resolveForCreation(host: string): Promise<LookupAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<LookupAddress[]>((resolve) => {
      timer = setTimeout(() => resolve([]), CREATION_LOOKUP_MS);
    });
    try {
      return await Promise.race([this.resolve(host, {}).catch(() => []), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The resolver of this policy (the system's unless the policy names one). */
  get resolve(): ResolveHost {
    return this.policy.resolve ?? resolveWithDns;
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
