import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Why an address is no place to deliver to: anything but plain public unicast. It reaches this
 * machine, its private network, a cloud metadata service (169.254.169.254), no single host, a
 * range set aside (documentation, benchmarking, future use), or it carries an IPv4 address inside
 * IPv6 (mapped, translated, NAT64, 6to4, Teredo) that a gateway would connect to instead.
 *
 * @example
 * const kind: BlockedAddressKind = "link-local";
 */
export type BlockedAddressKind =
  | "unspecified"
  | "loopback"
  | "private"
  | "shared (carrier-grade NAT)"
  | "link-local"
  | "unique-local"
  | "site-local"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "benchmarking"
  | "AS112 anycast"
  | "AMT anycast"
  | "discard-only"
  | "IPv4-mapped"
  | "IPv4-translated"
  | "NAT64"
  | "6to4"
  | "Teredo"
  | "ORCHID"
  | "DRIP"
  | "segment-routing (SRv6)";

/**
 * ipaddr.js's range names (its `SpecialRanges`, IANA's IPv4 and IPv6 Special-Purpose Address
 * Registries, RFC 6890 and updates) in a refusal's words. Only `unicast` is public; a name a later
 * ipaddr.js adds and this table lacks counts as `reserved`, never as public.
 */
const KIND_OF_RANGE: Readonly<Record<string, BlockedAddressKind>> = {
  unspecified: "unspecified",
  loopback: "loopback",
  private: "private",
  carrierGradeNat: "shared (carrier-grade NAT)",
  linkLocal: "link-local",
  uniqueLocal: "unique-local",
  deprecatedSiteLocal: "site-local",
  multicast: "multicast",
  broadcast: "broadcast",
  // IPv4: IETF protocol assignments, TEST-NET-1/2/3 (documentation), 6to4 relay anycast,
  // benchmarking, class E. IPv6: 2001::/23, 2001:db8::/32 and 3fff::/20 (documentation).
  reserved: "reserved",
  benchmarking: "benchmarking",
  as112: "AS112 anycast",
  as112v6: "AS112 anycast",
  amt: "AMT anycast",
  discard: "discard-only",
  ipv4Mapped: "IPv4-mapped",
  rfc6145: "IPv4-translated",
  rfc6052: "NAT64",
  "6to4": "6to4",
  teredo: "Teredo",
  deprecatedOrchid: "ORCHID",
  orchid2: "ORCHID",
  droneRemoteIdProtocolEntityTags: "DRIP",
  segmentRouting: "segment-routing (SRv6)",
};

/**
 * What ipaddr.js 2.5 does not name, in one table: IPv6 global unicast is 2000::/3 (RFC 4291
 * §2.4, IANA's IPv6 Address Space registry); everything else is reserved by the IETF, among it
 * the deprecated IPv4-compatible `::/96` (RFC 4291 §2.5.5.1) and the dummy prefix 100:0:0:1::/64
 * (RFC 9780), which IANA's special-purpose registry lists and ipaddr.js 2.5 does not.
 */
const IPV6_GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR("2000::/3");

/** The IPv4 address an IPv6 range carries, where it sits at a fixed place. */
function embeddedIPv4(address: ipaddr.IPv6, range: string): ipaddr.IPv4 | null {
  const [, , , , , , a = 0, b = 0] = address.parts;
  switch (range) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]);
    case "rfc6052": // 64:ff9b::a.b.c.d (the /96; the local-use /48 places it by its own prefix)
      return address.match(ipaddr.IPv6.parseCIDR("64:ff9b::/96")) ? new ipaddr.IPv4([a >> 8, a & 0xff, b >> 8, b & 0xff]) : null;
    case "6to4": {
      // 2002:AABB:CCDD::/48 (RFC 3056)
      const [, high = 0, low = 0] = address.parts;
      return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
    }
    default:
      return null;
  }
}

/**
 * The kind of non-public address `address` (an IPv4 or IPv6 literal, without brackets) is, or
 * `null` for plain public unicast. An IPv6 address carrying an IPv4 one is never public; its kind
 * is the IPv4 address's when that one is not public either (`::ffff:127.0.0.1` is `loopback`),
 * else the carrier's (`IPv4-mapped`, `6to4`…). Throws `TypeError` for something that is not an
 * IP address (a bug: the callers check names and addresses apart).
 *
 * @example
 * blockedAddressKind("169.254.169.254"); // "link-local"
 * blockedAddressKind("2002:7f00:1::"); // "loopback" (6to4 of 127.0.0.1)
 * blockedAddressKind("192.0.2.10"); // "reserved" (documentation, TEST-NET-1)
 * blockedAddressKind("93.184.215.14"); // null
 */
export function blockedAddressKind(address: string): BlockedAddressKind | null {
  // node:net's isIP takes only canonical literals; ipaddr.js alone would also take "127.1".
  const version = isIP(address);
  if (version === 0) throw new TypeError(`not an IP address: ${address}`);
  const parsed = ipaddr.parse(version === 4 ? address : canonicalIPv6(address));
  if (parsed.kind() === "ipv4") return ipv4Kind(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range: string = v6.range();
  if (range === "unicast") return v6.match(IPV6_GLOBAL_UNICAST) ? null : "reserved";
  const carried = embeddedIPv4(v6, range);
  const carriedKind = carried === null ? null : ipv4Kind(carried);
  return carriedKind ?? KIND_OF_RANGE[range] ?? "reserved";
}

/**
 * An IPv6 literal as WHATWG URLs write it: hexadecimal groups only, no zone. ipaddr.js reads any
 * dotted tail as IPv4-mapped (`::127.0.0.1` as `::ffff:127.0.0.1`), and glibc writes IPv4-compatible
 * addresses that way.
 */
function canonicalIPv6(address: string): string {
  const [withoutZone = address] = address.split("%", 1);
  return new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1);
}

function ipv4Kind(address: ipaddr.IPv4): BlockedAddressKind | null {
  const range: string = address.range();
  return range === "unicast" ? null : (KIND_OF_RANGE[range] ?? "reserved");
}

/**
 * The kind as words after a verb: "a loopback address", "an unspecified address".
 *
 * @example
 * `resolves to ${addressKindPhrase("link-local")}`; // "resolves to a link-local address"
 */
export function addressKindPhrase(kind: BlockedAddressKind): string {
  // "an unspecified", "a unique-local", "an IPv4-mapped", "an AS112 anycast".
  return `${/^(?:[aeioAEIO]|un(?!i))/.test(kind) ? "an" : "a"} ${kind} address`;
}
