import { startTsxChild, type TsxChild } from "./children.js";
import type { StoreChildTask } from "./store-child.js";

const SCRIPT = new URL("./store-child.ts", import.meta.url);

/**
 * Starts a store child process on `task` with the test's secret key.
 *
 * @example
 * const child = spawnStoreChild({ task: "migrate", url: fixture.url }, secretKey);
 */
export function spawnStoreChild(task: StoreChildTask, secretKey: Buffer): TsxChild {
  return startTsxChild(SCRIPT, [JSON.stringify(task)], { STORE_CHILD_SECRET_KEY: secretKey.toString("hex") });
}

/**
 * Starts one child per task with a barrier, releases them together once all are ready, and
 * returns each one's `result` line, parsed. Rejects if any child fails.
 *
 * @example
 * const reports = await runTogether([migrateTask, migrateTask], secretKey);
 */
export async function runTogether<T>(tasks: readonly StoreChildTask[], secretKey: Buffer): Promise<T[]> {
  const children = tasks.map((task) => spawnStoreChild({ ...task, barrier: true }, secretKey));
  await Promise.all(children.map((child) => child.waitForLine((line) => line === "ready")));
  for (const child of children) child.send("go");
  return Promise.all(
    children.map(async (child) => {
      const { code, stderr } = await child.exited;
      const line = child.lines.find((l) => l.startsWith("result "));
      if (code !== 0 || line === undefined) throw new Error(`store child failed (exit ${code}):\n${stderr}`);
      return JSON.parse(line.slice("result ".length)) as T;
    }),
  );
}
