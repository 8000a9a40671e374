import { describe, expect, it } from "vitest";
import { startConnectedEmulator, type ConnectedEmulator } from "../intercom/testing/emulator.js";
import { CALL_SCENARIOS, makeFixture, tryAction } from "./testing/call-scenarios.js";

// Every action of the table, its first Intercom call answered 429 (Intercom's rate limit) or 503:
// the error is the connector's, with Intercom's wait, and nothing was written. Each area's own
// tests map the errors its data causes (404 of an unknown id, 409 of a clash, 422 of a refusal).

/** What the workspace holds, to see that a failed action wrote nothing. */
function fingerprint(c: ConnectedEmulator): string {
  const ws = c.em.workspace;
  return JSON.stringify([...ws.contacts.values(), ...ws.companies.values(), [...ws.dataAttributes.values()].length, ws.tags.size, ...ws.conversations.values()]);
}

describe("Intercom's 429 and 503, for every action", () => {
  for (const scenario of CALL_SCENARIOS) {
    it(`${scenario.id}, ${scenario.case}`, async () => {
      const c = await startConnectedEmulator();
      try {
        const fixture = await makeFixture(c);
        await scenario.before?.(c, fixture);
        const noRetries = c.transport({ maxRetries: 0 });
        for (const [kind, code, status] of [["429", "intercom_rate_limited", 429], ["503", "intercom_unavailable", 503]] as const) {
          const before = fingerprint(c);
          await c.workspace("POST", "/faults", { kind, count: 1, retry_after: 40 });
          const result = await tryAction(noRetries, scenario.id, scenario.input(fixture));
          expect(!result.ok && result.error.toJSON(), kind).toMatchObject({ code, status });
          expect(!result.ok && result.error.retryAfterSeconds, kind).toBe(40);
          expect(fingerprint(c), kind).toBe(before);
        }
      } finally {
        await c.close();
      }
    });
  }
});
