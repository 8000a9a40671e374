/**
 * Service benchmark, in one run against one emulator (its own process, demo data):
 *  - GetLead through the service (`POST /v1/actions/GetLead`, its own process, the real store,
 *    budget, auth and logging) against the same lookup straight to the emulator, as the official
 *    SDK sends it (`GET /contacts/{id}`), both driven by autocannon: latency with one connection
 *    (p50, p99, and what the service adds at p50) and requests/s with 16 connections;
 *  - the official SDK itself calling the emulator (`contacts.find`), for reference;
 *  - the Power Automate polling endpoint when idle (202s, answered from the outbox): requests/s.
 * The service runs with a budget of 1,000,000,000 calls per 0.1 s window: the budget never refuses a
 * call, every call still spends from it (one SQLite transaction per request, measured), and the
 * window holds about as many spends as a real connection's log at its limit (100), not the
 * tens of thousands a 60 s window would collect at benchmark speed.
 * Run: npm run bench:service  (builds, then writes the "service" section of BENCHMARKS.md)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { IntercomClient } from "intercom-client";
import { describeMachine, percentile } from "./machine.js";
import { BenchProcesses, ROOT } from "./processes.js";
import { writeSection } from "./report.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 16;
const TOKEN = "bench-token";
const API_KEY = "bench-api-key-0123456789abcdef";
const BUDGET = 1_000_000_000;
const BUDGET_WINDOW_SECONDS = 0.1;

/** Starts the built CLI and waits until it prints `pattern`. */
async function startCli(processes: BenchProcesses, name: string, args: string[], env: Record<string, string>, pattern: RegExp): Promise<{ match: RegExpExecArray }> {
  const started = processes.start(name, args, env);
  return { match: await processes.waitFor(started, pattern, name) };
}

interface Measured {
  requestsPerSecond: number;
  p50: number;
  p99: number;
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
      resolve({ requestsPerSecond: result.requests.total / (result.duration || SECONDS), p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses });
    });
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
  });
}

/** A warm-up run (discarded), then the measured one. */
async function measure(options: Omit<autocannon.Options, "duration">): Promise<Measured> {
  await cannon({ ...options, duration: 1 });
  return cannon({ ...options, duration: SECONDS });
}

function only(status: number, measured: Measured, what: string): void {
  const other = [...measured.statuses.keys()].filter((s) => s !== status);
  if (other.length > 0) throw new Error(`${what}: statuses ${JSON.stringify([...measured.statuses])}, expected only ${status}`);
}

/** The official SDK's `contacts.find` in `concurrency` loops for `SECONDS`. */
async function sdkLoop(client: IntercomClient, contactId: string, concurrency: number): Promise<Measured> {
  const latencies: number[] = [];
  const warmEnd = performance.now() + 1000;
  while (performance.now() < warmEnd) await client.contacts.find({ contact_id: contactId });
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await client.contacts.find({ contact_id: contactId });
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { requestsPerSecond: latencies.length / ((performance.now() - started) / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses: new Map([[200, latencies.length]]) };
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const rps = (value: number): string => Math.round(value).toLocaleString("en-US");

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-service-"));
  const processes = new BenchProcesses(dir);
  try {
    const emulator = await startCli(processes, "emulator", ["emulator", "--port", "0", "--token", TOKEN, "--seed", "demo", "--rate-limit", "600000000"], {}, /listening on (http:\/\/\S+)/);
    const emulatorUrl = emulator.match[1] ?? "";
    const service = await startCli(
      processes,
      "service",
      ["serve", "--port", "0", "--state", join(dir, "state")],
      { INTERCOM_ACCESS_TOKEN: TOKEN, INTERCOM_BASE_URL: emulatorUrl, CONNECTOR_API_KEY: API_KEY, CONNECTION_CALLS_PER_MINUTE: String(BUDGET), CONNECTION_CALL_WINDOW_SECONDS: String(BUDGET_WINDOW_SECONDS), LOG_LEVEL: "info" },
      /service listening on (http:\/\/\S+)[\s\S]*Press Ctrl/,
    );
    const serviceUrl = service.match[1] ?? "";

    const page = (await (await fetch(`${serviceUrl}/v1/actions/ListLeads`, { headers: { "X-API-Key": API_KEY } })).json()) as { value: Array<{ id: string }> };
    const leadId = page.value[0]?.id;
    if (leadId === undefined) throw new Error("no lead in the demo data");

    const viaService = { url: `${serviceUrl}/v1/actions/GetLead`, method: "POST" as const, headers: { "x-api-key": API_KEY, "content-type": "application/json" }, body: JSON.stringify({ contact_id: leadId }) };
    const direct = { url: `${emulatorUrl}/contacts/${leadId}`, method: "GET" as const, headers: { authorization: `Bearer ${TOKEN}`, "intercom-version": "2.14", accept: "application/json" } };

    const serviceLatency = await measure({ ...viaService, connections: 1 });
    only(200, serviceLatency, "service GetLead");
    const directLatency = await measure({ ...direct, connections: 1 });
    only(200, directLatency, "emulator GET /contacts/{id}");
    const serviceLoad = await measure({ ...viaService, connections: CONCURRENCY });
    only(200, serviceLoad, "service GetLead");
    const directLoad = await measure({ ...direct, connections: CONCURRENCY });
    only(200, directLoad, "emulator GET /contacts/{id}");

    const sdk = new IntercomClient({ token: TOKEN, baseUrl: emulatorUrl, maxRetries: 0 });
    const sdkLatency = await sdkLoop(sdk, leadId, 1);
    const sdkLoad = await sdkLoop(sdk, leadId, CONCURRENCY);

    // The polling endpoint, idle: subscribe, then poll the Location (nothing new, interval not due).
    const subscribed = await fetch(`${serviceUrl}/v1/triggers/TrigNewLead/poll`, { headers: { "X-API-Key": API_KEY } });
    if (subscribed.status !== 202) throw new Error(`subscribing answered ${subscribed.status}`);
    const location = subscribed.headers.get("location") ?? "";
    const workspaces = (await (await fetch(`${emulatorUrl}/_emulator/workspaces`)).json()) as { workspaces: Array<{ id: string }> };
    const callsPath = `${emulatorUrl}/_emulator/workspaces/${workspaces.workspaces[0]?.id ?? ""}/calls`;
    const callsBefore = ((await (await fetch(callsPath)).json()) as { total: number }).total;
    const idle = await measure({ url: location, method: "GET", headers: { "x-api-key": API_KEY }, connections: CONCURRENCY });
    only(202, idle, "idle poll");
    const idleCalls = ((await (await fetch(callsPath)).json()) as { total: number }).total - callsBefore;

    const added = serviceLatency.p50 - sdkLatency.p50;
    const markdown = [
      "## Service (`npm run bench:service`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
      "The emulator (demo data) and the service (`node dist/cli/main.js serve`: SQLite store on disk, API-key lookup, budget, validation, the SDK transport, mapping, pino logging at `info` to a file) each run in their own process. " +
        "The service and the raw request are driven by autocannon over loopback HTTP keep-alive, with latencies taken per response (hrtime); the official SDK (`contacts.find`) runs in the benchmark's process. " +
        `The budget is set to ${BUDGET.toLocaleString("en-US")} calls per ${BUDGET_WINDOW_SECONDS} s window (\`CONNECTION_CALL_WINDOW_SECONDS\`) so that it never refuses a call while each call still spends from it (one SQLite transaction), and the sliding log holds about as many spends as a real connection's at its limit (≤ 100): with a 60 s window at benchmark speed it would hold tens of thousands, which no real connection reaches. ${SECONDS} s per measurement after 1 s of warm-up.`,
      "",
      "| GetLead | through the service (`POST /v1/actions/GetLead`) | official SDK straight to the emulator | the SDK's request (`GET /contacts/{id}`) straight, by autocannon |",
      "|---|---|---|---|",
      `| 1 in flight: p50 | ${ms(serviceLatency.p50)} | ${ms(sdkLatency.p50)} | ${ms(directLatency.p50)} |`,
      `| 1 in flight: p99 | ${ms(serviceLatency.p99)} | ${ms(sdkLatency.p99)} | ${ms(directLatency.p99)} |`,
      `| 1 in flight: requests/s | ${rps(serviceLatency.requestsPerSecond)} | ${rps(sdkLatency.requestsPerSecond)} | ${rps(directLatency.requestsPerSecond)} |`,
      `| ${CONCURRENCY} in flight: requests/s | ${rps(serviceLoad.requestsPerSecond)} | ${rps(sdkLoad.requestsPerSecond)} | ${rps(directLoad.requestsPerSecond)} |`,
      `| ${CONCURRENCY} in flight: p50 / p99 | ${ms(serviceLoad.p50)} / ${ms(serviceLoad.p99)} | ${ms(sdkLoad.p50)} / ${ms(sdkLoad.p99)} | ${ms(directLoad.p50)} / ${ms(directLoad.p99)} |`,
      "",
      `Added by the service at p50, one in flight: **${ms(added)}** over the official SDK (target: under 1 ms; ratio ${(serviceLatency.p50 / sdkLatency.p50).toFixed(2)}), ${ms(serviceLatency.p50 - directLatency.p50)} over the bare request. ` +
        `Requests/s with ${CONCURRENCY} in flight: ${(serviceLoad.requestsPerSecond / sdkLoad.requestsPerSecond).toFixed(2)} × the SDK's.`,
      "",
      `Polling endpoint, idle (\`GET /v1/triggers/TrigNewLead/poll?state=…\` → 202 from the outbox), ${CONCURRENCY} connections: **${rps(idle.requestsPerSecond)} requests/s** (p50 ${ms(idle.p50)}, p99 ${ms(idle.p99)}); Intercom calls during the run: ${idleCalls}.`,
    ].join("\n");
    writeSection(join(ROOT, "BENCHMARKS.md"), "service", markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
