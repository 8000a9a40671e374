import { describe, expect, it } from "vitest";
import { operationIds, toolAreaOf } from "../contract/index.js";
import { startConnectedEmulator } from "../intercom/testing/emulator.js";
import { CALL_SCENARIOS, makeFixture, runAction } from "./testing/call-scenarios.js";

// The fewest Intercom calls each action needs, held: an action that starts spending more (a
// look-up it could skip, a page it could avoid) fails here. BENCHMARKS.md shows the same table.

/** Areas whose actions the table covers (issue 12's tickets bring their own rows). */
const COVERED_AREAS = new Set(["contacts", "contact-lists", "companies", "tags", "notes", "events", "data-attributes", "workspace", "raw", "conversations"]);

describe("Intercom calls per action", () => {
  it("has a scenario for every action of the covered areas", () => {
    const covered = new Set(CALL_SCENARIOS.map((scenario) => scenario.id));
    expect(operationIds("action").filter((id) => COVERED_AREAS.has(toolAreaOf(id)) && !covered.has(id))).toEqual([]);
  });

  for (const scenario of CALL_SCENARIOS) {
    it(`${scenario.id}, ${scenario.case}: ${scenario.fewest} (${scenario.why})`, async () => {
      const c = await startConnectedEmulator();
      try {
        const fixture = await makeFixture(c);
        await scenario.before?.(c, fixture);
        await c.resetCalls();
        await runAction(c, scenario.id, scenario.input(fixture));
        expect((await c.calls()).total).toBe(scenario.fewest);
      } finally {
        await c.close();
      }
    });
  }
});
