import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_LOOKBACK_SECONDS } from "../triggers/engine.js";
import { isStoreError } from "./errors.js";
import { DEFAULT_RETENTION_POLICY } from "./policies.js";
import type { PruneReport, RetentionPolicy } from "./records.js";
import {
  DEFAULT_RETENTION_INTERVAL_MS,
  DEFAULT_RETENTION_SCHEDULE,
  DEFAULT_TRIGGER_LOOKBACK_MS,
  MIN_DEDUPE_KEYS_MARGIN_MS,
  RetentionSweeper,
  startRetentionSweeps,
  type RetentionLogger,
} from "./retention.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const EMPTY: PruneReport = { deliveredEvents: 0, deadEvents: 0, dedupeKeys: 0, callLog: 0 };

/** A logger that keeps what it was told. */
function recordingLogger(): RetentionLogger & { lines: Array<{ level: "info" | "warn"; object: Record<string, unknown>; message: string }> } {
  const lines: Array<{ level: "info" | "warn"; object: Record<string, unknown>; message: string }> = [];
  return {
    lines,
    info: (object, message) => lines.push({ level: "info", object: object as Record<string, unknown>, message }),
    warn: (object, message) => lines.push({ level: "warn", object: object as Record<string, unknown>, message }),
  };
}

/** A store whose prune answers what the test queues (a report, an error, or a promise it holds). */
function scriptedStore(...answers: Array<PruneReport | Error | Promise<PruneReport>>): { prune: ReturnType<typeof vi.fn<(policy: RetentionPolicy) => Promise<PruneReport>>> } {
  return {
    prune: vi.fn(async () => {
      const next = answers.shift() ?? EMPTY;
      if (next instanceof Error) throw next;
      return next;
    }),
  };
}

describe("RetentionSweeper", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fills in the defaults: the store's default policy every 15 minutes, the engine's look-back", () => {
    const sweeper = new RetentionSweeper(scriptedStore(), { logger: recordingLogger() });
    expect(sweeper.policy).toEqual(DEFAULT_RETENTION_POLICY);
    expect(sweeper.policy).toEqual({ deliveredEventsMs: DAY, deadEventsMs: 7 * DAY, dedupeKeysMs: 7 * DAY, callLogMs: HOUR });
    expect(sweeper.intervalMs).toBe(15 * MINUTE);
    expect(DEFAULT_RETENTION_SCHEDULE).toEqual({ intervalMs: DEFAULT_RETENTION_INTERVAL_MS, policy: DEFAULT_RETENTION_POLICY });
    // The store keeps its own copy of the engine's default (it does not import the triggers).
    expect(DEFAULT_TRIGGER_LOOKBACK_MS).toBe(DEFAULT_LOOKBACK_SECONDS * 1000);
    expect(new RetentionSweeper(scriptedStore(), { logger: recordingLogger(), policy: { deadEventsMs: DAY } }).policy).toEqual({ ...DEFAULT_RETENTION_POLICY, deadEventsMs: DAY });
  });

  it("refuses an interval a timer cannot wait, a malformed policy, and dedupe keys kept no longer than the look-back allows", () => {
    const logger = recordingLogger();
    for (const intervalMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => new RetentionSweeper(scriptedStore(), { logger, intervalMs }), String(intervalMs)).toThrow(RangeError);
    }
    const malformed: unknown = (() => {
      try {
        return new RetentionSweeper(scriptedStore(), { logger, policy: { deliveredEventsMs: -1 } });
      } catch (error) {
        return error;
      }
    })();
    expect(isStoreError(malformed, "invalid_argument")).toBe(true);
    const shortest = DEFAULT_TRIGGER_LOOKBACK_MS + MIN_DEDUPE_KEYS_MARGIN_MS;
    expect(() => new RetentionSweeper(scriptedStore(), { logger, policy: { dedupeKeysMs: shortest - 1 } })).toThrow(/^dedupeKeysMs \(4199999\) must be at least the look-back window/);
    expect(new RetentionSweeper(scriptedStore(), { logger, policy: { dedupeKeysMs: shortest } }).policy.dedupeKeysMs).toBe(shortest);
    expect(() => new RetentionSweeper(scriptedStore(), { logger, policy: { dedupeKeysMs: DAY }, lookbackMs: DAY })).toThrow(RangeError);
  });

  it("sweeps once at start, then every interval, and logs the sweeps that deleted something", async () => {
    const deleted: PruneReport = { deliveredEvents: 40, deadEvents: 1, dedupeKeys: 12, callLog: 0 };
    const store = scriptedStore(EMPTY, deleted, EMPTY);
    const logger = recordingLogger();
    const sweeper = startRetentionSweeps(store, { logger, intervalMs: 10 * MINUTE, policy: { deadEventsMs: 2 * DAY } });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.prune).toHaveBeenCalledTimes(1);
    expect(store.prune).toHaveBeenLastCalledWith({ ...DEFAULT_RETENTION_POLICY, deadEventsMs: 2 * DAY });
    await vi.advanceTimersByTimeAsync(10 * MINUTE - 1);
    expect(store.prune).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.prune).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(store.prune).toHaveBeenCalledTimes(3);
    // Starting again changes nothing: still one timer.
    sweeper.start();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(store.prune).toHaveBeenCalledTimes(4);
    expect(logger.lines).toEqual([{ level: "info", object: { ...deleted, durationMs: expect.any(Number) as number }, message: "retention: pruned the outbox, dedupe keys and budgets" }]);
    await sweeper.stop();
  });

  it("logs a failed prune at warn and tries again at the next interval, never throwing out of the timer", async () => {
    const failure = new Error("database is locked");
    const store = scriptedStore(failure, new Error("still locked"), { ...EMPTY, deliveredEvents: 3 });
    const logger = recordingLogger();
    const sweeper = startRetentionSweeps(store, { logger, intervalMs: MINUTE });
    await vi.advanceTimersByTimeAsync(0);
    expect(logger.lines).toEqual([{ level: "warn", object: { err: failure, retryInMs: MINUTE }, message: "retention: prune failed; the next sweep tries again" }]);
    await vi.advanceTimersByTimeAsync(2 * MINUTE);
    expect(store.prune).toHaveBeenCalledTimes(3);
    expect(logger.lines.map((line) => line.level)).toEqual(["warn", "warn", "info"]);
    // A manual sweep reports a failure as null, and a logger that throws is survived too.
    const throwing: RetentionLogger = {
      info: () => {
        throw new Error("log sink closed");
      },
      warn: () => {
        throw new Error("log sink closed");
      },
    };
    const fragile = new RetentionSweeper(scriptedStore(new Error("gone"), { ...EMPTY, callLog: 1 }), { logger: throwing, intervalMs: MINUTE });
    expect(await fragile.sweep()).toBeNull();
    expect(await fragile.sweep()).toEqual({ ...EMPTY, callLog: 1 });
    await sweeper.stop();
  });

  it("runs one prune at a time: a sweep asked for while one runs joins it", async () => {
    let release: (report: PruneReport) => void = () => undefined;
    const held = new Promise<PruneReport>((resolve) => {
      release = resolve;
    });
    const store = scriptedStore(held);
    const sweeper = new RetentionSweeper(store, { logger: recordingLogger() });
    const first = sweeper.sweep();
    const second = sweeper.sweep();
    expect(store.prune).toHaveBeenCalledTimes(1);
    release({ ...EMPTY, dedupeKeys: 2 });
    expect(await first).toEqual({ ...EMPTY, dedupeKeys: 2 });
    expect(await second).toEqual({ ...EMPTY, dedupeKeys: 2 });
    await sweeper.sweep();
    expect(store.prune).toHaveBeenCalledTimes(2);
  });

  it("stop() waits for the prune in flight, and no sweep starts afterwards", async () => {
    let release: (report: PruneReport) => void = () => undefined;
    const held = new Promise<PruneReport>((resolve) => {
      release = resolve;
    });
    const store = scriptedStore(held);
    const sweeper = startRetentionSweeps(store, { logger: recordingLogger(), intervalMs: MINUTE });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.prune).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = sweeper.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release(EMPTY);
    await stopping;
    expect(stopped).toBe(true);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(store.prune).toHaveBeenCalledTimes(1);
    expect(await sweeper.sweep()).toBeNull();
    sweeper.start();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(store.prune).toHaveBeenCalledTimes(1);
    await sweeper.stop();
  });

  it("keeps a SQLite database flat over ten days of a busy subscription, swept hourly, and its oldest pending event", async () => {
    const dir = await mkdtemp(join(tmpdir(), "icc-retention-"));
    const path = join(dir, "connector.db");
    // One clock for the store and the sweeper's timer: the fake one.
    const store = SqliteStore.open(path, { secretKey: randomBytes(32), clock: () => Date.now() });
    const raw = new Database(path, { readonly: true });
    const sweeper = new RetentionSweeper(store, { logger: recordingLogger(), intervalMs: HOUR });
    try {
      const { connection } = await store.createConnection({ name: "Acme", region: "us", accessToken: "t" });
      const { id } = await store.createSubscription({ connectionId: connection.id, triggerId: "TrigNewUser", cursor: "{}", nextPollAt: new Date() });
      await store.appendEvents(id, [{ dedupeKey: "never-taken", payload: {} }]);
      const perHour = 50;
      const count = (table: "outbox" | "emitted_keys"): number => (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      // Each hour's events land just after a sweep, which kept the delivered events of the 23
      // hours since a day ago and the keys of the week before the newest: a day of events and a
      // week and an hour of keys at most (the defaults), and the pending event with its key.
      const outboxBound = perHour * 24 + 1;
      const keysBound = perHour * (7 * 24 + 1) + 1;
      sweeper.start();
      let peakOutbox = 0;
      let peakKeys = 0;
      for (let hour = 0; hour < 10 * 24; hour++) {
        const { inserted } = await store.appendEvents(
          id,
          Array.from({ length: perHour }, (_, i) => ({ dedupeKey: `h${hour}-${i}`, payload: { hour, i } })),
        );
        await store.ackEvents(
          id,
          inserted.map((e) => e.id),
        );
        peakOutbox = Math.max(peakOutbox, count("outbox"));
        peakKeys = Math.max(peakKeys, count("emitted_keys"));
        await vi.advanceTimersByTimeAsync(HOUR);
      }
      expect(peakOutbox).toBeLessThanOrEqual(outboxBound);
      expect(peakKeys).toBeLessThanOrEqual(keysBound);
      // Bounded because pruned, not because small: the last day holds its bound's worth.
      expect(count("outbox")).toBe(perHour * 23 + 1);
      expect(count("emitted_keys")).toBe(perHour * 7 * 24 + 1);
      expect((await store.pendingEvents(id, 10)).map((e) => e.dedupeKey)).toEqual(["never-taken"]);
      expect((await store.appendEvents(id, [{ dedupeKey: "never-taken", payload: {} }])).duplicates).toEqual(["never-taken"]);
    } finally {
      await sweeper.stop();
      raw.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("RetentionSweeper's timer", () => {
  it("does not keep a process alive: one that started sweeps exits once its work is done", async () => {
    const module = fileURLToPath(new URL("./retention.ts", import.meta.url));
    const script = `
      const { startRetentionSweeps } = await import(${JSON.stringify(module)});
      const empty = { deliveredEvents: 0, deadEvents: 0, dedupeKeys: 0, callLog: 0 };
      startRetentionSweeps({ prune: async () => empty }, { logger: { info() {}, warn() {} }, intervalMs: 3_600_000 });
      console.log("started");
    `;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exit = await new Promise<{ code: number | null; timedOut: boolean }>((resolve) => {
      // An hour's ref'd timer would hold it for an hour; the test allows 15 s for tsx to start.
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve({ code: null, timedOut: true });
      }, 15_000);
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve({ code, timedOut: false });
      });
    });
    expect(stdout.trim()).toBe("started");
    expect(exit).toEqual({ code: 0, timedOut: false });
  }, 20_000);
});
