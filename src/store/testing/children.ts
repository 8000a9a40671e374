import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The project root: where `tsx` resolves from. */
const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * A TypeScript child process run with `node --import tsx`, its stdout split into lines.
 *
 * @example
 * const child = startTsxChild(new URL("./store-child.ts", import.meta.url), [JSON.stringify(task)]);
 * await child.waitForLine((line) => line === "ready");
 */
export interface TsxChild {
  readonly process: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Resolves with the first line (past or future) that matches; rejects on exit or timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Writes a line to the child's stdin. */
  send(line: string): void;
  /** Resolves when the child has exited, with its code or signal and stderr. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Sends `signal` (default SIGKILL) unless exited, and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<TsxChild>();

/**
 * Starts `script` under `node --import tsx`. Every child is tracked, so `stopChildren` (run after
 * each conformance test) leaves none behind.
 *
 * @example
 * const child = startTsxChild(scriptUrl, ["arg"], { SECRET: "…" });
 * const { code } = await child.exited;
 */
export function startTsxChild(script: URL, args: readonly string[], env: Record<string, string> = {}): TsxChild {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(script), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let stdoutRest = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    const parts = (stdoutRest + chunk).split("\n");
    stdoutRest = parts.pop() ?? "";
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  // A child killed mid-write breaks the pipe; that is expected, not a test failure.
  child.stdin.on("error", () => undefined);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on("close", (code, signal) => {
      done = true;
      running.delete(handle);
      for (const wake of waiters) wake();
      resolve({ code, signal, stderr });
    });
  });

  const handle: TsxChild = {
    process: child,
    lines,
    exited,
    send: (line) => {
      child.stdin.write(`${line}\n`);
    },
    waitForLine: (match, timeoutMs = 20_000) =>
      new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(match);
          if (found !== undefined) finish(() => resolve(found));
          else if (done) finish(() => reject(new Error(`child exited before the expected line; stderr:\n${stderr}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no expected line within ${timeoutMs} ms; stderr:\n${stderr}`))), timeoutMs);
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      }),
    kill: async (signal = "SIGKILL") => {
      if (!done) child.kill(signal);
      await exited;
    },
  };
  running.add(handle);
  return handle;
}

/**
 * Kills (SIGKILL) every child still running and waits for each to exit.
 *
 * @example
 * afterEach(stopChildren);
 */
export async function stopChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.kill("SIGKILL")));
}
