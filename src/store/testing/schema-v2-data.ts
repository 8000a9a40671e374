import { randomUUID } from "node:crypto";
import type { Store } from "../store.js";

/**
 * What {@link populateSchemaV2} wrote: two connections, "a" with two subscriptions (the first a
 * webhook), "b" with one webhook subscription.
 *
 * @example
 * const { a, b } = await populateSchemaV2(store);
 */
export interface SchemaV2Data {
  a: { connectionId: string; webhookSubscriptionId: string; plainSubscriptionId: string };
  b: { connectionId: string; webhookSubscriptionId: string };
}

/**
 * Inserts a `trigger_subscriptions` row in a version-2 schema's columns (cursor `{}`, active),
 * straight in SQL: the store's own insert names columns of later versions.
 *
 * @example
 * const insert: InsertV2Subscription = (id, connectionId, triggerId) => db.prepare("INSERT …").run(id, connectionId, triggerId);
 */
export type InsertV2Subscription = (id: string, connectionId: string, triggerId: string) => unknown;

/**
 * Fills a store whose database is at schema version 2 (opened with `migrate: false`) through the
 * store's own methods (subscriptions through `insertSubscription`), so the rows are the ones a
 * version-2 release wrote: connections (one with
 * an Intercom client secret), subscriptions of three triggers, webhooks, outbox rows pending,
 * delivered and dead, emitted keys, a setting. The migration tests compare every row before and
 * after migrating, then check the cascades.
 *
 * @example
 * const store = await fixture.open({ secretKey, migrate: false }); // on a version-2 database
 * const data = await populateSchemaV2(store);
 */
export async function populateSchemaV2(store: Store, insertSubscription: InsertV2Subscription): Promise<SchemaV2Data> {
  const a = (await store.createConnection({ name: "Acme", region: "eu", accessToken: "token-a", intercomClientSecret: "client-secret-a" })).connection;
  const b = (await store.createConnection({ name: "Bolt", region: "us", accessToken: "token-b" })).connection;
  const subscription = async (connectionId: string, triggerId: string): Promise<{ id: string }> => {
    const id = randomUUID();
    await insertSubscription(id, connectionId, triggerId);
    return { id };
  };
  const aHook = await subscription(a.id, "TrigNewLead");
  const aPlain = await subscription(a.id, "TrigUpdateUser");
  const bHook = await subscription(b.id, "TrigNewConversation");
  await store.createWebhook({ subscriptionId: aHook.id, callbackUrl: "https://example.com/a", secret: "secret-a" });
  await store.createWebhook({ subscriptionId: bHook.id, callbackUrl: "https://example.com/b", secret: "secret-b" });
  const events = (keys: string[]) => keys.map((key) => ({ dedupeKey: key, payload: { key } }));
  await store.commitPoll(aHook.id, { expectedCursorVersion: 0, newCursor: '{"n":1}', events: events(["a1", "a2", "a3"]) });
  await store.commitPoll(aPlain.id, { expectedCursorVersion: 0, newCursor: '{"n":1}', events: events(["p1"]) });
  await store.commitPoll(bHook.id, { expectedCursorVersion: 0, newCursor: '{"n":1}', events: events(["b1", "b2"]) });
  const [a1, a2] = await store.pendingEvents(aHook.id, 2);
  if (a1 === undefined || a2 === undefined) throw new Error("the events were not stored");
  await store.ackEvents(aHook.id, [a1.id]);
  await store.recordDeliveryFailure(aHook.id, a2.id, "HTTP 410", { firstDelayMs: 1_000, maxDelayMs: 1_000, giveUpAfterMs: 0 });
  await store.setSetting("default-connection", a.id);
  return {
    a: { connectionId: a.id, webhookSubscriptionId: aHook.id, plainSubscriptionId: aPlain.id },
    b: { connectionId: b.id, webhookSubscriptionId: bHook.id },
  };
}

/**
 * The tables a version-2 database holds data in, besides the call log (which migration 3
 * replaces): what must come through a migration row for row.
 *
 * @example
 * for (const table of SCHEMA_V2_TABLES) dump(table);
 */
export const SCHEMA_V2_TABLES = ["connections", "trigger_subscriptions", "outbox", "emitted_keys", "webhooks", "settings"] as const;
