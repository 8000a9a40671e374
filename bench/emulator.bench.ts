/**
 * Emulator benchmark: 100,000 contacts in one workspace, then
 *  - a date-range search sorted by created_at (first page): p50 and p99 over real HTTP;
 *  - retrieve-by-id throughput (requests/s) with 16 concurrent keep-alive clients;
 *  - the emulator process's resident memory.
 * The emulator runs as its own process (the built CLI), so its memory is measured alone.
 * Run: npm run bench:emulator  (writes the "emulator" section of BENCHMARKS.md)
 */
import { spawn } from "node:child_process";
import { Agent, request as httpRequest } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeMachine, percentile } from "./machine.js";
import { writeSection } from "./report.js";

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 3_000);
const THROUGHPUT_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 16;
const TOKEN = "bench-token";
const root = fileURLToPath(new URL("..", import.meta.url));

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function startEmulator(): Promise<{ baseUrl: string; pid: number; stop: () => void }> {
  const child = spawn(process.execPath, ["dist/cli/main.js", "emulator", "--port", "0", "--token", TOKEN, "--seed", "none", "--rate-limit", "600000000"], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = /https?:\/\/[^\s/]+/.exec(out);
      if (match !== null) resolve(match[0]);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code ?? "signal"}: ${out}`)));
  });
  if (child.pid === undefined) throw new Error("no pid");
  return { baseUrl, pid: child.pid, stop: () => child.kill("SIGTERM") };
}

async function json(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

// node:http with a keep-alive agent: fetch's own overhead per request is larger than the
// emulator's, and it would be measured instead of the emulator.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
function send(url: string, method: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent, headers: body === undefined ? headers : { ...headers, "Content-Length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

const headers = { Authorization: `Bearer ${TOKEN}`, "Intercom-Version": "2.14", "Content-Type": "application/json" };

async function main(): Promise<void> {
  const { baseUrl, pid, stop } = await startEmulator();
  try {
    const rssIdle = rssMiB(pid);
    const { workspaces } = (await json(`${baseUrl}/_emulator/workspaces`)) as { workspaces: Array<{ id: string; now: number }> };
    const ws = workspaces[0];
    if (ws === undefined) throw new Error("no workspace");
    const seedStart = performance.now();
    await json(`${baseUrl}/_emulator/workspaces/${ws.id}/seed`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ preset: "demo", contacts: CONTACTS }),
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const rssSeeded = rssMiB(pid);

    // Date windows inside the seeded span (the past ~90 days): 7 to 30 days long.
    const day = 86_400;
    const now = ws.now;
    const search = async (i: number): Promise<{ ms: number; ids: string[]; total: number }> => {
      const from = now - day * (10 + (i % 60));
      const to = from + day * (7 + (i % 23));
      const body = JSON.stringify({
        query: { operator: "AND", value: [{ field: "created_at", operator: ">", value: from }, { field: "created_at", operator: "<", value: to }] },
        sort: { field: "created_at", order: "descending" },
        pagination: { per_page: 50 },
      });
      const t0 = performance.now();
      const response = await send(`${baseUrl}/contacts/search`, "POST", body);
      const text = response.text;
      // The answer is timed until its last byte arrives; parsing it is the client's cost, not the emulator's.
      const ms = performance.now() - t0;
      const result = JSON.parse(text) as { data: Array<{ id: string }>; total_count: number };
      if (response.status !== 200) throw new Error(`search: ${response.status} ${text}`);
      return { ms, ids: result.data.map((c) => c.id), total: result.total_count };
    };
    for (let i = 0; i < 300; i++) await search(i);
    const searchMs: number[] = [];
    const ids = new Set<string>();
    let matched = 0;
    for (let i = 0; i < SEARCHES; i++) {
      const r = await search(i);
      searchMs.push(r.ms);
      matched += r.total;
      if (ids.size < 5_000) for (const id of r.ids) ids.add(id);
    }
    const idList = [...ids];
    if (idList.length === 0) throw new Error("search found nothing: the seeded dates and the windows do not overlap");

    const latencies: number[] = [];
    let done = 0;
    const until = performance.now() + THROUGHPUT_SECONDS * 1000;
    const worker = async (w: number): Promise<void> => {
      let i = w;
      while (performance.now() < until) {
        const id = idList[i % idList.length] ?? "";
        i += CONCURRENCY;
        const t0 = performance.now();
        const response = await send(`${baseUrl}/contacts/${id}`, "GET");
        if (response.status !== 200) throw new Error(`retrieve: ${response.status}`);
        latencies.push(performance.now() - t0);
        done++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
    const elapsed = (performance.now() - t0) / 1000;
    const rssAfter = rssMiB(pid);

    const fmt = (n: number): string => n.toFixed(2);
    const rows = [
      `| contacts seeded | ${CONTACTS.toLocaleString("en-US")} in ${seedSeconds.toFixed(1)} s |`,
      `| date-range search, sorted by created_at, first page of 50: p50 | ${fmt(percentile(searchMs, 50))} ms (target < 5 ms) |`,
      `| same search: p99 | ${fmt(percentile(searchMs, 99))} ms |`,
      `| searches measured / mean matches per search | ${SEARCHES} / ${Math.round(matched / SEARCHES).toLocaleString("en-US")} |`,
      `| retrieve by id (GET /contacts/{id}), ${CONCURRENCY} concurrent clients | ${Math.round(done / elapsed).toLocaleString("en-US")} requests/s (p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms) |`,
      `| emulator RSS: idle / after seeding / after the run | ${rssIdle.toFixed(0)} / ${rssSeeded.toFixed(0)} / ${rssAfter.toFixed(0)} MiB (target < 500 MB) |`,
    ];
    const markdown = [
      "## Emulator (`npm run bench:emulator`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
      "Latencies are client-side over real HTTP (node:http keep-alive agent, loopback, until the last byte), the emulator in its own process (`node dist/cli/main.js emulator`).",
      "",
      "| what | result |",
      "|---|---|",
      ...rows,
    ].join("\n");
    writeSection(`${root}/BENCHMARKS.md`, "emulator", markdown);
    console.log(markdown);
  } finally {
    stop();
    agent.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
