/**
 * Reads a V8 `.cpuprofile` (node --cpu-prof) and says where the time went, by part of the
 * service: each sample goes to the innermost frame on its stack that belongs to a named part
 * (Node's HTTP server and its bundled fetch are parts); frames of no part — native code, Node's
 * other internals (crypto, timers, promises), zod, better-sqlite3 — give their time to the part that called
 * them: zod under the contract is input validation, under the transport the answer's check.
 *
 * Samples are counted, not weighted by the time since the previous one: V8 samples the main
 * thread by a signal that waits while the thread is off the CPU, so on a busy machine the time
 * before a sample includes the time the process was preempted — mostly right after a socket
 * write woke the emulator or the client — and time weights would charge that to the write. A
 * count is one sampling interval of the thread actually running.
 */
import { readFileSync } from "node:fs";

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A part of the service and how to tell its frames: by the script's URL (and the function's name). */
interface Part {
  name: string;
  matches: (frame: CallFrame) => boolean;
}

const inDist = (...files: string[]) => (frame: CallFrame) => files.some((file) => frame.url.includes(`/dist/${file}`));
const inModules = (...packages: string[]) => (frame: CallFrame) => packages.some((name) => frame.url.includes(`/node_modules/${name}/`));
const inNode = (...modules: string[]) => (frame: CallFrame) => modules.some((name) => frame.url === `node:${name}` || frame.url.startsWith(`node:${name}/`));

/** retrying-fetch.ts holds three parts; its functions tell them apart. */
const RETRY_FUNCTIONS = new Set(["retryingFetch", "createRetryingFetch", "defaultSleep", "retryDelayMs", "backoffMs", "isReplayable", "requestMethod", "requestUrl", "isRetryableStatus", "abortError", "onAbort"]);
const FETCHER_FUNCTIONS = new Set(["leanFetcher", "fetchAnswer", "sendSdkRequest", "requestHeadersOf", "requestBodyOf", "responseBodyOf", "errorBodyOf", "queryString", "queryValue", "rawAnswerOf", "withSdkRetries", "sdkRetryDelayMs"]);

/** The parts, most specific first (the first that matches a frame names it). */
export const SERVICE_PARTS: readonly Part[] = [
  { name: "API-key lookup and hashing (auth.ts, SQLite SELECT, SHA-256)", matches: inDist("server/auth.js", "store/api-keys.js", "store/sqlite/connections.js") },
  { name: "budget spend in SQLite (limits/, store/*call-budget*, budget-ring)", matches: inDist("limits/", "store/sqlite/call-budget.js", "store/budget-ring.js") },
  { name: "input parse (contract/, zod)", matches: inDist("contract/") },
  { name: "runtime (call, intercomFor, transport cache)", matches: inDist("runtime/") },
  { name: "answer check (intercom/wire.ts schemas, zod) and transport glue", matches: inDist("intercom/transport.js", "intercom/wire.js", "intercom/errors.js") },
  { name: "retry policy (src/intercom/retrying-fetch.ts: the retrying wrapper, its timer and signal)", matches: (f) => inDist("intercom/retrying-fetch.js")(f) && RETRY_FUNCTIONS.has(f.functionName) },
  { name: "the SDK's request layer: our leanFetcher (URL, headers, timeout, answer body JSON.parse)", matches: (f) => inDist("intercom/retrying-fetch.js")(f) && FETCHER_FUNCTIONS.has(f.functionName) },
  { name: "operation + mapping (operations/)", matches: inDist("operations/") },
  { name: "the SDK's endpoint methods (intercom-client: auth header, URL, errors)", matches: inModules("intercom-client") },
  { name: "HTTP client: leanFetch and undici (request, response headers and body)", matches: (f) => f.url.startsWith("node:internal/deps/undici") || inModules("undici")(f) || inDist("intercom/retrying-fetch.js")(f) },
  { name: "logging (pino, its serializers and redaction, logger.ts)", matches: (f) => inModules("pino", "pino-std-serializers", "fast-redact", "@pinojs/redact", "sonic-boom", "thread-stream", "fast-safe-stringify", "quick-format-unescaped", "on-exit-leak-free", "atomic-sleep")(f) || inDist("server/logger.js")(f) },
  { name: "fastify: routing, hooks, body parse, reply serialisation", matches: (f) => inModules("fastify", "find-my-way", "avvio", "light-my-request", "fast-json-stringify", "secure-json-parse", "@fastify", "fast-querystring", "process-warning", "rfdc", "toad-cache", "abstract-logging", "json-schema-ref-resolver", "fast-uri", "ret", "safe-regex2")(f) || inDist("server/")(f) },
  { name: "Node's HTTP server and sockets (paid by the bare proxy too)", matches: inNode("_http_server", "_http_common", "_http_outgoing", "_http_incoming", "net", "internal/http", "internal/streams", "internal/stream_base_commons", "stream", "internal/net") },
  { name: "our other code", matches: inDist("") },
];

/** Our shared helpers, whose time goes to their caller. */
export const isHelperFrame = inDist("store/sqlite/database.js", "store/validation.js", "store/composed-store.js");
/** Frames of no part (native code, Node's other internals, zod) give their time to their caller. */
export const isTransparentFrame = (frame: CallFrame): boolean =>
  frame.url === "" || frame.url.startsWith("node:") || frame.url.includes("/node_modules/zod/") || frame.url.includes("/node_modules/better-sqlite3/");

const SPECIAL: Record<string, string> = {
  "(garbage collector)": "garbage collection",
  "(program)": "V8/native, outside JS (parsing, compiling, the event loop's C++)",
};

/** Time per part of the profile's samples between `fromUs` and `toUs` (the profile's clock, µs; omit for all). */
export interface ProfileBreakdown {
  /** Samples in the window with the thread running (not idle). */
  busy: number;
  /** Idle samples in the window. */
  idle: number;
  /** The same split weighted by time (µs) instead, to show how far preemption skews it. */
  busyUs: number;
  parts: Array<{ name: string; samples: number; us: number }>;
  /** The functions with the most self samples, for reading. */
  top: Array<{ name: string; samples: number }>;
}

export function breakDown(file: string, fromUs = -Infinity, toUs = Infinity): ProfileBreakdown {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

  const partOf = new Map<number, string>();
  const classify = (id: number): string => {
    const cached = partOf.get(id);
    if (cached !== undefined) return cached;
    const leaf = byId.get(id);
    let answer: string | undefined = leaf === undefined ? "unknown" : SPECIAL[leaf.callFrame.functionName];
    let fallback: string | undefined;
    for (let at: number | undefined = id; answer === undefined && at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined) break;
      if (isHelperFrame(frame)) continue;
      const part = SERVICE_PARTS.find((p) => p.matches(frame));
      if (part !== undefined) {
        answer = part.name;
      } else if (isTransparentFrame(frame)) {
        if (fallback === undefined && frame.url.includes("/node_modules/zod/")) fallback = "zod (not under a named caller)";
      } else {
        answer = `other: ${frame.url.replace(/^.*\/node_modules\//, "")}`;
      }
    }
    answer ??= fallback ?? "Node's event loop and internals (not under a named caller)";
    partOf.set(id, answer);
    return answer;
  };

  const parts = new Map<string, { samples: number; us: number }>();
  const self = new Map<number, number>();
  let busy = 0;
  let idle = 0;
  let busyUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    // A sample's time is the interval up to the next one.
    const spent = profile.timeDeltas[i + 1] ?? 0;
    if (time < fromUs || time > toUs) continue;
    const id = profile.samples[i] ?? -1;
    const frame = byId.get(id)?.callFrame;
    if (frame?.functionName === "(idle)") {
      idle++;
      continue;
    }
    busy++;
    busyUs += spent;
    const name = classify(id);
    const part = parts.get(name) ?? { samples: 0, us: 0 };
    part.samples++;
    part.us += spent;
    parts.set(name, part);
    self.set(id, (self.get(id) ?? 0) + 1);
  }
  const selfByName = new Map<string, number>();
  for (const [id, samples] of self) {
    const f = byId.get(id)?.callFrame;
    const where = f === undefined ? "?" : `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${f.lineNumber + 1}`;
    selfByName.set(where, (selfByName.get(where) ?? 0) + samples);
  }
  return {
    busy,
    idle,
    busyUs,
    parts: [...parts].map(([name, p]) => ({ name, ...p })).sort((a, b) => b.samples - a.samples),
    top: [...selfByName].map(([name, samples]) => ({ name, samples })).sort((a, b) => b.samples - a.samples).slice(0, 40),
  };
}
