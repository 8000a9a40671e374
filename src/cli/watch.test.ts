import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { operationIds, TrigLead_Response } from "../contract/index.js";
import { completeLines, startCliTestBed, type CliTestBed } from "./testing/cli-bed.js";
import { killPipedClis, spawnCliIntoPipes, waitForText, type PipedCli } from "./testing/pipe-cli.js";
import { heldUp, readSlowly } from "./testing/slow-reader.js";
import type { CliProcess } from "./testing/spawn-cli.js";
import { addContactReply, startContactConversation } from "../emulator/routes/conversation-records.js";

let bed: CliTestBed;
beforeEach(async () => {
  bed = await startCliTestBed();
});
afterEach(async () => {
  await killPipedClis();
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

/**
 * Starts `watch TrigNewLead` with stdout a real pipe nobody reads yet, and once its baseline is
 * recorded adds `count` leads: more than the pipe and the test's buffer hold, so the watch is
 * held up writing them. Resolves with the leads and how much the test's buffer holds then.
 */
async function watchHeldUp(count: number): Promise<{ cli: PipedCli; created: string[]; buffered: number }> {
  const cli = spawnCliIntoPipes(["watch", "TrigNewLead", "--interval", "1", "--state", bed.state], { env: bed.env });
  cli.pipes.stderr.resume();
  await waitForText(() => cli.stderr(), /^baseline recorded/m);
  const created = Array.from({ length: count }, (_, i) => lead(`held${i}@example.com`));
  return { cli, created, buffered: await heldUp(cli.pipes.stdout) };
}

/** The ids of the events a watch printed (complete lines only), each line checked. */
function printedIds(cli: { stdout(): string }): string[] {
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

  it("loses and repeats nothing of TrigContactReplied when killed with SIGKILL in the middle of a burst of replies", async () => {
    const ws = bed.em.workspace;
    // The conversations the replies go to, started before the watch: their opening messages are no replies.
    const conversations = Array.from({ length: 250 }, (_, i) => {
      const contact = ws.insertContact({ role: "lead", email: `asker${i}@example.com` }, { emit: false });
      return startContactConversation(ws, { contact, body: `<p>Question ${i}</p>` });
    });
    const reply = (i: number): string => {
      const c = conversations[i];
      const contact = c === undefined ? undefined : ws.contacts.get(c.contact_ids[0] ?? "");
      if (c === undefined || contact === undefined) throw new Error(`no conversation ${i}`);
      const replied = addContactReply(ws, ws.conversations.get(c.id) ?? c, contact, { body: "<p>Any news?</p>" });
      return `${replied.id}:${ws.clock.now()}`;
    };
    const printed = (cli: { stdout(): string }): string[] =>
      completeLines(cli.stdout()).map((line) => {
        const event = JSON.parse(line) as { id: string; statistics: { last_contact_reply_at: number } };
        return `${event.id}:${event.statistics.last_contact_reply_at}`;
      });
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the replies come at least a second after the openings
    const cli = bed.cli(["watch", "TrigContactReplied", "--interval", "1", "--state", bed.state]);
    await cli.waitForStderr(/^baseline recorded/m, 60_000);

    const replies: string[] = [];
    // 200 replies over about four seconds while the watch polls every second; killed after 30 lines.
    const burst = (async () => {
      for (let i = 0; i < 20; i++) {
        for (let j = 0; j < 10; j++) replies.push(reply(i * 10 + j));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await linesAtLeast(cli, 30);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 800)));
    cli.child.kill("SIGKILL");
    expect((await cli.exited).signal).toBe("SIGKILL");
    await burst;
    const beforeRestart = printed(cli);
    expect(beforeRestart.length).toBeLessThan(replies.length);
    for (let i = 200; i < 250; i++) replies.push(reply(i));

    const second = bed.cli(["watch", "TrigContactReplied", "--interval", "1", "--state", bed.state]);
    await second.waitForStderr(/resuming subscription/, 60_000);
    await linesAtLeast(second, replies.length - beforeRestart.length);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    const union = [...beforeRestart, ...printed(second)];
    expect(union).toHaveLength(replies.length);
    expect(new Set(union)).toEqual(new Set(replies));
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

  it("on SIGTERM writes out all it was handing over to a slow reader before it exits, and the next run goes on", async () => {
    const { cli, created, buffered } = await watchHeldUp(1_000);
    cli.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Still there: exiting now would lose what the pipe has not taken.
    expect(cli.child.exitCode).toBeNull();
    readSlowly(cli.pipes.stdout, { startAfterMs: 0 });
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stdout().length).toBeGreaterThan(buffered);
    expect(cli.stdout().endsWith("\n")).toBe(true);
    const printed = printedIds(cli);
    expect(printed.length).toBeGreaterThan(0);
    expect(printed).toEqual(created.slice(0, printed.length));
    expect(cli.stderr()).not.toMatch(/warning|error/);

    // What a poll had not fetched yet comes with the next run; nothing comes twice.
    const second = await startWatch();
    await linesAtLeast(second, created.length - printed.length);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    second.child.kill("SIGTERM");
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect([...printed, ...printedIds(second)]).toEqual(created);
  });

  it("ends at once on a second SIGTERM while a reader that stopped reading holds it up", async () => {
    const { cli } = await watchHeldUp(1_000);
    cli.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cli.child.exitCode).toBeNull();
    cli.child.kill("SIGTERM");
    cli.pipes.stdout.resume();
    expect(await cli.exited).toEqual({ code: null, signal: "SIGTERM" });
  });

  it("stops quietly with exit 0 when the reader closes the pipe", async () => {
    const { cli } = await watchHeldUp(1_000);
    cli.pipes.stdout.destroy();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).not.toMatch(/warning|error|EPIPE/);
  });

  it("refuses an unknown trigger with exit 2 and one line naming the valid ids", async () => {
    const result = await bed.run(["watch", "TrigNothing", "--state", bed.state]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: unknown trigger 'TrigNothing'; valid trigger ids: ${operationIds("trigger").join(", ")}\n`);
  });
});
