import { describe, expect, it } from "vitest";
import { blockedAddressKind } from "./blocked-addresses.js";
import { allowedHostError, ANY_CALLBACK, CallbackGuard, PUBLIC_CALLBACKS_ONLY } from "./callback-policy.js";

describe("blockedAddressKind", () => {
  it("names every non-public range, IPv4 embedded in IPv6 included, and lets public addresses through", () => {
    const cases: Array<[string, string | null]> = [
      ["127.0.0.1", "loopback"],
      ["127.255.0.9", "loopback"],
      ["::1", "loopback"],
      ["0.0.0.0", "unspecified"],
      ["::", "unspecified"],
      ["10.0.0.1", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["100.100.100.200", "shared (carrier-grade NAT)"],
      ["169.254.169.254", "link-local"],
      ["fe80::1", "link-local"],
      ["fd00::1", "unique-local"],
      ["fc12::1", "unique-local"],
      ["224.0.0.251", "multicast"],
      ["ff02::1", "multicast"],
      ["255.255.255.255", "reserved"],
      ["::ffff:127.0.0.1", "loopback"],
      ["::ffff:7f00:1", "loopback"],
      ["::ffff:a9fe:a9fe", "link-local"],
      ["64:ff9b::a00:1", "private"],
      ["::127.0.0.1", "reserved"],
      ["172.32.0.1", null],
      ["8.8.8.8", null],
      ["93.184.215.14", null],
      ["2606:4700::1111", null],
      ["::ffff:8.8.8.8", null],
      ["64:ff9b::808:808", null],
    ];
    for (const [address, kind] of cases) expect(blockedAddressKind(address), address).toBe(kind);
    expect(() => blockedAddressKind("example.com")).toThrow(TypeError);
  });
});

describe("CallbackGuard", () => {
  const guard = new CallbackGuard(PUBLIC_CALLBACKS_ONLY);
  const refusal = (url: string): string => {
    const checked = guard.checkUrl(url);
    return checked.ok ? "allowed" : checked.error;
  };

  it("refuses a literal non-public address or localhost, saying why and never repeating the path or query", () => {
    const cases: Array<[string, RegExp]> = [
      ["http://127.0.0.1:8080/hook?sig=s1", /^must not point to a loopback address \(127\.0\.0\.1\): the service delivers to public addresses only/],
      ["http://[::1]/hook?sig=s1", /^must not point to a loopback address \(::1\)/],
      ["http://10.0.0.1/hook?sig=s1", /^must not point to a private address \(10\.0\.0\.1\)/],
      ["http://169.254.169.254/latest/meta-data?sig=s1", /^must not point to a link-local address \(169\.254\.169\.254\)/],
      ["http://[::ffff:127.0.0.1]/hook?sig=s1", /^must not point to a loopback address \(::ffff:7f00:1\)/],
      ["http://0.0.0.0/hook?sig=s1", /^must not point to an unspecified address/],
      ["http://2130706433/hook?sig=s1", /^must not point to a loopback address \(127\.0\.0\.1\)/],
      ["http://localhost:3000/hook?sig=s1", /^must not point to localhost: /],
      ["http://LOCALHOST./hook?sig=s1", /^must not point to localhost: /],
      ["http://api.localhost/hook?sig=s1", /^must not point to localhost: /],
      ["http://user:pass@example.com/hook?sig=s1", /^must not carry a user name or password$/],
      ["https://token@example.com/hook?sig=s1", /^must not carry a user name or password$/],
      ["ftp://example.com/hook?sig=s1", /^must be an http or https URL$/],
      ["not a url", /^must be an http or https URL$/],
    ];
    for (const [url, reason] of cases) {
      const error = refusal(url);
      expect(error, url).toMatch(reason);
      expect(error, url).not.toMatch(/sig|hook|meta-data/);
    }
  });

  it("lets public addresses and host names through (names are checked when a delivery connects)", () => {
    for (const url of ["https://prod-01.westeurope.logic.azure.com/workflows/w/invoke?sig=abc", "http://8.8.8.8/hook", "https://[2606:4700::1111]/hook", "https://internal.example/hook"]) {
      expect(refusal(url), url).toBe("allowed");
    }
    expect(guard.checkAddress("hooks.example.com", "93.184.215.14")).toBeNull();
    expect(guard.checkAddress("hooks.example.com", "10.1.2.3")).toBe("private");
    expect(guard.checkAddress("hooks.example.com", "::ffff:169.254.169.254")).toBe("link-local");
  });

  it("allows anything with allowPrivate, the allowed names whatever they resolve to, and addresses in the allowed ranges", () => {
    const any = new CallbackGuard(ANY_CALLBACK);
    expect(any.checkUrl("http://127.0.0.1/hook").ok).toBe(true);
    expect(any.checkUrl("http://localhost/hook").ok).toBe(true);
    expect(any.checkAddress("localhost", "127.0.0.1")).toBeNull();
    // Scheme and credentials are refused whatever the policy.
    expect(any.checkUrl("http://user:pass@127.0.0.1/hook").ok).toBe(false);
    expect(any.checkUrl("file:///etc/passwd").ok).toBe(false);

    const corp = new CallbackGuard({ allowPrivate: false, allowedHosts: ["Hooks.Corp.Example", "10.20.0.0/16", "192.168.1.10", "fd00::/8", "localhost"] });
    expect(corp.checkUrl("https://hooks.corp.example/hook").ok).toBe(true);
    expect(corp.checkAddress("HOOKS.corp.example.", "10.9.9.9")).toBeNull();
    expect(corp.checkAddress("other.corp.example", "10.20.3.4")).toBeNull();
    expect(corp.checkAddress("other.corp.example", "::ffff:10.20.3.4")).toBeNull();
    expect(corp.checkAddress("other.corp.example", "10.21.0.1")).toBe("private");
    expect(corp.checkUrl("http://192.168.1.10/hook").ok).toBe(true);
    expect(corp.checkUrl("http://192.168.1.11/hook").ok).toBe(false);
    expect(corp.checkUrl("http://[fd00::5]/hook").ok).toBe(true);
    expect(corp.checkUrl("http://localhost:8080/hook").ok).toBe(true);
    expect(corp.checkUrl("http://127.0.0.1:8080/hook").ok).toBe(false);
  });

  it("checks allowed-host entries, and a guard refuses to be built on a bad one", () => {
    for (const entry of ["hooks.corp.example", "localhost", "10.0.0.0/8", "10.0.0.1", "fd00::/8", "::1", "my_host.internal"]) expect(allowedHostError(entry), entry).toBeNull();
    expect(allowedHostError("10.0.0.0/33")).toBe("'10.0.0.0/33' has a prefix longer than 32 bits");
    expect(allowedHostError("fd00::/129")).toBe("'fd00::/129' has a prefix longer than 128 bits");
    expect(allowedHostError("hooks.example/8")).toMatch(/is not a CIDR range/);
    expect(allowedHostError("http://hooks.example")).toMatch(/is not a host name, an address or a CIDR range/);
    expect(allowedHostError("10.0.0.0/8/1")).toMatch(/is not a host name/);
    expect(() => new CallbackGuard({ allowPrivate: false, allowedHosts: ["10.0.0.0/x"] })).toThrow(RangeError);
  });
});
