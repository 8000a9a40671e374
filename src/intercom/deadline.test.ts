import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Deadline, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./deadline.js";
import { startConnectedEmulator, type ConnectedEmulator } from "./testing/emulator.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

const fault = (body: Record<string, unknown>): Promise<unknown> => c.workspace("POST", "/faults", body);

/** Watches the sockets Intercom requests came in on (not the control API's). */
function watchIntercomSockets(): { open: () => Promise<number> } {
  const sockets = new Set<Socket>();
  c.em.emulator.app.server.on("request", (request: IncomingMessage) => {
    if (request.url?.startsWith("/_emulator") !== true) sockets.add(request.socket);
  });
  return {
    // Those still open, once those the client closed have had a moment to go.
    async open() {
      const count = (): number => [...sockets].filter((socket) => !socket.destroyed).length;
      for (let i = 0; i < 50 && count() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      return count();
    },
  };
}

/** A clock the retry waits move: a fake sleep advances it instead of waiting. */
function heldClock(): { now: () => number; sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe("an action's deadline over real HTTP", () => {
  it("answers intercom_timeout when Intercom hangs, at the deadline, with the socket closed", async () => {
    const sockets = watchIntercomSockets();
    await fault({ kind: "hang", count: 10 });
    const deadline = new Deadline(1_000);
    const started = performance.now();
    const answer = await deadline.race(() => c.intercom.within(deadline).getContact("6762f0a51bb69f9f2193bb5c"));
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(990);
    expect(took).toBeLessThan(1_500);
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.toJSON()).toMatchObject({ code: "intercom_timeout", status: 504, retry_after: UNAVAILABLE_RETRY_AFTER_SECONDS });
    expect(answer.error.message).toBe(`Intercom did not answer in time: no answer within the action's deadline of 1 s (1 attempt to reach Intercom); retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds`);
    expect(await sockets.open()).toBe(0);
  });

  it("cuts a body that never finishes at the deadline, whatever the attempt timeout", async () => {
    const sockets = watchIntercomSockets();
    await fault({ kind: "stall_body", count: 1 });
    const deadline = new Deadline(800);
    const started = performance.now();
    // Without the race: the transport itself answers once the body read is aborted.
    const answer = await c.transport({ timeoutSeconds: 60 }).within(deadline).listTags();
    expect(performance.now() - started).toBeLessThan(1_300);
    expect(!answer.ok && answer.error.code).toBe("intercom_timeout");
    expect(!answer.ok && answer.error.message).toMatch(/1 attempt to reach Intercom/);
    expect(await sockets.open()).toBe(0);
    deadline.dispose();
  });

  it("retries attempts that time out while time is left, and stops before a backoff that would end past it", async () => {
    const sockets = watchIntercomSockets();
    await fault({ kind: "hang", count: 20 });
    const deadline = new Deadline(1_500);
    const transport = c.transport({ timeoutSeconds: 0.3, maxRetries: 10 }, { random: () => 0 });
    const started = performance.now();
    const answer = await deadline.race(() => transport.within(deadline).listContacts());
    // 0.3 s attempts with 0.4 s and 0.8 s backoffs: the second attempt ends at 1.0 s, and the
    // next backoff would end at 1.8 s, so the call answers then, without waiting for 1.5 s.
    expect(performance.now() - started).toBeLessThan(1_400);
    expect((await c.calls()).total).toBe(2);
    expect(deadline.attempts).toBe(2);
    expect(!answer.ok && answer.error.message).toBe(`Intercom did not answer in time: no answer within 0.3 s (2 attempts); retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds`);
    expect(await sockets.open()).toBe(0);
  });

  it("never starts a wait past the deadline: repeated 503s answer intercom_unavailable with Intercom's Retry-After", async () => {
    const clock = heldClock();
    await fault({ kind: "503", count: 10, retry_after: 1 });
    const deadline = new Deadline(2_500, clock.now);
    const transport = c.transport({ maxRetries: 10 }, { sleep: clock.sleep });
    const answer = await transport.within(deadline).listContacts();
    deadline.dispose();
    // Waits of 1 s at 0 and 1 s; the third would end at 3 s, past 2.5 s.
    expect(clock.sleeps).toEqual([1_000, 1_000]);
    expect((await c.calls()).total).toBe(3);
    expect(!answer.ok && answer.error.toJSON()).toMatchObject({ code: "intercom_unavailable", status: 503, retry_after: 1 });
  });

  it("answers a 429 whose Retry-After ends past the deadline at once, without sleeping, with Intercom's wait", async () => {
    const clock = heldClock();
    await fault({ kind: "429", count: 1, retry_after: 8 });
    const deadline = new Deadline(2_000, clock.now);
    // 8 s is within the longest wait the connection allows (10 s): only the deadline stops it.
    const answer = await c.transport({}, { sleep: clock.sleep }).within(deadline).listContacts();
    deadline.dispose();
    expect(clock.sleeps).toEqual([]);
    expect(!answer.ok && answer.error.toJSON()).toMatchObject({ code: "intercom_rate_limited", status: 429, retry_after: 8 });
    expect((await c.calls()).total).toBe(1);
  });

  it("stops retrying a reset read when the next backoff would end past the deadline", async () => {
    const clock = heldClock();
    await fault({ kind: "reset", count: 10 });
    const deadline = new Deadline(1_200, clock.now);
    const answer = await c.transport({ maxRetries: 10 }, { sleep: clock.sleep, random: () => 0.5 }).within(deadline).listContacts();
    deadline.dispose();
    // Backoff 500 ms, then 1000 ms would end at 1.5 s.
    expect(clock.sleeps).toEqual([500]);
    expect((await c.calls()).total).toBe(2);
    expect(!answer.ok && answer.error.toJSON()).toMatchObject({ code: "intercom_unavailable", status: 503, retry_after: UNAVAILABLE_RETRY_AFTER_SECONDS });
  });

  it("leaves a call without a deadline as it was, and a call that finishes in time untouched", async () => {
    const lead = c.em.workspace.insertContact({ role: "lead", email: "in-time@example.com" });
    const deadline = new Deadline(5_000);
    const answer = await deadline.race(() => c.intercom.within(deadline).getContact(lead.id));
    expect(answer.ok && answer.value.email).toBe("in-time@example.com");
    expect(deadline.attempts).toBe(1);
    expect(deadline.signal.aborted).toBe(false);
    expect((await c.intercom.getContact(lead.id)).ok).toBe(true);
  });
});

describe("Deadline", () => {
  it("refuses a deadline that is not a positive number of milliseconds", () => {
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new Deadline(ms), String(ms)).toThrow(RangeError);
  });
});
