import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// The CLI the tests start is the built bin (`npm run build`, which `npm test` runs first and
// `npm ci` runs through `prepare`), as a user's `npx intercom-connector` is: starting node on the
// JavaScript costs a third of compiling the TypeScript at every start (`--import tsx`), and the
// suite starts the CLI hundreds of times. A bin older than the sources would test old code, so
// it is refused with what to run.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The built CLI. */
export const CLI_BIN = join(ROOT, "dist", "cli", "main.js");

/** The newest modification time of the sources tsconfig.build.json builds (tests, test helpers and the console's pages left out, as it leaves them). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "testing" && path !== join(ROOT, "src", "console")) newest = Math.max(newest, newestSource(path));
    } else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && entry.name !== "conformance.ts") {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

let checked = false;

/**
 * The command and arguments that start the CLI with `args`: `node dist/cli/main.js …args`.
 * Throws once per test process when the bin is missing or older than `src/`, naming the fix.
 *
 * @example
 * const [command, ...rest] = cliCommand(["call", "ListLeads"]);
 * spawn(command, rest, { cwd: ROOT });
 */
export function cliCommand(args: readonly string[]): [string, ...string[]] {
  if (!checked) {
    if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is missing: run npm run build (npm test builds before it tests)`);
    if (statSync(CLI_BIN).mtimeMs < newestSource(join(ROOT, "src"))) throw new Error(`${CLI_BIN} is older than src/: run npm run build (npm test builds before it tests)`);
    checked = true;
  }
  return [process.execPath, CLI_BIN, ...args];
}
