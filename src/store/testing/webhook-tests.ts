import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { DeliveryRetryPolicy, TriggerId } from "../records.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

async function newConnectionId(store: Store, name = "Acme"): Promise<string> {
  return (await store.createConnection({ name, region: "us", accessToken: "t" })).connection.id;
}

async function newSubscriptionId(store: Store, connectionId: string, triggerId: TriggerId = "TrigNewLead"): Promise<string> {
  return (await store.createSubscription({ connectionId, triggerId, cursor: "null", nextPollAt: new Date(START_MS) })).id;
}

/** A subscription made a webhook, for tests that only need one. */
async function newWebhookId(store: Store, connectionId?: string, triggerId: TriggerId = "TrigNewLead"): Promise<string> {
  const subscriptionId = await newSubscriptionId(store, connectionId ?? (await newConnectionId(store)), triggerId);
  await store.createWebhook({ subscriptionId, callbackUrl: `https://example.com/hooks/${subscriptionId}`, secret: SECRET });
  return subscriptionId;
}

async function emit(store: Store, subscriptionId: string, keys: readonly string[]): Promise<number[]> {
  return (await store.appendEvents(subscriptionId, keys.map((key) => ({ dedupeKey: key, payload: { key } })))).inserted.map((e) => e.id);
}

const RETRY: DeliveryRetryPolicy = { firstDelayMs: 10_000, maxDelayMs: 60_000, giveUpAfterMs: 300_000 };
const distinctive = (prefix: string): string => `${prefix}_${randomBytes(24).toString("hex")}`;

/**
 * Webhook subscriptions: creation on a trigger subscription, signing secrets and Intercom client
 * secrets encrypted at rest, deletion with the subscription, poll leases limited to webhooks,
 * in-order delivery leases (a waiting head event holds back the rest), and redriving dead events.
 *
 * @example
 * webhookTests(makeSqliteFixture);
 */
export function webhookTests(makeStore: MakeStoreFixture): void {
  describe("webhooks", () => {
    const setup = useHarness(makeStore);

    it("makes a subscription a webhook, reads it back with its secret, and lists by connection and trigger", async () => {
      const { store, clock } = await setup();
      const acme = await newConnectionId(store, "Acme");
      const other = await newConnectionId(store, "Other");
      const leads = await newSubscriptionId(store, acme, "TrigNewLead");
      clock.advance(1);
      const users = await newSubscriptionId(store, acme, "TrigNewUser");
      clock.advance(1);
      const otherLeads = await newSubscriptionId(store, other, "TrigNewLead");
      const plain = await newSubscriptionId(store, acme, "TrigNewLead");

      const created = await store.createWebhook({ subscriptionId: leads, callbackUrl: "https://example.com/a", secret: SECRET });
      expect(created).toEqual({ subscriptionId: leads, connectionId: acme, triggerId: "TrigNewLead", callbackUrl: "https://example.com/a", createdAt: new Date(START_MS + 2) });
      clock.advance(1);
      await store.createWebhook({ subscriptionId: users, callbackUrl: "https://example.com/b", secret: "whsec_b" });
      clock.advance(1);
      await store.createWebhook({ subscriptionId: otherLeads, callbackUrl: "https://example.com/c", secret: "whsec_c" });

      expect(await store.getWebhook(leads)).toEqual(created);
      expect(await store.getWebhookSecret(leads)).toBe(SECRET);
      expect(await store.getWebhookSecret(users)).toBe("whsec_b");
      expect(await store.getWebhook(plain)).toBeNull();
      expect(await store.getWebhookSecret(plain)).toBeNull();
      expect(await store.getWebhook("missing")).toBeNull();
      expect(JSON.stringify(created)).not.toContain(SECRET);

      expect((await store.listWebhooks()).map((w) => w.subscriptionId)).toEqual([leads, users, otherLeads]);
      expect((await store.listWebhooks({ connectionId: acme })).map((w) => w.subscriptionId)).toEqual([leads, users]);
      expect((await store.listWebhooks({ triggerId: "TrigNewLead" })).map((w) => w.subscriptionId)).toEqual([leads, otherLeads]);
      expect((await store.listWebhooks({ connectionId: other, triggerId: "TrigNewUser" }))).toEqual([]);
    });

    it("refuses a webhook on a missing subscription, a second one on the same subscription, and empty arguments", async () => {
      const { store } = await setup();
      const subscriptionId = await newSubscriptionId(store, await newConnectionId(store));
      const missing: unknown = await store.createWebhook({ subscriptionId: "missing", callbackUrl: "https://example.com", secret: SECRET }).catch((e: unknown) => e);
      expect(isStoreError(missing, "not_found")).toBe(true);
      await store.createWebhook({ subscriptionId, callbackUrl: "https://example.com/1", secret: SECRET });
      // Each rejection is caught as the call is made: a store doing real I/O rejects the first while
      // the later arguments are still being awaited, and an uncaught rejection fails the run.
      const attempts = [
        store.createWebhook({ subscriptionId, callbackUrl: "https://example.com/2", secret: SECRET }).catch((e: unknown) => e),
        store.createWebhook({ subscriptionId: await newSubscriptionId(store, await newConnectionId(store)), callbackUrl: "", secret: SECRET }).catch((e: unknown) => e),
        store
          .createWebhook({ subscriptionId: await newSubscriptionId(store, await newConnectionId(store)), callbackUrl: "https://example.com", secret: " " })
          .catch((e: unknown) => e),
      ];
      for (const attempt of attempts) {
        const error: unknown = await attempt;
        expect(isStoreError(error, "invalid_argument")).toBe(true);
      }
      expect((await store.listWebhooks()).map((w) => w.callbackUrl)).toEqual(["https://example.com/1"]);
    });

    it("keeps Intercom client secrets per connection: set on creation or later, removed with null", async () => {
      const { store } = await setup();
      const withSecret = await store.createConnection({ name: "A", region: "us", accessToken: "t", intercomClientSecret: "client-secret-a" });
      const without = await store.createConnection({ name: "B", region: "us", accessToken: "t" });
      expect(await store.getIntercomClientSecret(withSecret.connection.id)).toBe("client-secret-a");
      expect(await store.getIntercomClientSecret(without.connection.id)).toBeNull();
      expect(await store.getIntercomClientSecret("missing")).toBeNull();

      expect(await store.updateConnection(without.connection.id, { intercomClientSecret: "client-secret-b" })).toEqual(without.connection);
      expect(await store.getIntercomClientSecret(without.connection.id)).toBe("client-secret-b");
      await store.updateConnection(without.connection.id, { name: "B2" });
      expect(await store.getIntercomClientSecret(without.connection.id)).toBe("client-secret-b");
      expect((await store.getConnectionCredentials(without.connection.id))?.accessToken).toBe("t");
      await store.updateConnection(withSecret.connection.id, { intercomClientSecret: null });
      expect(await store.getIntercomClientSecret(withSecret.connection.id)).toBeNull();

      for (const attempt of [
        store.updateConnection(without.connection.id, { intercomClientSecret: "" }),
        store.createConnection({ name: "C", region: "us", accessToken: "t", intercomClientSecret: " " }),
      ]) {
        const error: unknown = await attempt.catch((e: unknown) => e);
        expect(isStoreError(error, "invalid_argument")).toBe(true);
      }
    });

    it("never writes a signing secret or a client secret in clear, and needs the key to read them", async () => {
      const { store, fixture, openAnother } = await setup();
      const signing = `whsec_${randomBytes(32).toString("base64")}`;
      const client = distinctive("client");
      const rotated = distinctive("rotated");
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t", intercomClientSecret: client });
      await store.updateConnection(connection.id, { intercomClientSecret: rotated });
      const subscriptionId = await newSubscriptionId(store, connection.id);
      await store.createWebhook({ subscriptionId, callbackUrl: "https://example.com/hook", secret: signing });

      const bytes = await fixture.rawContents();
      // The rows are there (the dump reads them): what is absent is absent because it is sealed.
      expect(bytes.includes(subscriptionId)).toBe(true);
      for (const secret of [signing, signing.slice("whsec_".length), client, rotated]) {
        expect(bytes.includes(secret)).toBe(false);
        expect(bytes.includes(Buffer.from(secret, "utf16le"))).toBe(false);
      }

      // Unmigrated: a migrated open refuses another key outright (key-check tests); the secrets hold anyway.
      const wrongKey = await openAnother({ secretKey: randomBytes(32), migrate: false });
      expect((await wrongKey.getSubscription(subscriptionId))?.id).toBe(subscriptionId);
      // Each rejection is caught as the call is made: the others reject while the first is awaited.
      const reads = [wrongKey.getWebhook(subscriptionId), wrongKey.getWebhookSecret(subscriptionId), wrongKey.getIntercomClientSecret(connection.id)].map((read) =>
        (read as Promise<unknown>).catch((e: unknown) => e),
      );
      for (const read of reads) {
        const error: unknown = await read;
        expect(isStoreError(error, "decryption_failed")).toBe(true);
      }
    });

    it("seals callback URLs at rest (Power Automate's sig= authorises the flow) and reads them back, listed and claimed too", async () => {
      const { store, fixture } = await setup();
      const connectionId = await newConnectionId(store);
      const subscriptionId = await newSubscriptionId(store, connectionId);
      const sig = distinctive("sig");
      const callbackUrl = `https://prod-01.westeurope.logic.azure.com/workflows/w1/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${sig}`;
      const created = await store.createWebhook({ subscriptionId, callbackUrl, secret: SECRET });
      expect(created.callbackUrl).toBe(callbackUrl);
      await emit(store, subscriptionId, ["a"]);

      const bytes = await fixture.rawContents();
      expect(bytes.includes(subscriptionId)).toBe(true);
      for (const clear of [sig, callbackUrl, "prod-01.westeurope.logic.azure.com"]) {
        expect(bytes.includes(clear), clear).toBe(false);
        expect(bytes.includes(Buffer.from(clear, "utf16le")), clear).toBe(false);
      }

      expect((await store.getWebhook(subscriptionId))?.callbackUrl).toBe(callbackUrl);
      expect((await store.listWebhooks({ connectionId })).map((w) => w.callbackUrl)).toEqual([callbackUrl]);
      const [claim] = await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 30_000 });
      expect(claim?.webhook.callbackUrl).toBe(callbackUrl);
    });

    it("deletes a webhook with its subscription and outbox, leaves plain subscriptions alone, and goes with its connection", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const webhook = await newWebhookId(store, connectionId);
      const plain = await newSubscriptionId(store, connectionId);
      await emit(store, webhook, ["a"]);
      await emit(store, plain, ["p"]);

      expect(await store.deleteWebhook(plain)).toBe(false);
      expect(await store.getSubscription(plain)).not.toBeNull();
      expect(await store.deleteWebhook(webhook)).toBe(true);
      expect(await store.deleteWebhook(webhook)).toBe(false);
      expect(await store.getWebhook(webhook)).toBeNull();
      expect(await store.getSubscription(webhook)).toBeNull();
      expect(await store.listEvents(webhook, { limit: 10 })).toEqual([]);
      expect(await store.outboxStats(plain)).toEqual({ pending: 1, delivered: 0, dead: 0 });

      const second = await newWebhookId(store, connectionId);
      await store.deleteSubscription(second);
      expect(await store.getWebhook(second)).toBeNull();
      const third = await newWebhookId(store, connectionId);
      await store.deleteConnection(connectionId);
      expect(await store.getWebhook(third)).toBeNull();
      expect(await store.listWebhooks()).toEqual([]);
    });

    it("leases due polls of webhooks only, one owner at a time", async () => {
      const { store, clock, openAnother } = await setup();
      const other = await openAnother();
      const connectionId = await newConnectionId(store);
      const webhook = await newWebhookId(store, connectionId);
      const plain = await newSubscriptionId(store, connectionId);
      const stopped = await newWebhookId(store, connectionId);
      await store.setSubscriptionState(stopped, "stopped");

      const claimed = await store.claimDueWebhookPolls("w1", { limit: 10, leaseMs: 30_000 });
      expect(claimed.map((s) => s.id)).toEqual([webhook]);
      expect(claimed[0]).toMatchObject({ leaseOwner: "w1", leaseUntil: new Date(START_MS + 30_000) });
      expect(await other.claimDueWebhookPolls("w2", { limit: 10, leaseMs: 30_000 })).toEqual([]);
      // The plain subscription was not leased: whoever polls it needs no lease.
      expect(await store.getSubscription(plain)).toMatchObject({ leaseOwner: null, leaseUntil: null });

      expect(await other.releaseSubscription(webhook, "w2", new Date(START_MS))).toBe(false);
      expect(await store.releaseSubscription(webhook, "w1", new Date(START_MS + 120_000))).toBe(true);
      expect(await store.getSubscription(webhook)).toMatchObject({ leaseOwner: null, leaseUntil: null, nextPollAt: new Date(START_MS + 120_000) });
      clock.advance(119_999);
      expect(await other.claimDueWebhookPolls("w2", { limit: 10, leaseMs: 30_000 })).toEqual([]);
      clock.advance(1);
      expect((await other.claimDueWebhookPolls("w2", { limit: 10, leaseMs: 30_000 })).map((s) => s.id)).toEqual([webhook]);
    });

    it("leases the most overdue first, at most `limit`, and again once a lease expires unreleased", async () => {
      const { store, clock, openAnother } = await setup();
      const other = await openAnother();
      const connectionId = await newConnectionId(store);
      const make = async (dueInMs: number): Promise<string> => {
        const { id } = await store.createSubscription({ connectionId, triggerId: "TrigNewLead", cursor: "{}", nextPollAt: new Date(START_MS + dueInMs) });
        await store.createWebhook({ subscriptionId: id, callbackUrl: `https://example.com/hooks/${id}`, secret: SECRET });
        return id;
      };
      const due = await make(0);
      const overdue = await make(-10_000);
      const later = await make(60_000);

      const claimed = await store.claimDueWebhookPolls("w1", { limit: 10, leaseMs: 30_000 });
      expect(claimed.map((s) => s.id)).toEqual([overdue, due]);
      expect(claimed.every((s) => s.leaseOwner === "w1" && s.leaseUntil?.getTime() === START_MS + 30_000)).toBe(true);
      expect(await store.releaseSubscription(due, "w1", new Date(START_MS + 120_000))).toBe(true);

      clock.advance(30_000);
      // w1's lease on `overdue` expired; `later` is not due yet; `due` was rescheduled.
      expect((await other.claimDueWebhookPolls("w2", { limit: 10, leaseMs: 30_000 })).map((s) => s.id)).toEqual([overdue]);
      clock.advance(30_000);
      expect((await other.claimDueWebhookPolls("w2", { limit: 1, leaseMs: 30_000 })).map((s) => s.id)).toEqual([overdue]);
      expect((await store.claimDueWebhookPolls("w1", { limit: 5, leaseMs: 30_000 })).map((s) => s.id)).toEqual([later]);
    });

    it("leases deliveries in order: a head waiting for its retry holds back the rest, a dead one lets them go", async () => {
      const { store, clock, openAnother } = await setup();
      const other = await openAnother();
      const id = await newWebhookId(store);
      expect(await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 60_000 })).toEqual([]);
      const [e1, e2, e3] = await emit(store, id, ["e1", "e2", "e3"]);
      if (e1 === undefined || e2 === undefined || e3 === undefined) throw new Error("not inserted");

      const [claim, ...none] = await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 60_000 });
      expect(none).toEqual([]);
      expect(claim?.webhook).toEqual(await store.getWebhook(id));
      expect(claim?.event).toMatchObject({ id: e1, dedupeKey: "e1", payload: { key: "e1" }, status: "pending" });
      expect(claim?.leaseUntil).toEqual(new Date(START_MS + 60_000));
      // Leased: nobody else delivers to this webhook meanwhile.
      expect(await other.claimWebhookDeliveries("w2", { limit: 10, leaseMs: 60_000 })).toEqual([]);
      expect(await other.releaseWebhookDelivery(id, "w2")).toBe(false);

      // e1 fails: it waits 10 s, and e2, e3 wait behind it although they are due.
      await store.recordDeliveryFailure(id, e1, "HTTP 500", RETRY);
      expect(await store.releaseWebhookDelivery(id, "w1")).toBe(true);
      expect(await other.claimWebhookDeliveries("w2", { limit: 10, leaseMs: 60_000 })).toEqual([]);
      clock.advance(10_000);
      const retry = await other.claimWebhookDeliveries("w2", { limit: 10, leaseMs: 60_000 });
      expect(retry.map((c) => c.event.id)).toEqual([e1]);
      expect(retry[0]?.event.attempts).toBe(1);
      await other.ackEvents(id, [e1]);
      // The lease is still w2's until released or expired.
      expect(await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 60_000 })).toEqual([]);
      await other.releaseWebhookDelivery(id, "w2");
      expect((await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 60_000 })).map((c) => c.event.id)).toEqual([e2]);

      // w1 dies holding the lease: it expires, then another takes over.
      clock.advance(59_999);
      expect(await other.claimWebhookDeliveries("w2", { limit: 10, leaseMs: 60_000 })).toEqual([]);
      clock.advance(1);
      expect((await other.claimWebhookDeliveries("w2", { limit: 10, leaseMs: 60_000 })).map((c) => c.event.id)).toEqual([e2]);
      // A dead head no longer holds the queue.
      await other.recordDeliveryFailure(id, e2, "HTTP 410", { firstDelayMs: 1, maxDelayMs: 1, giveUpAfterMs: 0 });
      await other.releaseWebhookDelivery(id, "w2");
      expect((await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 60_000 })).map((c) => c.event.id)).toEqual([e3]);
    });

    it("leases only webhooks of active subscriptions, the oldest waiting event first, at most `limit`", async () => {
      const { store, clock } = await setup();
      const connectionId = await newConnectionId(store);
      const a = await newWebhookId(store, connectionId);
      const b = await newWebhookId(store, connectionId);
      const stopped = await newWebhookId(store, connectionId);
      const plain = await newSubscriptionId(store, connectionId);
      await emit(store, b, ["b1"]);
      clock.advance(1);
      await emit(store, a, ["a1"]);
      await emit(store, stopped, ["s1"]);
      await emit(store, plain, ["p1"]);
      await store.setSubscriptionState(stopped, "stopped");

      expect((await store.claimWebhookDeliveries("w1", { limit: 1, leaseMs: 1_000 })).map((c) => c.webhook.subscriptionId)).toEqual([b]);
      expect((await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 1_000 })).map((c) => c.webhook.subscriptionId)).toEqual([a]);
      expect(await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 1_000 })).toEqual([]);
      for (const bad of [{ limit: 0, leaseMs: 1 }, { limit: 1, leaseMs: -1 }]) {
        const error: unknown = await store.claimWebhookDeliveries("w1", bad).catch((e: unknown) => e);
        expect(isStoreError(error, "invalid_argument")).toBe(true);
      }
    });

    it("redrives a dead event: pending and due again, its retry deadline counted anew", async () => {
      const { store, clock } = await setup();
      const id = await newWebhookId(store);
      const otherId = await newWebhookId(store);
      const [dead, pending] = await emit(store, id, ["dead", "pending"]);
      if (dead === undefined || pending === undefined) throw new Error("not inserted");
      clock.advance(RETRY.giveUpAfterMs);
      expect(await store.recordDeliveryFailure(id, dead, "HTTP 500", RETRY)).toEqual({ status: "dead", attempts: 1 });
      expect(await store.redriveEvent(otherId, dead)).toBeNull();
      expect(await store.redriveEvent(id, pending)).toBeNull();
      expect(await store.redriveEvent(id, 999_999)).toBeNull();

      clock.advance(5_000);
      const redriven = await store.redriveEvent(id, dead);
      expect(redriven).toMatchObject({ id: dead, status: "pending", attempts: 0, nextAttemptAt: new Date(START_MS + RETRY.giveUpAfterMs + 5_000), lastError: "HTTP 500" });
      expect(await store.redriveEvent(id, dead)).toBeNull();
      expect((await store.pendingEvents(id, 10)).map((e) => e.id)).toEqual([dead, pending]);
      // Due now, and first in line again: the delivery claim hands it out before `pending`.
      expect((await store.claimWebhookDeliveries("w1", { limit: 10, leaseMs: 1_000 })).map((c) => [c.webhook.subscriptionId, c.event.id])).toEqual([[id, dead]]);
      expect(await store.releaseWebhookDelivery(id, "w1")).toBe(true);
      // Past its original deadline, yet a failure now schedules a retry instead of killing it.
      expect(await store.recordDeliveryFailure(id, dead, "HTTP 502", RETRY)).toMatchObject({ status: "pending", attempts: 1 });
      clock.advance(RETRY.giveUpAfterMs);
      expect(await store.recordDeliveryFailure(id, dead, "HTTP 503", RETRY)).toEqual({ status: "dead", attempts: 2 });
      expect(await store.outboxStats(id)).toEqual({ pending: 1, delivered: 0, dead: 1 });
    });
  });
}
