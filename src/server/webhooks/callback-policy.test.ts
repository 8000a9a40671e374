import { lookup } from "node:dns/promises";
import { describe, expect, it } from "vitest";
import { addressKindPhrase, blockedAddressKind } from "./blocked-addresses.js";
import { allowedHostError, ANY_CALLBACK, CallbackGuard, PUBLIC_CALLBACKS_ONLY, type ResolveHost } from "./callback-policy.js";
import { PUBLIC_ADDRESSES, SPECIAL_PURPOSE_ADDRESSES } from "./testing/special-addresses.js";

describe("blockedAddressKind", () => {
  it.each(SPECIAL_PURPOSE_ADDRESSES)("%s is %s (%s)", (address, kind) => {
    expect(blockedAddressKind(address)).toBe(kind);
  });

  it("lets plain public unicast through, and throws for what is not an address", () => {
    for (const address of PUBLIC_ADDRESSES) expect(blockedAddressKind(address), address).toBeNull();
    expect(() => blockedAddressKind("example.com")).toThrow(TypeError);
    // ipaddr.js alone would read these as 127.0.0.1; node:net's isIP refuses them.
    expect(() => blockedAddressKind("127.1")).toThrow(TypeError);
  });

  it("phrases every kind with its article", () => {
    expect(addressKindPhrase("unspecified")).toBe("an unspecified address");
    expect(addressKindPhrase("unique-local")).toBe("a unique-local address");
    expect(addressKindPhrase("IPv4-mapped")).toBe("an IPv4-mapped address");
    expect(addressKindPhrase("AS112 anycast")).toBe("an AS112 anycast address");
    expect(addressKindPhrase("loopback")).toBe("a loopback address");
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
      ["http://[2002:7f00:1::]/hook?sig=s1", /^must not point to a loopback address \(2002:7f00:1::\)/],
      ["http://[::ffff:0:7f00:1]/hook?sig=s1", /^must not point to a loopback address \(::ffff:0:7f00:1\)/],
      ["http://192.0.2.1/hook?sig=s1", /^must not point to a reserved address \(192\.0\.2\.1\)/],
      ["http://198.51.100.7/hook?sig=s1", /^must not point to a reserved address/],
      ["http://203.0.113.9/hook?sig=s1", /^must not point to a reserved address/],
      ["http://user:pass@example.com/hook?sig=s1", /^must not carry a user name or password$/],
      ["https://token@example.com/hook?sig=s1", /^must not carry a user name or password$/],
      ["ftp://example.com/hook?sig=s1", /^must be an http or https URL$/],
      ["not-a-url", /^must be an http or https URL$/],
      ["http://example.com/ho\nok?sig=s1", /^must not contain spaces or control characters$/],
      [`http://example.com/${"a".repeat(3000)}?sig=s1`, /^must be at most 2048 characters$/],
    ];
    for (const [url, reason] of cases) {
      const error = refusal(url);
      expect(error, url).toMatch(reason);
      expect(error, url).not.toMatch(/sig|hook|meta-data|aaaa/);
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

describe("CallbackGuard.checkCallback (at creation)", () => {
  /** A resolver that answers `names` and counts what it was asked. */
  function resolverFor(names: Record<string, string[]>): ResolveHost & { asked: string[] } {
    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      const addresses = names[hostname];
      if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    };
    return Object.assign(resolve, { asked });
  }

  it("refuses a name that resolves to any non-public address, naming the host, the address and the kind", async () => {
    const resolve = resolverFor({ "loop.example": ["127.0.0.1"], "mixed.example": ["93.184.215.14", "2002:7f00:1::"], "meta.example": ["169.254.169.254"], "public.example": ["93.184.215.14", "2606:4700::1111"] });
    const guard = new CallbackGuard({ ...PUBLIC_CALLBACKS_ONLY, resolve });
    const refusal = async (url: string): Promise<string> => {
      const checked = await guard.checkCallback(url);
      return checked.ok ? "allowed" : checked.error;
    };
    expect(await refusal("https://loop.example/hook?sig=s1")).toMatch(/^must not point to a loopback address \(loop\.example resolves to 127\.0\.0\.1\): the service delivers to public addresses only/);
    expect(await refusal("https://mixed.example/hook?sig=s1")).toMatch(/^must not point to a loopback address \(mixed\.example resolves to 2002:7f00:1::\)/);
    expect(await refusal("https://meta.example/hook?sig=s1")).toMatch(/^must not point to a link-local address/);
    expect(await refusal("https://public.example/hook?sig=s1")).toBe("allowed");
    // Not resolving (yet) is left to the connect-time check.
    expect(await refusal("https://nowhere.invalid/hook?sig=s1")).toBe("allowed");
    // Literals and localhost are decided without a lookup.
    expect(await refusal("https://localhost/hook")).toMatch(/^must not point to localhost/);
    expect(await refusal("https://[::1]/hook")).toMatch(/^must not point to a loopback address/);
    expect(resolve.asked).toEqual(["loop.example", "mixed.example", "meta.example", "public.example", "nowhere.invalid"]);
  });

  it("asks no resolver when the guard is off or the name is allowed, and allowed ranges hold for resolved addresses", async () => {
    const resolve = resolverFor({ "hooks.corp.example": ["10.20.0.5"], "other.corp.example": ["10.21.0.5"] });
    expect((await new CallbackGuard({ ...ANY_CALLBACK, resolve }).checkCallback("https://hooks.corp.example/h")).ok).toBe(true);
    expect((await new CallbackGuard({ allowPrivate: false, allowedHosts: ["hooks.corp.example"], resolve }).checkCallback("https://hooks.corp.example/h")).ok).toBe(true);
    expect(resolve.asked).toEqual([]);
    const ranges = new CallbackGuard({ allowPrivate: false, allowedHosts: ["10.20.0.0/16"], resolve });
    expect((await ranges.checkCallback("https://hooks.corp.example/h")).ok).toBe(true);
    expect((await ranges.checkCallback("https://other.corp.example/h")).ok).toBe(false);
  });

  it("refuses at creation a name the system resolver maps to loopback, whatever families it answers", async () => {
    // The system's own answer for localhost (127.0.0.1, ::1 or both), given for another name.
    const resolve: ResolveHost = (_hostname, options) => lookup("localhost", { ...options, all: true });
    const checked = await new CallbackGuard({ ...PUBLIC_CALLBACKS_ONLY, resolve }).checkCallback("http://looks-public.example:8080/hook?sig=s1");
    expect(checked).toMatchObject({ ok: false, error: expect.stringMatching(/^must not point to a loopback address \(looks-public\.example resolves to (127\.0\.0\.1|::1)\)/) as string });
  });
});
