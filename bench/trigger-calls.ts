/**
 * Calls per poll of any pollable trigger, for the connector benchmark: an idle poll, the poll that
 * finds 1,000 new events, and the polls after it while those events are inside the look-back
 * window, against the emulator (real HTTP), counted by the engine's scan reports. A trigger is
 * measured by one entry saying how to make its `i`-th event.
 */
import type { TriggerId } from "../src/contract/index.js";
import type { Workspace } from "../src/emulator/workspace.js";
import type { TriggerEngine } from "../src/triggers/index.js";

/** How one trigger is measured: what makes its `i`-th event (`prepare`: before the subscription's baseline). */
export interface MeasuredTrigger {
  triggerId: TriggerId;
  /** What an event is, in the table (`new tickets`, `contact replies`). */
  events: string;
  prepare?: (n: number) => void;
  make: (i: number) => void;
}

/** Events of the burst each trigger is measured with. */
export const BURST = 1_000;

/**
 * Measures each trigger on `ws`, one after the other, and answers the rows of the benchmark's
 * calls table (three per trigger). The workspace clock is moved an hour before each, so what came
 * before is outside every look-back window.
 *
 * @example
 * rows.push(...(await benchTriggerCalls(engine, connection.id, ws, [{ triggerId: "TrigNewLead", events: "new leads", make: (i) => void ws.insertContact({ role: "lead", email: `l${i}@example.com` }) }])));
 */
export async function benchTriggerCalls(engine: TriggerEngine, connectionId: string, ws: Workspace, measured: readonly MeasuredTrigger[]): Promise<string[]> {
  const rows: string[] = [];
  for (const m of measured) {
    m.prepare?.(BURST);
    ws.clock.advance(3_600);
    const sub = await engine.subscribe(connectionId, m.triggerId);
    const poll = async (): Promise<{ calls: number; emitted: number }> => {
      const report = await engine.poll(sub.id);
      if (!report.ok) throw new Error(report.error.message);
      return report.value;
    };
    await poll();
    ws.clock.advance(120);
    const idle = (await poll()).calls;
    ws.clock.advance(60);
    for (let i = 0; i < BURST; i++) {
      if (i % 10 === 0) ws.clock.advance(1);
      m.make(i);
    }
    ws.clock.advance(1);
    const burst = await poll();
    if (burst.emitted !== BURST) throw new Error(`${m.triggerId}: ${burst.emitted} events of ${BURST}`);
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      ws.clock.advance(120);
      after.push((await poll()).calls);
    }
    await engine.deliver(sub.id, () => undefined);
    rows.push(`| ${m.triggerId}: calls per idle poll | ${idle} (target 1) |`);
    rows.push(`| ${m.triggerId}: calls for the poll that finds 1,000 ${m.events} | ${burst.calls} (target at most ${Math.ceil(BURST / 150) + 1}) |`);
    rows.push(`| ${m.triggerId}: calls of each of the next 5 polls (the 1,000 still inside the look-back window) | ${after.join(", ")} |`);
  }
  return rows;
}
