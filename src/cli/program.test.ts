import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { createProgram, USAGE_EXIT_CODE } from "./program.js";

/** Parses a command line in-process; bad ones fail before any emulator starts. */
async function run(args: string[]): Promise<{ error: unknown; out: string; err: string }> {
  let out = "";
  let err = "";
  const program = createProgram({ writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  const error = await program.parseAsync(["node", "intercom-connector", ...args]).then(() => undefined, (e: unknown) => e);
  return { error, out, err };
}

describe("command line parsing", () => {
  it("rejects each invalid emulator flag with exit code 2 and one line naming the fix", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--timezone", "Mars/Olympus_Mons"], /^error: option '--timezone <tz>' argument 'Mars\/Olympus_Mons' is invalid\. Use an IANA time zone name/],
      [["--port", "four"], /^error: option '--port <port>' argument 'four' is invalid\. The port must be a whole number\.$/],
      [["--port", "70000"], /must be from 0 to 65535/],
      [["--search-delay", "-1"], /^error: option '--search-delay <seconds>' argument '-1' is invalid\. The value must be 0 or more\.$/],
      [["--webhook-retry-delay", "soon"], /--webhook-retry-delay.*must be a whole number/],
      [["--rate-limit", "0"], /--rate-limit.*must be 1 or more/],
      [["--seed", "everything"], /--seed.*Allowed choices are demo, none\.$/],
      [["--token", "two words"], /--token.*without spaces/],
      [["--host", "http://localhost"], /--host.*host name or an IP address/],
      [["--prot", "4010"], /^error: unknown option '--prot' \(Did you mean --port\?\)$/],
      [["--token"], /^error: option '--token <token>' argument missing$/],
    ];
    for (const [args, message] of cases) {
      const { error, err, out } = await run(["emulator", ...args]);
      expect(error, args.join(" ")).toBeInstanceOf(CommanderError);
      expect((error as CommanderError).exitCode, args.join(" ")).toBe(USAGE_EXIT_CODE);
      expect(err.endsWith("\n") && err.split("\n").length === 2, JSON.stringify(err)).toBe(true);
      expect(err.trim()).toMatch(message);
      expect(out).toBe("");
    }
  });

  it("treats an unknown command as a usage error, and help and version as success", async () => {
    const unknown = await run(["serve-everything"]);
    expect((unknown.error as CommanderError).exitCode).toBe(USAGE_EXIT_CODE);
    expect(unknown.err.trim()).toBe("error: unknown command 'serve-everything'");

    const version = await run(["--version"]);
    expect((version.error as CommanderError).exitCode).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const help = await run(["emulator", "--help"]);
    expect((help.error as CommanderError).exitCode).toBe(0);
    for (const flag of ["--port", "--token", "--timezone", "--seed", "--search-delay", "--rate-limit", "--host", "--webhook-retry-delay"]) {
      expect(help.out).toContain(flag);
    }
    expect(help.out).toContain("(default: 4010)");
  });
});
