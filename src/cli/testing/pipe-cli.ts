import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { SERVE_ENV } from "../serve-settings.js";
import { SETTINGS_ENV } from "../settings.js";
import type { SpawnCliOptions } from "./spawn-cli.js";
import { cliCommand } from "./cli-entry.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The variables the CLI reads: left out of the inherited environment so tests say what they mean. */
const CLI_VARIABLES = [...Object.values(SETTINGS_ENV), ...Object.values(SERVE_ENV)];

/**
 * A CLI process whose stdout and stderr are real pipes (FIFOs), as a shell's `|` gives.
 * `spawn`'s own "pipe" is a socket pair that takes about 200 KiB before a write waits, where a
 * pipe takes 64 KiB: only a real pipe shows output that is cut when the pipe is full.
 *
 * @example
 * const cli: PipedCli = spawnCliIntoPipes(["openapi"]);
 */
export interface PipedCli {
  child: ChildProcess;
  /** The read ends of the CLI's stdout and stderr, paused: nothing is read until the test says. */
  pipes: { stdout: Socket; stderr: Socket };
  /** Everything read so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited and both pipes are closed (at their end, or by the test). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running = new Set<PipedCli>();

/**
 * Starts the built CLI (`node dist/cli/main.js …args`) from the repository root, as `spawnCli` does
 * (the same environment rules), with stdout and stderr each a FIFO the test reads: both start
 * paused; `readSlowly` or `resume()` reads them.
 *
 * @example
 * const cli = spawnCliIntoPipes(["call", "ListLeads"], { env: bed.env });
 * readSlowly(cli.pipes.stdout);
 * cli.pipes.stderr.resume();
 * const { code } = await cli.exited;
 */
export function spawnCliIntoPipes(args: string[], options: SpawnCliOptions = {}): PipedCli {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLI_VARIABLES) delete env[name];
  const dir = mkdtempSync(join(tmpdir(), "icc-pipe-"));
  const ends = (name: string): { read: number; write: number } => {
    const path = join(dir, name);
    execFileSync("mkfifo", [path]);
    // Opening the read end without blocking first lets the write end open at once.
    const read = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    return { read, write: openSync(path, constants.O_WRONLY) };
  };
  const out = ends("stdout");
  const err = ends("stderr");
  const [command, ...rest] = cliCommand(args);
  const child = spawn(command, rest, {
    cwd: ROOT,
    stdio: ["ignore", out.write, err.write],
    env: { ...env, ...options.env },
  });
  // The child has its own copies: the pipes end when it (and anything it started) is gone.
  closeSync(out.write);
  closeSync(err.write);
  let outText = "";
  let errText = "";
  const stdout = reader(out.read, (text) => (outText += text));
  const stderr = reader(err.read, (text) => (errText += text));
  const exitedOnly = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
  });
  const exited = Promise.all([exitedOnly, closed(stdout), closed(stderr)]).then(([result]) => {
    rmSync(dir, { recursive: true, force: true });
    return result;
  });
  const cli: PipedCli = { child, pipes: { stdout, stderr }, stdout: () => outText, stderr: () => errText, exited };
  running.add(cli);
  void exited.then(() => running.delete(cli));
  return cli;
}

/** The read end of a FIFO as a paused stream whose text goes to `append` as it is read. */
function reader(fd: number, append: (text: string) => void): Socket {
  const socket = new Socket({ fd, readable: true, writable: false });
  socket.setEncoding("utf8").on("data", append);
  socket.pause();
  // A pipe closed by the test while the CLI still writes is not an error of the test.
  socket.on("error", () => undefined);
  return socket;
}

function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) return resolve();
    stream.once("close", () => resolve());
  });
}

/**
 * Resolves once `text()` matches `pattern` (polled); rejects after `timeoutMs`.
 *
 * @example
 * await waitForText(() => cli.stderr(), /^watching /m);
 */
export async function waitForText(text: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(text());
    if (match !== null) return match;
    if (Date.now() > deadline) throw new Error(`${String(pattern)} did not appear within ${timeoutMs} ms in: ${text()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Kills every piped CLI a test started that is still running, and waits for them to end.
 *
 * @example
 * afterEach(killPipedClis);
 */
export async function killPipedClis(): Promise<void> {
  const left = [...running];
  for (const cli of left) {
    cli.child.kill("SIGKILL");
    // Reading to the end lets the pipes close once the process is gone.
    cli.pipes.stdout.resume();
    cli.pipes.stderr.resume();
  }
  await Promise.all(left.map((cli) => cli.exited));
}
