import type { FastifyInstance, FastifyReply } from "fastify";
import { connectorError, OPERATIONS, operationIds, TOOL_METADATA, toolJsonSchema, type ActionId, type ConnectorError, type Result } from "../../contract/index.js";
import { ACTIONS, isPagedAction } from "../../operations/index.js";
import { TRIGGERS } from "../../triggers/index.js";
import { addRoute } from "../add-route.js";
import { connectionJson } from "../connections.js";
import { sendError } from "../errors.js";
import type { ConsoleContext } from "./context.js";
import { CONSOLE_ROUTES } from "./routes.js";

type ConnectionParams = { connectionId: string };

function answer<T>(reply: FastifyReply, result: Result<T, ConnectorError>): FastifyReply {
  return result.ok ? reply.status(200).send(result.value) : sendError(reply, result.error);
}

const ACTION_IDS = operationIds("action") as ActionId[];
const TRIGGER_IDS = operationIds("trigger");

/**
 * Every action as the "Try it" page builds its form from: the contract's input as agent-safe
 * JSON Schema (no `$ref`, one type per field), its description, and whether it answers pages.
 * Computed once: the contract does not change while the service runs.
 *
 * @example
 * actionCatalogue()[0]; // { id: "CreateUser", description: "…", paged: false, schema: { type: "object", … } }
 */
export function actionCatalogue(): Array<{ id: ActionId; description: string; paged: boolean; schema: unknown }> {
  return ACTION_IDS.map((id) => ({
    id,
    description: TOOL_METADATA[id].description,
    paged: isPagedAction(ACTIONS[id] as Parameters<typeof isPagedAction>[0]),
    schema: toolJsonSchema(OPERATIONS[id].input, "input"),
  }));
}

/**
 * The console's connection endpoints, each calling the runtime method the API calls: list (the
 * operator sees every connection, a connection's session its own), add (the operator only:
 * `Runtime.addConnection`, the key shown once), test (`Runtime.testConnection`, one unit of
 * budget), rotate the API key (`Runtime.rotateApiKey`, shown once; other sessions of that
 * connection end), delete (`Runtime.deleteConnection`), the actions' forms and a run of one
 * (`Runtime.call`, or one page of a paged action with `Runtime.callPage`), spending budget as any
 * call does.
 *
 * @example
 * registerConsoleConnectionRoutes(app, ctx);
 */
export function registerConsoleConnectionRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const { runtime, gate, sessions } = ctx;
  const limits = { calls_per_window: runtime.budget.callsPerWindow, window_seconds: runtime.budget.windowSeconds };
  const catalogue = actionCatalogue();

  addRoute(app, CONSOLE_ROUTES.connections, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const scope = caller.session.scope;
    const all = scope.kind === "admin" ? await ctx.overview.connections() : [await runtime.store.getConnection(scope.connectionId)];
    return { value: all.flatMap((c) => (c === null ? [] : [{ ...connectionJson(c), budget: limits }])) };
  });

  addRoute(app, CONSOLE_ROUTES.addConnection, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    if (caller.session.scope.kind !== "admin") return sendError(reply, connectorError("console_forbidden", {}));
    const added = await runtime.addConnection(request.body);
    if (!added.ok) return sendError(reply, added.error);
    request.log.info({ connectionId: added.value.connection.id }, "connection created");
    return reply.status(201).send({ connection: { ...connectionJson(added.value.connection), budget: limits }, api_key: added.value.apiKey });
  });

  addRoute<{ Params: ConnectionParams }>(app, CONSOLE_ROUTES.testConnection, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    const checked = await runtime.testConnection(connection.id);
    return answer(reply, checked.ok ? { ok: true, value: { id: connection.id, status: "ok", checked: checked.value.checked } } : checked);
  });

  addRoute<{ Params: ConnectionParams }>(app, CONSOLE_ROUTES.rotateKey, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    const apiKey = await runtime.rotateApiKey(connection.id);
    if (apiKey === null) return sendError(reply, connectorError("not_found", { resource: "connection", id: connection.id }));
    sessions.closeConnection(connection.id, caller.session);
    request.log.info({ connectionId: connection.id }, "connection API key rotated");
    return { id: connection.id, api_key: apiKey };
  });

  addRoute<{ Params: ConnectionParams }>(app, CONSOLE_ROUTES.deleteConnection, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    await runtime.deleteConnection(connection.id);
    sessions.closeConnection(connection.id);
    request.log.info({ connectionId: connection.id }, "connection deleted");
    return reply.status(204).send();
  });

  addRoute<{ Params: ConnectionParams }>(app, CONSOLE_ROUTES.budget, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    const minutes = await ctx.overview.budget(connection.id);
    return {
      limit: runtime.budget.callsPerWindow,
      window_seconds: runtime.budget.windowSeconds,
      minutes: minutes.map((m) => ({ minute: m.minute.toISOString(), spent: m.spent, refused: m.refused })),
    };
  });

  addRoute(app, CONSOLE_ROUTES.actions, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    // Push-only triggers say so where a webhook is subscribed: Intercom's search cannot see them.
    return { value: catalogue, triggers: TRIGGER_IDS, push_only: TRIGGER_IDS.filter((id) => !TRIGGERS[id].polled) };
  });

  addRoute<{ Params: ConnectionParams & { operationId: string } }>(app, CONSOLE_ROUTES.runAction, {}, async (request, reply) => {
    const caller = await gate.check(request, reply, { change: true });
    if (caller === null) return reply;
    const connection = await gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    const id = request.params.operationId;
    const entry = catalogue.find((a) => a.id === id);
    if (entry === undefined) {
      return sendError(reply, connectorError("invalid_input", { field: "operation", reason: `must be one of ${ACTION_IDS.join(", ")}` }, { field: "operation" }));
    }
    const body = (typeof request.body === "object" && request.body !== null ? request.body : {}) as { input?: unknown; cursor?: unknown };
    if (entry.paged) {
      const page = await runtime.callPage(connection.id, entry.id, body.cursor === undefined ? body.input : undefined, body.cursor);
      return answer(reply, page.ok ? { ok: true, value: { items: page.value.items, next_cursor: page.value.nextCursor } } : page);
    }
    return answer(reply, await runtime.call(connection.id, entry.id, body.input));
  });
}
