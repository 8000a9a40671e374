import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { serviceLoggerOptions } from "../server/logger.js";
import { serviceLogStream } from "./log-stream.js";
import { resolveServeSettings } from "./serve-settings.js";
import { UsageError } from "./settings.js";
import { killAllClis, spawnCli } from "./testing/spawn-cli.js";

const dirs: string[] = [];
afterEach(async () => {
  await killAllClis();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What a logger on `stream` (the service's options: redaction, serializers) writes for one entry. */
function written(stream: ReturnType<typeof serviceLogStream>, sink: PassThrough): string {
  const options = serviceLoggerOptions() as pino.LoggerOptions;
  const logger = stream === undefined ? pino(options, sink) : pino(options, stream);
  logger.info({ headers: { "x-api-key": "icc_secret_value" }, connection: "c-1" }, "connection tested");
  return String(sink.read() ?? "");
}

describe("the service's log format", () => {
  it("is one readable line per entry when pretty, with secrets still redacted", () => {
    const sink = new PassThrough();
    const line = written(serviceLogStream("pretty", false, sink), sink);
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: connection tested /);
    expect(line).toContain('"connection":"c-1"');
    expect(line).toContain("[redacted]");
    expect(line).not.toContain("icc_secret_value");
    expect(line).not.toContain('"level"');
    expect(line.trimEnd().split("\n")).toHaveLength(1);
  });

  it("is JSON lines unless asked or on a terminal: auto decides by whether stdout is a TTY", () => {
    expect(serviceLogStream("json", true)).toBeUndefined();
    expect(serviceLogStream("auto", false)).toBeUndefined();
    expect(serviceLogStream("auto", true)).toBeDefined();
    const sink = new PassThrough();
    expect(JSON.parse(written(serviceLogStream("auto", false), sink))).toMatchObject({ level: 30, msg: "connection tested", headers: { "x-api-key": "[redacted]" } });
  });

  it("reads LOG_FORMAT and --log-format, the flag first; anything else is a usage error", () => {
    expect(resolveServeSettings({}, {}).logFormat).toBe("auto");
    expect(resolveServeSettings({}, { LOG_FORMAT: " JSON " }).logFormat).toBe("json");
    expect(resolveServeSettings({ logFormat: "pretty" }, { LOG_FORMAT: "json" }).logFormat).toBe("pretty");
    expect(() => resolveServeSettings({}, { LOG_FORMAT: "yaml" })).toThrow(UsageError);
  });

  it("serve with LOG_FORMAT=pretty writes readable lines, and its banner as one block", async () => {
    const dir = mkdtempSync(join(tmpdir(), "icc-logs-"));
    dirs.push(dir);
    const cli = spawnCli(["serve", "--port", "0"], { env: { LOG_FORMAT: "pretty", DATABASE_URL: join(dir, "c.db") } });
    await cli.waitFor(/^Press Ctrl\+C to stop\.$/m, 30_000);
    const lines = cli.stdout().split("\n");
    expect(lines.some((line) => /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at http:\/\/127\.0\.0\.1:\d+/.test(line)), cli.stdout()).toBe(true);
    expect(lines.some((line) => line.startsWith("{"))).toBe(false);
    const first = lines.findIndex((line) => line.startsWith("intercom-connector service listening on "));
    const last = lines.findIndex((line) => line === "Press Ctrl+C to stop.");
    expect(lines.slice(first, last + 1).filter((line) => line.startsWith("["))).toEqual([]);
  });
});
