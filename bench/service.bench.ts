/**
 * Service benchmark: the same `GetLead` three ways, in one run against one emulator (its own
 * process, demo data), the arms interleaved round by round so that the machine's noise falls on
 * all of them alike:
 *  - the service: `POST /v1/actions/GetLead` with an API key (`node dist/cli/main.js serve`, its
 *    own process: the SQLite store on disk, API-key lookup, budget, validation, the SDK
 *    transport, mapping, pino logging at `info` to a file);
 *  - a bare Node pass-through proxy (bench/bare-proxy.ts, its own process): the same request,
 *    the key checked against one in-memory value, forwarded as `GET /contacts/{id}` over a
 *    keep-alive agent, the emulator's JSON passed back: the floor for any service in front of
 *    Intercom;
 *  - the emulator straight (`GET /contacts/{id}`, as the SDK sends it).
 * Each round measures every arm with 1 request in flight (p50, p99) and with 8 in flight
 * (requests/s), by autocannon over loopback keep-alive, latencies taken per response; the figures
 * are the medians over the rounds, the ratios the medians of each round's ratio.
 * The service's budget runs at its production window (60 s) with a limit that never refuses
 * (10^8 per window), so every call spends from a window holding every spend of the last minute.
 * Then the Power Automate polling endpoint when idle (202s from the outbox), once.
 * Run: npm run bench:service  (builds, then writes the "service" section of BENCHMARKS.md)
 * BENCH_ROUNDS (default 5) and BENCH_SECONDS (per measurement, default 3) change the length.
 * BENCH_BASELINE=<dir> adds a fourth arm, interleaved with the others: the service of another build
 * (`<dir>/dist/cli/main.js`, say the last commit's), for a before/after in one run;
 * BENCH_BASELINE_LABEL names it in the table.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { describeMachine, percentile } from "./machine.js";
import { BenchProcesses, ROOT, type BenchProcess } from "./processes.js";
import { writeSection } from "./report.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const LOAD = 8;
const TOKEN = "bench-token";
const API_KEY = "bench-api-key-0123456789abcdef";
const BUDGET = 100_000_000;
const BUDGET_WINDOW_SECONDS = 60;

interface Measured {
  requestsPerSecond: number;
  /** CPU µs per request of the server under test, and of the emulator behind it (NaN off Linux). */
  cpuPerRequest: number;
  emulatorCpuPerRequest: number;
  p50: number;
  p99: number;
  total: number;
  statuses: Map<number, number>;
}

/** One autocannon run; latencies are collected per response (autocannon's histogram has 1 ms steps). */
function cannon(options: autocannon.Options): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    const instance = autocannon(options, (error, result) => {
      if (error !== null && error !== undefined) return reject(error instanceof Error ? error : new Error(String(error)));
      if (result.errors > 0 || result.timeouts > 0) return reject(new Error(`${options.url}: ${result.errors} errors, ${result.timeouts} timeouts`));
      const seconds = result.duration || Number(options.duration ?? SECONDS);
      resolve({ requestsPerSecond: result.requests.total / seconds, cpuPerRequest: Number.NaN, emulatorCpuPerRequest: Number.NaN, p50: percentile(latencies, 50), p99: percentile(latencies, 99), total: result.requests.total, statuses });
    });
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

function only(status: number, measured: Measured, what: string): Measured {
  const other = [...measured.statuses.keys()].filter((s) => s !== status);
  if (other.length > 0) throw new Error(`${what}: statuses ${JSON.stringify([...measured.statuses])}, expected only ${status}`);
  return measured;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};
const ms = (value: number): string => `${value.toFixed(2)} ms`;
const rps = (value: number): string => Math.round(value).toLocaleString("en-US");
const us = (value: number): string => (Number.isNaN(value) ? "n/a" : `${Math.round(value)} µs`);
const range = (values: readonly number[], format: (v: number) => string): string => `${format(Math.min(...values))} – ${format(Math.max(...values))}`;

type ArmId = "service" | "proxy" | "emulator" | "baseline";
interface Arm {
  id: ArmId;
  label: string;
  /** The process that answers the arm's requests. */
  server: BenchProcess;
  request: Pick<autocannon.Options, "url" | "method" | "headers" | "body">;
  latency: Measured[];
  load: Measured[];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-service-"));
  const processes = new BenchProcesses(dir);
  try {
    const emulator = processes.start("emulator", ["emulator", "--port", "0", "--token", TOKEN, "--seed", "demo", "--rate-limit", "600000000"], {});
    const emulatorUrl = (await processes.waitFor(emulator, /listening on (http:\/\/\S+)/, "emulator"))[1] ?? "";
    const serviceEnv = {
      INTERCOM_ACCESS_TOKEN: TOKEN,
      INTERCOM_BASE_URL: emulatorUrl,
      CONNECTOR_API_KEY: API_KEY,
      CONNECTION_CALLS_PER_MINUTE: String(BUDGET),
      CONNECTION_CALL_WINDOW_SECONDS: String(BUDGET_WINDOW_SECONDS),
      LOG_LEVEL: "info",
    };
    const service = processes.start("service", ["serve", "--port", "0", "--state", join(dir, "state")], serviceEnv);
    const serviceUrl = (await processes.waitFor(service, /service listening on (http:\/\/\S+)[\s\S]*Press Ctrl/, "service"))[1] ?? "";
    const baselineDir = process.env.BENCH_BASELINE;
    const baseline =
      baselineDir === undefined || baselineDir === ""
        ? null
        : processes.start("baseline", ["serve", "--port", "0", "--state", join(dir, "baseline-state")], serviceEnv, { script: join(baselineDir, "dist", "cli", "main.js") });
    const baselineUrl = baseline === null ? null : ((await processes.waitFor(baseline, /service listening on (http:\/\/\S+)[\s\S]*Press Ctrl/, "baseline service"))[1] ?? "");
    const proxy = processes.start("proxy", [], { UPSTREAM_URL: emulatorUrl, UPSTREAM_TOKEN: TOKEN, PROXY_API_KEY: API_KEY }, { nodeArgs: ["--import", "tsx"], script: "bench/bare-proxy.ts" });
    const proxyUrl = (await processes.waitFor(proxy, /bare proxy listening on (http:\/\/\S+)/, "bare proxy"))[1] ?? "";

    const page = (await (await fetch(`${serviceUrl}/v1/actions/ListLeads`, { headers: { "X-API-Key": API_KEY } })).json()) as { value: Array<{ id: string }> };
    const leadId = page.value[0]?.id;
    if (leadId === undefined) throw new Error("no lead in the demo data");

    const getLead = { method: "POST" as const, headers: { "x-api-key": API_KEY, "content-type": "application/json" }, body: JSON.stringify({ contact_id: leadId }) };
    const arms: Arm[] = [
      { id: "service", label: "the service (`POST /v1/actions/GetLead`)", server: service, request: { url: `${serviceUrl}/v1/actions/GetLead`, ...getLead }, latency: [], load: [] },
      { id: "proxy", label: "bare Node proxy (same request)", server: proxy, request: { url: `${proxyUrl}/v1/actions/GetLead`, ...getLead }, latency: [], load: [] },
      {
        id: "emulator",
        label: "the emulator straight (`GET /contacts/{id}`)",
        server: emulator,
        request: { url: `${emulatorUrl}/contacts/${leadId}`, method: "GET", headers: { authorization: `Bearer ${TOKEN}`, "intercom-version": "2.14", accept: "application/json" } },
        latency: [],
        load: [],
      },
    ];

    if (baseline !== null && baselineUrl !== null) {
      arms.push({ id: "baseline", label: process.env.BENCH_BASELINE_LABEL ?? `the service, baseline build (\`${baselineDir ?? ""}\`)`, server: baseline, request: { url: `${baselineUrl}/v1/actions/GetLead`, ...getLead }, latency: [], load: [] });
    }

    // Each arm answers the lead (the service in the contract's shape, the others as Intercom's contact).
    for (const arm of arms) {
      const answer = await fetch(arm.request.url ?? "", { method: arm.request.method ?? "GET", headers: (arm.request.headers ?? {}) as Record<string, string>, ...(arm.request.body === undefined ? {} : { body: arm.request.body as string }) });
      const body = (await answer.json()) as { id?: unknown };
      if (answer.status !== 200 || body.id !== leadId) throw new Error(`${arm.id} answered ${answer.status} ${JSON.stringify(body).slice(0, 200)}`);
    }

    // Warm-up (discarded): every arm at load, then at one in flight.
    for (const arm of arms) only(200, await cannon({ ...arm.request, connections: LOAD, duration: 2 }), `${arm.id} warm-up`);
    for (const arm of arms) only(200, await cannon({ ...arm.request, connections: 1, duration: 1 }), `${arm.id} warm-up`);

    /** One measurement of an arm, with the CPU its server and the emulator used meanwhile. */
    const measureArm = async (arm: Arm, connections: number): Promise<Measured> => {
      const cpu = processes.cpuMicros(arm.server);
      const emulatorCpu = processes.cpuMicros(emulator);
      const measured = only(200, await cannon({ ...arm.request, connections, duration: SECONDS }), `${arm.id}, ${connections} in flight`);
      measured.cpuPerRequest = (processes.cpuMicros(arm.server) - cpu) / measured.total;
      measured.emulatorCpuPerRequest = (processes.cpuMicros(emulator) - emulatorCpu) / measured.total;
      return measured;
    };

    let serviceCalls = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // The order turns each round, so no arm always runs first or right after another.
      const order = arms.map((_, i) => arms[(i + round) % arms.length] as Arm);
      for (const arm of order) {
        const measured = await measureArm(arm, 1);
        arm.latency.push(measured);
        if (arm.id === "service") serviceCalls += measured.total;
      }
      for (const arm of order) {
        const measured = await measureArm(arm, LOAD);
        arm.load.push(measured);
        if (arm.id === "service") serviceCalls += measured.total;
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${arms.map((a) => `${a.id} ${ms(a.latency[round]?.p50 ?? NaN)} p50, ${rps(a.load[round]?.requestsPerSecond ?? NaN)}/s, ${us(a.load[round]?.cpuPerRequest ?? NaN)} CPU`).join("; ")}\n`);
    }

    const [svc, prx, emu] = arms as [Arm, Arm, Arm];
    const againstProxy = (arm: Arm) => ({
      throughputRatios: arm.load.map((m, i) => m.requestsPerSecond / (prx.load[i]?.requestsPerSecond ?? NaN)),
      addedP50: arm.latency.map((m, i) => m.p50 - (prx.latency[i]?.p50 ?? NaN)),
    });
    const { throughputRatios, addedP50 } = againstProxy(svc);
    const ratio = median(throughputRatios);
    const added = median(addedP50);
    const base = arms.find((a) => a.id === "baseline");
    const baseLine =
      base === undefined
        ? []
        : [
            "",
            `The same two figures for ${base.label}, in the same run: ${median(againstProxy(base).throughputRatios).toFixed(2)} × the bare proxy's requests/s, ${ms(median(againstProxy(base).addedP50))} over its p50 (${us(median(base.load.map((m) => m.cpuPerRequest)))} CPU per request).`,
          ];

    // The polling endpoint, idle: subscribe, then poll the Location (nothing new, interval not due).
    const subscribed = await fetch(`${serviceUrl}/v1/triggers/TrigNewLead/poll`, { headers: { "X-API-Key": API_KEY } });
    if (subscribed.status !== 202) throw new Error(`subscribing answered ${subscribed.status}`);
    const location = subscribed.headers.get("location") ?? "";
    const workspaces = (await (await fetch(`${emulatorUrl}/_emulator/workspaces`)).json()) as { workspaces: Array<{ id: string }> };
    const callsPath = `${emulatorUrl}/_emulator/workspaces/${workspaces.workspaces[0]?.id ?? ""}/calls`;
    const callsBefore = ((await (await fetch(callsPath)).json()) as { total: number }).total;
    const idleRequest = { url: location, method: "GET" as const, headers: { "x-api-key": API_KEY } };
    only(202, await cannon({ ...idleRequest, connections: LOAD, duration: 1 }), "idle poll warm-up");
    const idle = only(202, await cannon({ ...idleRequest, connections: LOAD, duration: SECONDS }), "idle poll");
    const idleCalls = ((await (await fetch(callsPath)).json()) as { total: number }).total - callsBefore;

    const cell = (arm: Arm, pick: (m: Measured) => number, format: (v: number) => string): string => format(median(arm.latency.map(pick)));
    const loadCell = (arm: Arm, pick: (m: Measured) => number, format: (v: number) => string): string => format(median(arm.load.map(pick)));
    const markdown = [
      "## Service (`npm run bench:service`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
      "One `GetLead` three ways, each server in its own process: **the service** (`node dist/cli/main.js serve`: SQLite store on disk, API-key lookup, budget, validation, the SDK transport, mapping, pino logging at `info` to a file); " +
        "**a bare Node proxy** (`bench/bare-proxy.ts`: node:http, the same `POST` checked against one in-memory API key, forwarded as `GET /contacts/{id}` over a keep-alive `http.Agent`, the emulator's JSON passed back: the floor for any service in front of Intercom); " +
        "**the emulator straight** (the SDK's `GET /contacts/{id}`). " +
        `The service's budget is at its production window, ${BUDGET_WINDOW_SECONDS} s, with a limit that never refuses (${BUDGET.toLocaleString("en-US")} per window): every call spends from a window holding every spend of the last minute (${rps(serviceCalls)} service calls in this run). ` +
        `Driven by autocannon over loopback keep-alive, latencies taken per response (hrtime). ${ROUNDS} rounds, the arms interleaved (their order turning each round), ${SECONDS} s per measurement after a warm-up; each figure is the median over the rounds, each ratio the median of the rounds' ratios. ` +
        "The machine has 2 cores shared by the client, the emulator and the server under test (and, while this ran, other work): figures move by 10–20 % between runs.",
      "",
      `| GetLead | ${arms.map((a) => a.label).join(" | ")} |`,
      `|---|${arms.map(() => "---|").join("")}`,
      `| ${LOAD} in flight: requests/s | ${arms.map((a) => loadCell(a, (m) => m.requestsPerSecond, rps)).join(" | ")} |`,
      `| ${LOAD} in flight: p50 / p99 | ${arms.map((a) => `${loadCell(a, (m) => m.p50, ms)} / ${loadCell(a, (m) => m.p99, ms)}`).join(" | ")} |`,
      `| 1 in flight: p50 | ${arms.map((a) => cell(a, (m) => m.p50, ms)).join(" | ")} |`,
      `| 1 in flight: p99 | ${arms.map((a) => cell(a, (m) => m.p99, ms)).join(" | ")} |`,
      `| 1 in flight: requests/s | ${arms.map((a) => cell(a, (m) => m.requestsPerSecond, rps)).join(" | ")} |`,
      `| CPU per request, ${LOAD} in flight: the server under test | ${arms.map((a) => loadCell(a, (m) => m.cpuPerRequest, us)).join(" | ")} |`,
      `| CPU per request, ${LOAD} in flight: the emulator behind it | ${arms.map((a) => loadCell(a, (m) => m.emulatorCpuPerRequest, us)).join(" | ")} |`,
      "",
      `The service's requests/s with ${LOAD} in flight over the bare proxy's: **${ratio.toFixed(2)}** (target ≥ 0.80; rounds ${range(throughputRatios, (v) => v.toFixed(2))}). ` +
        `The service's p50 alone minus the bare proxy's: **${ms(added)}** (target < 0.5 ms; rounds ${range(addedP50, ms)}). ` +
        `For scale, the bare proxy's own cost: ${ms(median(prx.latency.map((m, i) => m.p50 - (emu.latency[i]?.p50 ?? NaN))))} at p50 over the emulator straight. ` +
        `CPU per request (user + system of the server's process, /proc, all its threads; steadier than requests/s on a shared machine): the service ${us(median(svc.load.map((m) => m.cpuPerRequest)))}, the bare proxy ${us(median(prx.load.map((m) => m.cpuPerRequest)))}. ` +
        "Where the service's time goes: `npm run build && node --import tsx bench/service.profile.ts` (below).",
      ...baseLine,
      "",
      `Polling endpoint, idle (\`GET /v1/triggers/TrigNewLead/poll?state=…\` → 202 from the outbox), ${LOAD} connections: **${rps(idle.requestsPerSecond)} requests/s** (p50 ${ms(idle.p50)}, p99 ${ms(idle.p99)}); Intercom calls during the run: ${idleCalls}.`,
    ].join("\n");
    writeSection(join(ROOT, "BENCHMARKS.md"), "service", markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
