import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { apiDefinitionValidator, apiPropertiesValidator } from "../server/openapi/testing/power-platform.js";
import { registerOpenapiCommand } from "./openapi-command.js";
import { killPipedClis, spawnCliIntoPipes } from "./testing/pipe-cli.js";
import { readSlowly } from "./testing/slow-reader.js";

const dirs: string[] = [];
afterEach(async () => {
  await killPipedClis();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Runs `intercom-connector openapi …` in-process, as program.ts will once it registers the command. */
async function run(args: string[]): Promise<{ error: unknown; out: string; err: string }> {
  let out = "";
  let err = "";
  const program = new Command("intercom-connector")
    .exitOverride()
    .configureOutput({ writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
  registerOpenapiCommand(program);
  const error = await program.parseAsync(["node", "intercom-connector", "openapi", ...args]).then(() => undefined, (e: unknown) => e);
  return { error, out, err };
}

describe("intercom-connector openapi", () => {
  it("writes apiDefinition.swagger.json and apiProperties.json, valid for Power Platform", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openapi-"));
    dirs.push(dir);
    const out = join(dir, "connector");
    const result = await run(["--out", out, "--host", "connector.example.com:8443", "--base-path", "/intercom", "--scheme", "http"]);
    expect(result.error).toBeUndefined();
    expect(result.out).toBe(`wrote ${join(out, "apiDefinition.swagger.json")}\nwrote ${join(out, "apiProperties.json")}\n`);
    const swagger = JSON.parse(await readFile(join(out, "apiDefinition.swagger.json"), "utf8")) as Record<string, unknown>;
    const properties = JSON.parse(await readFile(join(out, "apiProperties.json"), "utf8")) as { properties: { connectionParameters: { host: { defaultValue?: string } } } };
    expect(swagger).toMatchObject({ swagger: "2.0", host: "connector.example.com:8443", basePath: "/intercom", schemes: ["http"] });
    expect(properties.properties.connectionParameters.host.defaultValue).toBe("connector.example.com:8443");
    expect(apiDefinitionValidator()(swagger)).toEqual([]);
    expect(apiPropertiesValidator()(properties)).toEqual([]);
  });

  it("prints the definition on stdout without --out", async () => {
    const result = await run([]);
    expect(result.error).toBeUndefined();
    const swagger = JSON.parse(result.out) as Record<string, unknown>;
    expect(swagger).toMatchObject({ swagger: "2.0", basePath: "/", schemes: ["https"] });
    expect(swagger).not.toHaveProperty("host");
  });

  it("prints all of the definition into a pipe read slowly, not the 64 KiB the pipe took before the exit", { timeout: 60_000 }, async () => {
    const inProcess = (await run([])).out;
    // Only a definition bigger than a pipe's buffer shows the cut.
    expect(Buffer.byteLength(inProcess)).toBeGreaterThan(64 * 1024);
    const cli = spawnCliIntoPipes(["openapi"]);
    readSlowly(cli.pipes.stdout);
    cli.pipes.stderr.resume();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe("");
    expect(Buffer.byteLength(cli.stdout())).toBe(Buffer.byteLength(inProcess));
    expect(JSON.parse(cli.stdout())).toEqual(JSON.parse(inProcess));
  });

  it("refuses a host, base path or scheme the files cannot hold, saying what to fix", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--host", "https://connector.example.com"], /--host <host>.*argument 'https:\/\/connector.example.com' is invalid\. The host must be/],
      [["--base-path", "intercom"], /--base-path <path>.*The base path must start with \//],
      [["--scheme", "ftp"], /--scheme.*Allowed choices are https, http/],
    ];
    for (const [args, message] of cases) {
      const { error, err, out } = await run(args);
      expect(error, args.join(" ")).toBeInstanceOf(CommanderError);
      expect(err, args.join(" ")).toMatch(message);
      expect(out).toBe("");
    }
  });
});
