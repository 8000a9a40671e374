import { randomBytes } from "node:crypto";
import { createEmulator, CONTROL_PREFIX, type Emulator } from "../emulator/app.js";
import { seedWorkspace, type SeedSummary } from "../emulator/seed.js";

/** What `intercom-connector emulator` starts with, parsed and checked. */
export interface EmulatorCliOptions {
  port: number;
  host: string;
  /** The default workspace's access token; a random one when absent. */
  token?: string;
  timezone: string;
  seed: "demo" | "none";
  /** Seconds before a written contact becomes searchable. */
  searchDelay: number;
  /** Requests per minute for the default workspace. */
  rateLimit?: number;
  /** Milliseconds before a failed webhook delivery is retried. */
  webhookRetryDelay: number;
}

/** A started emulator and what a user needs to reach it. */
export interface RunningEmulator {
  emulator: Emulator;
  baseUrl: string;
  controlUrl: string;
  token: string;
  tokenGenerated: boolean;
  workspaceId: string;
  seeded: SeedSummary;
  close(): Promise<void>;
}

/**
 * Creates the emulator with one workspace, seeds it and listens.
 *
 * @example
 * const running = await startCliEmulator({ port: 0, host: "127.0.0.1", timezone: "UTC", seed: "demo", searchDelay: 0, webhookRetryDelay: 60_000 });
 * console.log(running.baseUrl);
 * await running.close();
 */
export async function startCliEmulator(options: EmulatorCliOptions): Promise<RunningEmulator> {
  const token = options.token ?? `emu_${randomBytes(18).toString("base64url")}`;
  const emulator = createEmulator({
    webhookRetryDelayMs: options.webhookRetryDelay,
    workspaces: [{
      token,
      timezone: options.timezone,
      searchDelaySeconds: options.searchDelay,
      ...(options.rateLimit === undefined ? {} : { rateLimitPerMinute: options.rateLimit }),
    }],
  });
  const workspace = emulator.state.all()[0];
  if (workspace === undefined) throw new Error("emulator: no workspace");
  // Seeded before listening, so no client (and no webhook subscriber) sees a half-filled workspace.
  const seeded = seedWorkspace(workspace, { preset: options.seed });
  let baseUrl: string;
  try {
    baseUrl = await emulator.listen(options.port, options.host);
  } catch (error) {
    await emulator.close();
    throw listenError(error, options);
  }
  return {
    emulator,
    baseUrl,
    controlUrl: `${baseUrl}${CONTROL_PREFIX}`,
    token,
    tokenGenerated: options.token === undefined,
    workspaceId: workspace.id,
    seeded,
    close: () => emulator.close(),
  };
}

/** A listen failure worded as what to change. */
function listenError(error: unknown, options: EmulatorCliOptions): Error {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return new Error(`port ${options.port} on ${options.host} is in use; pass --port 0 for a free port, or another --port`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return new Error(`cannot listen on host ${options.host}; pass a local address with --host, such as 127.0.0.1`);
  if (code === "EACCES") return new Error(`not allowed to listen on port ${options.port}; pass --port 1024 or above, or --port 0`);
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * The lines the CLI prints once the emulator listens: the base URL first (scripts look for the
 * first URL), then how to authenticate and where the control API is.
 *
 * @example
 * startBanner(running).forEach((line) => console.log(line));
 */
export function startBanner(running: RunningEmulator): string[] {
  const s = running.seeded;
  return [
    `Intercom emulator listening on ${running.baseUrl}`,
    `token: ${running.token}${running.tokenGenerated ? " (generated; pass --token to choose one)" : ""}`,
    `workspace: ${running.workspaceId}`,
    `control API: ${running.controlUrl}`,
    `seeded: ${s.contacts} contacts, ${s.companies} companies, ${s.tags} tags, ${s.conversations} conversations`,
    "Press Ctrl+C to stop.",
  ];
}
