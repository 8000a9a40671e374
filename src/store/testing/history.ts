import { expect } from "vitest";
import type { OutboxEvent } from "../records.js";
import type { Store } from "../store.js";
import { cursorPosition, itemKey } from "./simulated-source.js";

/**
 * Every event of a subscription, of any status, in id order.
 *
 * @example
 * const events = await allEvents(store, subscriptionId);
 */
export async function allEvents(store: Store, subscriptionId: string): Promise<OutboxEvent[]> {
  const events: OutboxEvent[] = [];
  for (;;) {
    const page = await store.listEvents(subscriptionId, { afterId: events.at(-1)?.id ?? 0, limit: 500 });
    events.push(...page);
    if (page.length < 500) return events;
  }
}

/**
 * Asserts what a correct store holds after polls of the simulated source, however they raced or
 * crashed: the cursor at some n, items 1..n in the outbox each exactly once and in id order, and
 * `batch` items per committed poll. Returns n.
 *
 * @example
 * const n = await expectConsistentHistory(store, subscriptionId, 5);
 */
export async function expectConsistentHistory(store: Store, subscriptionId: string, batch: number): Promise<number> {
  const subscription = await store.getSubscription(subscriptionId);
  if (subscription === null) throw new Error("subscription missing");
  const n = cursorPosition(subscription.cursor);
  expect(n).toBe(subscription.cursorVersion * batch);
  const events = await allEvents(store, subscriptionId);
  expect(events.map((e) => e.dedupeKey)).toEqual(Array.from({ length: n }, (_, i) => itemKey(i + 1)));
  expect(events.every((e, i) => (e.payload as { item: number }).item === i + 1)).toBe(true);
  return n;
}
