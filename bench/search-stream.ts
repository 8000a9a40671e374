import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Workspace } from "../src/emulator/index.js";
import type { IntercomTransport } from "../src/intercom/index.js";
import { ACTIONS } from "../src/operations/index.js";

/** A full collection, for memory figures that mean something (the bench is not run with --expose-gc). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

const MB = 1024 * 1024;

interface Walk {
  seconds: number;
  jsonBytes: number;
  peakHeap: number;
  peakRss: number;
  after: NodeJS.MemoryUsage;
}

/** One full stream of the search, sampling memory every 500 contacts. */
async function walk(intercom: IntercomTransport, query: unknown): Promise<Walk> {
  const start = process.memoryUsage();
  let peakHeap = start.heapUsed;
  let peakRss = start.rss;
  let count = 0;
  let jsonBytes = 0;
  const started = performance.now();
  const found = await ACTIONS.SearchContacts.run(intercom, { query, sort: { field: "created_at", order: "ascending" } });
  if (!found.ok) throw new Error(found.error.message);
  for await (const contact of found.value) {
    count++;
    jsonBytes += JSON.stringify(contact).length;
    if (count % 500 === 0) {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }
  }
  if (count !== 10_000) throw new Error(`SearchContacts streamed ${count} contacts, not 10,000`);
  return { seconds: (performance.now() - started) / 1000, jsonBytes, peakHeap, peakRss, after: start };
}
const mb = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

/**
 * SearchContacts of 10,000 matches (a nested AND/OR query, 500 contacts it leaves out), streamed
 * twice through the library's async iterable: Intercom calls per walk, and heap and RSS before,
 * at each walk's peak and after it, against the size of the 10,000 contacts as JSON (what
 * holding them would cost). Returns a row of the calls table and a memory table for BENCHMARKS.md.
 *
 * @example
 * const stream = await benchSearchStream(ws, intercom, calls);
 * rows.push(stream.callsRow);
 */
export async function benchSearchStream(ws: Workspace, intercom: IntercomTransport, calls: () => number): Promise<{ callsRow: string; memoryTable: string[] }> {
  ws.searchDelaySeconds = 0;
  const base = ws.clock.now() - 100_000;
  for (let i = 0; i < 10_500; i++) {
    const match = i < 10_000;
    ws.insertContact({ role: i % 2 === 0 ? "user" : "lead", email: `m${i}@${match ? "stream" : "elsewhere"}.example.com`, name: `Stream ${i}`, created_at: base + i });
  }
  const query = {
    operator: "AND",
    value: [
      { field: "email", operator: "~", value: "@stream." },
      { operator: "OR", value: [{ field: "role", operator: "=", value: "user" }, { field: "role", operator: "=", value: "lead" }] },
    ],
  };
  const gc = collector();
  gc();
  const before = process.memoryUsage();
  const first = calls();
  const walks: Walk[] = [];
  // Two walks: the first leaves what is built once (the emulator's and the SDK's caches, compiled
  // code); a stream that held its items would grow again on the second.
  for (let i = 0; i < 2; i++) {
    walks.push(await walk(intercom, query));
    gc();
    walks[i]!.after = process.memoryUsage();
  }
  const spent = (calls() - first) / 2;
  const [one, two] = walks as [Walk, Walk];
  const jsonBytes = one.jsonBytes;
  return {
    callsRow: `| calls per SearchContacts of 10,000 matches, streamed (150 a page) | ${spent} (target ${Math.ceil(10_000 / 150)}) |`,
    memoryTable: [
      "",
      `SearchContacts of 10,000 matches (nested AND/OR, 500 contacts left out) streamed twice by the library (${one.seconds.toFixed(1)} s, ${two.seconds.toFixed(1)} s), the emulator in the same process; the 10,000 contacts as JSON are ${mb(jsonBytes)}:`,
      "",
      "| memory | before | 1st walk: peak | after (GC) | 2nd walk: peak | after (GC) |",
      "|---|---|---|---|---|---|",
      `| heap used | ${mb(before.heapUsed)} | ${mb(one.peakHeap)} | ${mb(one.after.heapUsed)} | ${mb(two.peakHeap)} | ${mb(two.after.heapUsed)} |`,
      `| RSS | ${mb(before.rss)} | ${mb(one.peakRss)} | ${mb(one.after.rss)} | ${mb(two.peakRss)} | ${mb(two.after.rss)} |`,
    ],
  };
}
