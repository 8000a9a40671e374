import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createEmulator } from "../src/emulator/index.js";
import { writeFigureFile } from "../src/reliability/testing/figures.js";
import { describeMachine, percentile } from "./machine.js";
import { BenchProcesses } from "./processes.js";

// `npm run soak`: `serve` (a child process, SQLite) under a steady mix of actions and Power
// Automate polls for SOAK_SECONDS (600) at SOAK_RATE requests/s (50), with a webhook subscription
// taking every new lead and a short retention schedule (a sweep every 30 s, delivered events kept
// 36 s). Every 10 s it samples the service's RSS, the database's size on disk (file, -wal, -shm)
// and its rows; at the end a flatness verdict over the samples taken once retention has had time
// to reach its steady state. Writes reliability/soak.json (for RELIABILITY.md) and prints a table.

const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 50);
const SAMPLE_MS = 10_000;
/** Extra node flags for `serve` (`SOAK_NODE_ARGS=--max-old-space-size=96`: does RSS growth stop where V8 must collect?). */
const NODE_ARGS = (process.env.SOAK_NODE_ARGS ?? "").split(" ").filter((arg) => arg !== "");
const API_KEY = "soak-api-key-0123456789abcdef";
const RETENTION = { RETENTION_INTERVAL_SECONDS: "30", RETENTION_DELIVERED_HOURS: "0.01" };
/** Samples before this are the ramp: the first sweeps have not yet removed a full period of delivered events. */
const STEADY_AFTER_S = Math.min(180, SECONDS / 3);
/** Flat: the last half's median within this fraction of the half before's (RSS, and the database apart from dedupe keys). */
const FLAT_TOLERANCE = 0.1;

interface Sample {
  atS: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  rssMiB: number;
  dbKiB: number;
  outboxRows: number;
  keyRows: number;
  /** Pages of the dedupe keys' table and indexes (dbstat), which retention keeps a day by design. */
  keysKiB: number;
  /** Pages of everything else in the database (dbstat, WAL content included): what retention must keep flat. */
  restKiB: number;
}

const dir = mkdtempSync(join(tmpdir(), "soak-"));
const processes = new BenchProcesses(dir);
const emulator = createEmulator({ workspaces: [{ token: "soak-token", timezone: "UTC", rateLimitPerMinute: 100_000_000 }] });

async function main(): Promise<void> {
  const emulatorUrl = await emulator.listen(0);
  const workspace = emulator.state.all()[0];
  if (workspace === undefined) throw new Error("no workspace");
  const leads = Array.from({ length: 50 }, (_, i) => workspace.insertContact({ role: "lead", email: `seed-lead-${i}@example.com` }).id);
  const users = Array.from({ length: 50 }, (_, i) => workspace.insertContact({ role: "user", email: `seed-user-${i}@example.com` }).id);

  // The webhook receiver: takes every delivery at once.
  let deliveries = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      deliveries += 1;
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const dbFile = join(dir, "connector.db");
  const serve = processes.start("serve", ["serve", "--port", "0"], {
    DATABASE_URL: dbFile,
    CONNECTOR_SECRET_KEY: randomBytes(32).toString("hex"),
    INTERCOM_ACCESS_TOKEN: "soak-token",
    INTERCOM_BASE_URL: emulatorUrl,
    CONNECTOR_API_KEY: API_KEY,
    POLL_INTERVAL_SECONDS: "5",
    // Above the load (about 2,100 actions a minute), so nothing is refused; not far above it,
    // because the budget's ring keeps one row per unit of its limit (constant time per call,
    // storage of the limit's size): at 5,000 it is full before the steady samples start.
    CONNECTION_CALLS_PER_MINUTE: "5000",
    WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "true",
    LOG_LEVEL: "warn",
    ...RETENTION,
  }, { nodeArgs: [...NODE_ARGS, "--import", "tsx"], script: "src/cli/main.ts" });
  const [, url = ""] = await processes.waitFor(serve, /service listening on (http:\/\/\S+)/, "serve");

  const call = async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(url + path, {
      method,
      headers: { "x-api-key": API_KEY, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const hook = await call("POST", "/v1/triggers/TrigNewLead/subscriptions", { callback_url: receiverUrl });
  if (hook.status !== 201) throw new Error(`subscribing answered ${hook.status}: ${await hook.text()}`);
  // Power Automate flows: each keeps the Location it was last given.
  const flows: string[] = [];
  for (const trigger of ["TrigNewLead", "TrigNewLead", "TrigNewUser", "TrigUpdateUser"]) {
    const first = await call("GET", `/v1/triggers/${trigger}/poll`);
    await first.arrayBuffer();
    const location = new URL(first.headers.get("location") ?? "");
    flows.push(`${location.pathname}${location.search}`);
  }

  let created = 0;
  let pick = 0;
  const next = <T>(list: readonly T[]): T => list[pick++ % list.length] as T;
  /** Answers other than 200/202 by status (0: no answer). */
  const failures = new Map<number, number>();
  /** One request of the mix (30 % polls, the rest actions; one in ten creates a lead, one in twenty a user). */
  async function one(n: number): Promise<boolean> {
    const slot = n % 20;
    let response: Response;
    if (slot < 6) {
      const flow = n % flows.length;
      response = await call("GET", flows[flow] ?? "");
      if (response.status === 200) {
        const location = new URL(response.headers.get("location") ?? "");
        flows[flow] = `${location.pathname}${location.search}`;
      }
    } else if (slot < 8) response = await call("POST", "/v1/actions/CreateLead", { email: `soak-lead-${created++}@example.com` });
    else if (slot < 9) response = await call("POST", "/v1/actions/CreateUser", { email: `soak-user-${created++}@example.com` });
    else if (slot < 14) response = await call("POST", "/v1/actions/GetLead", { contact_id: next(leads) });
    else if (slot < 17) response = await call("POST", "/v1/actions/GetUser", { user_id: next(users) });
    else response = await call("GET", "/v1/actions/ListLeads");
    await response.arrayBuffer();
    const good = response.status === 200 || response.status === 202;
    if (!good) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
    return good;
  }

  const samples: Sample[] = [];
  let latencies: number[] = [];
  let requests = 0;
  let errors = 0;
  const started = Date.now();
  const db = (): Database.Database | null => (existsSync(dbFile) ? new Database(dbFile, { readonly: true, fileMustExist: true }) : null);
  const reader = db();
  const sizeKiB = (): number => ["", "-wal", "-shm"].reduce((sum, suffix) => sum + (existsSync(dbFile + suffix) ? statSync(dbFile + suffix).size : 0), 0) / 1024;
  // NaN once serve is gone (the run then stops and says so).
  const rssMiB = (): number => {
    const file = `/proc/${serve.child.pid ?? 0}/status`;
    if (!existsSync(file)) return Number.NaN;
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(file, "utf8"))?.[1] ?? Number.NaN) / 1024;
  };
  // dbstat: the pages of each table and index, as this connection sees them (WAL included).
  const pagesKiB = (): { keys: number; rest: number } => {
    const rows = (reader?.prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name").all() ?? []) as Array<{ name: string; bytes: number }>;
    const keys = rows.filter((row) => row.name.includes("emitted_keys")).reduce((sum, row) => sum + row.bytes, 0);
    const all = rows.reduce((sum, row) => sum + row.bytes, 0);
    return reader === null ? { keys: Number.NaN, rest: Number.NaN } : { keys: keys / 1024, rest: (all - keys) / 1024 };
  };
  const count = (table: string): number => (reader?.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number } | undefined)?.n ?? Number.NaN;
  const sample = (): void => {
    const pages = pagesKiB();
    samples.push({
      atS: Math.round((Date.now() - started) / 1000),
      requests,
      errors,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      rssMiB: rssMiB(),
      dbKiB: sizeKiB(),
      outboxRows: count("outbox"),
      keyRows: count("emitted_keys"),
      keysKiB: pages.keys,
      restKiB: pages.rest,
    });
    latencies = [];
    const last = samples.at(-1);
    if (last !== undefined) console.log(`${last.atS}s  ${last.requests} requests  ${last.errors} errors  RSS ${last.rssMiB.toFixed(1)} MiB  db ${last.dbKiB.toFixed(0)} KiB  outbox ${last.outboxRows}  keys ${last.keyRows} (${last.keysKiB.toFixed(0)} KiB)  rest ${last.restKiB.toFixed(0)} KiB`);
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);

  // Open loop: a request every 1/RATE s whatever the answers, so a slow service meets the same load.
  const inFlight = new Set<Promise<void>>();
  const total = SECONDS * RATE;
  let serveExit: { atS: number; code: number | null; signal: string | null } | null = null;
  serve.child.once("exit", (code, signal) => (serveExit = { atS: Math.round((Date.now() - started) / 1000), code, signal }));
  for (let n = 0; n < total && serveExit === null; n++) {
    const due = started + (n * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = performance.now();
    const request = one(n)
      .then(
        (good) => {
          if (!good) errors += 1;
        },
        () => {
          errors += 1;
          failures.set(0, (failures.get(0) ?? 0) + 1);
        },
      )
      .finally(() => {
        requests += 1;
        latencies.push(performance.now() - t0);
        inFlight.delete(request);
      });
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  sample();
  clearInterval(sampler);
  reader?.close();

  const steady = samples.filter((s) => s.atS >= STEADY_AFTER_S);
  const half = Math.floor(steady.length / 2);
  // Medians, not means: RSS between two collections swings with the load of the moment (a GC
  // spike is not growth); what must not grow is the level the service keeps coming back to.
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
  };
  const middle = steady.slice(0, half);
  const last = steady.slice(half);
  const growth = (pick: (s: Sample) => number): number => median(last.map(pick)) / median(middle.map(pick)) - 1;
  const rssGrowth = growth((s) => s.rssMiB);
  const dbGrowth = growth((s) => s.dbKiB);
  const restGrowth = growth((s) => s.restKiB);
  const first = steady[0];
  const end = steady.at(-1);
  const bytesPerKey = first === undefined || end === undefined || end.keyRows === first.keyRows ? Number.NaN : ((end.keysKiB - first.keysKiB) * 1024) / (end.keyRows - first.keyRows);
  const verdict = {
    steadyAfterS: STEADY_AFTER_S,
    tolerance: FLAT_TOLERANCE,
    rssGrowth,
    dbGrowth,
    restGrowth,
    bytesPerKey,
    rssFlat: Math.abs(rssGrowth) <= FLAT_TOLERANCE,
    dbFlat: Math.abs(dbGrowth) <= FLAT_TOLERANCE,
    restFlat: Math.abs(restGrowth) <= FLAT_TOLERANCE,
  };
  const figures = {
    seconds: SECONDS,
    rate: RATE,
    achievedRate: requests / ((Date.now() - started) / 1000),
    requests,
    errors,
    errorsByStatus: Object.fromEntries(failures),
    serveExit,
    webhookDeliveries: deliveries,
    nodeArgs: NODE_ARGS,
    retention: RETENTION,
    pollIntervalSeconds: 5,
    store: "sqlite",
    runner: "serve via node --import tsx src/cli/main.ts",
    samples,
    verdict,
  };
  // Only the documented run (10 min, 50/s, no extra flags) is RELIABILITY.md's figure; a trial just prints.
  if (serveExit !== null) console.log(`serve exited during the run: ${JSON.stringify(serveExit)}`);
  if (SECONDS === 600 && RATE === 50 && NODE_ARGS.length === 0) {
    writeFigureFile({ section: "soak", command: "npm run soak", date: new Date().toISOString(), machine: describeMachine(), figures });
  }
  console.log(`\n${describeMachine()}`);
  console.log(`${requests} requests in ${SECONDS} s (${figures.achievedRate.toFixed(1)}/s), ${errors} not 200/202 ${JSON.stringify(Object.fromEntries(failures))}, ${deliveries} webhook deliveries`);
  console.log(
    `after ${STEADY_AFTER_S} s (median of the last half against the half before): RSS ${(rssGrowth * 100).toFixed(1)} %, database apart from dedupe keys ${(restGrowth * 100).toFixed(1)} %: ${verdict.rssFlat && verdict.restFlat ? "flat" : "NOT flat"}; file + WAL ${(dbGrowth * 100).toFixed(1)} %, dedupe keys ${bytesPerKey.toFixed(0)} bytes each`,
  );
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
}

try {
  await main();
} finally {
  await processes.stopAll();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
}
