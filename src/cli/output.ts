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
 * Meant for files. Stdout and stderr go through {@link writeStdout} and {@link writeStderr}
 * instead: this blocks the event loop (no signal is handled while a pipe is full) and bypasses
 * the process's streams (so it could overtake what they still hold).
 *
 * @example
 * writeAllSync(fd, `${JSON.stringify(lead)}\n`);
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
 * What {@link writeStdout} rejects with. `readerGone` when the reader closed the pipe (`… | head`):
 * the command stops writing and the CLI exits 0 without a word, as `yes | head` does; any other
 * failure of the stream is reported as an error (exit 1).
 *
 * @example
 * try { await writeStdout(line); } catch (error) { if (error instanceof OutputError && error.readerGone) stop(); throw error; }
 */
export class OutputError extends Error {
  /** The reader closed the pipe: EPIPE, or a write after the stream was destroyed by one. */
  readonly readerGone: boolean;

  constructor(cause: Error) {
    super(`cannot write the output: ${cause.message}`, { cause });
    this.name = "OutputError";
    const code = (cause as NodeJS.ErrnoException).code;
    this.readerGone = code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
  }
}

const guarded = new WeakSet<NodeJS.EventEmitter>();

/**
 * Listens for errors on process.stdout and process.stderr (once). A reader that closes the pipe
 * makes the stream emit EPIPE as an 'error' event, an uncaught exception with a stack trace
 * unless something listens; writers learn of it through their write callbacks instead
 * ({@link writeStdout} rejects), and writes with no callback (commander's help) are dropped.
 *
 * @example
 * guardStandardStreams(); // first thing in main.ts
 */
export function guardStandardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on("error", () => undefined);
  }
}

/**
 * Writes `text` to `stream` and resolves once the stream has handed all of it to the OS. On
 * POSIX a pipe is written asynchronously: what does not fit in the pipe (64 KiB) waits in the
 * process, so awaiting each write is what keeps memory flat and lets a caller act (acknowledge,
 * exit) only on output that is really out. Rejects with an {@link OutputError}.
 *
 * @example
 * await writeFully(process.stdout, "[\n");
 */
export function writeFully(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error == null ? resolve() : reject(new OutputError(error))));
  });
}

/**
 * Writes command output to stdout, resolving once it is out ({@link writeFully}); rejects with an
 * {@link OutputError}, `readerGone` once the reader has closed the pipe.
 *
 * @example
 * await writeStdout(`${JSON.stringify(result)}\n`);
 */
export function writeStdout(text: string): Promise<void> {
  guardStandardStreams();
  return writeFully(process.stdout, text);
}

/**
 * Writes a line for the human to stderr; resolves once it is out, or at once if stderr cannot be
 * written (nobody left to tell), so it never rejects and need not be awaited: the exit waits for
 * stderr to flush ({@link exitWhenFlushed}).
 *
 * @example
 * void writeStderr("watching TrigNewLead\n");
 */
export function writeStderr(text: string): Promise<void> {
  guardStandardStreams();
  return writeFully(process.stderr, text).catch(() => undefined);
}

/**
 * Resolves once everything written to `stream` so far has been handed to the OS, or at once if
 * the stream cannot be written any more. Writes complete in order, so an empty write's callback
 * runs after all earlier ones.
 *
 * @example
 * await flushed(process.stdout);
 */
export function flushed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if ((stream as { destroyed?: boolean }).destroyed === true) return resolve();
    stream.write("", () => resolve());
  });
}

/**
 * Ends the process with `code` once stdout and stderr have flushed. `process.exit()` does not wait
 * for a pipe: output still queued in the process (anything past the pipe's 64 KiB) would be lost,
 * so `openapi | wc -c` printed 65536. The wait lasts as long as the reader takes, as with any
 * Unix tool; a reader that closes the pipe ends it at once. The exit itself is still explicit, so
 * a handle someone left open (an idle keep-alive socket) cannot keep the CLI running.
 *
 * @example
 * await exitWhenFlushed(0);
 */
export async function exitWhenFlushed(code: number): Promise<never> {
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/**
 * The exit code for how a command line ended: 0 when it succeeded or stopped because stdout's
 * reader went away, a `CommanderError`'s own code (already reported), otherwise 1 after one
 * `error: …` line on stderr.
 *
 * @example
 * await exitWhenFlushed(await program.parseAsync(process.argv).then(() => 0, exitCodeOf));
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof OutputError && error.readerGone) return 0;
  void writeStderr(`error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  return FAILURE_EXIT_CODE;
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
    void writeStderr(`error ${error.code}: ${oneLine(error.message)}\n`);
    return reported(error.code === "invalid_input" ? USAGE_EXIT_CODE : FAILURE_EXIT_CODE);
  }
  void writeStderr(`error: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
  return reported(FAILURE_EXIT_CODE);
}

/**
 * Prints a usage problem as one line (`error: …`) and returns the error to throw (exit code 2).
 *
 * @example
 * throw reportUsage("unknown operation 'Foo'");
 */
export function reportUsage(message: string): CommanderError {
  void writeStderr(`error: ${oneLine(message)}\n`);
  return reported(USAGE_EXIT_CODE);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
