import pinoPretty from "pino-pretty";
import type { DestinationStream } from "pino";
import type { LogFormat } from "./serve-settings.js";

/**
 * Where `serve` writes its logs: `undefined` for JSON lines on stdout (pino's own destination);
 * a pino-pretty stream, one readable line per entry (time, level, message, then the fields), for
 * `pretty`, and for `auto` when stdout is a terminal. Redaction happens before either: a pretty
 * line shows a secret no more than a JSON one.
 *
 * @example
 * const stream = serviceLogStream(settings.logFormat, process.stdout.isTTY === true);
 */
export function serviceLogStream(format: LogFormat, stdoutIsTty: boolean, destination: NodeJS.WritableStream = process.stdout): DestinationStream | undefined {
  const pretty = format === "pretty" || (format === "auto" && stdoutIsTty);
  if (!pretty) return undefined;
  return pinoPretty({
    colorize: stdoutIsTty,
    // Written in order with the banner and the warnings, never behind them.
    sync: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname",
    singleLine: true,
    destination,
  });
}
