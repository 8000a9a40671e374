import { describe, expect, it } from "vitest";
import { ringDecision, ringSlot } from "./budget-ring.js";

describe("ringDecision", () => {
  const spend = { limit: 5, windowMs: 1_000, cost: 2, nowMs: 10_000 };

  it("admits when the deciding unit was never spent, counting the units inside from the oldest one", () => {
    expect(ringDecision({ nextSeq: 3, decidingAt: null, firstSeqInWindow: 1 }, spend)).toEqual({ allowed: true, remaining: 1 });
    expect(ringDecision({ nextSeq: 3, decidingAt: null, firstSeqInWindow: null }, spend)).toEqual({ allowed: true, remaining: 3 });
  });

  it("admits when the deciding unit is at the window's open end, refuses a moment later with the exact wait", () => {
    expect(ringDecision({ nextSeq: 9, decidingAt: 9_000, firstSeqInWindow: 7 }, spend)).toEqual({ allowed: true, remaining: 1 });
    expect(ringDecision({ nextSeq: 9, decidingAt: 9_001, firstSeqInWindow: 6 }, spend)).toEqual({ allowed: false, retryAfterMs: 1 });
    expect(ringDecision({ nextSeq: 9, decidingAt: 9_750, firstSeqInWindow: 6 }, spend)).toEqual({ allowed: false, retryAfterMs: 750 });
  });

  it("waits at least a millisecond, also for a fractional clock", () => {
    expect(ringDecision({ nextSeq: 9, decidingAt: 9_000.5, firstSeqInWindow: 6 }, spend)).toEqual({ allowed: false, retryAfterMs: 1 });
  });
});

describe("ringSlot", () => {
  it("places consecutive units in consecutive slots, wrapping at the ring's size", () => {
    expect([98, 99, 100, 101].map((seq) => ringSlot(seq, 100))).toEqual([98, 99, 0, 1]);
  });
});
