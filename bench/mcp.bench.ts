/**
 * MCP benchmark: what a tool call adds over the same HTTP action. One `serve` process (its own,
 * as in bench:service: SQLite on disk, pino at `info` to a file) in front of the emulator (its own
 * process, demo data); the same `GetLead` three ways, one request in flight, the arms interleaved
 * call by call so that the machine's noise falls on all of them alike:
 *  - the HTTP action: `POST /v1/actions/GetLead` (fetch, keep-alive);
 *  - the MCP tool over Streamable HTTP, raw: a `tools/call` JSON-RPC `POST /mcp` in an open
 *    session (fetch; the SSE answer read whole): the server's added cost alone;
 *  - the MCP tool through the SDK's own `Client` (`client.callTool`, which also checks the result
 *    against the tool's outputSchema): what an agent host built on the SDK sees.
 * Each arm's p50 and p99 over the calls; "added" is the median of each round's p50 difference.
 * Run: npm run bench:mcp  (builds, then writes the "mcp" section of BENCHMARKS.md)
 * BENCH_ROUNDS (default 5) and BENCH_CALLS (per arm and round, default 300) change the length.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describeMachine, percentile } from "./machine.js";
import { BenchProcesses, ROOT } from "./processes.js";
import { writeSection } from "./report.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CALLS = Number(process.env.BENCH_CALLS ?? 300);
const TOKEN = "bench-token";
const API_KEY = "bench-api-key-0123456789abcdef";
const BUDGET = 100_000_000;

type ArmId = "http" | "raw" | "sdk";
const LABELS: Record<ArmId, string> = {
  http: "HTTP action (`POST /v1/actions/GetLead`)",
  raw: "MCP `tools/call`, raw JSON-RPC (`POST /mcp`)",
  sdk: "MCP `tools/call` through the SDK's `Client`",
};

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-mcp-"));
  const processes = new BenchProcesses(dir);
  let client: Client | undefined;
  try {
    const emulator = processes.start("emulator", ["emulator", "--port", "0", "--token", TOKEN, "--seed", "demo", "--rate-limit", "600000000"], {});
    const emulatorUrl = (await processes.waitFor(emulator, /listening on (http:\/\/\S+)/, "emulator"))[1] ?? "";
    const env = { INTERCOM_ACCESS_TOKEN: TOKEN, INTERCOM_BASE_URL: emulatorUrl, CONNECTOR_API_KEY: API_KEY, CONNECTION_CALLS_PER_MINUTE: String(BUDGET), LOG_LEVEL: "info" };
    const service = processes.start("service", ["serve", "--port", "0", "--state", join(dir, "state")], env);
    const serviceUrl = (await processes.waitFor(service, /service listening on (http:\/\/\S+)[\s\S]*Press Ctrl/, "service"))[1] ?? "";

    const page = (await (await fetch(`${serviceUrl}/v1/actions/ListLeads`, { headers: { "X-API-Key": API_KEY } })).json()) as { value: Array<{ id: string }> };
    const leadId = page.value[0]?.id;
    if (leadId === undefined) throw new Error("no lead in the demo data");
    const input = { contact_id: leadId };

    client = new Client({ name: "bench", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${serviceUrl}/mcp`), { requestInit: { headers: { "x-api-key": API_KEY } } });
    await client.connect(transport);
    await client.listTools();
    const sessionId = transport.sessionId ?? "";
    const sdk = client;

    let rpcId = 1000;
    const arms: Record<ArmId, () => Promise<unknown>> = {
      async http() {
        const answer = await fetch(`${serviceUrl}/v1/actions/GetLead`, { method: "POST", headers: { "x-api-key": API_KEY, "content-type": "application/json" }, body: JSON.stringify(input) });
        const body = (await answer.json()) as { id?: string };
        if (answer.status !== 200 || body.id !== leadId) throw new Error(`HTTP action answered ${answer.status}`);
        return body;
      },
      async raw() {
        rpcId += 1;
        const answer = await fetch(`${serviceUrl}/mcp`, {
          method: "POST",
          headers: { "x-api-key": API_KEY, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
          body: JSON.stringify({ jsonrpc: "2.0", id: rpcId, method: "tools/call", params: { name: "GetLead", arguments: input } }),
        });
        const text = await answer.text();
        const data = text.split("\n").find((line) => line.startsWith("data: "));
        const message = JSON.parse(data === undefined ? text : data.slice(6)) as { result?: { isError?: boolean; structuredContent?: { id?: string } } };
        if (answer.status !== 200 || message.result?.isError === true || message.result?.structuredContent?.id !== leadId) throw new Error(`raw tools/call answered ${answer.status} ${text.slice(0, 200)}`);
        return message;
      },
      async sdk() {
        const result = await sdk.callTool({ name: "GetLead", arguments: input });
        if (result.isError === true || (result.structuredContent as { id?: string } | undefined)?.id !== leadId) throw new Error("SDK tools/call failed");
        return result;
      },
    };
    const ids = Object.keys(arms) as ArmId[];

    // Warm-up (discarded).
    for (let i = 0; i < 100; i++) for (const id of ids) await arms[id]();

    const rounds: Array<Record<ArmId, number[]>> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const samples: Record<ArmId, number[]> = { http: [], raw: [], sdk: [] };
      for (let i = 0; i < CALLS; i++) {
        // The order turns each call, so no arm always runs first or right after another.
        for (let k = 0; k < ids.length; k++) {
          const id = ids[(i + k) % ids.length] as ArmId;
          const started = process.hrtime.bigint();
          await arms[id]();
          samples[id].push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }
      rounds.push(samples);
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${ids.map((id) => `${id} p50 ${ms(percentile(samples[id], 50))}`).join(", ")}\n`);
    }

    const p = (id: ArmId, q: number): number => median(rounds.map((r) => percentile(r[id], q)));
    const added = (id: ArmId): number[] => rounds.map((r) => percentile(r[id], 50) - percentile(r.http, 50));
    const range = (values: number[]): string => `${ms(Math.min(...values))} – ${ms(Math.max(...values))}`;
    const markdown = [
      "## MCP (`npm run bench:mcp`)",
      "",
      `Measured ${new Date().toISOString().slice(0, 10)} on ${describeMachine()}.`,
      "One `GetLead` three ways against one `serve` process (SQLite on disk, pino at `info` to a file) in front of the emulator (its own process, demo data), one request in flight over loopback keep-alive: " +
        "**the HTTP action**; **the MCP tool, raw** (a `tools/call` JSON-RPC `POST /mcp` in an open Streamable HTTP session, its SSE answer read whole: the server's added cost alone); " +
        "**the MCP tool through the SDK's `Client`** (`callTool`, which also checks the result against the tool's outputSchema: what an agent host on the SDK sees). " +
        `${ROUNDS} rounds of ${CALLS} calls per arm, the arms interleaved call by call; each figure is the median over the rounds. The machine has 2 cores shared by the client, the emulator, the service (and other work): figures move by 10–20 % between runs.`,
      "",
      `| GetLead, 1 in flight | ${ids.map((id) => LABELS[id]).join(" | ")} |`,
      `|---|${ids.map(() => "---|").join("")}`,
      `| p50 | ${ids.map((id) => ms(p(id, 50))).join(" | ")} |`,
      `| p99 | ${ids.map((id) => ms(p(id, 99))).join(" | ")} |`,
      "",
      `A tool call's added latency over the same HTTP action, at p50: **${ms(median(added("raw")))}** on the wire (rounds ${range(added("raw"))}), **${ms(median(added("sdk")))}** through the SDK's Client (rounds ${range(added("sdk"))}). ` +
        "Both run the same `runtime.call` (validation, budget, the SDK transport, mapping); what MCP adds is JSON-RPC, the session lookup, the SSE framing, the result written twice (text and `structuredContent` without its nulls) and, in the Client, its outputSchema check.",
    ].join("\n");
    writeSection(join(ROOT, "BENCHMARKS.md"), "mcp", markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    await client?.close();
    await processes.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
