import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import { createConnector, type Connector } from "../connector.js";
import type { ConnectorOptions } from "../options.js";

/**
 * Calls the emulator counted for a workspace (control API).
 *
 * @example
 * const { total }: CallCounts = await bed.calls();
 */
export interface CallCounts {
  total: number;
  calls: Record<string, number>;
}

/**
 * A test's emulator, temp dir and connectors, all released by `cleanup()`.
 *
 * @example
 * const bed: ConnectorTestBed = await startConnectorTestBed();
 */
export interface ConnectorTestBed {
  em: TestEmulator;
  dir: string;
  /** A connector on a SQLite file in `dir` (or the options' store), closed by `cleanup()`. */
  connector(options?: ConnectorOptions): Promise<Connector>;
  /** A connector with one connection to the emulator's workspace. */
  connected(options?: ConnectorOptions): Promise<{ connector: Connector; connectionId: string }>;
  calls(): Promise<CallCounts>;
  resetCalls(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Starts an emulator (answers checked against Intercom's description) and makes a temp dir.
 *
 * @example
 * const bed = await startConnectorTestBed();
 * const { connector, connectionId } = await bed.connected();
 * await bed.cleanup();
 */
export async function startConnectorTestBed(): Promise<ConnectorTestBed> {
  const em = await startTestEmulator();
  const dir = await mkdtemp(join(tmpdir(), "icc-connector-"));
  const connectors: Connector[] = [];
  const callsPath = `/workspaces/${em.workspace.id}/calls`;
  const bed: ConnectorTestBed = {
    em,
    dir,
    async connector(options = {}) {
      const connector = await createConnector({ databaseUrl: join(dir, "connector.db"), secretKey: sharedKey, ...options });
      connectors.push(connector);
      return connector;
    },
    async connected(options = {}) {
      const connector = await bed.connector(options);
      const added = await connector.addConnection({ access_token: em.token, base_url: em.baseUrl });
      if (!added.ok) throw added.error;
      return { connector, connectionId: added.value.connection.id };
    },
    async calls() {
      const answer = await em.control("GET", callsPath);
      if (answer.status !== 200) throw new Error(`control API answered ${answer.status}`);
      return answer.body as CallCounts;
    },
    async resetCalls() {
      const answer = await em.control("DELETE", callsPath);
      if (answer.status !== 200) throw new Error(`control API answered ${answer.status}`);
    },
    async cleanup() {
      for (const connector of connectors.splice(0).reverse()) await connector.close();
      try {
        await em.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  return bed;
}

const sharedKey = randomBytes(32);

/**
 * Waits until `check` returns a value other than undefined, polling every 20 ms.
 *
 * @example
 * const lead = await eventually(() => received.find((l) => l.id === id), 10_000, "the new lead");
 */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
