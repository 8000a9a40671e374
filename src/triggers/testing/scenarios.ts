import { describe, expect, it } from "vitest";
import type { TriggerId } from "../../contract/index.js";
import { TRIGGERS } from "../registry.js";
import { startTriggerFixture, type TriggerFixture } from "./harness.js";

/**
 * How to make events of one trigger happen in the emulator, for {@link describeTriggerScenarios}.
 * An event's identity is what tells two events apart (a conversation trigger's: the conversation
 * and the event's time), so the suite can check each is delivered exactly once.
 *
 * @example
 * const maker: TriggerEventMaker = { triggerId: "TrigConversationClosed", prepare, happen, identity: (p) => `${p.id}:${p.statistics.last_close_at}`, time };
 */
export interface TriggerEventMaker {
  triggerId: TriggerId;
  /** Makes `count` things events can happen to (conversations, tickets…), now; their creation is no event of this trigger. Returns their ids. */
  prepare(f: TriggerFixture, count: number): Promise<string[]>;
  /** Makes one event happen to each target now (the workspace clock); returns each event's identity, in order. */
  happen(f: TriggerFixture, targets: readonly string[]): Promise<string[]>;
  /** The identity of a delivered payload, as `happen` returned it. */
  identity(payload: Record<string, unknown>): string;
  /** The event's time (unix seconds) in a delivered payload. */
  time(payload: Record<string, unknown>): number;
}

const T0 = 1_796_000_000; // 2026-11-29T23:33:20Z

function expectExactlyOnce(delivered: string[], expected: string[]): void {
  expect(new Set(delivered).size, "no event delivered twice").toBe(delivered.length);
  expect([...delivered].sort()).toEqual([...expected].sort());
}

/** Local midnight after T0 in a zone of this fixed offset (minutes east of UTC). */
function localMidnightAfterT0(offsetMinutes: number): number {
  return Math.floor((T0 + offsetMinutes * 60) / 86_400) * 86_400 - offsetMinutes * 60 + 86_400;
}

/** Waits (real time, briefly) until `check` holds: the emulator's webhook deliveries run on real time. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The exactly-once scenarios every pollable trigger is held to, the first four's (see
 * triggers.test.ts): it starts from now and fires once per distinct value a poll sees; a burst in
 * one second across pages; more than a page between polls, oldest first; local midnight at
 * UTC−05:00 and UTC+13:00; a 180 s search delay; a restart from the stored cursor; one call per
 * idle poll; and with Intercom's pushes: the same event pushed and polled is delivered once, and a
 * push lost at Intercom's one retry is recovered by the next poll. Each test makes its events with
 * `maker` on frozen emulator clocks.
 *
 * @example
 * describeTriggerScenarios(contactReplies); // in a .test.ts file
 */
export function describeTriggerScenarios(maker: TriggerEventMaker): void {
  const { triggerId } = maker;
  const run = (name: string, body: (track: (f: TriggerFixture) => TriggerFixture) => Promise<void>) =>
    it(name, async () => {
      let fixture: TriggerFixture | undefined;
      try {
        await body((f) => (fixture = f));
      } finally {
        await fixture?.close();
      }
    });
  const delivered = async (f: TriggerFixture, subscriptionId: string, engine = f.engine) => (await f.drain(subscriptionId, engine)).map((p) => maker.identity(p));

  describe(`${triggerId}: exactly once`, () => {
    run("starts from now, fires once per distinct value a poll sees, and never repeats one", async (track) => {
      const f = track(await startTriggerFixture());
      await f.setClock(T0);
      const targets = await maker.prepare(f, 3);
      await f.advanceClock(5);
      const before = await maker.happen(f, [targets[2]!]);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      expect(await f.poll(sub.id)).toMatchObject({ emitted: 0 });
      await f.advanceClock(10);
      const first = await maker.happen(f, [targets[0]!, targets[1]!]);
      await f.advanceClock(10);
      const again = await maker.happen(f, [targets[1]!]); // two events of one target between polls: the poll sees the latest
      await f.poll(sub.id);
      await f.advanceClock(30);
      const later = await maker.happen(f, [targets[0]!]);
      await f.poll(sub.id);
      await f.poll(sub.id);
      const got = await delivered(f, sub.id);
      expect(got).toEqual([first[0], again[0], later[0]]);
      expect(got).not.toContain(before[0]);
      expect(await f.drain(sub.id)).toEqual([]);
    });

    run("delivers 500 events of one second exactly once, across pages", async (track) => {
      const f = track(await startTriggerFixture());
      await f.setClock(T0);
      const targets = await maker.prepare(f, 500);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      await f.advanceClock(5);
      const events = await maker.happen(f, targets);
      const first = await f.poll(sub.id);
      expect(first.emitted).toBe(500);
      expect(first.calls).toBeLessThanOrEqual(5);
      await f.advanceClock(120);
      expect((await f.poll(sub.id)).emitted).toBe(0);
      expectExactlyOnce(await delivered(f, sub.id), events);
    });

    run("keeps more than 150 events between polls spread over time, oldest first", async (track) => {
      const f = track(await startTriggerFixture());
      await f.setClock(T0);
      const targets = await maker.prepare(f, 320);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      const events: string[] = [];
      for (const [i, target] of targets.entries()) {
        await f.advanceClock(i % 3 === 0 ? 1 : 0);
        events.push(...(await maker.happen(f, [target])));
      }
      await f.poll(sub.id);
      const payloads = await f.drain(sub.id);
      expectExactlyOnce(payloads.map((p) => maker.identity(p)), events);
      const times = payloads.map((p) => maker.time(p));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    for (const [zone, label, offsetMinutes] of [
      ["America/New_York", "UTC−05:00", -300],
      ["Pacific/Tongatapu", "UTC+13:00", 780],
    ] as const) {
      run(`loses nothing around midnight in a workspace at ${label} (${zone})`, async (track) => {
        const f = track(await startTriggerFixture({ timezone: zone }));
        await f.setClock(localMidnightAfterT0(offsetMinutes) - 100);
        const targets = await maker.prepare(f, 8);
        await f.advanceClock(10);
        const sub = await f.subscribe(triggerId);
        await f.poll(sub.id);
        const events: string[] = [];
        for (const [k, step] of [10, 40, 39, 1, 1, 20, 30].entries()) {
          await f.advanceClock(step); // crosses local midnight
          events.push(...(await maker.happen(f, [targets[k]!])));
          await f.poll(sub.id);
        }
        await f.advanceClock(86_400 + 3_600); // a day later the poll still finds only what is new
        events.push(...(await maker.happen(f, [targets[7]!])));
        await f.poll(sub.id);
        const got = await delivered(f, sub.id);
        expect(got).toEqual(events);
      });
    }

    run("waits out a 180 s search delay without losing or repeating an event", async (track) => {
      const f = track(await startTriggerFixture({ searchDelaySeconds: 180 }));
      await f.setClock(T0);
      const targets = await maker.prepare(f, 2);
      await f.advanceClock(200);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      await f.advanceClock(60);
      const early = await maker.happen(f, [targets[0]!]);
      await f.advanceClock(100);
      const late = await maker.happen(f, [targets[1]!]);
      await f.poll(sub.id); // neither is searchable yet
      expect(await f.drain(sub.id)).toEqual([]);
      for (let i = 0; i < 6; i++) {
        await f.advanceClock(60);
        await f.poll(sub.id);
      }
      expectExactlyOnce(await delivered(f, sub.id), [...early, ...late]);
    });

    run("goes on after a restart from the stored cursor: nothing lost, nothing repeated", async (track) => {
      const f = track(await startTriggerFixture());
      await f.setClock(T0);
      const targets = await maker.prepare(f, 2);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      await f.advanceClock(10);
      const a = await maker.happen(f, [targets[0]!]);
      await f.poll(sub.id);
      const restarted = f.restartEngine();
      await f.advanceClock(10);
      const b = await maker.happen(f, [targets[1]!]);
      await f.poll(sub.id, restarted);
      await f.poll(sub.id, restarted);
      expectExactlyOnce(await delivered(f, sub.id, restarted), [...a, ...b]);
    });

    run("costs one Intercom call per idle poll", async (track) => {
      const f = track(await startTriggerFixture());
      await f.setClock(T0);
      const targets = await maker.prepare(f, 40);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      await f.advanceClock(5);
      await maker.happen(f, targets);
      await f.poll(sub.id);
      for (let i = 0; i < 3; i++) {
        await f.advanceClock(120);
        expect(await f.poll(sub.id)).toEqual({ emitted: 0, calls: 1 });
      }
    });

    run("delivers an event Intercom pushes and a poll then sees once", async (track) => {
      const f = track(await startTriggerFixture({}, {}, { push: true }));
      await f.setClock(T0);
      const targets = await maker.prepare(f, 2);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      await f.em.control("POST", `/workspaces/${f.em.workspace.id}/webhooks`, { url: f.pushUrl, topics: TRIGGERS[triggerId].pushTopics });
      await f.advanceClock(10);
      const events = await maker.happen(f, targets);
      await f.em.emulator.webhooks.idle();
      // Pushed: in the outbox before any poll.
      await until(async () => (await f.store.pendingEvents(sub.id, 10)).length === events.length, "the pushed events");
      expect(await f.poll(sub.id)).toMatchObject({ emitted: 0 });
      await f.advanceClock(120);
      expect(await f.poll(sub.id)).toMatchObject({ emitted: 0 });
      expectExactlyOnce(await delivered(f, sub.id), events);
    });

    run("recovers by the next poll an event whose push was lost (the receiver down at Intercom's one retry)", async (track) => {
      const f = track(await startTriggerFixture({}, {}, { push: true, webhookRetryDelayMs: 1 }));
      await f.setClock(T0);
      const targets = await maker.prepare(f, 1);
      await f.advanceClock(5);
      const sub = await f.subscribe(triggerId);
      await f.poll(sub.id);
      // Nobody listens there: the first attempt and Intercom's one retry both fail.
      const down = f.pushUrl!.replace(/:\d+\//, ":9/");
      await f.em.control("POST", `/workspaces/${f.em.workspace.id}/webhooks`, { url: down, topics: TRIGGERS[triggerId].pushTopics });
      await f.advanceClock(10);
      const events = await maker.happen(f, targets);
      const attempts = async () => ((await f.em.control("GET", `/workspaces/${f.em.workspace.id}/webhooks/deliveries`)).body as { deliveries: Array<{ attempt: number; status: number | null }> }).deliveries;
      await until(async () => (await attempts()).length >= 2 * events.length, "both attempts");
      await f.em.emulator.webhooks.idle();
      expect((await attempts()).map((d) => [d.attempt, d.status])).toEqual([[1, null], [2, null]]);
      expect(await f.store.pendingEvents(sub.id, 10)).toEqual([]);
      expect(await f.poll(sub.id)).toMatchObject({ emitted: 1 });
      expectExactlyOnce(await delivered(f, sub.id), events);
    });
  });
}
