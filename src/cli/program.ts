import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { callCommand } from "./call-command.js";
import { emulatorCommand } from "./emulator-command.js";
import { exportCommand } from "./export-command.js";
import { mcpCommand } from "./mcp-command.js";
import { migrateCommand } from "./migrate-command.js";
import { openapiCommand } from "./openapi-command.js";
import { USAGE_EXIT_CODE } from "./output.js";
import { serveCommand } from "./serve-command.js";
import { watchCommand } from "./watch-command.js";

export { USAGE_EXIT_CODE } from "./output.js";

function packageVersion(): string {
  // src/cli and dist/cli are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

/** Where the program writes help and errors (stdout and stderr unless given). */
export interface ProgramOutput {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
}

/**
 * The `intercom-connector` command line. Usage errors print one line on stderr (commander's
 * message, with any "Did you mean" hint folded onto it) and surface as a `CommanderError` with
 * exit code 2; help and version surface with exit code 0.
 *
 * @example
 * await createProgram().parseAsync(["node", "intercom-connector", "emulator", "--port", "0"]);
 */
export function createProgram(io: ProgramOutput = {}): Command {
  const program = new Command("intercom-connector")
    .description("Self-hostable Intercom connector and Intercom API emulator")
    .version(packageVersion())
    .exitOverride((error) => {
      throw error.exitCode === 0 ? error : new CommanderError(USAGE_EXIT_CODE, error.code, error.message);
    })
    .configureOutput({
      ...(io.writeOut === undefined ? {} : { writeOut: io.writeOut }),
      ...(io.writeErr === undefined ? {} : { writeErr: io.writeErr }),
      outputError: (message, write) => write(`${message.trim().replace(/\s*\n\s*/g, " ")}\n`),
    });
  // addCommand does not pass settings down; the subcommand reports its own errors.
  for (const command of [serveCommand(), emulatorCommand(), callCommand(), watchCommand(), exportCommand(), mcpCommand(), openapiCommand(), migrateCommand()]) {
    program.addCommand(command.copyInheritedSettings(program));
  }
  return program;
}
