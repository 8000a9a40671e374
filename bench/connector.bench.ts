/**
 * Connector benchmark: Intercom calls spent by the triggers and actions, and a side-by-side run of
 * our trigger against the strategy most peers use (strict `>` on the largest created_at seen,
 * first page only), on the same stream of leads, against the emulator (real HTTP).
 * Run: npm run bench:connector  (writes the "connector" section of BENCHMARKS.md)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEmulator } from "../src/emulator/index.js";
import { createIntercomTransport, type IntercomTransport } from "../src/intercom/index.js";
import { SqliteStore } from "../src/store/index.js";
import { Runtime } from "../src/runtime/index.js";
import { describeMachine } from "./machine.js";
import { benchTicketTriggers } from "./ticket-triggers.js";
import { conversationTriggers } from "./conversation-triggers.js";
import { benchTriggerCalls } from "./trigger-calls.js";
import { benchSearchStream } from "./search-stream.js";
import { writeSection } from "./report.js";
import { startConnectedEmulator } from "../src/intercom/testing/emulator.js";
import { CALL_SCENARIOS, makeFixture, runAction } from "../src/operations/testing/call-scenarios.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const T0 = 1_796_000_000;

/** A small deterministic generator (mulberry32), so every run sees the same stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The peers' trigger: remember the largest created_at, ask for `created_at > it`, first page only. */
class StrictGreaterThanPoller {
  private lastMax: number | null = null;
  calls = 0;
  readonly delivered: string[] = [];
  constructor(private readonly intercom: IntercomTransport) {}
  async poll(now: number): Promise<void> {
    const since = this.lastMax ?? now;
    const page = await this.intercom.searchContacts(
      { operator: "AND", value: [{ field: "role", operator: "=", value: "lead" }, { field: "created_at", operator: ">", value: since }] },
      { perPage: 50, sort: { field: "created_at", order: "descending" } },
    );
    this.calls++;
    if (!page.ok) throw new Error(page.error.message);
    for (const lead of page.value.items) if (lead.created_at > since) this.delivered.push(lead.id);
    const newest = page.value.items[0]?.created_at;
    this.lastMax = Math.max(since, newest ?? since);
  }
}

/** The table of Intercom calls per action (src/operations/testing/call-scenarios.ts), measured. */
async function callsPerAction(): Promise<string[]> {
  const lines = [
    "",
    "Intercom calls per action, each on a fresh workspace with a lead, a user of a company, a tag and two contact data attributes (src/operations/calls-per-operation.test.ts holds each at its fewest):",
    "",
    "| action | case | Intercom calls | fewest possible | the calls |",
    "|---|---|---|---|---|",
  ];
  for (const scenario of CALL_SCENARIOS) {
    const c = await startConnectedEmulator();
    try {
      const fixture = await makeFixture(c);
      await scenario.before?.(c, fixture);
      await c.resetCalls();
      await runAction(c, scenario.id, scenario.input(fixture));
      const measured = (await c.calls()).total;
      lines.push(`| ${scenario.id} | ${scenario.case} | ${measured} | ${scenario.fewest} | ${scenario.why} |`);
    } finally {
      await c.close();
    }
  }
  return lines;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "icc-bench-"));
  const emulator = createEmulator({ workspaces: [{ token: "bench", timezone: "America/New_York", rateLimitPerMinute: 100_000_000 }] });
  const baseUrl = await emulator.listen(0);
  const ws = emulator.state.all()[0];
  if (ws === undefined) throw new Error("no workspace");
  const store = SqliteStore.open(join(dir, "bench.db"), { secretKey: randomBytes(32) });
  await store.migrate();
  const { connection } = await store.createConnection({ name: "bench", region: "us", baseUrl, accessToken: "bench" });
  const intercom = createIntercomTransport({ accessToken: "bench", baseUrl, maxRetries: 0 });
  const engine = new Runtime({ store, intercomMaxRetries: 0, callsPerWindow: 1e8 }).engine;
  const calls = (): number => [...(emulator.state.calls.get(ws.id)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const rows: string[] = [];

  try {
    // 1. Calls per idle poll and per 1,000 new leads.
    ws.clock.set(T0, { frozen: true });
    const sub = await engine.subscribe(connection.id, "TrigNewLead");
    const pollCalls = async (): Promise<number> => {
      const r = await engine.poll(sub.id);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.calls;
    };
    await pollCalls();
    ws.clock.advance(120);
    const idle = await pollCalls();
    ws.clock.advance(60);
    for (let i = 0; i < 1_000; i++) {
      if (i % 10 === 0) ws.clock.advance(1);
      ws.insertContact({ role: "lead", email: `k${i}@example.com` });
    }
    ws.clock.advance(1);
    const burst = await pollCalls();
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      ws.clock.advance(120);
      after.push(await pollCalls());
    }
    rows.push(`| calls per idle poll | ${idle} (target 1) |`);
    rows.push(`| calls for the poll that finds 1,000 new leads | ${burst} (target at most 8) |`);
    rows.push(`| calls of each of the next 5 polls (the burst still inside the look-back window) | ${after.join(", ")} |`);

    // 2. Calls per action: every scenario of the table the tests hold, each on a fresh workspace.
    const perAction = await callsPerAction();

    // 3. Side by side on one stream: 2 hours of polls every 120 s, leads in bursts (many in one
    // second), a 90 s search delay, a workspace at UTC−05:00 crossing its midnight.
    ws.searchDelaySeconds = 90;
    const localMidnight = Math.floor((T0 - 5 * 3600) / 86_400) * 86_400 + 5 * 3600 + 86_400;
    ws.clock.set(localMidnight - 3600, { frozen: true });
    const ours = await engine.subscribe(connection.id, "TrigNewLead");
    const oursPoll = async (): Promise<number> => {
      const r = await engine.poll(ours.id);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.calls;
    };
    let ourCalls = await oursPoll();
    const peer = new StrictGreaterThanPoller(intercom);
    await peer.poll(ws.clock.now());
    const random = prng(2014);
    const stream: string[] = [];
    for (let tick = 0; tick < 60; tick++) {
      const burstSize = random() < 0.2 ? Math.floor(random() * 400) : Math.floor(random() * 20);
      for (let i = 0; i < burstSize; i++) {
        if (random() < 0.3) ws.clock.advance(1);
        stream.push(ws.insertContact({ role: "lead", email: `s${tick}-${i}@example.com` }).id);
      }
      ws.clock.advance(120 - (ws.clock.now() % 120));
      ourCalls += await oursPoll();
      await peer.poll(ws.clock.now());
    }
    for (let i = 0; i < 3; i++) {
      ws.clock.advance(120);
      ourCalls += await oursPoll();
      await peer.poll(ws.clock.now());
    }
    const ourDelivered: string[] = [];
    await engine.deliver(ours.id, (events) => {
      for (const e of events) ourDelivered.push(String((e.payload as { id: string }).id));
    });
    const score = (delivered: string[]): { missed: number; duplicated: number } => {
      const got = new Set(delivered);
      return { missed: stream.filter((id) => !got.has(id)).length, duplicated: delivered.length - got.size };
    };
    const o = score(ourDelivered);
    const p = score(peer.delivered);
    const side = [
      "",
      `Side by side on one stream of ${stream.length.toLocaleString("en-US")} new leads (63 polls, 120 s apart; bursts up to 400 leads, many in the same second; 90 s search delay; a workspace at UTC−05:00 crossing its midnight):`,
      "",
      "| strategy | events missed | events duplicated | Intercom calls |",
      "|---|---|---|---|",
      `| strict \`>\` on the largest created_at, first page only (peers) | ${p.missed} | ${p.duplicated} | ${peer.calls} |`,
      `| ours (look-back window, dedupe, all pages) | ${o.missed} | ${o.duplicated} | ${ourCalls} |`,
    ];
    const searchStream = await benchSearchStream(ws, intercom, calls);
    rows.push(searchStream.callsRow);
    // 4. The ticket triggers, last: their clock moves must not change the streams above.
    rows.splice(3, 0, ...(await benchTicketTriggers(engine, connection.id, ws)));
    // 5. The conversation triggers, after them (bench/trigger-calls.ts: a trigger is one entry).
    rows.splice(3, 0, ...(await benchTriggerCalls(engine, connection.id, ws, conversationTriggers(ws))));
    const markdown = [
      "## Connector (`npm run bench:connector`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}. Calls are counted by the emulator (real HTTP); look-back 600 s, 150 per page.`,
      "",
      "| what | Intercom calls |",
      "|---|---|",
      ...rows,
      ...perAction,
      ...side,
      ...searchStream.memoryTable,
    ].join("\n");
    writeSection(`${root}/BENCHMARKS.md`, "connector", markdown);
    console.log(markdown);
  } finally {
    await store.close();
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
