import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { DestinationStream } from "pino";
import { createEmulator, type Emulator } from "../emulator/app.js";
import { seedWorkspace, type SeedSummary } from "../emulator/seed.js";
import { resolveBaseUrl } from "../intercom/index.js";
import { Runtime } from "../runtime/index.js";
import type { OAuthAppSettings } from "../runtime/oauth.js";
import { adminRule, adminRuleLine, buildServer, isLoopbackAddress, type AdminRule } from "../server/index.js";
import { CONSOLE_OAUTH_CALLBACK, CONSOLE_PATH } from "../server/console/index.js";
import { WebhookDeliveryWorker, type CallbackPolicy } from "../server/webhooks/index.js";
import { loadSecretKey, openStore, type Store } from "../store/index.js";
import { envConnectionKey } from "./env-connection.js";
import type { ServeSettings } from "./serve-settings.js";
import { serviceLogStream } from "./log-stream.js";

/** The settings key of the connection `serve` makes to its in-process emulator (reused across starts). */
export const EMULATOR_CONNECTION_SETTING = "serve.emulator-connection";

/** Where the default connection's API key stands, for the banner. */
export type ApiKeyStatus =
  | { kind: "new"; apiKey: string }
  | { kind: "configured" }
  | { kind: "unchanged" };

/** A running service and what a user needs to reach it. */
export interface RunningService {
  app: FastifyInstance;
  /** The service's base URL (a loopback address when listening on all interfaces). */
  url: string;
  /** The in-process emulator, when no access token was given. */
  emulator: { url: string; seeded: SeedSummary } | null;
  connectionId: string;
  apiKey: ApiKeyStatus;
  /** Where webhook deliveries may go (for the banner). */
  callbackPolicy: CallbackPolicy;
  /** Who may create connections (for the banner). */
  adminRule: AdminRule;
  /** What the operator should set, one line each (printed on stderr at start). */
  warnings: string[];
  /** Stops accepting, lets requests and deliveries in flight finish, closes everything. */
  close(): Promise<void>;
}

/** What a default connection came to: its id, and its key when it was made or set now. */
interface DefaultConnection {
  connectionId: string;
  apiKey: ApiKeyStatus;
}

/**
 * Makes `configured` (`CONNECTOR_API_KEY`) the connection's key, taking it from another connection
 * that holds it (which gets a fresh random key: the configured key names the default connection);
 * without one, `fresh()` decides.
 */
async function settleApiKey(store: Store, connectionId: string, configured: string | undefined, fresh: () => Promise<ApiKeyStatus>): Promise<ApiKeyStatus> {
  if (configured === undefined) return fresh();
  const holder = await store.findConnectionByApiKey(configured);
  if (holder !== null && holder.id !== connectionId) await store.rotateApiKey(holder.id);
  await store.setApiKey(connectionId, configured);
  return { kind: "configured" };
}

/**
 * The connection to the in-process emulator: one per store, pointed at this start's emulator (a
 * new port and token each time), with a fresh API key unless one is configured.
 */
async function emulatorConnection(store: Store, settings: ServeSettings, baseUrl: string, token: string): Promise<DefaultConnection> {
  const known = await store.getSetting(EMULATOR_CONNECTION_SETTING);
  const existing = known === null ? null : await store.updateConnection(known, { baseUrl, accessToken: token, region: "us" });
  if (existing !== null) {
    const apiKey = await settleApiKey(store, existing.id, settings.apiKey, async () => {
      const rotated = await store.rotateApiKey(existing.id);
      if (rotated === null) throw new Error("the emulator connection vanished while starting");
      return { kind: "new", apiKey: rotated };
    });
    return { connectionId: existing.id, apiKey };
  }
  const { connection, apiKey } = await store.createConnection({ name: "Demo (in-process emulator)", region: "us", baseUrl, accessToken: token });
  await store.setSetting(EMULATOR_CONNECTION_SETTING, connection.id);
  return { connectionId: connection.id, apiKey: await settleApiKey(store, connection.id, settings.apiKey, async () => ({ kind: "new", apiKey })) };
}

/**
 * The connection for the configured token: found through the same settings key as the CLI's
 * (an HMAC of the token and where it points), so `serve` and `call` share it. A token or URL not
 * seen before, with a `CONNECTOR_API_KEY` that names an existing connection, updates that
 * connection (a rotated token keeps its connection, its subscriptions and its flows); otherwise
 * a new connection is made, and its key shown once.
 */
async function tokenConnection(store: Store, secretKey: Buffer, settings: ServeSettings & { accessToken: string }): Promise<DefaultConnection> {
  const baseUrl = resolveBaseUrl(settings.baseUrl === undefined ? { region: settings.region } : { baseUrl: settings.baseUrl });
  const key = envConnectionKey(secretKey, settings.accessToken, baseUrl);
  const known = await store.getSetting(key);
  let connectionId = known === null ? null : ((await store.getConnection(known))?.id ?? null);
  if (known !== null && connectionId === null) await store.deleteSetting(key); // its connection was deleted
  let created: string | null = null;
  if (connectionId === null && settings.apiKey !== undefined) {
    const holder = await store.findConnectionByApiKey(settings.apiKey);
    if (holder !== null && holder.id !== (await store.getSetting(EMULATOR_CONNECTION_SETTING))) {
      await store.updateConnection(holder.id, { accessToken: settings.accessToken, region: settings.region, baseUrl: settings.baseUrl ?? null });
      connectionId = holder.id;
      await store.setSetting(key, connectionId);
    }
  }
  if (connectionId === null) {
    const made = await store.createConnection({
      name: `Default (${new URL(baseUrl).host})`,
      region: settings.region,
      accessToken: settings.accessToken,
      ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
    });
    // Instances starting at once on one database each made one: the first to claim the key wins,
    // the others drop theirs and use it.
    connectionId = await store.claimSetting(key, made.connection.id);
    if (connectionId === made.connection.id) created = made.apiKey;
    else await store.deleteConnection(made.connection.id);
  }
  if (settings.intercomClientSecret !== undefined) await store.updateConnection(connectionId, { intercomClientSecret: settings.intercomClientSecret });
  const apiKey = await settleApiKey(store, connectionId, settings.apiKey, async () => (created === null ? { kind: "unchanged" } : { kind: "new", apiKey: created }));
  return { connectionId, apiKey };
}

/** A listen failure worded as what to change. */
function listenError(error: unknown, settings: ServeSettings): Error {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return new Error(`port ${settings.port} on ${settings.host} is in use; set PORT (or --port) to another port, or 0 for a free one`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return new Error(`cannot listen on host ${settings.host}; set HOST (or --host) to a local address such as 127.0.0.1 or 0.0.0.0`);
  if (code === "EACCES") return new Error(`not allowed to listen on port ${settings.port}; use a port of 1024 or above, or 0`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Fails as `listen` would (`listenError`) when `host:port` cannot be listened on, before anything
 * else starts: a busy port must not create or open the store. Port 0 takes any free port, so it
 * is not tried. The real `listen` comes later; a port taken in between still fails there.
 */
async function ensureCanListen(settings: ServeSettings): Promise<void> {
  if (settings.port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen({ port: settings.port, host: settings.host, exclusive: true }, resolve);
    });
  } catch (error) {
    throw listenError(error, settings);
  } finally {
    await new Promise<void>((resolve) => (probe.listening ? probe.close(() => resolve()) : resolve()));
  }
}

/** The start's warnings: links that would follow each request's `Host` on a non-loopback bind. */
function startWarnings(settings: ServeSettings, listensOn: string): string[] {
  const warnings: string[] = [];
  if (settings.intercomClientId !== undefined && settings.intercomClientSecret === undefined && settings.accessToken !== undefined) {
    warnings.push("warning: INTERCOM_CLIENT_ID is set without INTERCOM_CLIENT_SECRET: Connect with Intercom stays off until both are set");
  }
  if (settings.publicBaseUrl !== undefined || isLoopbackAddress(listensOn)) return warnings;
  const limit = settings.allowedHosts === undefined ? " (and ALLOWED_HOSTS to the host names clients use)" : "";
  warnings.push(
    `warning: PUBLIC_BASE_URL is not set and the service listens on ${listensOn}: Location and nextLink follow each request's Host header; set PUBLIC_BASE_URL to the URL clients reach the service at${limit}`,
  );
  return warnings;
}

/**
 * The public Intercom app "Connect with Intercom" runs with: the configured one (both
 * `INTERCOM_CLIENT_ID` and `INTERCOM_CLIENT_SECRET`), or in demo mode one made up for the
 * in-process emulator (registered there once the service's URL is known), so a newcomer can
 * try the flow; otherwise none.
 */
function oauthApp(settings: ServeSettings, emulatorUrl: string | null): OAuthAppSettings | undefined {
  if (emulatorUrl !== null) {
    return { clientId: `demo_${randomBytes(9).toString("base64url")}`, clientSecret: randomBytes(24).toString("base64url"), appBaseUrl: emulatorUrl, apiBaseUrl: emulatorUrl };
  }
  if (settings.intercomClientId === undefined || settings.intercomClientSecret === undefined) return undefined;
  return { clientId: settings.intercomClientId, clientSecret: settings.intercomClientSecret };
}

/** The URL to print for the address the service listens on. */
function serviceUrl(app: FastifyInstance, host: string): string {
  const { port } = app.server.address() as AddressInfo;
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * Starts the service: checks that it can listen on its port, opens the store (generating the
 * secret key file on first use; refused if written under another key), makes the
 * default connection — to the configured workspace, or, with no access token, to an emulator
 * started in-process on a free port with demo data — builds the app, starts the webhook delivery
 * worker and listens. `close()` stops accepting, waits for the requests and deliveries in flight,
 * then closes the emulator and the store.
 *
 * @example
 * const running = await startService(resolveServeSettings({ port: 0 }, process.env));
 * console.log(running.url, running.apiKey);
 * await running.close();
 */
export async function startService(settings: ServeSettings, options: { logStream?: DestinationStream; consoleAssetsDir?: string } = {}): Promise<RunningService> {
  await ensureCanListen(settings);
  const { key: secretKey } = await loadSecretKey({ envValue: settings.secretKey, dataDir: settings.dataDir });
  const store = await openStore(settings.databaseUrl, { secretKey });
  let emulator: Emulator | null = null;
  let app: FastifyInstance | null = null;
  let worker: WebhookDeliveryWorker | null = null;
  let runtime: Runtime | null = null;
  const closeAll = async (): Promise<void> => {
    try {
      await Promise.all([app?.close(), worker?.stop(), runtime?.close()]);
    } finally {
      try {
        await emulator?.close();
      } finally {
        await store.close();
      }
    }
  };
  try {
    let defaults: DefaultConnection;
    let emulatorInfo: RunningService["emulator"] = null;
    if (settings.accessToken === undefined) {
      const token = `emu_${randomBytes(18).toString("base64url")}`;
      emulator = createEmulator({ workspaces: [{ token, timezone: "UTC" }] });
      const workspace = emulator.state.all()[0];
      if (workspace === undefined) throw new Error("emulator: no workspace");
      const seeded = seedWorkspace(workspace, { preset: "demo" });
      const emulatorUrl = await emulator.listen(0, "127.0.0.1");
      emulatorInfo = { url: emulatorUrl, seeded };
      defaults = await emulatorConnection(store, settings, emulatorUrl, token);
    } else {
      defaults = await tokenConnection(store, secretKey, { ...settings, accessToken: settings.accessToken });
    }

    const logStream = options.logStream ?? serviceLogStream(settings.logFormat, process.stdout.isTTY === true);
    const oauth = oauthApp(settings, emulatorInfo?.url ?? null);
    runtime = new Runtime({
      store,
      callsPerWindow: settings.callsPerMinute,
      windowSeconds: settings.callWindowSeconds,
      pollIntervalSeconds: settings.pollIntervalSeconds,
      intercomVersion: settings.intercomVersion,
      actionDeadlineSeconds: settings.actionDeadlineSeconds,
      retention: settings.retention,
      subscriptionIdleSeconds: settings.subscriptionIdleSeconds,
      ...(oauth === undefined ? {} : { oauth }),
    });
    app = await buildServer({
      runtime,
      logger: { level: settings.logLevel, ...(logStream === undefined ? {} : { stream: logStream }) },
      ...(settings.publicBaseUrl === undefined ? {} : { publicBaseUrl: settings.publicBaseUrl }),
      ...(settings.adminKey === undefined ? {} : { adminKey: settings.adminKey }),
      ...(settings.metricsToken === undefined ? {} : { metricsToken: settings.metricsToken }),
      ...(settings.allowedHosts === undefined ? {} : { allowedHosts: settings.allowedHosts }),
      demoMode: settings.accessToken === undefined,
      callbackPolicy: settings.callbackPolicy,
      ...(options.consoleAssetsDir === undefined ? {} : { consoleAssetsDir: options.consoleAssetsDir }),
    });
    try {
      await app.listen({ port: settings.port, host: settings.host });
    } catch (error) {
      throw listenError(error, settings);
    }
    const leaseMs = settings.leaseSeconds * 1000;
    worker = new WebhookDeliveryWorker({
      runtime,
      logger: app.log,
      // Leases name the host and process holding them, so an operator can tell who holds what.
      owner: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
      pollConcurrency: settings.pollConcurrency,
      pollLeaseMs: leaseMs,
      deliveryLeaseMs: leaseMs,
      requestTimeoutMs: settings.webhookTimeoutSeconds * 1000,
      callbackPolicy: settings.callbackPolicy,
    });
    worker.start();
    if (emulator !== null && oauth !== undefined) {
      // The demo app's callback, under each name this machine reaches the service by.
      const { port } = app.server.address() as AddressInfo;
      const bases = [`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...(settings.publicBaseUrl === undefined ? [] : [settings.publicBaseUrl.replace(/\/+$/, "")])];
      emulator.oauth.register({ clientId: oauth.clientId, clientSecret: oauth.clientSecret, name: "intercom-connector (demo)", redirectUris: bases.map((b) => `${b}${CONSOLE_OAUTH_CALLBACK}`) });
    }
    runtime.start({ logger: app.log });
    const listensOn = (app.server.address() as AddressInfo).address;
    return {
      app,
      url: serviceUrl(app, settings.host),
      emulator: emulatorInfo,
      connectionId: defaults.connectionId,
      apiKey: defaults.apiKey,
      callbackPolicy: settings.callbackPolicy,
      adminRule: adminRule({ adminKey: settings.adminKey, demoMode: settings.accessToken === undefined, listensOn }),
      warnings: startWarnings(settings, listensOn),
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** How the console is signed in to, for the banner: it follows who may create connections. */
function consoleSignIn(running: RunningService): string {
  switch (running.adminRule) {
    case "demo":
      return " (opens signed in: demo mode)";
    case "loopback":
      return " (sign in from this machine, or with a connection's API key)";
    case "admin-key":
      return " (sign in with CONNECTOR_ADMIN_KEY, or with a connection's API key)";
    case "key-required":
      return " (sign in with a connection's API key; set CONNECTOR_ADMIN_KEY to sign in as the operator)";
  }
}

/**
 * The lines `serve` prints once it listens: the service URL first, then the emulator (demo
 * mode), the connection and its key, a first request to try, who may create connections, and
 * whether webhooks may call private addresses when they may. (`running.warnings` go to stderr.)
 *
 * @example
 * serviceBanner(running).forEach((line) => console.log(line));
 */
export function serviceBanner(running: RunningService): string[] {
  const lines = [`intercom-connector service listening on ${running.url}`];
  if (running.emulator !== null) {
    const s = running.emulator.seeded;
    lines.push(
      `emulator: ${running.emulator.url} (no INTERCOM_ACCESS_TOKEN given: an in-process Intercom emulator with ${s.contacts} contacts, ${s.companies} companies, ${s.tags} tags, ${s.conversations} conversations)`,
    );
  }
  lines.push(`connection: ${running.connectionId}`);
  const key = running.apiKey;
  if (key.kind === "new") lines.push(`API key: ${key.apiKey} (send it in the X-API-Key header; shown once)`);
  else if (key.kind === "configured") lines.push("API key: the value of CONNECTOR_API_KEY");
  else lines.push("API key: unchanged (shown when the connection was created; set CONNECTOR_API_KEY to choose one)");
  const shownKey = key.kind === "new" ? key.apiKey : "$CONNECTOR_API_KEY";
  lines.push(`try: curl -H 'X-API-Key: ${shownKey}' ${running.url}/v1/actions/ListLeads`);
  lines.push(`OpenAPI (Power Platform custom connector): ${running.url}/openapi.json`);
  lines.push(`web console: ${running.url}${CONSOLE_PATH}${consoleSignIn(running)}`);
  lines.push(adminRuleLine(running.adminRule));
  if (running.callbackPolicy.allowPrivate) {
    lines.push(
      running.emulator !== null
        ? "webhooks: callback URLs may point to localhost and private addresses in demo mode (with INTERCOM_ACCESS_TOKEN set they may not, unless WEBHOOK_ALLOW_PRIVATE_CALLBACKS=true)"
        : "webhooks: callback URLs may point to localhost and private addresses (WEBHOOK_ALLOW_PRIVATE_CALLBACKS)",
    );
  }
  lines.push("Press Ctrl+C to stop.");
  return lines;
}
