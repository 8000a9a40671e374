/**
 * Budget benchmark (issue 9): what one `Store.spendCallBudget` costs with a full window, at a
 * limit of 100 and of 10,000 per 60 s, on SQLite (a file in WAL mode, as `serve` uses it) and on
 * PostgreSQL (a fresh schema). For each store, budget and limit (an "arm"):
 *  - the key is filled with `limit` spends, one every 60 s / limit on a synthetic clock, so the
 *    window holds `limit` units, then BENCH_WARMUP more (untimed) at that pace;
 *  - admitted: BENCH_SPENDS spends go on at that pace, each landing as the oldest unit leaves:
 *    the window stays full and every spend is admitted and writes;
 *  - refused: BENCH_SPENDS spends at the last admitted spend's time, all refused.
 * The arms of a store take turns in BENCH_ROUNDS rounds (the order turning each round), so that
 * the machine's noise falls on all of them alike. Each spend is timed alone (performance.now
 * around the awaited call, one in flight); reported: mean, p50 and p99 in microseconds. The ring
 * is this release's store; the sliding log is the
 * one it replaced (one row per unit, the window counted on every spend), run here with its
 * statements unchanged on a table of its own, as the baseline.
 * PostgreSQL runs when --database-url postgres://… or TEST_DATABASE_URL is given.
 * Run: npm run bench:budget [-- --database-url postgres://…]  (writes the "budget" section of BENCHMARKS.md)
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openStore, type Store } from "../src/store/index.js";
import { openSqliteDatabase, type SqliteDatabase } from "../src/store/sqlite/database.js";
import { describeMachine, percentile } from "./machine.js";
import { ROOT } from "./processes.js";
import { writeSection } from "./report.js";

const SPENDS = Number(process.env.BENCH_SPENDS ?? 5_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WINDOW_MS = 60_000;
const LIMITS = [100, 10_000] as const;
const T0 = 1_700_000_000_000;

const { values: flags } = parseArgs({ options: { "database-url": { type: "string" } } });
const pgUrl = flags["database-url"] ?? process.env.TEST_DATABASE_URL ?? "";

/** The URL without its password, for BENCHMARKS.md. */
function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.href;
}

/** The command this run was, as BENCHMARKS.md names it. */
function command(): string {
  if (flags["database-url"] !== undefined) return `npm run bench:budget -- --database-url ${redacted(flags["database-url"])}`;
  if (pgUrl !== "") return `TEST_DATABASE_URL=${redacted(pgUrl)} npm run bench:budget`;
  return "npm run bench:budget";
}

/** One spend: `limit` units per 60 s, cost 1, at `nowMs`; answers whether it was admitted. */
type Spend = (limit: number, nowMs: number) => Promise<boolean>;

interface Sample {
  mean: number;
  p50: number;
  p99: number;
}

interface Row {
  store: string;
  budget: string;
  outcome: "admitted" | "refused";
  byLimit: Map<number, Sample>;
}

const summarize = (micros: number[]): Sample => ({ mean: micros.reduce((a, b) => a + b, 0) / micros.length, p50: percentile(micros, 50), p99: percentile(micros, 99) });

/**
 * One budget at one limit, on its own synthetic clock: filled once, then measured in chunks so
 * that the arms of a store can take turns (the machine's noise then falls on all of them alike).
 */
class Arm {
  readonly admitted: number[] = [];
  readonly refused: number[] = [];
  private readonly step: number;
  private now = T0;

  constructor(
    readonly budget: string,
    readonly limit: number,
    private readonly spend: Spend,
  ) {
    this.step = WINDOW_MS / limit;
  }

  /** `limit` spends fill the window, then the warm-up (untimed) runs at the same pace. */
  async fill(): Promise<void> {
    for (let i = 0; i < this.limit + WARMUP; i++, this.now += this.step) await this.timed(true);
  }

  /** Admitted spends at the pace that keeps the window full, then refused ones at the last one's time. */
  async chunk(spends: number): Promise<void> {
    for (let i = 0; i < spends; i++, this.now += this.step) this.admitted.push(await this.timed(true));
    const last = this.now - this.step;
    for (let i = 0; i < spends; i++) this.refused.push(await this.timed(false, last));
  }

  private async timed(admitted: boolean, at = this.now): Promise<number> {
    const started = performance.now();
    const answer = await this.spend(this.limit, at);
    const micros = (performance.now() - started) * 1000;
    if (answer !== admitted) throw new Error(`a spend at ${at - T0} ms of limit ${this.limit} was ${answer ? "admitted" : "refused"}, not ${admitted ? "admitted" : "refused"}`);
    return micros;
  }
}

/** The store's own budget (the ring), one key per limit. */
function ringSpend(store: Store): Spend {
  return async (limit, nowMs) => (await store.spendCallBudget(`bench:${limit}`, { limit, windowMs: WINDOW_MS, cost: 1, nowMs })).allowed;
}

/** The previous SQLite budget, statement for statement (cost 1), on `bench_call_log`. */
function sqliteLogSpend(db: SqliteDatabase): Spend {
  db.exec("CREATE TABLE bench_call_log (id INTEGER PRIMARY KEY, budget_key TEXT NOT NULL, called_at INTEGER NOT NULL)");
  db.exec("CREATE INDEX bench_call_log_by_key ON bench_call_log (budget_key, called_at)");
  const sync = { normal: db.prepare("PRAGMA synchronous = NORMAL"), full: db.prepare("PRAGMA synchronous = FULL") };
  const expire = db.prepare<[string, number]>("DELETE FROM bench_call_log WHERE budget_key = ? AND called_at <= ?");
  const count = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM bench_call_log WHERE budget_key = ?");
  const insert = db.prepare<[string, number]>("INSERT INTO bench_call_log (budget_key, called_at) VALUES (?, ?)");
  const oldest = db.prepare<[string, number], { called_at: number }>("SELECT called_at FROM bench_call_log WHERE budget_key = ? ORDER BY called_at LIMIT 1 OFFSET ?");
  const spend = db.transaction((key: string, limit: number, nowMs: number): boolean => {
    expire.run(key, nowMs - WINDOW_MS);
    const spent = count.get(key)?.n ?? 0;
    if (spent + 1 <= limit) {
      insert.run(key, nowMs);
      return true;
    }
    oldest.get(key, spent - limit);
    return false;
  });
  return async (limit, nowMs) => {
    sync.normal.run();
    try {
      return spend.immediate(`bench:${limit}`, limit, nowMs);
    } finally {
      sync.full.run();
    }
  };
}

/** The previous PostgreSQL budget, statement for statement (cost 1), on `bench_call_log`. */
async function postgresLogSpend(pool: pg.Pool): Promise<Spend> {
  await pool.query("CREATE TABLE bench_call_log (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, budget_key TEXT NOT NULL, called_at BIGINT NOT NULL)");
  await pool.query("CREATE INDEX bench_call_log_by_key ON bench_call_log (budget_key, called_at)");
  return async (limit, nowMs) => {
    const key = `bench:${limit}`;
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `SELECT set_config('synchronous_commit', 'off', true),
                pg_advisory_xact_lock(hashtextextended('intercom-connector:budget:' || coalesce(current_schema(), '') || ':' || $1, 0))`,
        [key],
      );
      await client.query("DELETE FROM bench_call_log WHERE budget_key = $1 AND called_at <= $2", [key, nowMs - WINDOW_MS]);
      const spent = Number((await client.query<{ n: string }>("SELECT count(*) AS n FROM bench_call_log WHERE budget_key = $1", [key])).rows[0]?.n ?? 0);
      const admitted = spent + 1 <= limit;
      if (admitted) await client.query("INSERT INTO bench_call_log (budget_key, called_at) SELECT $1, $2::bigint FROM generate_series(1, $3::integer)", [key, nowMs, 1]);
      else await client.query("SELECT called_at FROM bench_call_log WHERE budget_key = $1 ORDER BY called_at LIMIT 1 OFFSET $2", [key, spent - limit]);
      await client.query("COMMIT");
      return admitted;
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  };
}

async function runStore(label: string, budgets: Array<{ budget: string; spend: Spend }>, rows: Row[]): Promise<void> {
  const arms = budgets.flatMap(({ budget, spend }) => LIMITS.map((limit) => new Arm(budget, limit, spend)));
  for (const arm of arms) await arm.fill();
  for (let round = 0; round < ROUNDS; round++) {
    // The order turns each round, so no arm always runs first or right after another.
    for (let i = 0; i < arms.length; i++) await arms[(i + round) % arms.length]?.chunk(Math.ceil(SPENDS / ROUNDS));
  }
  for (const { budget } of budgets) {
    const mine = arms.filter((arm) => arm.budget === budget);
    rows.push({ store: label, budget, outcome: "admitted", byLimit: new Map(mine.map((arm) => [arm.limit, summarize(arm.admitted)])) });
    rows.push({ store: label, budget, outcome: "refused", byLimit: new Map(mine.map((arm) => [arm.limit, summarize(arm.refused)])) });
    for (const arm of mine) process.stderr.write(`${label}, ${budget}, limit ${arm.limit}: admitted p50 ${percentile(arm.admitted, 50).toFixed(1)} µs, refused p50 ${percentile(arm.refused, 50).toFixed(1)} µs\n`);
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  // The machine may be shared (other test suites, other benchmarks): the load is part of the figures.
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const dir = mkdtempSync(join(tmpdir(), "icc-bench-budget-"));
  try {
    // A file each, so that neither's WAL checkpoints land on the other's spends.
    const store = await openStore(`sqlite://${join(dir, "connector.db")}`, { secretKey: randomBytes(32) });
    const raw = openSqliteDatabase(join(dir, "log.db"));
    try {
      await runStore("SQLite", [{ budget: "ring (this release)", spend: ringSpend(store) }, { budget: "sliding log (before)", spend: sqliteLogSpend(raw) }], rows);
    } finally {
      raw.close();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  let postgresVersion = "";
  if (pgUrl !== "") {
    const schema = `icc_budget_${randomBytes(5).toString("hex")}`;
    const url = new URL(pgUrl);
    url.searchParams.set("schema", schema);
    const store = await openStore(url.href, { secretKey: randomBytes(32) });
    const pool = new pg.Pool({ connectionString: pgUrl, max: 2, options: `-c search_path=${schema}` });
    try {
      postgresVersion = (await pool.query<{ v: string }>("SHOW server_version")).rows[0]?.v ?? "";
      await runStore("PostgreSQL", [{ budget: "ring (this release)", spend: ringSpend(store) }, { budget: "sliding log (before)", spend: await postgresLogSpend(pool) }], rows);
    } finally {
      await pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await pool.end();
      await store.close();
    }
  } else {
    process.stderr.write("PostgreSQL skipped: pass --database-url postgres://… or set TEST_DATABASE_URL\n");
  }

  const loadAfter = loadavg()[0] ?? Number.NaN;
  const us = (value: number): string => `${value.toLocaleString("en-US", { maximumFractionDigits: value < 100 ? 1 : 0 })} µs`;
  const cells = (row: Row, limit: number): string => {
    const s = row.byLimit.get(limit);
    return s === undefined ? "– | – | –" : `${us(s.mean)} | ${us(s.p50)} | ${us(s.p99)}`;
  };
  const ring = (store: string, outcome: Row["outcome"], limit: number): number => rows.find((r) => r.store === store && r.budget.startsWith("ring") && r.outcome === outcome)?.byLimit.get(limit)?.p50 ?? Number.NaN;
  const growth = [...new Set(rows.map((r) => r.store))]
    .map((store) => `${store} ${(ring(store, "admitted", 10_000) / ring(store, "admitted", 100)).toFixed(2)}× (admitted), ${(ring(store, "refused", 10_000) / ring(store, "refused", 100)).toFixed(2)}× (refused)`)
    .join("; ");
  const markdown = [
    "## Call budget (`npm run bench:budget`)",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()} (${availableParallelism()} cores available)${postgresVersion === "" ? "" : `; PostgreSQL ${postgresVersion} on the same machine`}; 1-minute load average ${loadBefore.toFixed(1)} at the start, ${loadAfter.toFixed(1)} at the end.`,
    `Command: \`${command()}\`. One \`spendCallBudget\` (cost 1, window 60 s) with a full window: the key first holds \`limit\` spends, then ${SPENDS.toLocaleString("en-US")} admitted and ${SPENDS.toLocaleString("en-US")} refused spends are timed one at a time, ` +
      "each alone in flight: **admitted** spends arrive one every 60 s / limit on a synthetic clock, so each lands as the oldest unit leaves (the window stays full and every spend writes); " +
      `**refused** spends come at the last admitted spend's time. The budgets and limits of a store take turns over ${ROUNDS} rounds. SQLite: a file each in WAL mode, as \`serve\` uses it; PostgreSQL: a fresh schema. ` +
      "The sliding log is the budget this release replaced (a row per unit, the window counted on every spend), its statements unchanged, on a table of its own.",
    "",
    "| store | budget | spend | limit 100: mean | p50 | p99 | limit 10,000: mean | p50 | p99 |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map((row) => `| ${row.store} | ${row.budget} | ${row.outcome} | ${cells(row, 100)} | ${cells(row, 10_000)} |`),
    "",
    `The ring's p50 at 10,000 over its p50 at 100: ${growth}.`,
  ].join("\n");
  writeSection(join(ROOT, "BENCHMARKS.md"), "budget", markdown);
  process.stdout.write(`${markdown}\n`);
}

await main();
