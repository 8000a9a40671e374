import { BlockList, isIP } from "node:net";

/**
 * Why an address is no place to deliver to: it reaches this machine, its private network, a cloud
 * metadata service (169.254.169.254), or no single host.
 *
 * @example
 * const kind: BlockedAddressKind = "link-local";
 */
export type BlockedAddressKind = "unspecified" | "loopback" | "private" | "shared (carrier-grade NAT)" | "link-local" | "unique-local" | "multicast" | "reserved";

type Range = readonly [kind: BlockedAddressKind, network: string, prefix: number];

/** IPv4 ranges that are not the public internet (RFC 6890 and its successors). */
const IPV4_RANGES: readonly Range[] = [
  ["unspecified", "0.0.0.0", 8],
  ["private", "10.0.0.0", 8],
  ["shared (carrier-grade NAT)", "100.64.0.0", 10],
  ["loopback", "127.0.0.0", 8],
  ["link-local", "169.254.0.0", 16],
  ["private", "172.16.0.0", 12],
  ["reserved", "192.0.0.0", 24],
  ["private", "192.168.0.0", 16],
  ["reserved", "198.18.0.0", 15],
  ["multicast", "224.0.0.0", 4],
  ["reserved", "240.0.0.0", 4],
];

/** IPv6 ranges that are not the public internet. */
const IPV6_RANGES: readonly Range[] = [
  ["unspecified", "::", 128],
  ["loopback", "::1", 128],
  // Deprecated IPv4-compatible addresses (`::127.0.0.1`): nothing public uses them.
  ["reserved", "::", 96],
  ["unique-local", "fc00::", 7],
  ["link-local", "fe80::", 10],
  ["private", "fec0::", 10],
  ["multicast", "ff00::", 8],
  ["private", "64:ff9b:1::", 48],
];

/**
 * IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-mapped (`::ffff:127.0.0.1`,
 * which a dual-stack socket connects to over IPv4) and NAT64's well-known prefix (RFC 6052). Each
 * IPv4 range is blocked under them too, so `[::ffff:7f00:1]` is as loopback as `127.0.0.1`.
 */
const IPV4_EMBEDDING_PREFIXES = ["::ffff:", "64:ff9b::"];

/** One block list per kind, so that a refusal can say why. */
const BLOCKED: ReadonlyArray<readonly [BlockedAddressKind, BlockList]> = (() => {
  const lists = new Map<BlockedAddressKind, BlockList>();
  const add = (kind: BlockedAddressKind, network: string, prefix: number, family: "ipv4" | "ipv6"): void => {
    let list = lists.get(kind);
    if (list === undefined) lists.set(kind, (list = new BlockList()));
    list.addSubnet(network, prefix, family);
  };
  for (const [kind, network, prefix] of IPV4_RANGES) {
    add(kind, network, prefix, "ipv4");
    for (const embedding of IPV4_EMBEDDING_PREFIXES) add(kind, `${embedding}${network}`, 96 + prefix, "ipv6");
  }
  for (const [kind, network, prefix] of IPV6_RANGES) add(kind, network, prefix, "ipv6");
  return [...lists];
})();

/**
 * The kind of non-public address `address` (an IPv4 or IPv6 literal, without brackets) is, or
 * `null` for a public one. Throws `TypeError` for something that is not an IP address (a bug: the
 * callers check names and addresses apart).
 *
 * @example
 * blockedAddressKind("169.254.169.254"); // "link-local"
 * blockedAddressKind("::ffff:127.0.0.1"); // "loopback"
 * blockedAddressKind("93.184.215.14"); // null
 */
export function blockedAddressKind(address: string): BlockedAddressKind | null {
  const version = isIP(address);
  if (version === 0) throw new TypeError(`not an IP address: ${address}`);
  const family = version === 4 ? "ipv4" : "ipv6";
  // Kinds are tried in the order first listed: `::1` is loopback before it is in the reserved `::/96`.
  for (const [kind, list] of BLOCKED) if (list.check(address, family)) return kind;
  return null;
}

/**
 * The kind as words after a verb: "a loopback address", "an unspecified address".
 *
 * @example
 * `resolves to ${addressKindPhrase("link-local")}`; // "resolves to a link-local address"
 */
export function addressKindPhrase(kind: BlockedAddressKind): string {
  return `${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} address`;
}
