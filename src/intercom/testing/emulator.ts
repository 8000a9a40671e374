import { startTestEmulator, type TestEmulator } from "../../emulator/testing/harness.js";
import type { IntercomConnection } from "../connection.js";
import type { RetryingFetchDeps } from "../retrying-fetch.js";
import { createIntercomTransport, type IntercomTransport } from "../transport.js";

/** Calls the emulator counted for a workspace: the total and per `METHOD /route`. */
export interface CallCounts {
  total: number;
  calls: Record<string, number>;
}

/** A test emulator and a transport pointed at it. */
export interface ConnectedEmulator {
  em: TestEmulator;
  intercom: IntercomTransport;
  /** The connection the transport was built from. */
  connection: IntercomConnection;
  /** A transport for the same emulator with other settings. */
  transport(overrides?: Partial<IntercomConnection>, deps?: RetryingFetchDeps): IntercomTransport;
  /** What the emulator counted for the workspace (control API). */
  calls(): Promise<CallCounts>;
  /** Zeroes the counts (control API). */
  resetCalls(): Promise<void>;
  /** A control API call about the workspace: `workspace("PATCH", "", { search_delay: 180 })`. */
  workspace(method: string, subpath: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts an emulator on a free port (answers checked against Intercom's description) and builds
 * the connector's transport for it, with no retry waits unless a test asks for them.
 *
 * @example
 * const c = await startConnectedEmulator();
 * await c.intercom.getContact("nope");
 * expect((await c.calls()).total).toBe(1);
 * await c.close();
 */
export async function startConnectedEmulator(overrides: Partial<IntercomConnection> = {}, deps: RetryingFetchDeps = {}): Promise<ConnectedEmulator> {
  const em = await startTestEmulator();
  const connection: IntercomConnection = { accessToken: em.token, baseUrl: em.baseUrl, ...overrides };
  const workspacePath = `/workspaces/${em.workspace.id}/calls`;
  return {
    em,
    connection,
    intercom: createIntercomTransport(connection, deps),
    transport: (more = {}, moreDeps = deps) => createIntercomTransport({ ...connection, ...more }, moreDeps),
    async calls() {
      const answer = await em.control("GET", workspacePath);
      if (answer.status !== 200) throw new Error(`control API answered ${answer.status}`);
      return answer.body as CallCounts;
    },
    async resetCalls() {
      const answer = await em.control("DELETE", workspacePath);
      if (answer.status !== 200) throw new Error(`control API answered ${answer.status}`);
    },
    async workspace(method, subpath, body) {
      const answer = await em.control(method, `/workspaces/${em.workspace.id}${subpath}`, body);
      if (answer.status >= 300) throw new Error(`control API answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    },
    close: () => em.close(),
  };
}
