import type { Command } from "commander";
import { resolveSettings, UsageError, type CliSettings, type ConnectorFlags } from "./settings.js";
import { USAGE_EXIT_CODE } from "./output.js";

/**
 * Ends the command with one usage line on stderr (through commander's output, so tests can
 * capture it) and exit code 2.
 *
 * @example
 * usageError(command, "unknown operation 'Foo'");
 */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: USAGE_EXIT_CODE, code: "intercom-connector.usage" });
}

/**
 * The command's settings from its flags and the process environment; a missing token or an
 * invalid value ends the command as a usage error.
 *
 * @example
 * const settings = commandSettings(command, options);
 */
export function commandSettings(command: Command, flags: ConnectorFlags, env: NodeJS.ProcessEnv = process.env): CliSettings {
  try {
    return resolveSettings(flags, env);
  } catch (error) {
    if (error instanceof UsageError) usageError(command, error.message);
    throw error;
  }
}
