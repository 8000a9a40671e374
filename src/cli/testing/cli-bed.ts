import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import { killAllClis, spawnCli, type CliProcess } from "./spawn-cli.js";

/**
 * A distinctive token, so a test can look for it anywhere it must not be.
 *
 * @example
 * expect(stdout).not.toContain(CLI_TEST_TOKEN);
 */
export const CLI_TEST_TOKEN = "tok_cli-secret-5f0c2a91d7";

/**
 * An emulator, a temp dir, and the CLI pointed at both.
 *
 * @example
 * const bed: CliTestBed = await startCliTestBed();
 */
export interface CliTestBed {
  em: TestEmulator;
  dir: string;
  /** `--state` for the commands (inside `dir`). */
  state: string;
  /** The environment the commands run with: the emulator's URL and token. */
  env: Record<string, string>;
  /** Starts the CLI with the bed's environment (plus `env`). */
  cli(args: string[], env?: Record<string, string>): CliProcess;
  /** Runs the CLI to its end. */
  run(args: string[], env?: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Calls the emulator counted for the workspace. */
  callCount(): Promise<number>;
  cleanup(): Promise<void>;
}

/**
 * Starts an emulator in this process (token {@link CLI_TEST_TOKEN}) and makes a temp dir.
 *
 * @example
 * const bed = await startCliTestBed();
 * const { code, stdout } = await bed.run(["call", "ListLeads", "--state", bed.state]);
 * await bed.cleanup();
 */
export async function startCliTestBed(): Promise<CliTestBed> {
  const em = await startTestEmulator({ workspaces: [{ token: CLI_TEST_TOKEN, timezone: "UTC" }] });
  const dir = await mkdtemp(join(tmpdir(), "icc-cli-"));
  const env = { INTERCOM_ACCESS_TOKEN: CLI_TEST_TOKEN, INTERCOM_BASE_URL: em.baseUrl };
  const bed: CliTestBed = {
    em,
    dir,
    state: join(dir, "state"),
    env,
    cli: (args, more = {}) => spawnCli(args, { env: { ...env, ...more } }),
    async run(args, more = {}) {
      const cli = bed.cli(args, more);
      const { code } = await cli.exited;
      return { code, stdout: cli.stdout(), stderr: cli.stderr() };
    },
    async callCount() {
      const answer = await em.control("GET", `/workspaces/${em.workspace.id}/calls`);
      if (answer.status !== 200) throw new Error(`control API answered ${answer.status}`);
      return (answer.body as { total: number }).total;
    },
    async cleanup() {
      await killAllClis();
      try {
        await em.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  return bed;
}

/**
 * The complete lines of an output (a last line without its newline, cut by a kill, is left out).
 *
 * @example
 * completeLines("a\nb\nc"); // ["a", "b"]
 */
export function completeLines(text: string): string[] {
  const lines = text.split("\n");
  lines.pop();
  return lines.filter((line) => line !== "");
}
