import { expect } from "vitest";
import { percentile } from "../../../bench/machine.js";
import type { KillLoopOutcome } from "./kill-loop.js";

/** A kill loop's figures as RELIABILITY.md shows them. */
export interface KillFigures {
  store: string;
  kills: number;
  killsMidDelivery: number;
  leads: number;
  lost: number;
  /** 2xx deliveries beyond one per lead (each under its first `webhook-id`). */
  repeats: number;
  /** Leads that arrived under more than one `webhook-id` (must be 0). */
  repeatsUnderAnotherId: number;
  events: KillLoopOutcome["events"];
  restartP50Ms: number;
  restartMaxMs: number;
}

/**
 * Checks a kill loop's outcome exactly (every lead delivered, each under one `webhook-id` that
 * carries nothing else, every kill mid-delivery, the outbox empty with one delivered event per
 * lead) and returns its figures.
 *
 * @example
 * const figures = checkKillOutcome(await runKillLoop(options, resources));
 */
export function checkKillOutcome(outcome: KillLoopOutcome): KillFigures {
  const lost = outcome.leads.filter((lead) => !outcome.webhookIdsByLead.has(lead));
  const underAnotherId = [...outcome.webhookIdsByLead].filter(([, ids]) => ids.size > 1);
  expect(lost, "leads never delivered").toEqual([]);
  expect(underAnotherId, "leads delivered under two webhook-ids").toEqual([]);
  expect([...outcome.leadsByWebhookId].filter(([, leads]) => leads.size > 1), "webhook-ids carrying two leads").toEqual([]);
  expect(outcome.webhookIdsByLead.size).toBe(outcome.leads.length);
  expect(outcome.killsMidDelivery).toBe(outcome.kills);
  expect(outcome.events).toEqual({ pending: 0, delivered: outcome.leads.length, dead: 0 });
  return {
    store: outcome.store,
    kills: outcome.kills,
    killsMidDelivery: outcome.killsMidDelivery,
    leads: outcome.leads.length,
    lost: lost.length,
    repeats: outcome.repeats,
    repeatsUnderAnotherId: underAnotherId.length,
    events: outcome.events,
    restartP50Ms: percentile(outcome.restartMs, 50),
    restartMaxMs: Math.max(...outcome.restartMs),
  };
}
