import { Command, Option } from "commander";
import { parseHost, parseNonNegativeInteger, parsePort, parsePositiveInteger, parseTimeZone, parseToken } from "./options.js";
import { startBanner, startCliEmulator, type EmulatorCliOptions } from "./run-emulator.js";
import { untilSignal } from "./signals.js";

/** The port the emulator listens on unless told otherwise. */
export const DEFAULT_PORT = 4010;

/**
 * The `emulator` command: starts the Intercom API emulator in the foreground until SIGINT or
 * SIGTERM, then closes it and exits 0.
 *
 * @example
 * program.addCommand(emulatorCommand());
 * // intercom-connector emulator --port 0 --seed demo
 */
export function emulatorCommand(): Command {
  return new Command("emulator")
    .description("Run the Intercom REST API 2.14 emulator with one workspace")
    .addOption(new Option("--port <port>", "port to listen on (0: a free one)").argParser(parsePort).default(DEFAULT_PORT))
    .addOption(new Option("--host <host>", "address to listen on").argParser(parseHost).default("127.0.0.1"))
    .addOption(new Option("--token <token>", "the workspace's access token (default: a random one, printed)").argParser(parseToken))
    .addOption(new Option("--timezone <tz>", "the workspace's IANA time zone").argParser(parseTimeZone).default("UTC"))
    .addOption(new Option("--seed <preset>", "sample data to start with").choices(["demo", "none"]).default("none"))
    .addOption(new Option("--search-delay <seconds>", "seconds before writes become searchable").argParser(parseNonNegativeInteger).default(0))
    .addOption(new Option("--rate-limit <perMinute>", "requests per minute (spread over 10-second windows)").argParser(parsePositiveInteger))
    .addOption(new Option("--webhook-retry-delay <ms>", "milliseconds before a failed webhook delivery is retried").argParser(parseNonNegativeInteger).default(60_000))
    .action(async (options: EmulatorCliOptions) => {
      // Listen for signals from the start: one that arrives while seeding still ends in a clean exit.
      const stopped = untilSignal();
      const running = await startCliEmulator(options);
      for (const line of startBanner(running)) process.stdout.write(`${line}\n`);
      await stopped;
      await running.close();
    });
}
