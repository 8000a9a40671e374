import { describe, expect, it } from "vitest";
import { KeyedLock } from "./poll-lock.js";

describe("KeyedLock", () => {
  it("runs holders of one key one after the other, in arrival order, and other keys alongside", async () => {
    const locks = new KeyedLock();
    const order: string[] = [];
    const hold = async (key: string, name: string, ms: number): Promise<void> => {
      const release = await locks.acquire(key);
      order.push(`${name}+`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      order.push(`${name}-`);
      release();
    };
    await Promise.all([hold("a", "a1", 30), hold("a", "a2", 1), hold("b", "b1", 5), hold("a", "a3", 1)]);
    expect(order.filter((e) => e.startsWith("a"))).toEqual(["a1+", "a1-", "a2+", "a2-", "a3+", "a3-"]);
    // b did not wait for a.
    expect(order.indexOf("b1-")).toBeLessThan(order.indexOf("a1-"));
    expect(locks.size).toBe(0);
  });

  it("ignores a second release", async () => {
    const locks = new KeyedLock();
    const first = await locks.acquire("k");
    const second = locks.acquire("k");
    first();
    first();
    const release = await second;
    let third = false;
    const waiting = locks.acquire("k").then((r) => {
      third = true;
      r();
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(third).toBe(false);
    release();
    await waiting;
    expect(third).toBe(true);
  });
});
