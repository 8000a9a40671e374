import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, serviceBanner } from "../../cli/run-service.js";
import { resolveServeSettings } from "../../cli/serve-settings.js";
import { bundleConsole } from "../../console/bundle.js";
import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import { Runtime } from "../../runtime/index.js";
import { openStore, type Store } from "../../store/index.js";
import { buildServer } from "../app.js";
import { ANY_CALLBACK } from "../webhooks/callback-policy.js";
import { startStandardWebhookReceiver, waitUntil, type StandardWebhookReceiver } from "../webhooks/testing/receiver.js";
import { WebhookDeliveryWorker } from "../webhooks/worker.js";
import { axeViolations, focusedText, launchChromium, screenshot } from "./testing/browser.js";

// One browser and one service for the whole file: the console as a user drives it, against the
// service on a real port (SQLite file, webhook worker, emulator over HTTP), deliveries retried
// within a second so that a failing receiver's event dies while the test watches.
const ADMIN_KEY = "console-admin-key-0123456789";
// The service's public Intercom app, registered in the emulator once the service's URL is known.
const OAUTH_APP = { clientId: "console-test-app", clientSecret: "console-test-app-secret-0123456789" };

let dir: string;
let assets: string;
let em: TestEmulator;
let store: Store;
let runtime: Runtime;
let app: FastifyInstance;
let worker: WebhookDeliveryWorker;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
let okReceiver: StandardWebhookReceiver;
let failingReceiver: StandardWebhookReceiver;
let connectionId: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "console-browser-"));
  assets = join(dir, "assets");
  await bundleConsole(assets);
  em = await startTestEmulator();
  store = await openStore(join(dir, "connector.db"), { secretKey: randomBytes(32) });
  runtime = new Runtime({
    store,
    pollIntervalSeconds: 1,
    retention: false,
    apiKeyCacheMs: 0,
    oauth: { ...OAUTH_APP, appBaseUrl: em.baseUrl, apiBaseUrl: em.baseUrl },
  });
  app = await buildServer({ runtime, logger: false, adminKey: ADMIN_KEY, callbackPolicy: ANY_CALLBACK, consoleAssetsDir: assets });
  await app.listen({ port: 0, host: "127.0.0.1" });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  em.emulator.oauth.register({ ...OAUTH_APP, name: "Console test app", redirectUris: [`${base}/console/oauth/callback`] });
  worker = new WebhookDeliveryWorker({
    runtime,
    tickMs: 100,
    callbackPolicy: ANY_CALLBACK,
    deliveryPolicy: { firstDelayMs: 100, maxDelayMs: 200, giveUpAfterMs: 800 },
  });
  worker.start();
  okReceiver = await startStandardWebhookReceiver();
  failingReceiver = await startStandardWebhookReceiver();
  failingReceiver.answer = () => 500;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  // The emulator's authorize page names no icon, so Chromium asks for /favicon.ico, which Intercom's
  // description (the emulator harness checks every answer) has no path for: answered here instead.
  await context.route("**/favicon.ico", (route) => route.fulfill({ status: 204 }));
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  page.on("dialog", (dialog) => void dialog.accept());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await app?.close();
  await runtime?.close();
  await store?.close();
  await okReceiver?.close();
  await failingReceiver?.close();
  await em?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function expectAccessible(name: string): Promise<void> {
  await screenshot(page, name);
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
}

async function openPage(link: string, heading: string): Promise<void> {
  await page.getByRole("navigation", { name: "Console pages" }).getByRole("link", { name: link }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** A JSON endpoint of the console called as the page calls it (its cookie), with the headers given. */
async function fromPage(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; code: string | undefined }> {
  return page.evaluate(
    async ({ method, path, headers }) => {
      const r = await fetch(path, { method, headers, credentials: "same-origin" });
      const body = (await r.json().catch(() => null)) as { error?: { code?: string } } | null;
      return { status: r.status, code: body?.error?.code };
    },
    { method, path, headers },
  );
}

describe("the web console in a browser", () => {
  it("refuses a wrong admin key, then signs in with the right one", async () => {
    await page.goto(`${base}/console`);
    await page.getByLabel("Admin key").waitFor();
    await expectAccessible("01-sign-in");
    await page.getByLabel("Admin key").fill("not-the-key");
    await page.getByRole("button", { name: "Sign in with the admin key" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("admin_unauthorized");
    await page.getByLabel("Admin key").fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Sign in with the admin key" }).click();
    await page.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
    const cookie = (await context.cookies()).find((c) => c.name === "icc_console");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/console", secure: false });
  });

  it("adds a connection by token and base URL, shows its key once, and lists it", async () => {
    await page.getByLabel("Access token").fill(em.token);
    await page.getByLabel("Name (optional)").fill("Emulator workspace");
    await page.getByLabel("Base URL (optional: a proxy or the emulator)").fill(em.baseUrl);
    await page.getByRole("button", { name: "Add connection" }).click();
    const secret = page.getByTestId("secret");
    await secret.waitFor();
    const apiKey = (await secret.textContent()) ?? "";
    expect(apiKey).toMatch(/^icc_/);
    const [connection] = await store.listConnections();
    if (connection === undefined) throw new Error("no connection was stored");
    connectionId = connection.id;
    expect(await store.findConnectionByApiKey(apiKey)).toMatchObject({ id: connectionId, name: "Emulator workspace" });
    await page.getByTestId("budget-chart").waitFor();
    await expectAccessible("02-connection-added");
    await page.getByRole("button", { name: "Done" }).click();
    // Shown once: gone from the page, never answered again.
    expect(await page.content()).not.toContain(apiKey);
    expect(await page.getByTestId("connection").count()).toBe(1);
  });

  it("tests the connection and the budget chart moves", async () => {
    await expect.poll(() => page.getByTestId("budget-summary").textContent()).toContain("0 calls spent");
    await page.getByRole("button", { name: "Test" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Connection works (GET /tags)");
    await expect.poll(() => page.getByTestId("budget-summary").textContent()).toContain("1 calls spent");
    await screenshot(page, "03-budget-moved");
  });

  it("subscribes a webhook and sees its event arrive in the live feed", async () => {
    await openPage("Subscriptions", "Subscriptions");
    await page.getByLabel("Trigger").selectOption("TrigNewLead");
    await page.getByLabel("Callback URL").fill(okReceiver.url);
    await page.getByRole("button", { name: "Subscribe" }).click();
    okReceiver.secret = (await page.getByTestId("secret").textContent()) ?? null;
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByTestId("subscription").first().waitFor();
    await expectAccessible("04-subscriptions");

    await openPage("Live feed", "Live event feed");
    await expect.poll(() => page.getByTestId("feed-status").textContent()).toBe("live");
    const created = await em.request("POST", "/contacts", { role: "lead", email: "feed@example.com", name: "Feed Lead" });
    expect(created.status).toBe(200);
    await page.locator('[data-testid="feed-change"][data-type="entered"]', { hasText: "feed@example.com" }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="feed-change"][data-type="delivered"]', { hasText: "feed@example.com" }).waitFor({ timeout: 15_000 });
    expect(okReceiver.accepted().map((d) => d.signatureValid)).toEqual([true]);
    await expectAccessible("05-live-feed");
  });

  it("shows a failing receiver's attempts and its dead letter, and replays it", async () => {
    await openPage("Subscriptions", "Subscriptions");
    await page.getByLabel("Trigger").selectOption("TrigNewUser");
    await page.getByLabel("Callback URL").fill(failingReceiver.url);
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByRole("button", { name: "Done" }).click();
    await expect.poll(() => page.getByTestId("subscription").count()).toBe(2);
    expect((await em.request("POST", "/contacts", { role: "user", email: "dead@example.com" })).status).toBe(200);
    const failing = (await store.listWebhooks({ connectionId })).find((w) => w.triggerId === "TrigNewUser");
    if (failing === undefined) throw new Error("no failing webhook");
    await waitUntil(async () => (await store.outboxStats(failing.subscriptionId)).dead === 1, "the failing receiver's event dead-lettered", 20_000);

    await page.getByRole("button", { name: `Run history of TrigNewUser ${failing.subscriptionId}` }).click();
    await page.getByRole("heading", { level: 1, name: "Run history" }).waitFor();
    const row = page.locator('[data-testid="event"][data-status="dead"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("HTTP 500");
    const attempts = failingReceiver.received.length;
    expect(attempts).toBeGreaterThanOrEqual(2);
    // Every attempt the receiver saw is in the run history: its status code, latency and error.
    const recorded = await store.listDeliveryAttempts(failing.subscriptionId, { limit: 100 });
    expect(recorded.map((a) => [a.statusCode, a.error])).toEqual(failingReceiver.received.map(() => [500, "HTTP 500"]));
    await page.getByRole("button", { name: /^Attempts of event / }).click();
    await page.getByRole("heading", { level: 2, name: /^Delivery attempts of event / }).waitFor();
    await expect.poll(() => page.getByTestId("attempt").count()).toBe(attempts);
    expect(await page.getByTestId("attempt").first().textContent()).toContain("500");
    await page.getByTestId("latency-chart").waitFor();
    await page.getByLabel("Status").selectOption("dead");
    await expectAccessible("06-run-history-dead");
    await page.getByRole("button", { name: /^Replay event / }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toMatch(/queued again/);
    // Replayed: pending again and offered to the receiver once more.
    await waitUntil(() => failingReceiver.received.length > attempts, "the replayed event re-delivered", 10_000);
  });

  it("runs an action from its generated form: the result, then the error with its code", async () => {
    await openPage("Try it", "Try it");
    await page.getByLabel("Action", { exact: true }).selectOption("CreateLead");
    await page.getByLabel("email").fill("tried@example.com");
    await page.getByRole("button", { name: "Run" }).click();
    await expect.poll(() => page.getByTestId("result").textContent()).toContain('"email": "tried@example.com"');
    await expectAccessible("07-try-it-result");
    await page.getByLabel("email").fill("not-an-email");
    await page.getByRole("button", { name: "Run" }).click();
    await expect.poll(() => page.getByTestId("error").textContent()).toContain("invalid_input");
    expect(await page.getByTestId("error").textContent()).toContain("email");
    await screenshot(page, "08-try-it-error");
  });

  it("downloads the Power Platform files for this service", async () => {
    await openPage("Power Platform", "Power Platform");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download apiDefinition.swagger.json" }).click()]);
    expect(download.suggestedFilename()).toBe("apiDefinition.swagger.json");
    const swagger = await page.evaluate(async () => (await fetch("/console/api/power-platform/apiDefinition.swagger.json")).json() as Promise<{ swagger: string; host: string }>);
    expect(swagger).toMatchObject({ swagger: "2.0", host: new URL(base).host });
    await expectAccessible("09-power-platform");
  });

  it("is driven by the keyboard: skip link first, then the pages' links", async () => {
    await page.goto(`${base}/console/connections`);
    await page.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("Skip to the page");
    await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("Connections");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: "Subscriptions" }).waitFor();
    expect(page.url()).toBe(`${base}/console/subscriptions`);
  });

  it("refuses a change without the CSRF token or from another origin", async () => {
    const path = `/console/api/connections/${connectionId}/test`;
    // Counted by the test's own Intercom call (GET /tags): the webhook subscribed earlier in this
    // file polls in the background, so the budget's total moves on its own.
    const tagCalls = (): number => em.emulator.state.calls.get(em.workspace.id)?.get("GET /tags") ?? 0;
    const tagsBefore = tagCalls();
    expect(await fromPage("POST", path, {})).toEqual({ status: 403, code: "csrf_refused" });
    expect(await fromPage("POST", path, { "X-CSRF-Token": "forged" })).toEqual({ status: 403, code: "csrf_refused" });
    const cookie = (await context.cookies()).find((c) => c.name === "icc_console")?.value ?? "";
    const session = (await (await fetch(`${base}/console/api/session`, { headers: { cookie: `icc_console=${cookie}` } })).json()) as { csrf_token: string };
    const foreign = await fetch(`${base}${path}`, { method: "POST", headers: { cookie: `icc_console=${cookie}`, "x-csrf-token": session.csrf_token, origin: "http://evil.example" } });
    expect(foreign.status).toBe(403);
    // The refused ones asked Intercom nothing; the one allowed asked once.
    expect(tagCalls()).toBe(tagsBefore);
    const same = await fetch(`${base}${path}`, { method: "POST", headers: { cookie: `icc_console=${cookie}`, "x-csrf-token": session.csrf_token, origin: base } });
    expect(same.status).toBe(200);
    expect(tagCalls()).toBe(tagsBefore + 1);
  });

  it("connects a workspace with Intercom's OAuth, and refuses a replayed or forged callback", async () => {
    await page.goto(`${base}/console/connections`);
    await page.getByLabel("Workspace region").selectOption("us");
    await page.getByRole("button", { name: "Connect with Intercom" }).click();
    // The emulator's authorize page, as Intercom's: one button per workspace, and Cancel.
    await page.getByRole("button", { name: `Authorize access to workspace ${em.workspace.id}` }).click();
    await page.waitForURL(/\/console\/oauth\/callback\?/);
    const callback = page.url();
    const secret = page.getByTestId("secret");
    await secret.waitFor();
    const apiKey = (await secret.textContent()) ?? "";
    const connected = await store.findConnectionByApiKey(apiKey);
    if (connected === null) throw new Error("the OAuth connection's key finds no connection");
    expect(await store.getIntercomClientSecret(connected.id)).toBe(OAUTH_APP.clientSecret);
    expect(page.url()).toBe(`${base}/console/connections`);
    await expectAccessible("11-connected-with-intercom");
    // Its token works: one call through the runtime.
    expect((await runtime.testConnection(connected.id)).ok).toBe(true);

    await page.goto(callback);
    await expect.poll(() => page.getByTestId("error").textContent()).toContain("oauth_state_invalid");
    await page.goto(`${base}/console/oauth/callback?state=forged-state&code=forged-code`);
    await expect.poll(() => page.getByTestId("error").textContent()).toContain("oauth_state_invalid");
    await screenshot(page, "12-forged-callback-refused");
    expect((await store.listConnections()).length).toBe(2);
    await page.getByRole("button", { name: "Back to the connections" }).click();
  });

  it("signs out: the session ends on the service, not just in the page", async () => {
    const cookie = (await context.cookies()).find((c) => c.name === "icc_console")?.value ?? "";
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin key").waitFor();
    const after = await fetch(`${base}/console/api/connections`, { headers: { cookie: `icc_console=${cookie}` } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("console_signed_out");
    // The 4xx answers this file provokes on purpose are logged by the browser; nothing else may be.
    expect(pageErrors.filter((e) => !/^Failed to load resource: the server responded with a status of 4\d\d/.test(e))).toEqual([]);
  });
});

describe("the console of `serve` in demo mode", () => {
  it("is in the start banner and opens signed in, with the demo connection", async () => {
    const running = await startService(resolveServeSettings({ port: 0, state: join(dir, "serve"), logLevel: "silent" }, {}), { consoleAssetsDir: assets });
    try {
      const line = serviceBanner(running).find((l) => l.startsWith("web console: "));
      expect(line).toBe(`web console: ${running.url}/console (opens signed in: demo mode)`);
      const demo = await context.browser()?.newContext();
      if (demo === undefined) throw new Error("no browser");
      const tab = await demo.newPage();
      await tab.goto(`${running.url}/console`);
      await tab.getByRole("heading", { level: 1, name: "Connections" }).waitFor();
      expect(await tab.getByTestId("connection").first().textContent()).toContain("Demo (in-process emulator)");
      await tab.getByTestId("budget-chart").waitFor();
      await screenshot(tab, "10-serve-demo");
      // Connect with Intercom works in demo mode too, against the in-process emulator's OAuth.
      await tab.getByRole("button", { name: "Connect with Intercom" }).click();
      await tab.getByRole("button", { name: /^Authorize access to workspace / }).click();
      const apiKey = (await tab.getByTestId("secret").textContent()) ?? "";
      expect(apiKey).toMatch(/^icc_/);
      const listed = await fetch(`${running.url}/v1/connections`, { headers: { "x-api-key": apiKey } });
      expect(listed.status).toBe(200);
      await demo.close();
    } finally {
      await running.close();
    }
  });
});
