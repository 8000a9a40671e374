import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../store/index.js";
import { resolveServeSettings } from "./serve-settings.js";
import { UsageError } from "./settings.js";
import { startCliTestBed, type CliTestBed } from "./testing/cli-bed.js";
import { killAllClis, spawnCli } from "./testing/spawn-cli.js";
import { cliCommand } from "./testing/cli-entry.js";

// What `serve` and the CLI do at start-up with their port, their keys and their callers (issue 10).

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const KEY_LINE = /^error: this store was written under another secret key: set CONNECTOR_SECRET_KEY to the key this store was created with \(its (file|database): [^)]+\)$/;

let bed: CliTestBed;
let blocker: Server | undefined;
beforeEach(async () => {
  bed = await startCliTestBed();
});
afterEach(async () => {
  await killAllClis();
  await new Promise<void>((resolve) => (blocker === undefined ? resolve() : blocker.close(() => resolve())));
  blocker = undefined;
  await bed.cleanup();
});

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** A request to 127.0.0.1:`port` with a chosen `Host` (fetch sets its own). */
function send(port: number, method: string, path: string, host: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers: { host, ...(payload === undefined ? {} : { "content-type": "application/json" }) } }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text === "" ? null : (JSON.parse(text) as unknown) }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

describe("ALLOWED_HOSTS", () => {
  it("reads comma-separated host and host:port entries, the flag over the variable; unset answers every Host", () => {
    expect(resolveServeSettings({}, {}).allowedHosts).toBeUndefined();
    expect(resolveServeSettings({}, { ALLOWED_HOSTS: " connector.example.com, ,10.0.0.5:3000 ,[::1]:3000" }).allowedHosts).toEqual(["connector.example.com", "10.0.0.5:3000", "[::1]:3000"]);
    expect(resolveServeSettings({ allowedHosts: ["a.example"] }, { ALLOWED_HOSTS: "b.example" }).allowedHosts).toEqual(["a.example"]);
    for (const bad of [",", "a.example/path", "user@a.example", "a.example:99999"]) {
      expect(() => resolveServeSettings({}, { ALLOWED_HOSTS: bad }), bad).toThrow(UsageError);
    }
  });
});

describe("start-up", { timeout: 120_000 }, () => {
  it("serve on a busy port exits 1 with one line naming the port, before creating its store or key", async () => {
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as AddressInfo;
    const cli = spawnCli(["serve", "--port", String(port), "--state", bed.state], { env: bed.env });
    expect((await cli.exited).code).toBe(1);
    expect(lines(cli.stderr())).toEqual([`error: port ${port} on 127.0.0.1 is in use; set PORT (or --port) to another port, or 0 for a free one`]);
    expect(cli.stdout()).toBe("");
    expect(existsSync(bed.state)).toBe(false);
    expect(await bed.callCount()).toBe(0);
  });

  it("serve on 0.0.0.0 with a token and no admin key: says so, warns about PUBLIC_BASE_URL, refuses to create connections even from 127.0.0.1; ALLOWED_HOSTS limits Host", async () => {
    const cli = spawnCli(["serve", "--port", "0", "--host", "0.0.0.0", "--state", bed.state], { env: { ...bed.env, ALLOWED_HOSTS: "connector.example.com, 127.0.0.1" } });
    await cli.waitFor(/^Press Ctrl\+C to stop\.$/m, 60_000);
    const port = Number(/^intercom-connector service listening on http:\/\/127\.0\.0\.1:(\d+)$/m.exec(cli.stdout())?.[1]);
    expect(cli.stdout()).toContain("\nconnections: nobody may create one until CONNECTOR_ADMIN_KEY is set (not listening on loopback only)\n");
    await cli.waitForStderr(/^warning: /m);
    expect(lines(cli.stderr()).filter((line) => !line.startsWith("{"))).toEqual([
      "warning: PUBLIC_BASE_URL is not set and the service listens on 0.0.0.0: Location and nextLink follow each request's Host header; set PUBLIC_BASE_URL to the URL clients reach the service at",
    ]);
    const refused = await send(port, "POST", "/v1/connections", `127.0.0.1:${port}`, { access_token: "tok_remote" });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: "admin_key_required" } } });
    const otherHost = await send(port, "POST", "/v1/connections", "attacker.invalid", { access_token: "tok_remote" });
    expect(otherHost).toMatchObject({ status: 421, body: { error: { code: "host_not_allowed" } } });
    cli.child.kill("SIGTERM");
    expect((await cli.exited).code).toBe(0);
  });

  it("serve refuses an invalid ALLOWED_HOSTS with exit 2 and one line", async () => {
    const cli = spawnCli(["serve", "--port", "0", "--state", bed.state], { env: { ...bed.env, ALLOWED_HOSTS: "https://connector.example.com" } });
    expect((await cli.exited).code).toBe(2);
    expect(lines(cli.stderr())).toEqual([
      `error: ALLOWED_HOSTS 'https://connector.example.com' is invalid. "https://connector.example.com" is not a host or host:port: give host names or addresses, each with an optional :port, separated by commas.`,
    ]);
    expect(existsSync(bed.state)).toBe(false);
  });

  it("the CLI under a changed CONNECTOR_SECRET_KEY exits 1 with one line saying which key to set, and creates nothing", async () => {
    // --state keeps its own key file; the key a user changes is the variable, beside DATABASE_URL.
    const database = join(bed.dir, "shared.db");
    const key = randomBytes(32).toString("hex");
    const first = await bed.run(["call", "ListLeads"], { DATABASE_URL: database, CONNECTOR_SECRET_KEY: key });
    expect(first.code, first.stderr).toBe(0);
    const calls = await bed.callCount();
    const other = randomBytes(32).toString("hex");
    const second = await bed.run(["call", "ListLeads"], { DATABASE_URL: database, CONNECTOR_SECRET_KEY: other });
    expect(second.code).toBe(1);
    expect(lines(second.stderr)).toHaveLength(1);
    expect(second.stderr.trimEnd()).toMatch(KEY_LINE);
    expect(second.stderr).toContain(`(its file: ${database})`);
    expect(second.stderr).not.toContain(other);
    expect(second.stderr).not.toContain(key);
    expect(second.stdout).toBe("");
    // Still the one connection, and no Intercom call since the first run.
    const store = await openStore(database, { secretKey: Buffer.from(key, "hex") });
    try {
      expect(await store.listConnections()).toHaveLength(1);
    } finally {
      await store.close();
    }
    expect(await bed.callCount()).toBe(calls);
  });

  it("`call ListLeads | head -1` through a shell pipe ends quietly with exit 0", async () => {
    for (let i = 0; i < 1_200; i++) bed.em.workspace.insertContact({ role: "lead", email: `pipe${i}@example.com`, name: `Lead number ${i}` });
    const script = `set -o pipefail; ${cliCommand(["call", "ListLeads", "--state", bed.state]).map((word) => `"${word}"`).join(" ")} | head -1`;
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile("bash", ["-c", script], { cwd: ROOT, env: { ...process.env, ...bed.env, CONNECTOR_SECRET_KEY: "", DATABASE_URL: "" } }, (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
      );
    });
    expect(result).toEqual({ code: 0, stdout: "[\n", stderr: "" });
  });
});

const databaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(databaseUrl === undefined || databaseUrl === "")("serve instances on one PostgreSQL database under different secret keys", { timeout: 120_000 }, () => {
  let schema: string | undefined;
  afterEach(async () => {
    if (schema === undefined) return;
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
    schema = undefined;
  });

  it("the second refuses to start with one line saying which key to set; the first keeps serving", async () => {
    schema = `icc_keys_${randomBytes(6).toString("hex")}`;
    const url = new URL(databaseUrl ?? "");
    url.searchParams.set("schema", schema);
    const env = { ...bed.env, DATABASE_URL: url.href, LOG_LEVEL: "warn" };
    const first = spawnCli(["serve", "--port", "0"], { env: { ...env, CONNECTOR_SECRET_KEY: randomBytes(32).toString("hex") } });
    await first.waitFor(/^Press Ctrl\+C to stop\.$/m, 60_000);
    const other = randomBytes(32).toString("hex");
    const second = spawnCli(["serve", "--port", "0"], { env: { ...env, CONNECTOR_SECRET_KEY: other } });
    expect((await second.exited).code).toBe(1);
    const said = lines(second.stderr());
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(KEY_LINE);
    expect(said[0]).toContain(`?schema=${schema}`);
    expect(second.stderr()).not.toContain(other);
    expect(second.stdout()).toBe("");
    expect(first.child.exitCode).toBeNull();
  });
});
