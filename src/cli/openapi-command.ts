import { Command, InvalidArgumentError, Option } from "commander";
import { buildMcpSwagger, buildSwagger, checkBasePath, checkHost, writeConnectorFiles } from "../server/openapi/index.js";

/** What the `openapi` command was given. */
export interface OpenapiCliOptions {
  out?: string;
  host?: string;
  basePath?: string;
  scheme: "http" | "https";
  mcp?: boolean;
}

/** Turns a check's RangeError into commander's "argument is invalid. …" usage error. */
function asArgument<T>(check: (raw: string) => T): (raw: string) => T {
  return (raw) => {
    try {
      return check(raw);
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

/**
 * The `openapi` command: writes the Power Platform custom connector's files
 * (apiDefinition.swagger.json and apiProperties.json) into `--out DIR`, or prints the OpenAPI
 * (Swagger 2.0) definition on stdout without `--out`. `--mcp`: a connector holding only the MCP
 * operation (`x-ms-agentic-protocol: mcp-streamable-1.0`), for Copilot Studio agents.
 *
 * @example
 * program.addCommand(openapiCommand());
 * // intercom-connector openapi --out ./connector --host connector.example.com
 */
export function openapiCommand(): Command {
  return new Command("openapi")
    .description("Write the Power Platform custom connector (apiDefinition.swagger.json, apiProperties.json), or print the OpenAPI definition")
    .addOption(new Option("--out <dir>", "directory to write the two files to (default: print the definition on stdout)"))
    .addOption(new Option("--host <host>", "the service's host name and port, as Power Platform reaches it").argParser(asArgument(checkHost)))
    .addOption(new Option("--base-path <path>", "the path the service's routes are below").argParser(asArgument(checkBasePath)).default("/"))
    .addOption(new Option("--scheme <scheme>", "how Power Platform reaches the service").choices(["https", "http"]).default("https"))
    .addOption(new Option("--mcp", "only the MCP operation (x-ms-agentic-protocol), for Copilot Studio agents"))
    .action(async (options: OpenapiCliOptions, command: Command) => {
      // The program's output settings (copied onto the command) say where stdout goes.
      const output = command.configureOutput();
      const write = (text: string): void => {
        if (output.writeOut === undefined) process.stdout.write(text);
        else output.writeOut(text);
      };
      const location = { host: options.host, basePath: options.basePath, scheme: options.scheme };
      if (options.out === undefined) {
        write(`${JSON.stringify(options.mcp === true ? buildMcpSwagger(location) : buildSwagger(location), null, 2)}\n`);
        return;
      }
      for (const path of await writeConnectorFiles(options.out, { ...location, mcp: options.mcp === true })) write(`wrote ${path}\n`);
    });
}

/**
 * Adds the `openapi` command to a program (with the program's output and error settings).
 *
 * @example
 * const program = new Command("intercom-connector");
 * registerOpenapiCommand(program);
 * await program.parseAsync(["node", "intercom-connector", "openapi", "--out", "./connector"]);
 */
export function registerOpenapiCommand(program: Command): Command {
  program.addCommand(openapiCommand().copyInheritedSettings(program));
  return program;
}
