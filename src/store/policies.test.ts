import { describe, expect, it } from "vitest";
import { DEFAULT_DELIVERY_RETRY_POLICY, nextDeliveryAttempt } from "./policies.js";

describe("nextDeliveryAttempt", () => {
  const policy = { firstDelayMs: 1_000, maxDelayMs: 8_000, giveUpAfterMs: 60_000 };

  it("doubles the delay from the first, up to the cap", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempts) => {
      const next = nextDeliveryAttempt(policy, { attempts, createdAtMs: 0, nowMs: 10_000 });
      return next.status === "pending" ? next.nextAttemptAtMs - 10_000 : null;
    });
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
    expect(nextDeliveryAttempt(policy, { attempts: 5_000, createdAtMs: 0, nowMs: 0 })).toEqual({ status: "pending", nextAttemptAtMs: 8_000 });
  });

  it("schedules nothing past the deadline and gives up at it", () => {
    expect(nextDeliveryAttempt(policy, { attempts: 4, createdAtMs: 0, nowMs: 55_000 })).toEqual({ status: "pending", nextAttemptAtMs: 60_000 });
    expect(nextDeliveryAttempt(policy, { attempts: 5, createdAtMs: 0, nowMs: 60_000 })).toEqual({ status: "dead" });
    expect(nextDeliveryAttempt(DEFAULT_DELIVERY_RETRY_POLICY, { attempts: 1, createdAtMs: 0, nowMs: 0 })).toEqual({ status: "pending", nextAttemptAtMs: 5_000 });
  });
});
