import { Workspace, type WorkspaceOptions } from "./workspace.js";

/** A fault the next requests of a workspace answer with, instead of their real answer. */
export type FaultKind = "500" | "503" | "429" | "hang" | "reset" | "stall_body";

/** Faults waiting to be served, and which requests they apply to. */
export interface PendingFault {
  kind: FaultKind;
  remaining: number;
  /** Only requests whose `METHOD /route` key equals this, when set. */
  route?: string;
  /** The `Retry-After` (seconds) a 429 or 503 carries, when set. */
  retryAfter?: number;
}

/**
 * Everything the emulator holds: its workspaces (found by token or id), and per workspace the
 * faults to inject, the rate-limit window and the calls received.
 *
 * @example
 * const state = new EmulatorState();
 * state.addWorkspace({ token: "secret" });
 * state.byToken("secret")?.id;
 */
export class EmulatorState {
  private readonly workspacesByToken = new Map<string, Workspace>();
  private readonly workspacesById = new Map<string, Workspace>();
  readonly faults = new Map<string, PendingFault[]>();
  readonly calls = new Map<string, Map<string, number>>();
  readonly windows = new Map<string, { start: number; used: number }>();

  /** Adds a workspace; its token and id must be new. */
  addWorkspace(options: WorkspaceOptions): Workspace {
    if (this.workspacesByToken.has(options.token)) throw new RangeError("a workspace with this token exists");
    if (options.id !== undefined && this.workspacesById.has(options.id)) throw new RangeError("a workspace with this id exists");
    const workspace = new Workspace(options);
    this.workspacesByToken.set(workspace.token, workspace);
    this.workspacesById.set(workspace.id, workspace);
    return workspace;
  }

  /** Another access token for a workspace (an OAuth authorization's), opening it as its own token does. */
  addAccessToken(workspace: Workspace, token: string): void {
    if (this.workspacesByToken.has(token)) throw new RangeError("this access token exists");
    this.workspacesByToken.set(token, workspace);
  }

  /** The workspace an access token opens. */
  byToken(token: string): Workspace | undefined {
    return this.workspacesByToken.get(token);
  }

  /** The workspace with this id. */
  byId(id: string): Workspace | undefined {
    return this.workspacesById.get(id);
  }

  /** All workspaces, in creation order. */
  all(): Workspace[] {
    return [...this.workspacesById.values()];
  }

  /** Counts one call to `METHOD /route` for a workspace. */
  countCall(workspaceId: string, key: string): void {
    let perRoute = this.calls.get(workspaceId);
    if (perRoute === undefined) {
      perRoute = new Map();
      this.calls.set(workspaceId, perRoute);
    }
    perRoute.set(key, (perRoute.get(key) ?? 0) + 1);
  }

  /** Takes the next fault that applies to this request, if any. */
  takeFault(workspaceId: string, key: string): PendingFault | undefined {
    const queue = this.faults.get(workspaceId);
    if (queue === undefined) return undefined;
    const fault = queue.find((f) => f.remaining > 0 && (f.route === undefined || f.route === key));
    if (fault === undefined) return undefined;
    fault.remaining--;
    if (fault.remaining === 0) queue.splice(queue.indexOf(fault), 1);
    return fault;
  }
}
