import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TrigLead_Response } from "../contract/index.js";
import { completeLines, startCliTestBed, type CliTestBed } from "./testing/cli-bed.js";
import type { CliProcess } from "./testing/spawn-cli.js";

let bed: CliTestBed;
beforeEach(async () => {
  bed = await startCliTestBed();
});
afterEach(async () => {
  await bed.cleanup();
});

function lead(email: string): string {
  return bed.em.workspace.insertContact({ role: "lead", email }).id;
}

/** Starts `watch TrigNewLead` on the bed's state, polling every second, once it is watching. */
async function startWatch(): Promise<CliProcess> {
  const cli = bed.cli(["watch", "TrigNewLead", "--interval", "1", "--state", bed.state]);
  await cli.waitForStderr(/^watching TrigNewLead: .*$/m, 60_000);
  return cli;
}

/** The ids of the events a watch printed (complete lines only), each line checked. */
function printedIds(cli: CliProcess): string[] {
  return completeLines(cli.stdout()).map((line) => TrigLead_Response.parse(JSON.parse(line)).id);
}

async function linesAtLeast(cli: CliProcess, n: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (completeLines(cli.stdout()).length < n) {
    if (Date.now() > deadline) throw new Error(`expected ${n} lines, got ${completeLines(cli.stdout()).length}; stderr: ${cli.stderr()}`);
    if (cli.child.exitCode !== null) throw new Error(`watch exited: ${cli.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Spawned CLIs and real polls: generous limits for a loaded machine.
describe("intercom-connector watch", { timeout: 180_000 }, () => {
  it("prints each new lead as one NDJSON line from its baseline, and a restart with the same --state goes on", async () => {
    for (let i = 0; i < 3; i++) lead(`before${i}@example.com`);
    const first = await startWatch();
    expect(first.stderr()).toMatch(/new subscription [0-9a-f-]+, every 1 s; the first poll records what exists/);
    await first.waitForStderr(/^baseline recorded/m, 60_000);
    const firstBatch = [0, 1, 2, 3, 4].map((i) => lead(`one${i}@example.com`));
    await linesAtLeast(first, 5);
    first.child.kill("SIGTERM");
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(printedIds(first)).toEqual(firstBatch);
    const subscriptionId = /new subscription ([0-9a-f-]+)/.exec(first.stderr())?.[1];

    // While nothing watches.
    const secondBatch = [0, 1, 2, 3].map((i) => lead(`two${i}@example.com`));
    const second = await startWatch();
    expect(second.stderr()).toContain(`resuming subscription ${subscriptionId}, every 1 s`);
    await linesAtLeast(second, 4);
    const third = lead("three@example.com");
    await linesAtLeast(second, 5);
    // A few more polls: nothing is printed again.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    second.child.kill("SIGINT");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(printedIds(second)).toEqual([...secondBatch, third]);
    expect(second.stderr()).not.toMatch(/warning/);
  });

  it("loses and repeats nothing when killed with SIGKILL in the middle of a burst", async () => {
    const first = await startWatch();
    await first.waitForStderr(/^baseline recorded/m, 60_000);

    const created: string[] = [];
    // 300 leads over about six seconds (10 every 200 ms) while the watch polls every second; it is
    // killed at some moment after 40 lines are out, with the burst still going.
    const burst = (async () => {
      for (let i = 0; i < 30; i++) {
        for (let j = 0; j < 10; j++) created.push(lead(`burst${i}-${j}@example.com`));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await linesAtLeast(first, 40);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 1_000)));
    first.child.kill("SIGKILL");
    expect((await first.exited).signal).toBe("SIGKILL");
    const createdAtKill = created.length;
    await burst;
    const beforeRestart = printedIds(first);
    expect(createdAtKill).toBeLessThan(300);
    expect(beforeRestart.length).toBeGreaterThanOrEqual(40);
    expect(beforeRestart.length).toBeLessThan(created.length);

    for (let i = 0; i < 50; i++) created.push(lead(`after${i}@example.com`));
    const second = await startWatch();
    expect(second.stderr()).toMatch(/resuming subscription/);
    await linesAtLeast(second, created.length - beforeRestart.length);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);

    const union = [...beforeRestart, ...printedIds(second)];
    expect(union).toHaveLength(created.length);
    expect(new Set(union).size).toBe(created.length);
    expect(new Set(union)).toEqual(new Set(created));
  });

  it("refuses an unknown trigger with exit 2 and one line naming the valid ids", async () => {
    const result = await bed.run(["watch", "TrigNothing", "--state", bed.state]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown trigger 'TrigNothing'; valid trigger ids: TrigNewLead, TrigNewUser, TrigUpdateUser, TrigNewConversation\n");
  });
});
