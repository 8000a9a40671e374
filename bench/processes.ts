import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root: benchmarks run the built CLI from here. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A CLI process a benchmark started, its stdout going to `out` (so reading logs costs the benchmark no CPU). */
export interface BenchProcess {
  child: ChildProcess;
  out: string;
}

/**
 * The built CLI's processes of one benchmark run: started with stdout into files under `dir`,
 * waited on by what they print, and all stopped (SIGTERM) at the end.
 *
 * @example
 * const processes = new BenchProcesses(dir);
 * const emulator = processes.start("emulator", ["emulator", "--port", "0"], {});
 * const [, url] = await processes.waitFor(emulator, /listening on (\S+)/, "emulator");
 * await processes.stopAll();
 */
export class BenchProcesses {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly dir: string) {}

  /** Starts `node dist/cli/main.js …args` with `env` over this process's environment. */
  start(name: string, args: string[], env: Record<string, string>): BenchProcess {
    const out = join(this.dir, `${name}.out`);
    const child = spawn(process.execPath, ["dist/cli/main.js", ...args], { cwd: ROOT, stdio: ["ignore", openSync(out, "w"), "inherit"], env: { ...process.env, ...env } });
    this.children.push(child);
    return { child, out };
  }

  /** Resolves once the process's stdout matches `pattern`; throws if it exits first or takes over 60 s. */
  async waitFor(started: BenchProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
    for (let waited = 0; waited < 60_000; waited += 50) {
      const match = pattern.exec(readFileSync(started.out, "utf8"));
      if (match !== null) return match;
      if (started.child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${what} did not print ${String(pattern)}: ${readFileSync(started.out, "utf8").slice(-2000)}`);
  }

  /** SIGTERM to one process, resolved once it has exited. */
  async stop(started: BenchProcess): Promise<void> {
    const { child } = started;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }

  /** Stops every process started, and waits for them. */
  async stopAll(): Promise<void> {
    await Promise.all(this.children.map((child) => this.stop({ child, out: "" })));
  }
}
