import { CommanderError } from "commander";
import { writeSync } from "node:fs";
import { isConnectorError } from "../contract/index.js";

/**
 * Exit code of a command that failed for a reason other than its command line.
 *
 * @example
 * throw reported(FAILURE_EXIT_CODE);
 */
export const FAILURE_EXIT_CODE = 1;
/**
 * Exit code for a command line that cannot be run as given (bad flag, bad value, unknown command,
 * missing setting, invalid operation input).
 *
 * @example
 * process.exitCode = USAGE_EXIT_CODE;
 */
export const USAGE_EXIT_CODE = 2;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `text` to a file descriptor before returning, whatever the descriptor's mode:
 * partial writes are continued, and a non-blocking pipe that is full (EAGAIN) is waited for.
 * Nothing is buffered in the process, so what was written is out even if the process is killed.
 *
 * @example
 * writeAllSync(1, `${JSON.stringify(event)}\n`);
 */
export function writeAllSync(fd: number, text: string): void {
  const buffer = Buffer.from(text, "utf8");
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += writeSync(fd, buffer, offset, buffer.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

/**
 * Whether an error says the reader of a pipe went away (`… | head`).
 *
 * @example
 * if (isBrokenPipe(error)) stop();
 */
export function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EPIPE";
}

/**
 * An error already reported on stderr: the entry point exits with its code and prints nothing more.
 *
 * @example
 * throw reported(1);
 */
export function reported(exitCode: number): CommanderError {
  return new CommanderError(exitCode, "intercom-connector.reported", "(reported)");
}

/**
 * Prints a failure as one line on stderr (`error <code>: <message>` for a connector error) and
 * returns the error to throw: exit code 2 for invalid input, 1 otherwise.
 *
 * @example
 * if (!result.ok) throw reportFailure(result.error);
 */
export function reportFailure(error: unknown): CommanderError {
  if (isConnectorError(error)) {
    writeAllSync(2, `error ${error.code}: ${oneLine(error.message)}\n`);
    return reported(error.code === "invalid_input" ? USAGE_EXIT_CODE : FAILURE_EXIT_CODE);
  }
  writeAllSync(2, `error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  return reported(FAILURE_EXIT_CODE);
}

/**
 * Prints a usage problem as one line (`error: …`) and returns the error to throw (exit code 2).
 *
 * @example
 * throw reportUsage("unknown operation 'Foo'");
 */
export function reportUsage(message: string): CommanderError {
  writeAllSync(2, `error: ${oneLine(message)}\n`);
  return reported(USAGE_EXIT_CODE);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
