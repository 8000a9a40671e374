import { describe } from "vitest";
import { attemptTests } from "./testing/attempt-tests.js";
import { budgetTests } from "./testing/budget-tests.js";
import { commitPollTests } from "./testing/commit-poll-tests.js";
import { commitPollsTests } from "./testing/commit-polls-tests.js";
import { concurrencyTests } from "./testing/concurrency-tests.js";
import { connectionTests } from "./testing/connection-tests.js";
import { expiryTests } from "./testing/expiry-tests.js";
import { crashTests } from "./testing/crash-tests.js";
import { keyCheckTests } from "./testing/key-check-tests.js";
import type { MakeStoreFixture } from "./testing/harness.js";
import { migrationTests } from "./testing/migration-tests.js";
import { outboxTests } from "./testing/outbox-tests.js";
import { retentionTests } from "./testing/retention-tests.js";
import { subscriptionTests } from "./testing/subscription-tests.js";
import { webhookTests } from "./testing/webhook-tests.js";

/**
 * The fixture types an implementation's test file provides (see `describeStoreConformance`).
 *
 * @example
 * const makeFixture: MakeStoreFixture = async () => ({ url, open, rawContents, refuseOutboxKey, dispose });
 */
export type { MakeStoreFixture, StoreFixture } from "./testing/harness.js";

/**
 * Registers the vitest tests every `Store` implementation must pass: migrations (idempotent,
 * concurrent), connections (round-trip, token encrypted at rest, API keys by hash), subscriptions
 * and leases, `commitPoll` (atomic, stale polls refused, dedupe), `commitPolls` (a batch in one
 * transaction, each commit checked on its own, concurrent batches), the outbox (order, ack,
 * retries, dead letters, redrive, retention kept flat over simulated weeks), webhooks (secrets encrypted,
 * poll and in-order delivery leases), budgets (exact sliding window, shared across processes), concurrent
 * polls from instances and processes, SIGKILL crash safety, and the expiry of idle polling subscriptions
 * and the keys derived from the secret key. `makeStore` gives a fresh, empty
 * database per test that `openStore(fixture.url)` also reaches from a child process.
 *
 * @example
 * // src/store/sqlite/sqlite-store.test.ts
 * describeStoreConformance("SQLite", makeSqliteFixture);
 */
export function describeStoreConformance(name: string, makeStore: MakeStoreFixture): void {
  describe(`store conformance: ${name}`, () => {
    migrationTests(makeStore);
    connectionTests(makeStore);
    keyCheckTests(makeStore);
    subscriptionTests(makeStore);
    expiryTests(makeStore);
    commitPollTests(makeStore);
    commitPollsTests(makeStore);
    outboxTests(makeStore);
    attemptTests(makeStore);
    retentionTests(makeStore);
    webhookTests(makeStore);
    budgetTests(makeStore);
    concurrencyTests(makeStore);
    crashTests(makeStore);
  });
}
