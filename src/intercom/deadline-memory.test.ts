import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConnectedEmulator, type ConnectedEmulator } from "./testing/emulator.js";
import { Deadline } from "./deadline.js";

// The garbage collector, for this test only: what it must find collectable is the point.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

let c: ConnectedEmulator;
beforeAll(async () => {
  c = await startConnectedEmulator();
});
afterAll(async () => {
  await c.close();
});

describe("an action's deadline", () => {
  it("is collected once its call is over: a busy service does not keep one per action", async () => {
    const id = c.em.workspace.insertContact({ role: "lead", email: "ada@example.com" }).id;
    let live = 0;
    const registry = new FinalizationRegistry<null>(() => live--);
    const calls = 300;
    for (let i = 0; i < calls; i++) {
      const deadline = new Deadline(30_000);
      live++;
      registry.register(deadline, null);
      const answer = await deadline.race(() => c.intercom.within(deadline).getContact(id));
      expect(answer.ok).toBe(true);
    }
    // Finalizers run after a collection, on later turns of the event loop.
    for (let round = 0; round < 20 && live > 5; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Before the fix every one of the 300 stayed reachable from the SDK request's signal.
    expect(live).toBeLessThanOrEqual(5);
  });
});
