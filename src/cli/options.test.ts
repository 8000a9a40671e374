import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { parseHost, parseNonNegativeInteger, parsePort, parsePositiveInteger, parseTimeZone, parseToken } from "./options.js";

describe("option parsers", () => {
  it("accepts ports 0 to 65535 and nothing else", () => {
    expect(parsePort("0")).toBe(0);
    expect(parsePort("4010")).toBe(4010);
    expect(parsePort("65535")).toBe(65_535);
    for (const bad of ["65536", "-1", "abc", "40.5", "", "4010x", "1e3"]) {
      expect(() => parsePort(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it("accepts whole numbers from their lower bound", () => {
    expect(parseNonNegativeInteger("0")).toBe(0);
    expect(parseNonNegativeInteger("250")).toBe(250);
    expect(() => parseNonNegativeInteger("-1")).toThrow(/0 or more/);
    expect(() => parseNonNegativeInteger("1.5")).toThrow(/whole number/);
    expect(parsePositiveInteger("600000000")).toBe(600_000_000);
    expect(() => parsePositiveInteger("0")).toThrow(/1 or more/);
    expect(() => parsePositiveInteger("99999999999999999999")).toThrow(/too large/);
  });

  it("accepts IANA time zones the runtime knows", () => {
    expect(parseTimeZone("UTC")).toBe("UTC");
    expect(parseTimeZone("America/New_York")).toBe("America/New_York");
    for (const bad of ["Mars/Olympus_Mons", "", "not a zone"]) expect(() => parseTimeZone(bad), bad).toThrow(/IANA time zone/);
  });

  it("accepts tokens and hosts that fit in a header and an address", () => {
    expect(parseToken("dG9rOmFiYw==")).toBe("dG9rOmFiYw==");
    expect(() => parseToken("has space")).toThrow(InvalidArgumentError);
    expect(() => parseToken("")).toThrow(InvalidArgumentError);
    expect(parseHost("0.0.0.0")).toBe("0.0.0.0");
    expect(parseHost("::1")).toBe("::1");
    expect(() => parseHost("http://x")).toThrow(InvalidArgumentError);
  });
});
