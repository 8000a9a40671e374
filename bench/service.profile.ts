/**
 * Where the service's time goes per `GetLead`: the service of bench:service (`dist/cli/main.js
 * serve`, the same settings: SQLite, budget at 60 s with a limit that never refuses, pino at
 * `info` to a file) under BENCH_IN_FLIGHT (default 8) requests in flight, profiled twice after a
 * warm-up, each time over BENCH_SECONDS (default 10):
 *  - with `node --cpu-prof` (V8's sampler, the main thread, by JavaScript frame: bench/cpu-profile.ts);
 *  - when `perf` can record here, with `perf record -g` on `node --perf-prof
 *    --interpreted-frames-native-stack --no-turbo-inlining` (every thread, on-CPU samples only,
 *    the kernel's too: bench/perf-profile.ts). This is the table's first column: V8's sampler also
 *    counts the time the thread is blocked in a syscall or preempted, which perf does not.
 * Both split their samples into the same parts of the service; the µs per request are the perf
 * shares (else V8's) of the CPU the process uses per request without a profiler (from /proc,
 * over a third window of the same load).
 * The bare proxy of bench:service is measured the same way, for its CPU per request.
 * Run: npm run build && node --import tsx bench/service.profile.ts
 * (writes the "service-profile" section of BENCHMARKS.md; BENCH_WRITE=0 only prints;
 * BENCH_KEEP_PROFILES=<dir> keeps the raw .cpuprofile and `perf script` text there)
 */
import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { breakDown, type ProfileBreakdown } from "./cpu-profile.js";
import { describeMachine } from "./machine.js";
import { breakDownPerf, perfAvailable, type PerfBreakdown } from "./perf-profile.js";
import { BenchProcesses, ROOT, type BenchProcess } from "./processes.js";
import { writeSection } from "./report.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LOAD = Number(process.env.BENCH_IN_FLIGHT ?? 8);
const TOKEN = "bench-token";
const API_KEY = "bench-api-key-0123456789abcdef";
const PERF_HZ = 999;
/** BENCH_DIST=<dir> profiles another build (`<dir>/dist/cli/main.js`), say the last commit's; it prints only. */
const OTHER_BUILD = process.env.BENCH_DIST;
const SCRIPT = OTHER_BUILD === undefined || OTHER_BUILD === "" ? "dist/cli/main.js" : join(OTHER_BUILD, "dist", "cli", "main.js");

type Request = Pick<autocannon.Options, "url" | "method" | "headers" | "body">;

/** An autocannon run; `onResponse` counts answers as they come. */
function run(options: autocannon.Options, onResponse: () => void = () => undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => {
      if (error !== null && error !== undefined) return reject(error instanceof Error ? error : new Error(String(error)));
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0) return reject(new Error(`${options.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`));
      resolve(result.requests.total);
    });
    instance.on("response", onResponse);
  });
}

/** The profile's clock (V8's, µs) is the monotonic clock that process.hrtime reads. */
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

interface Window {
  requests: number;
  /** CPU µs per request of the whole process (all threads, /proc) over the window. */
  cpuPerRequest: number;
}

/** Loads `request` for SECONDS (after a warm-up) and measures requests and CPU over that window. */
async function loadWindow(processes: BenchProcesses, started: BenchProcess, request: Request, during: (window: { fromUs: number }) => Promise<void> = async () => undefined): Promise<Window & { fromUs: number; toUs: number }> {
  await run({ ...request, connections: LOAD, duration: 2 });
  let answered = 0;
  const load = run({ ...request, connections: LOAD, duration: SECONDS + 2 }, () => answered++);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const fromUs = nowUs();
  const cpu = processes.cpuMicros(started);
  const before = answered;
  await Promise.all([during({ fromUs }), new Promise((resolve) => setTimeout(resolve, SECONDS * 1000))]);
  const requests = answered - before;
  const cpuPerRequest = (processes.cpuMicros(started) - cpu) / requests;
  const toUs = nowUs();
  await load;
  return { requests, cpuPerRequest, fromUs, toUs };
}

/** The process under `node --cpu-prof`, split by part over the window. */
async function withCpuProf(processes: BenchProcesses, started: BenchProcess, profileDir: string, request: Request): Promise<Window & { breakdown: ProfileBreakdown }> {
  const window = await loadWindow(processes, started, request);
  await processes.stop(started);
  const file = readdirSync(profileDir).find((name) => name.endsWith(".cpuprofile"));
  if (file === undefined) throw new Error(`no profile in ${profileDir}`);
  const keep = process.env.BENCH_KEEP_PROFILES;
  if (keep !== undefined && keep !== "") copyFileSync(join(profileDir, file), join(keep, `${started.out.replace(/^.*\//, "").replace(/\.out$/, "")}.cpuprofile`));
  return { ...window, breakdown: breakDown(join(profileDir, file), window.fromUs, window.toUs) };
}

/** The process (started with --perf-prof in `jitDir`) recorded by perf over the window, split by part. */
async function withPerf(processes: BenchProcesses, started: BenchProcess, jitDir: string, request: Request): Promise<Window & { breakdown: PerfBreakdown }> {
  const data = join(jitDir, "perf.data");
  const window = await loadWindow(processes, started, request, async () => {
    const perf = spawn("perf", ["record", "-q", "-k", "mono", "-F", String(PERF_HZ), "-g", "-p", String(started.child.pid), "-o", data, "--", "sleep", String(SECONDS)], { stdio: "ignore" });
    await new Promise((resolve) => perf.once("exit", resolve));
  });
  await processes.stop(started);
  const injected = join(jitDir, "perf.jit.data");
  execFileSync("perf", ["inject", "--jit", "-i", data, "-o", injected], { cwd: jitDir, stdio: "ignore" });
  const text = execFileSync("perf", ["script", "-i", injected], { cwd: jitDir, maxBuffer: 2 ** 31 - 1, stdio: ["ignore", "pipe", "ignore"] }).toString();
  const keep = process.env.BENCH_KEEP_PROFILES;
  if (keep !== undefined && keep !== "") writeFileSync(join(keep, `${started.out.replace(/^.*\//, "").replace(/\.out$/, "")}.perf.txt`), text);
  return { ...window, breakdown: breakDownPerf(text, started.child.pid ?? -1) };
}

const us = (value: number): string => `${Math.round(value)} µs`;
const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)} %`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
  const processes = new BenchProcesses(dir);
  try {
    const emulator = processes.start("emulator", ["emulator", "--port", "0", "--token", TOKEN, "--seed", "demo", "--rate-limit", "600000000"], {});
    const emulatorUrl = (await processes.waitFor(emulator, /listening on (http:\/\/\S+)/, "emulator"))[1] ?? "";
    const serviceEnv = { INTERCOM_ACCESS_TOKEN: TOKEN, INTERCOM_BASE_URL: emulatorUrl, CONNECTOR_API_KEY: API_KEY, CONNECTION_CALLS_PER_MINUTE: "100000000", CONNECTION_CALL_WINDOW_SECONDS: "60", LOG_LEVEL: "info" };
    const startService = async (name: string, nodeArgs: string[], cwd?: string): Promise<{ started: BenchProcess; url: string }> => {
      const started = processes.start(name, ["serve", "--port", "0", "--state", join(dir, `${name}-state`)], serviceEnv, { nodeArgs, script: SCRIPT, ...(cwd === undefined ? {} : { cwd }) });
      return { started, url: (await processes.waitFor(started, /service listening on (http:\/\/\S+)[\s\S]*Press Ctrl/, name))[1] ?? "" };
    };

    const cpuProfDir = join(dir, "service-cpuprof");
    const v8Service = await startService("service", ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`]);
    const page = (await (await fetch(`${v8Service.url}/v1/actions/ListLeads`, { headers: { "X-API-Key": API_KEY } })).json()) as { value: Array<{ id: string }> };
    const leadId = page.value[0]?.id;
    if (leadId === undefined) throw new Error("no lead in the demo data");
    const getLead = { method: "POST" as const, headers: { "x-api-key": API_KEY, "content-type": "application/json" }, body: JSON.stringify({ contact_id: leadId }) };
    const v8 = await withCpuProf(processes, v8Service.started, cpuProfDir, { url: `${v8Service.url}/v1/actions/GetLead`, ...getLead });

    let perf: (Window & { breakdown: PerfBreakdown }) | null = null;
    if (perfAvailable()) {
      const jitDir = join(dir, "service-perf");
      mkdirSync(jitDir);
      const perfService = await startService("service-perf", ["--perf-prof", "--interpreted-frames-native-stack", "--no-turbo-inlining"], jitDir);
      perf = await withPerf(processes, perfService.started, jitDir, { url: `${perfService.url}/v1/actions/GetLead`, ...getLead });
    }

    // The same load without a profiler, for the CPU per request the shares are of.
    const plainService = await startService("service-plain", []);
    const plain = await loadWindow(processes, plainService.started, { url: `${plainService.url}/v1/actions/GetLead`, ...getLead });
    await processes.stop(plainService.started);

    const proxy = processes.start("proxy", [], { UPSTREAM_URL: emulatorUrl, UPSTREAM_TOKEN: TOKEN, PROXY_API_KEY: API_KEY }, { nodeArgs: ["--import", "tsx"], script: "bench/bare-proxy.ts" });
    const proxyUrl = (await processes.waitFor(proxy, /bare proxy listening on (http:\/\/\S+)/, "bare proxy"))[1] ?? "";
    const proxyWindow = await loadWindow(processes, proxy, { url: `${proxyUrl}/v1/actions/GetLead`, ...getLead });

    const v8Share = new Map(v8.breakdown.parts.map((p) => [p.name, p.samples / v8.breakdown.busy]));
    const rows =
      perf === null
        ? v8.breakdown.parts.map((p) => ({ name: p.name, share: p.samples / v8.breakdown.busy, kernel: Number.NaN, v8: p.samples / v8.breakdown.busy }))
        : perf.breakdown.parts.map((p) => ({ name: p.name, share: p.samples / (perf?.breakdown.samples ?? 1), kernel: p.kernel / p.samples, v8: v8Share.get(p.name) ?? Number.NaN }));
    const cpuPerRequest = plain.cpuPerRequest;
    const method =
      perf === null
        ? "`node --cpu-prof` (V8's sampler; perf could not record here)"
        : `\`perf record -g\` at ${PERF_HZ} Hz on \`node --perf-prof --interpreted-frames-native-stack --no-turbo-inlining\` (every thread, on-CPU samples only, the kernel's included; ${perf.breakdown.samples.toLocaleString("en-US")} samples over ${perf.requests.toLocaleString("en-US")} requests; inlining off so that each function keeps its frame), beside \`node --cpu-prof\` (V8's sampler, main thread only, ${v8.breakdown.busy.toLocaleString("en-US")} samples over ${v8.requests.toLocaleString("en-US")} requests)`;
    const markdown = [
      "## Where the service's time goes (`npm run build && node --import tsx bench/service.profile.ts`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
      `The service of bench:service (same settings), ${LOAD} \`GetLead\`s in flight, ${SECONDS} s after a warm-up, profiled with ${method}. ` +
        "Each sample goes to the innermost frame of a named part; native code, the kernel, Node's other internals, zod and better-sqlite3 count for the part that called them (`bench/cpu-profile.ts`, `bench/perf-profile.ts`). " +
        `CPU per request (user + system of the process, all threads, from /proc over a window of the same load): **${us(cpuPerRequest)}** for the service without a profiler (${us(v8.cpuPerRequest)} under --cpu-prof${perf === null ? "" : `, ${us(perf.cpuPerRequest)} under perf without inlining`}); the bare proxy: ${us(proxyWindow.cpuPerRequest)}. The µs column is each share of the unprofiled figure. ` +
        "V8's sampler counts the time the thread is blocked in a syscall or waits for a CPU as time in that frame, so its shares overstate socket writes and SQLite's commits on a busy 2-core machine; perf's count only CPU, but without inlining small functions (zod's, the SDK's) weigh more than they do in production.",
      "",
      `| part | share of the service's CPU${perf === null ? "" : " (perf)"} | of which in the kernel | CPU per request | share of V8's samples (--cpu-prof) |`,
      "|---|---|---|---|---|",
      ...rows
        .filter((r) => r.share >= 0.003)
        .map((r) => `| ${r.name} | ${(100 * r.share).toFixed(1)} % | ${Number.isNaN(r.kernel) ? "n/a" : `${(100 * r.kernel).toFixed(0)} %`} | ${us(r.share * cpuPerRequest)} | ${Number.isNaN(r.v8) ? "–" : `${(100 * r.v8).toFixed(1)} %`} |`),
    ].join("\n");
    process.stdout.write(`${markdown}\n\nTop self samples (V8 --cpu-prof, service):\n${v8.breakdown.top.map((t) => `  ${pct(t.samples, v8.breakdown.busy).padStart(7)}  ${t.name}`).join("\n")}\n`);
    if (process.env.BENCH_WRITE !== "0" && SCRIPT === "dist/cli/main.js") writeSection(join(ROOT, "BENCHMARKS.md"), "service-profile", markdown);
  } finally {
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
