import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Linux's USER_HZ, the unit of /proc/<pid>/stat's times (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

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

  /**
   * Starts `node …nodeArgs dist/cli/main.js …args` (or another `script`, relative to the root) with
   * `env` over this process's environment, in the root (or `cwd`).
   */
  start(name: string, args: string[], env: Record<string, string>, options: { nodeArgs?: string[]; script?: string; cwd?: string } = {}): BenchProcess {
    const out = join(this.dir, `${name}.out`);
    const argv = [...(options.nodeArgs ?? []), resolve(ROOT, options.script ?? "dist/cli/main.js"), ...args];
    const child = spawn(process.execPath, argv, { cwd: options.cwd ?? ROOT, stdio: ["ignore", openSync(out, "w"), "inherit"], env: { ...process.env, ...env } });
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

  /**
   * CPU time the process (all its threads) has used so far, in µs: user + system from
   * /proc/<pid>/stat, in clock ticks of 10 ms (NaN off Linux). The difference over a run, per
   * request, is a server's cost that other load on the machine does not inflate.
   */
  cpuMicros(started: BenchProcess): number {
    const file = `/proc/${started.child.pid ?? 0}/stat`;
    if (!existsSync(file)) return Number.NaN;
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field, stime the 15th.
    const stat = readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1_000_000 / CLOCK_TICKS_PER_SECOND);
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
