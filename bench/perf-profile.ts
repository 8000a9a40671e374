/**
 * Reads `perf script` output of a Node process recorded with `perf record -g` (the process run
 * with `--perf-prof --interpreted-frames-native-stack`, the samples passed through `perf inject
 * --jit`) and splits its on-CPU samples by part of the service, with the same parts as
 * bench/cpu-profile.ts. perf's cpu-clock samples only while a thread is on a CPU, in the kernel
 * too, so a blocking syscall or a preemption costs nothing here, where V8's --cpu-prof charges it
 * to whatever frame the thread was in.
 */
import { execFileSync } from "node:child_process";
import { SERVICE_PARTS, isHelperFrame, isTransparentFrame, type CallFrame } from "./cpu-profile.js";

/** On-CPU samples of one part: all of them, and those in the kernel (its syscalls). */
export interface PerfPart {
  name: string;
  samples: number;
  kernel: number;
}

/** The split of a perf recording. */
export interface PerfBreakdown {
  /** Every sample of every thread. */
  samples: number;
  /** The main (JavaScript) thread's. */
  mainSamples: number;
  parts: PerfPart[];
}

/** A JIT frame's symbol: `JS:*name url:line:col+0xoffset` (`*` optimised, `^` baseline, `~` interpreted). */
const JS_FRAME = /^JS:[*~^]?(.*?) ?((?:file:\/\/|\/|node:)\S*?):(\d+):(\d+)(?:\+0x[0-9a-f]+)?$/;
const GC = /v8::internal::(Heap::|Heap\b|Scavenger|ScavengerCollector|MarkCompact|MinorMarkCompact|MinorMarkSweep|ConcurrentMarking|IncrementalMarking|GCTracer|Sweeper|MemoryAllocator)/;
const COMPILER = /v8::internal::(compiler::|Compiler::|Parser|baseline::|maglev::|Maglev|BytecodeGenerator|interpreter::BytecodeGenerator)|CompileLazy|Builtin:CompileLazy/;

interface Frame {
  symbol: string;
  dso: string;
}

function jsFrame(symbol: string): CallFrame | null {
  const match = JS_FRAME.exec(symbol);
  if (match === null) return null;
  return { functionName: match[1] ?? "", url: (match[2] ?? "").replace(/^file:\/\//, "file://"), lineNumber: Number(match[3] ?? 1) - 1, columnNumber: Number(match[4] ?? 1) - 1 };
}

/** The part one main-thread sample belongs to (its frames leaf first). */
function partOf(frames: readonly Frame[]): string {
  for (const frame of frames) {
    const js = jsFrame(frame.symbol);
    if (js === null) {
      if (GC.test(frame.symbol)) return "garbage collection";
      if (COMPILER.test(frame.symbol)) return "V8 compiling and optimising";
      continue;
    }
    // perf names scripts by path; the parts match the URLs of V8's profile (`file:///…/dist/…`).
    const url = js.url.startsWith("/") ? `file://${js.url}` : js.url;
    const frameWithUrl = { ...js, url };
    if (isHelperFrame(frameWithUrl)) continue;
    const part = SERVICE_PARTS.find((p) => p.matches(frameWithUrl));
    if (part !== undefined) return part.name;
    if (isTransparentFrame(frameWithUrl)) continue;
    return `other: ${url.replace(/^.*\/node_modules\//, "")}`;
  }
  return "Node's event loop and internals (not under a named caller)";
}

/** The part of a sample of another thread: V8's and libuv's helpers. */
function helperPartOf(frames: readonly Frame[]): string {
  if (frames.some((f) => GC.test(f.symbol))) return "garbage collection, helper threads";
  if (frames.some((f) => COMPILER.test(f.symbol))) return "V8 compiling and optimising, helper threads";
  if (frames.some((f) => f.symbol.startsWith("uv__work") || f.symbol.startsWith("worker"))) return "libuv threadpool (zlib, crypto, fs)";
  return "other helper threads";
}

/**
 * Splits `perf script` text by part; `mainTid` is the process id (its main thread's id).
 *
 * @example
 * const split = breakDownPerf(execFileSync("perf", ["script", "-i", file]).toString(), pid);
 */
export function breakDownPerf(text: string, mainTid: number): PerfBreakdown {
  const parts = new Map<string, PerfPart>();
  let samples = 0;
  let mainSamples = 0;
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((line) => line.trim() !== "");
    const header = lines[0];
    if (header === undefined || !header.includes("cpu-clock")) continue;
    const tid = Number(/^\S+\s+(\d+)/.exec(header.trim())?.[1] ?? Number.NaN);
    const frames = lines.slice(1).map((line): Frame => {
      const match = /^\s*[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$/.exec(line);
      return { symbol: (match?.[1] ?? "").trim(), dso: match?.[2] ?? "" };
    });
    samples++;
    const main = tid === mainTid;
    if (main) mainSamples++;
    const name = main ? partOf(frames) : helperPartOf(frames);
    const part = parts.get(name) ?? { name, samples: 0, kernel: 0 };
    part.samples++;
    if (frames[0]?.dso.includes("kernel") === true) part.kernel++;
    parts.set(name, part);
  }
  return { samples, mainSamples, parts: [...parts.values()].sort((a, b) => b.samples - a.samples) };
}

/**
 * Whether `perf` can record this machine's processes with call graphs (installed, and allowed).
 *
 * @example
 * if (perfAvailable()) recordWithPerf(pid, 10);
 */
export function perfAvailable(): boolean {
  try {
    execFileSync("perf", ["record", "-q", "-g", "-o", "/dev/null", "--", "true"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
