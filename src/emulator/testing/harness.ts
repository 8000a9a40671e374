import { IntercomClient } from "intercom-client";
import { createEmulator, CONTROL_PREFIX, type Emulator, type EmulatorOptions } from "../app.js";
import { isOAuthPath } from "../oauth.js";
import type { Workspace, WorkspaceOptions } from "../workspace.js";
import { OpenApiValidator, type Violation } from "./openapi-validator.js";

/** A running emulator for a test, on a port the OS chose, checking every answer it sends. */
export interface TestEmulator {
  emulator: Emulator;
  baseUrl: string;
  /** The first workspace (token `test-token` unless given). */
  workspace: Workspace;
  token: string;
  /** Answers that did not match Intercom's description. */
  violations: Violation[];
  /** An official SDK client for a workspace's token (the default one if omitted). */
  sdk(options?: { token?: string; maxRetries?: number; timeoutInSeconds?: number }): IntercomClient;
  /** Plain HTTP with the workspace's token and Intercom-Version 2.14. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** A control API call (`/_emulator/...`). */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Stops the server; throws if any answer violated the description. */
  close(): Promise<void>;
}

/**
 * Starts an emulator for a test with the response validator installed.
 *
 * @example
 * const em = await startTestEmulator();
 * const me = await em.sdk().admins.identify();
 * await em.close();
 */
export async function startTestEmulator(
  options: Omit<EmulatorOptions, "workspaces"> & { workspaces?: WorkspaceOptions[] } = {},
): Promise<TestEmulator> {
  const validator = await OpenApiValidator.load();
  const workspaces = options.workspaces ?? [{ token: "test-token", timezone: "UTC" }];
  const emulator = createEmulator({ ...options, workspaces });
  const violations: Violation[] = [];
  emulator.app.addHook("onSend", async (request, reply, payload) => {
    // OAuth is not in the API description (Intercom documents it in its developer guide), nor is the control API.
    if (request.url.startsWith(CONTROL_PREFIX) || isOAuthPath(request.url)) return payload;
    const text = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : null;
    if (text === null) return payload;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      violations.push({ method: request.method, path: request.url, status: reply.statusCode, operationId: null, errors: "body is not JSON" });
      return payload;
    }
    const path = request.url.split("?")[0] ?? request.url;
    const violation = validator.check(request.method, path, reply.statusCode, body);
    if (violation !== null) violations.push(violation);
    return payload;
  });
  const baseUrl = await emulator.listen(0);
  const workspace = emulator.state.all()[0];
  if (workspace === undefined) throw new Error("no workspace");
  const token = workspace.token;

  return {
    emulator,
    baseUrl,
    workspace,
    token,
    violations,
    sdk(sdkOptions = {}) {
      return new IntercomClient({
        token: sdkOptions.token ?? token,
        baseUrl,
        maxRetries: sdkOptions.maxRetries ?? 0,
        ...(sdkOptions.timeoutInSeconds === undefined ? {} : { timeoutInSeconds: sdkOptions.timeoutInSeconds }),
      });
    },
    async request(method, path, body, headers = {}) {
      const response = await fetch(baseUrl + path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          "Intercom-Version": "2.14",
          Accept: "application/json",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? null : (JSON.parse(text) as unknown), headers: response.headers };
    },
    async control(method, path, body) {
      const response = await fetch(`${baseUrl}${CONTROL_PREFIX}${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) };
    },
    async close() {
      await emulator.close();
      if (violations.length > 0) {
        throw new Error(`emulator answers that do not match Intercom's description:\n${violations.map((v) => JSON.stringify(v)).join("\n")}`);
      }
    },
  };
}
