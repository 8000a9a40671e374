import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isStoreError } from "../errors.js";
import type { Store } from "../store.js";
import { type MakeStoreFixture, START_MS, useHarness } from "./harness.js";

const DAY = 86_400_000;

async function newConnectionId(store: Store): Promise<string> {
  return (await store.createConnection({ name: "Acme", region: "us", accessToken: "t" })).connection.id;
}

/**
 * Subscription kinds and the expiry of Power Automate's abandoned polling subscriptions
 * (`recordSubscriptionPolled`, `listSubscriptions({ polledSince })`,
 * `expireIdlePollingSubscriptions`), and `deriveKey`.
 *
 * @example
 * expiryTests(makeSqliteFixture);
 */
export function expiryTests(makeStore: MakeStoreFixture): void {
  describe("subscription kinds and idle expiry", () => {
    const setup = useHarness(makeStore);

    it("makes library subscriptions by default (webhooks too) and polling ones on request", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const base = { connectionId, triggerId: "TrigNewLead" as const, cursor: "null", nextPollAt: new Date(START_MS) };
      const library = await store.createSubscription(base);
      const polling = await store.createSubscription({ ...base, kind: "polling" });
      const pollingAt = await store.createSubscription({ ...base, kind: "polling", lastPolledAt: new Date(START_MS - 5) });
      const hooked = await store.createSubscription(base);
      await store.createWebhook({ subscriptionId: hooked.id, callbackUrl: "https://example.com/hook", secret: "whsec_0123456789abcdef" });
      expect([library, polling, pollingAt].map((s) => [s.kind, s.lastPolledAt?.getTime() ?? null])).toEqual([
        ["library", null],
        ["polling", START_MS],
        ["polling", START_MS - 5],
      ]);
      expect(await store.getSubscription(hooked.id)).toMatchObject({ kind: "library", lastPolledAt: null });
      expect(await store.getSubscription(polling.id)).toEqual(polling);
      for (const bad of [{ kind: "webhook" as "polling" }, { kind: "nope" as "polling" }, { lastPolledAt: new Date(START_MS) }, { kind: "polling" as const, lastPolledAt: new Date(Number.NaN) }]) {
        const refused: unknown = await store.createSubscription({ ...base, ...bad }).catch((e: unknown) => e);
        expect(isStoreError(refused, "invalid_argument"), JSON.stringify(bad)).toBe(true);
      }
      expect(await store.listSubscriptions()).toHaveLength(4);
    });

    it("records polls of polling subscriptions only, never moving the time back", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const base = { connectionId, triggerId: "TrigNewUser" as const, cursor: "null", nextPollAt: new Date(START_MS) };
      const polling = await store.createSubscription({ ...base, kind: "polling" });
      const library = await store.createSubscription(base);
      expect(await store.recordSubscriptionPolled(polling.id, new Date(START_MS + DAY))).toBe(true);
      expect(await store.recordSubscriptionPolled(polling.id, new Date(START_MS + 1000))).toBe(false);
      expect((await store.getSubscription(polling.id))?.lastPolledAt).toEqual(new Date(START_MS + DAY));
      expect(await store.recordSubscriptionPolled(library.id, new Date(START_MS + DAY))).toBe(false);
      expect((await store.getSubscription(library.id))?.lastPolledAt).toBeNull();
      expect(await store.recordSubscriptionPolled("missing", new Date(START_MS))).toBe(false);
      const refused: unknown = await store.recordSubscriptionPolled(polling.id, new Date(Number.NaN)).catch((e: unknown) => e);
      expect(isStoreError(refused, "invalid_argument")).toBe(true);
    });

    it("lists without the polling subscriptions idle since a time; library and webhook ones whatever their age", async () => {
      const { store, clock } = await setup();
      const connectionId = await newConnectionId(store);
      const base = { connectionId, triggerId: "TrigNewLead" as const, cursor: "null", nextPollAt: new Date(START_MS) };
      // Creation order is listing order: one millisecond apart.
      const stale = await store.createSubscription({ ...base, kind: "polling", lastPolledAt: new Date(START_MS - 8 * DAY) });
      clock.advance(1);
      const fresh = await store.createSubscription({ ...base, kind: "polling", lastPolledAt: new Date(START_MS - DAY) });
      clock.advance(1);
      const library = await store.createSubscription(base);
      clock.advance(1);
      const hooked = await store.createSubscription(base);
      await store.createWebhook({ subscriptionId: hooked.id, callbackUrl: "https://example.com/hook", secret: "whsec_0123456789abcdef" });
      const since = new Date(START_MS - 7 * DAY);
      const ids = async (filter: Parameters<Store["listSubscriptions"]>[0]): Promise<string[]> => (await store.listSubscriptions(filter)).map((s) => s.id);
      expect(await ids({ connectionId, triggerId: "TrigNewLead", state: "active", polledSince: since })).toEqual([fresh.id, library.id, hooked.id]);
      // Exactly at the limit still counts as polled since.
      expect(await ids({ polledSince: new Date(START_MS - 8 * DAY) })).toEqual([stale.id, fresh.id, library.id, hooked.id]);
      expect(await ids({})).toEqual([stale.id, fresh.id, library.id, hooked.id]);
      const refused: unknown = await store.listSubscriptions({ polledSince: new Date(Number.NaN) }).catch((e: unknown) => e);
      expect(isStoreError(refused, "invalid_argument")).toBe(true);
    });

    it("expires polling subscriptions idle past the limit with their outbox and keys; library and webhook ones never", async () => {
      const { store } = await setup();
      const connectionId = await newConnectionId(store);
      const base = { connectionId, triggerId: "TrigNewLead" as const, cursor: "null", nextPollAt: new Date(START_MS) };
      const abandoned = await store.createSubscription({ ...base, kind: "polling", lastPolledAt: new Date(START_MS - 30 * DAY) });
      const alive = await store.createSubscription({ ...base, kind: "polling", lastPolledAt: new Date(START_MS - 30 * DAY) });
      await store.recordSubscriptionPolled(alive.id, new Date(START_MS - DAY));
      const library = await store.createSubscription(base);
      const hooked = await store.createSubscription(base);
      await store.createWebhook({ subscriptionId: hooked.id, callbackUrl: "https://example.com/hook", secret: "whsec_0123456789abcdef" });
      for (const sub of [abandoned, alive, library, hooked]) {
        await store.appendEvents(sub.id, [
          { dedupeKey: "a", payload: { n: 1 } },
          { dedupeKey: "b", payload: { n: 2 } },
        ]);
      }
      const pending = await store.pendingEvents(abandoned.id, 10);
      expect(pending).toHaveLength(2);

      expect(await store.expireIdlePollingSubscriptions(new Date(START_MS - 7 * DAY))).toBe(1);
      expect(await store.getSubscription(abandoned.id)).toBeNull();
      expect(await store.pendingEvents(abandoned.id, 10)).toEqual([]);
      expect(await store.outboxStats(abandoned.id)).toEqual({ pending: 0, delivered: 0, dead: 0 });
      // Its dedupe keys went too: appending to it finds no subscription.
      const appended: unknown = await store.appendEvents(abandoned.id, [{ dedupeKey: "a", payload: {} }]).catch((e: unknown) => e);
      expect(isStoreError(appended, "not_found")).toBe(true);
      for (const sub of [alive, library, hooked]) expect((await store.outboxStats(sub.id)).pending, sub.id).toBe(2);
      expect(await store.getWebhook(hooked.id)).not.toBeNull();
      // Nothing else is idle: a second pass deletes nothing; the library one survives any age.
      expect(await store.expireIdlePollingSubscriptions(new Date(START_MS - 7 * DAY))).toBe(0);
      expect(await store.expireIdlePollingSubscriptions(new Date(START_MS + 365 * DAY))).toBe(1);
      expect((await store.listSubscriptions()).map((s) => s.id).sort()).toEqual([library.id, hooked.id].sort());
      const refused: unknown = await store.expireIdlePollingSubscriptions(new Date(Number.NaN)).catch((e: unknown) => e);
      expect(isStoreError(refused, "invalid_argument")).toBe(true);
    });

    it("derives one key per purpose from the secret key: stable, different per purpose and per secret key", async () => {
      const { store, openAnother } = await setup();
      const key = store.deriveKey("intercom-connector/test/v1");
      expect(key).toHaveLength(32);
      expect(store.deriveKey("intercom-connector/test/v1")).toEqual(key);
      expect((await openAnother()).deriveKey("intercom-connector/test/v1")).toEqual(key);
      expect(store.deriveKey("intercom-connector/other/v1")).not.toEqual(key);
      expect((await openAnother({ secretKey: randomBytes(32), migrate: false })).deriveKey("intercom-connector/test/v1")).not.toEqual(key);
      expect(() => store.deriveKey("")).toThrow(RangeError);
    });
  });
}
