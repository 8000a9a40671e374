import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { cliCommand } from "./cli-entry.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** A CLI process started for a test. */
export interface CliProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout holds a line matching `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The same on stderr. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

/**
 * How to start the CLI: extra environment variables (over a copy without the connector's own).
 *
 * @example
 * spawnCli(["call", "ListLeads"], { env: { INTERCOM_ACCESS_TOKEN: "tok" } } satisfies SpawnCliOptions);
 */
export interface SpawnCliOptions {
  env?: Record<string, string>;
}

/** The variables the CLI reads: left out of the inherited environment so tests say what they mean. */
const CLI_VARIABLES = [
  "INTERCOM_ACCESS_TOKEN", "INTERCOM_REGION", "INTERCOM_BASE_URL", "INTERCOM_VERSION", "DATABASE_URL",
  "CONNECTOR_SECRET_KEY", "POLL_INTERVAL_SECONDS", "CONNECTION_CALLS_PER_MINUTE", "CONNECTION_CALL_WINDOW_SECONDS", "PORT", "WORKER_LEASE_SECONDS", "WORKER_POLL_CONCURRENCY", "WEBHOOK_TIMEOUT_SECONDS",
  "WEBHOOK_ALLOW_PRIVATE_CALLBACKS", "WEBHOOK_ALLOWED_HOSTS",
];

const running = new Set<CliProcess>();

/**
 * Starts the built CLI (`node dist/cli/main.js …args`, see `cliCommand`) from the repository root, as a user would run
 * the CLI, and keeps track of it so {@link killAllClis} can stop it.
 *
 * @example
 * const cli = spawnCli(["emulator", "--port", "0"]);
 * const [, url] = await cli.waitFor(/listening on (\S+)/);
 */
export function spawnCli(args: string[], options: SpawnCliOptions = {}): CliProcess {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLI_VARIABLES) delete env[name];
  const [command, ...rest] = cliCommand(args);
  const child = spawn(command, rest, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, ...options.env },
  });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
  });
  const cli: CliProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, timeoutMs) => waitOn(child.stdout, () => out, pattern, timeoutMs),
    waitForStderr: (pattern, timeoutMs) => waitOn(child.stderr, () => err, pattern, timeoutMs),
  };
  running.add(cli);
  void exited.then(() => running.delete(cli));
  return cli;

  function waitOn(stream: Readable, text: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(text());
        if (match === null) return false;
        cleanup();
        resolve(match);
        return true;
      };
      const onExit = (): void => {
        if (check()) return;
        cleanup();
        reject(new Error(`CLI exited before printing ${String(pattern)}; stdout: ${out} stderr: ${err}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`CLI did not print ${String(pattern)} within ${timeoutMs} ms; stdout: ${out} stderr: ${err}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        stream.off("data", check);
        child.off("close", onExit);
      };
      if (check()) return;
      stream.on("data", check);
      child.on("close", onExit);
    });
  }
}

/**
 * Kills every CLI process a test started that is still running, and waits for them to exit.
 *
 * @example
 * afterEach(killAllClis);
 */
export async function killAllClis(): Promise<void> {
  const left = [...running];
  for (const cli of left) cli.child.kill("SIGKILL");
  await Promise.all(left.map((cli) => cli.exited));
}
