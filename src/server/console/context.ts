import type { Runtime } from "../../runtime/index.js";
import type { StoreOverview } from "../../runtime/overview.js";
import type { ServerDeps } from "../context.js";
import type { CallbackGuard } from "../webhooks/callback-policy.js";
import type { ConsoleGate } from "./guard.js";
import type { ConsoleSessions } from "./sessions.js";

/**
 * What the console's route modules share.
 *
 * @example
 * registerSessionRoutes(app, ctx);
 */
export interface ConsoleContext {
  deps: ServerDeps;
  runtime: Runtime;
  overview: StoreOverview;
  sessions: ConsoleSessions;
  gate: ConsoleGate;
  /** Which webhook callback URLs may be subscribed: the API's policy. */
  guard: CallbackGuard;
}
