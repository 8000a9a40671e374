import { describe, expect, it } from "vitest";
import { pollTrigger, type ScanRequest, type TriggerSource } from "./poll.js";

interface Item {
  id: string;
  t: number;
}

/** A source over an in-memory list that answers like Intercom's search: newest first, paged. */
function listSource(items: Item[], options: { now: number; refuseExclusions?: boolean }) {
  const requests: ScanRequest[] = [];
  const source: TriggerSource<Item, string> = {
    async fetchPage(request) {
      requests.push(request);
      if (options.refuseExclusions === true && request.excludeIds.length > 0) return { ok: false, error: "too many ids" };
      const visible = items.filter((i) => !request.excludeIds.includes(i.id)).sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1));
      const start = request.startingAfter === null ? 0 : Number(request.startingAfter);
      const page = visible.slice(start, start + 2);
      const next = start + 2 < visible.length ? String(start + 2) : null;
      return { ok: true, value: { items: page, nextCursor: next, serverTime: options.now } };
    },
    time: (i) => i.t,
    key: (i) => i.id,
    id: (i) => i.id,
    accepts: () => true,
    excludeSeenIds: true,
  };
  return { source, requests };
}

describe("pollTrigger", () => {
  it("makes a baseline that emits nothing, then emits only new items, oldest first", async () => {
    const items: Item[] = [{ id: "a", t: 100 }];
    const { source } = listSource(items, { now: 200 });
    const baseline = await pollTrigger(source, null, { lookbackSeconds: 50 });
    if (!baseline.ok) throw new Error("baseline failed");
    expect(baseline.value.events).toEqual([]);
    expect(baseline.value.cursor.polledAt).toBe(200);
    items.push({ id: "c", t: 201 }, { id: "b", t: 199 });
    const next = await pollTrigger(source, baseline.value.cursor, { lookbackSeconds: 50 });
    if (!next.ok) throw new Error("poll failed");
    expect(next.value.events.map((i) => i.id)).toEqual(["b", "c"]);
  });

  it("stops paging at the floor", async () => {
    const items: Item[] = Array.from({ length: 20 }, (_, n) => ({ id: `i${n}`, t: 100 + n * 10 }));
    const { source, requests } = listSource(items, { now: 300 });
    const result = await pollTrigger(source, { v: 1, polledAt: 280, seen: {} }, { lookbackSeconds: 30 });
    if (!result.ok) throw new Error("poll failed");
    // floor 250: items at 250..290 are 5 items, newest first 2 per page: 3 pages reach below it.
    expect(result.value.events.map((i) => i.t)).toEqual([250, 260, 270, 280, 290]);
    expect(requests).toHaveLength(3);
  });

  it("scans again without excluded ids when the source refuses them, with the same events", async () => {
    const items: Item[] = [{ id: "seen", t: 290 }, { id: "new", t: 295 }];
    const { source, requests } = listSource(items, { now: 300, refuseExclusions: true });
    const result = await pollTrigger(source, { v: 1, polledAt: 292, seen: { seen: 290 } }, { lookbackSeconds: 30, retryWithoutExclusions: () => true });
    if (!result.ok) throw new Error("poll failed");
    expect(result.value.events.map((i) => i.id)).toEqual(["new"]);
    expect(requests.map((r) => r.excludeIds.length)).toEqual([1, 0]);
  });

  it("keeps the old window after a page fails mid-scan, so the next poll scans it again", async () => {
    const items: Item[] = Array.from({ length: 6 }, (_, n) => ({ id: `i${n}`, t: 290 + n }));
    const { source } = listSource(items, { now: 300 });
    let calls = 0;
    const failing: TriggerSource<Item, string> = {
      ...source,
      fetchPage: (r) => (++calls === 2 ? Promise.resolve({ ok: false, error: "503" }) : source.fetchPage(r)),
    };
    const result = await pollTrigger(failing, { v: 1, polledAt: 280, seen: {} }, { lookbackSeconds: 30 });
    if (!result.ok) throw new Error("poll failed");
    expect(result.value.complete).toBe(false);
    expect(result.value.cursor.polledAt).toBe(280);
    const again = await pollTrigger(source, result.value.cursor, { lookbackSeconds: 30 });
    if (!again.ok) throw new Error("poll failed");
    expect([...result.value.events, ...again.value.events].map((i) => i.id).sort()).toEqual(items.map((i) => i.id).sort());
  });
});
