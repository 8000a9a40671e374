/**
 * Scale benchmark (issue 5): many webhook subscriptions, polled on schedule by one or three
 * `serve` instances sharing one database, against one emulator process.
 *
 * For each configuration (SQLite with one instance; PostgreSQL with one, then three instances):
 *  - a fresh database gets BENCH_CONNECTIONS connections (one emulator workspace token) with
 *    BENCH_SUBSCRIPTIONS webhook subscriptions of TrigNewLead in all, their first polls spread evenly
 *    over one interval;
 *  - the instances (`node dist/cli/main.js serve`, debug logs to a file) run for BENCH_RUN_SECONDS;
 *    each poll logs how late it started behind its schedule (`lagMs`);
 *  - reported: polls made vs. due, lag p50 / p99 / max (the slowest poll), and the instances' memory
 *    growth per subscription (RSS after the run minus RSS before the subscriptions existed).
 * The interval is BENCH_INTERVAL seconds (default 60: twice the production rate of 120 s).
 * PostgreSQL comes from BENCH_DATABASE_URL or TEST_DATABASE_URL (a fresh schema per run).
 * It first measures shared scans (bench/shared-scan.ts: Intercom calls per interval for 100
 * subscriptions of one trigger on one connection; BENCH_SCALE_ONLY=shared stops there).
 * Run: npm run bench:scale  (builds, then writes the "shared-scan" and "scale" sections of BENCHMARKS.md)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { openStore } from "../src/store/index.js";
import { NO_CURSOR } from "../src/triggers/index.js";
import { describeMachine, percentile } from "./machine.js";
import { BenchProcesses, ROOT } from "./processes.js";
import { writeSection } from "./report.js";
import { measureSharedScans, sharedScanMarkdown } from "./shared-scan.js";

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const INTERVAL = Number(process.env.BENCH_INTERVAL ?? 60);
const RUN_SECONDS = Number(process.env.BENCH_RUN_SECONDS ?? INTERVAL * 2);
const START_DELAY_SECONDS = 5;
const TOKEN = "scale-token";
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

interface Config {
  label: string;
  database: "sqlite" | "postgres";
  instances: number;
}

interface Outcome {
  config: Config;
  polls: number;
  due: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  bytesPerSubscription: number;
  setupSeconds: number;
}

async function runConfig(config: Config, emulatorUrl: string, dir: string, processes: BenchProcesses): Promise<Outcome> {
  const secretKey = randomBytes(32);
  const schema = `icc_scale_${randomBytes(5).toString("hex")}`;
  let url: string;
  if (config.database === "sqlite") {
    url = `sqlite://${join(dir, `${config.label.replace(/\W+/g, "-")}.db`)}`;
  } else {
    const u = new URL(pgUrl);
    u.searchParams.set("schema", schema);
    url = u.href;
  }
  try {
    const setupStarted = performance.now();
    const store = await openStore(url, { secretKey });
    const connections: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      connections.push((await store.createConnection({ name: `bench ${i}`, region: "us", baseUrl: emulatorUrl, accessToken: TOKEN })).connection.id);
    }
    // Created far in the future, then scheduled in one statement once the instances run.
    const later = new Date(Date.UTC(2999, 0, 1));
    const ids: string[] = [];
    for (let i = 0; i < SUBSCRIPTIONS; i++) {
      const subscription = await store.createSubscription({ connectionId: connections[i % CONNECTIONS] ?? "", triggerId: "TrigNewLead", cursor: NO_CURSOR, nextPollAt: later });
      await store.createWebhook({ subscriptionId: subscription.id, callbackUrl: "http://127.0.0.1:9/unused", secret: `whsec_${randomBytes(24).toString("base64")}` });
      ids.push(subscription.id);
    }
    await store.close();
    const setupSeconds = (performance.now() - setupStarted) / 1000;

    const instances = Array.from({ length: config.instances }, (_, i) =>
      processes.start(`${config.label}-${i}`.replace(/\W+/g, "-"), ["serve", "--port", "0"], {
        DATABASE_URL: url,
        CONNECTOR_SECRET_KEY: secretKey.toString("hex"),
        INTERCOM_ACCESS_TOKEN: TOKEN,
        INTERCOM_BASE_URL: emulatorUrl,
        POLL_INTERVAL_SECONDS: String(INTERVAL),
        CONNECTION_CALLS_PER_MINUTE: "1000",
        LOG_LEVEL: "debug",
        WEBHOOK_ALLOW_PRIVATE_CALLBACKS: "true",
      }),
    );
    for (const instance of instances) await processes.waitFor(instance, /service listening on/, "serve");
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssBefore = instances.map((i) => rssBytes(i.child.pid ?? 0));

    // First polls spread evenly over one interval, starting START_DELAY_SECONDS from now.
    const firstAt = Date.now() + START_DELAY_SECONDS * 1000;
    const step = (INTERVAL * 1000) / SUBSCRIPTIONS;
    if (config.database === "sqlite") {
      const db = new Database(url.slice("sqlite://".length));
      db.pragma("busy_timeout = 10000");
      const update = db.prepare("UPDATE trigger_subscriptions SET next_poll_at = ? WHERE id = ?");
      db.transaction(() => ids.forEach((id, i) => update.run(Math.round(firstAt + i * step), id)))();
      db.close();
    } else {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(
        `UPDATE ${schema}.trigger_subscriptions AS s SET next_poll_at = v.at FROM (SELECT unnest($1::text[]) AS id, unnest($2::bigint[]) AS at) AS v WHERE s.id = v.id`,
        [ids, ids.map((_, i) => Math.round(firstAt + i * step))],
      );
      await client.end();
    }
    const runEnd = firstAt + RUN_SECONDS * 1000;
    await new Promise((resolve) => setTimeout(resolve, runEnd - Date.now()));
    const rssAfter = instances.map((i) => rssBytes(i.child.pid ?? 0));
    for (const instance of instances) await processes.stop(instance);

    const lags: number[] = [];
    for (const instance of instances) {
      for (const line of readFileSync(instance.out, "utf8").split("\n")) {
        if (!line.includes("webhook trigger poll started")) continue;
        const entry = JSON.parse(line) as { lagMs: number; time: number };
        if (entry.time <= runEnd) lags.push(entry.lagMs);
      }
    }
    // Polls whose schedule fell inside the run: each subscription's first, then one per interval.
    let due = 0;
    for (let i = 0; i < SUBSCRIPTIONS; i++) due += Math.max(0, Math.floor((runEnd - (firstAt + i * step)) / (INTERVAL * 1000)) + 1);
    const grown = rssAfter.reduce((sum, after, i) => sum + (after - (rssBefore[i] ?? 0)), 0);
    return {
      config,
      polls: lags.length,
      due,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      lagMax: Math.max(...lags),
      bytesPerSubscription: grown / SUBSCRIPTIONS,
      setupSeconds,
    };
  } finally {
    if (config.database === "postgres") {
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
}

async function main(): Promise<void> {
  process.stderr.write("shared scans…\n");
  const shared = sharedScanMarkdown(await measureSharedScans(), describeMachine());
  writeSection(join(ROOT, "BENCHMARKS.md"), "shared-scan", shared);
  process.stdout.write(`${shared}\n\n`);
  if (process.env.BENCH_SCALE_ONLY === "shared") return;
  const dir = mkdtempSync(join(tmpdir(), "bench-scale-"));
  const processes = new BenchProcesses(dir);
  try {
    const emulator = processes.start("emulator", ["emulator", "--port", "0", "--token", TOKEN, "--rate-limit", "600000000"], {});
    const emulatorUrl = (await processes.waitFor(emulator, /listening on (http:\/\/\S+)/, "emulator"))[1] ?? "";
    const configs: Config[] = [
      { label: "SQLite, 1 instance", database: "sqlite", instances: 1 },
      { label: "PostgreSQL, 1 instance", database: "postgres", instances: 1 },
      { label: "PostgreSQL, 3 instances", database: "postgres", instances: 3 },
    ];
    const outcomes: Outcome[] = [];
    for (const config of configs) {
      process.stderr.write(`${config.label}…\n`);
      outcomes.push(await runConfig(config, emulatorUrl, dir, processes));
    }
    const ms = (value: number): string => `${Math.round(value).toLocaleString("en-US")} ms`;
    const markdown = [
      "## Scale: many subscriptions, one or three instances (`npm run bench:scale`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}; PostgreSQL 15 on the same machine.`,
      `${SUBSCRIPTIONS.toLocaleString("en-US")} webhook subscriptions of TrigNewLead over ${CONNECTIONS} connections (one emulator process, nothing new to find: each poll is one search call), ` +
        `polled every ${INTERVAL} s (production: 120 s, so this is twice the real rate), first polls spread evenly over one interval; ${RUN_SECONDS} s per run. ` +
        "Lag: how late a poll started behind its schedule, from each instance's debug log. Memory: the instances' RSS growth over the run, per subscription (state lives in the database).",
      "",
      `| store, instances | polls made / due | lag p50 | lag p99 | slowest poll's lag | memory per subscription | set-up (${SUBSCRIPTIONS.toLocaleString("en-US")} subscriptions) |`,
      "|---|---|---|---|---|---|---|",
      ...outcomes.map(
        (o) =>
          `| ${o.config.label} | ${o.polls.toLocaleString("en-US")} / ${o.due.toLocaleString("en-US")} | ${ms(o.lagP50)} | ${ms(o.lagP99)} | ${ms(o.lagMax)} | ${Math.round(o.bytesPerSubscription).toLocaleString("en-US")} B | ${o.setupSeconds.toFixed(1)} s |`,
      ),
    ].join("\n");
    writeSection(join(ROOT, "BENCHMARKS.md"), "scale", markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
