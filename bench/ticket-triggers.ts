/**
 * Calls per poll of the ticket triggers, for the connector benchmark: an idle poll, the poll that
 * finds 1,000 new events, and the polls after it while those events are inside the look-back
 * window, against the emulator (real HTTP), counted by the engine's scan reports.
 */
import type { TriggerId } from "../src/contract/index.js";
import type { TicketStateCategory, TicketTypeRecord } from "../src/emulator/ticket-model.js";
import { ticketsOf } from "../src/emulator/ticket-store.js";
import { createTicket, updateTicket } from "../src/emulator/ticket-writes.js";
import type { Workspace } from "../src/emulator/workspace.js";
import type { TriggerEngine } from "../src/triggers/index.js";

/** How one trigger is measured: what makes its `n`-th event. */
interface Measured {
  triggerId: TriggerId;
  events: string;
  /** Made before the subscription's baseline (the tickets whose state will change). */
  prepare?: (n: number) => void;
  make: (i: number) => void;
}

/**
 * Measures each ticket trigger on `ws` and answers the rows of the benchmark's calls table.
 *
 * @example
 * rows.push(...(await benchTicketTriggers(engine, connection.id, ws)));
 */
export async function benchTicketTriggers(engine: TriggerEngine, connectionId: string, ws: Workspace): Promise<string[]> {
  const store = ticketsOf(ws);
  const type: TicketTypeRecord = store.createType({ name: "Bench" });
  const owner = ws.admins.get(ws.ownerAdminId);
  if (owner === undefined) throw new Error("no owner admin");
  const made: string[] = [];
  const newTicket = (i: number): string => {
    const contact = ws.insertContact({ role: "user", email: `ticket-${ws.clock.now()}-${i}@example.com` }, { emit: false });
    const ticket = createTicket(ws, { type, contacts: [contact], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner });
    return ticket.id;
  };
  const stateOf = (category: TicketStateCategory): string => type.state_ids.find((s) => store.states.get(s)?.category === category) ?? "";
  const measured: Measured[] = [
    { triggerId: "TrigNewTicket", events: "new tickets", make: (i) => void newTicket(i) },
    {
      triggerId: "TrigTicketStateChanged",
      events: "state changes",
      prepare: (n) => {
        for (let i = 0; i < n; i++) made.push(newTicket(i));
      },
      make: (i) => {
        const ticket = store.tickets.get(made[i] ?? "");
        if (ticket !== undefined) updateTicket(ws, ticket, { author: owner, stateId: stateOf("in_progress") });
      },
    },
  ];
  const rows: string[] = [];
  for (const m of measured) {
    m.prepare?.(1_000);
    ws.clock.advance(3_600); // what came before is far behind every look-back window
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
    for (let i = 0; i < 1_000; i++) {
      if (i % 10 === 0) ws.clock.advance(1);
      m.make(i);
    }
    ws.clock.advance(1);
    const burst = await poll();
    if (burst.emitted !== 1_000) throw new Error(`${m.triggerId}: ${burst.emitted} events of 1,000`);
    const after: number[] = [];
    for (let i = 0; i < 5; i++) {
      ws.clock.advance(120);
      after.push((await poll()).calls);
    }
    await engine.deliver(sub.id, () => undefined);
    rows.push(`| ${m.triggerId}: calls per idle poll | ${idle} (target 1) |`);
    rows.push(`| ${m.triggerId}: calls for the poll that finds 1,000 ${m.events} | ${burst.calls} (target at most ${Math.ceil(1_000 / 150) + 1}) |`);
    rows.push(`| ${m.triggerId}: calls of each of the next 5 polls (the 1,000 still inside the look-back window) | ${after.join(", ")} |`);
  }
  return rows;
}
