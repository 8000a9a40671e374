import type { BlockedAddressKind } from "../blocked-addresses.js";

/**
 * One address of each range of IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890
 * and its updates, as of 2025), multicast, and the IPv6 space outside global unicast, with the
 * kind a callback to it is refused as; the outside report's addresses first. Literal addresses
 * only: tests never send traffic to them.
 *
 * @example
 * for (const [address, kind] of SPECIAL_PURPOSE_ADDRESSES) expect(blockedAddressKind(address)).toBe(kind);
 */
export const SPECIAL_PURPOSE_ADDRESSES: ReadonlyArray<readonly [address: string, kind: BlockedAddressKind, range: string]> = [
  // The outside report: 6to4 and IPv4-translated loopback, the three documentation ranges.
  ["2002:7f00:1::", "loopback", "2002::/16 6to4 of 127.0.0.1 (RFC 3056)"],
  ["::ffff:0:7f00:1", "loopback", "::ffff:0:0:0/96 IPv4-translated 127.0.0.1 (RFC 6145)"],
  ["192.0.2.1", "reserved", "192.0.2.0/24 TEST-NET-1 (RFC 5737)"],
  ["198.51.100.7", "reserved", "198.51.100.0/24 TEST-NET-2 (RFC 5737)"],
  ["203.0.113.200", "reserved", "203.0.113.0/24 TEST-NET-3 (RFC 5737)"],
  // IPv4 (iana.org/assignments/iana-ipv4-special-registry).
  ["0.0.0.0", "unspecified", "0.0.0.0/32 (RFC 1122)"],
  ["0.1.2.3", "unspecified", "0.0.0.0/8 this network (RFC 791)"],
  ["10.1.2.3", "private", "10.0.0.0/8 (RFC 1918)"],
  ["100.100.100.200", "shared (carrier-grade NAT)", "100.64.0.0/10 (RFC 6598)"],
  ["127.0.0.1", "loopback", "127.0.0.0/8 (RFC 1122)"],
  ["127.255.0.9", "loopback", "127.0.0.0/8 (RFC 1122)"],
  ["169.254.169.254", "link-local", "169.254.0.0/16 (RFC 3927), cloud metadata"],
  ["172.16.0.1", "private", "172.16.0.0/12 (RFC 1918)"],
  ["172.31.255.255", "private", "172.16.0.0/12 (RFC 1918)"],
  ["192.0.0.9", "reserved", "192.0.0.0/24 IETF protocol assignments, PCP anycast (RFC 6890, 7723)"],
  ["192.0.0.170", "reserved", "192.0.0.170/32 NAT64/DNS64 discovery (RFC 7050)"],
  ["192.31.196.1", "AS112 anycast", "192.31.196.0/24 AS112-v4 (RFC 7535)"],
  ["192.52.193.1", "AMT anycast", "192.52.193.0/24 AMT (RFC 7450)"],
  ["192.88.99.1", "reserved", "192.88.99.0/24 deprecated 6to4 relay anycast (RFC 7526)"],
  ["192.168.1.1", "private", "192.168.0.0/16 (RFC 1918)"],
  ["192.175.48.1", "AS112 anycast", "192.175.48.0/24 direct delegation AS112 (RFC 7534)"],
  ["198.19.255.1", "reserved", "198.18.0.0/15 benchmarking (RFC 2544)"],
  ["240.0.0.1", "reserved", "240.0.0.0/4 reserved (RFC 1112)"],
  ["255.255.255.255", "broadcast", "255.255.255.255/32 limited broadcast (RFC 919)"],
  ["224.0.0.251", "multicast", "224.0.0.0/4 (RFC 5771)"],
  // IPv6 (iana.org/assignments/iana-ipv6-special-registry).
  ["::1", "loopback", "::1/128 (RFC 4291)"],
  ["::", "unspecified", "::/128 (RFC 4291)"],
  ["::ffff:127.0.0.1", "loopback", "::ffff:0:0/96 IPv4-mapped 127.0.0.1 (RFC 4291)"],
  ["::ffff:a9fe:a9fe", "link-local", "::ffff:0:0/96 IPv4-mapped 169.254.169.254 (RFC 4291)"],
  ["::ffff:8.8.8.8", "IPv4-mapped", "::ffff:0:0/96 IPv4-mapped, public inside (RFC 4291)"],
  ["::ffff:0:808:808", "IPv4-translated", "::ffff:0:0:0/96 IPv4-translated, public inside (RFC 6145)"],
  ["64:ff9b::a00:1", "private", "64:ff9b::/96 NAT64 of 10.0.0.1 (RFC 6052)"],
  ["64:ff9b::808:808", "NAT64", "64:ff9b::/96 NAT64, public inside (RFC 6052)"],
  ["64:ff9b:1::1", "NAT64", "64:ff9b:1::/48 local-use translation (RFC 8215)"],
  ["100::1", "discard-only", "100::/64 discard-only (RFC 6666)"],
  ["100:0:0:1::1", "reserved", "100:0:0:1::/64 dummy prefix (RFC 9780)"],
  ["2001:1::1", "reserved", "2001::/23 IETF protocol assignments, PCP anycast (RFC 2928, 7723)"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo", "2001::/32 Teredo (RFC 4380)"],
  ["2001:2::1", "benchmarking", "2001:2::/48 benchmarking (RFC 5180)"],
  ["2001:3::1", "AMT anycast", "2001:3::/32 AMT (RFC 7450)"],
  ["2001:4:112::1", "AS112 anycast", "2001:4:112::/48 AS112-v6 (RFC 7535)"],
  ["2001:10::1", "ORCHID", "2001:10::/28 deprecated ORCHID (RFC 4843)"],
  ["2001:20::1", "ORCHID", "2001:20::/28 ORCHIDv2 (RFC 7343)"],
  ["2001:30::1", "DRIP", "2001:30::/28 drone remote ID entity tags (RFC 9374)"],
  ["2001:db8::1", "reserved", "2001:db8::/32 documentation (RFC 3849)"],
  ["2002:808:808::1", "6to4", "2002::/16 6to4, public inside (RFC 3056)"],
  ["2620:4f:8000::1", "AS112 anycast", "2620:4f:8000::/48 direct delegation AS112 (RFC 7534)"],
  ["3fff::1", "reserved", "3fff::/20 documentation (RFC 9637)"],
  ["5f00::1", "segment-routing (SRv6)", "5f00::/16 SRv6 SIDs (RFC 9602)"],
  ["fd00::1", "unique-local", "fc00::/7 unique local (RFC 4193)"],
  ["fc12::1", "unique-local", "fc00::/7 unique local (RFC 4193)"],
  ["fe80::1", "link-local", "fe80::/10 link-local unicast (RFC 4291)"],
  ["fe80::1%eth0", "link-local", "fe80::/10 with a zone, as a resolver may answer"],
  ["fec0::1", "site-local", "fec0::/10 deprecated site-local (RFC 3879)"],
  ["ff02::1", "multicast", "ff00::/8 (RFC 4291)"],
  ["::127.0.0.1", "reserved", "::/96 deprecated IPv4-compatible (RFC 4291)"],
  ["4000::1", "reserved", "outside 2000::/3 global unicast (RFC 4291)"],
];

/**
 * Plain public unicast addresses of both families: what callbacks may point to.
 *
 * @example
 * for (const address of PUBLIC_ADDRESSES) expect(blockedAddressKind(address)).toBeNull();
 */
export const PUBLIC_ADDRESSES: readonly string[] = ["8.8.8.8", "93.184.215.14", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "2a00:1450:4001:80b::200e"];
