import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../emulator/testing/harness.js";
import { killAllClis, spawnCli, type CliProcess } from "./testing/spawn-cli.js";

/** How long a stop may take: it takes well under a second alone, but test files run in parallel. */
const SHUTDOWN_MS = 8_000;
const dirs: string[] = [];
let em: TestEmulator | undefined;
afterEach(async () => {
  await killAllClis();
  await em?.close();
  em = undefined;
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function stateDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "serve-test-"));
  dirs.push(dir);
  return dir;
}

/** Starts `serve` and reads its banner. */
async function startServe(args: string[], env: Record<string, string> = {}): Promise<{ cli: CliProcess; url: string; connectionId: string; banner: string }> {
  const cli = spawnCli(["serve", "--port", "0", ...args], { env });
  await cli.waitFor(/^Press Ctrl\+C to stop\.$/m, 30_000);
  const out = cli.stdout();
  const field = (re: RegExp): string => {
    const value = re.exec(out)?.[1];
    if (value === undefined) throw new Error(`no ${String(re)} in ${out}`);
    return value;
  };
  return { cli, url: field(/^intercom-connector service listening on (http:\/\/\S+)$/m), connectionId: field(/^connection: (\S+)$/m), banner: out };
}

async function call(url: string, key: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers: { "X-API-Key": key, ...(init.body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown) };
}

async function exitsWithin(cli: CliProcess, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not exit within ${ms} ms`)), ms).unref());
  return Promise.race([cli.exited, timeout]);
}

describe("intercom-connector serve", { timeout: 60_000 }, () => {
  it("without a token: starts the emulator, prints the URLs and a key that answers every action, exits 0 on SIGTERM", async () => {
    const { cli, url, banner } = await startServe(["--state", await stateDir()]);
    const emulatorUrl = /^emulator: (http:\/\/\S+) /m.exec(banner)?.[1] ?? "";
    const apiKey = /^API key: (icc_\S+) /m.exec(banner)?.[1] ?? "";
    expect(emulatorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(apiKey).not.toBe("");
    expect(banner).toContain("300 contacts, 20 companies, 10 tags, 50 conversations");
    expect(banner).toContain(`try: curl -H 'X-API-Key: ${apiKey}' ${url}/v1/actions/ListLeads`);
    expect(banner).toMatch(/^webhooks: callback URLs may point to localhost and private addresses in demo mode /m);
    expect((await fetch(`${emulatorUrl}/_emulator/workspaces`)).status).toBe(200);

    const leads = await call(`${url}/v1/actions/ListLeads`, apiKey);
    expect(leads.status).toBe(200);
    const first = (leads.body as { value: Array<{ id: string }> }).value[0];
    expect(first).toBeDefined();
    const lead = await call(`${url}/v1/actions/GetLead`, apiKey, { method: "POST", body: { contact_id: first?.id } });
    expect(lead.status).toBe(200);
    expect(lead.body).toMatchObject({ id: first?.id });
    const created = await call(`${url}/v1/actions/CreateUser`, apiKey, { method: "POST", body: { email: "newcomer@example.com" } });
    expect(created.status).toBe(200);
    expect((await call(`${url}/v1/actions/ListLeads`, "icc_wrong")).status).toBe(401);

    cli.child.kill("SIGTERM");
    expect(await exitsWithin(cli, SHUTDOWN_MS)).toEqual({ code: 0, signal: null });
    // Read once the process is gone: everything it wrote is in. One line per request, no key.
    const logLines = cli.stdout().split("\n").filter((line) => line.startsWith("{"));
    expect(logLines.filter((line) => line.includes('"request completed"'))).toHaveLength(4);
    for (const line of logLines) expect(line.includes(apiKey), line).toBe(false);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await expect(fetch(`${emulatorUrl}/_emulator/workspaces`)).rejects.toThrow();
  });

  it("lets a request in flight finish on SIGTERM, then exits 0", async () => {
    const { cli, url, banner } = await startServe(["--state", await stateDir()]);
    const emulatorUrl = /^emulator: (http:\/\/\S+) /m.exec(banner)?.[1] ?? "";
    const apiKey = /^API key: (icc_\S+) /m.exec(banner)?.[1] ?? "";
    const workspaces = (await (await fetch(`${emulatorUrl}/_emulator/workspaces`)).json()) as { workspaces: Array<{ id: string }> };
    // Two 503s make the search retry with backoff: the request takes over a second.
    await fetch(`${emulatorUrl}/_emulator/workspaces/${workspaces.workspaces[0]?.id ?? ""}/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "503", count: 2, route: "POST /contacts/search" }),
    });
    const started = Date.now();
    const inFlight = call(`${url}/v1/actions/ListLeads`, apiKey);
    await new Promise((resolve) => setTimeout(resolve, 300));
    cli.child.kill("SIGTERM");
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThan(1_000);
    expect(await exitsWithin(cli, SHUTDOWN_MS)).toEqual({ code: 0, signal: null });
  });

  it("with a token: makes a default connection once, keeps it across starts and token rotations, and takes CONNECTOR_API_KEY as its key", async () => {
    em = await startTestEmulator({ workspaces: [{ token: "token-one", timezone: "UTC" }, { token: "token-two", timezone: "UTC" }] });
    const state = await stateDir();
    const apiKey = "operator-chosen-key-0123456789";
    const env = { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_BASE_URL: em.baseUrl, CONNECTOR_API_KEY: apiKey };
    const lead = em.workspace.insertContact({ role: "lead", email: "existing@example.com" });

    const first = await startServe(["--state", state], env);
    expect(first.banner).not.toMatch(/^emulator:/m);
    expect(first.banner).toContain("API key: the value of CONNECTOR_API_KEY");
    expect(first.banner).not.toContain(apiKey);
    expect(first.banner).not.toContain(em.token);
    const got = await call(`${first.url}/v1/actions/GetLead`, apiKey, { method: "POST", body: { contact_id: lead.id } });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: lead.id, email: "existing@example.com" });
    // With a token, webhooks keep to public addresses.
    expect(first.banner).not.toMatch(/^webhooks:/m);
    const local = await call(`${first.url}/v1/triggers/TrigNewLead/subscriptions`, apiKey, { method: "POST", body: { callback_url: "http://127.0.0.1:9/hook?sig=x" } });
    expect(local).toMatchObject({ status: 400, body: { error: { code: "invalid_input", field: "callback_url" } } });
    first.cli.child.kill("SIGINT");
    expect(await exitsWithin(first.cli, SHUTDOWN_MS)).toEqual({ code: 0, signal: null });

    // Restarted without CONNECTOR_API_KEY: the same connection, its key unchanged.
    const second = await startServe(["--state", state], { INTERCOM_ACCESS_TOKEN: em.token, INTERCOM_BASE_URL: em.baseUrl });
    expect(second.connectionId).toBe(first.connectionId);
    expect(second.banner).toContain("API key: unchanged");
    expect((await call(`${second.url}/v1/connections`, apiKey)).status).toBe(200);
    second.cli.child.kill("SIGTERM");
    expect(await exitsWithin(second.cli, SHUTDOWN_MS)).toEqual({ code: 0, signal: null });

    // A rotated token with the same CONNECTOR_API_KEY: the same connection, now with the new token.
    const other = em.emulator.state.all()[1]?.insertContact({ role: "lead", email: "other-workspace@example.com" });
    const third = await startServe(["--state", state], { ...env, INTERCOM_ACCESS_TOKEN: "token-two" });
    expect(third.connectionId).toBe(first.connectionId);
    const fromTwo = await call(`${third.url}/v1/actions/GetLead`, apiKey, { method: "POST", body: { contact_id: other?.id } });
    expect(fromTwo.status).toBe(200);
    expect(fromTwo.body).toMatchObject({ email: "other-workspace@example.com" });
    third.cli.child.kill("SIGTERM");
    expect(await exitsWithin(third.cli, SHUTDOWN_MS)).toEqual({ code: 0, signal: null });
  });

  it("refuses invalid settings with exit code 2 and one line, never repeating a secret", async () => {
    const state = await stateDir();
    // Each would start a service if its setting were accepted (the test would then time out).
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [["--state", state], { PORT: "eighty" }, /^error: PORT 'eighty' is invalid\. The port must be a whole number\.$/],
      [["--state", state, "--port", "0"], { CONNECTOR_API_KEY: "short secret" }, /^error: CONNECTOR_API_KEY is invalid: an API key must be 16 to 512 printable characters without spaces$/],
      [["--state", state, "--port", "0", "--log-level", "loud"], {}, /--log-level.*'loud' is invalid\. Use one of fatal, error, warn, info, debug, trace, silent\.$/],
      [["--state", state, "--port", "0"], { TRIGGER_SUBSCRIPTION_IDLE_SECONDS: "60" }, /^error: TRIGGER_SUBSCRIPTION_IDLE_SECONDS \(60\) must be from 3600 \(an hour\) to 315360000 seconds/],
      [["--state", state, "--port", "0", "--subscription-idle", "a week"], {}, /--subscription-idle.*'a week' is invalid/],
    ];
    await Promise.all(
      cases.map(async ([args, env, message]) => {
        const cli = spawnCli(["serve", ...args], { env });
        expect((await cli.exited).code, JSON.stringify(env)).toBe(2);
        const lines = cli.stderr().split("\n").filter((line) => line !== "");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(cli.stderr()).not.toContain("short secret");
        expect(cli.stdout()).toBe("");
      }),
    );
  });
});
