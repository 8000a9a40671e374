import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntercomApiError } from "./errors.js";
import { WEBHOOK_TOPICS } from "./model.js";
import { seedWorkspace } from "./seed.js";
import type { EmulatorState } from "./state.js";
import { parseBody } from "./validate.js";
import type { WebhookDispatcher } from "./webhooks.js";
import { isValidTimeZone, type Workspace } from "./workspace.js";

const timezone = z.string().refine(isValidTimeZone, "must be an IANA time zone name");
const workspaceSettings = {
  name: z.string().min(1),
  timezone,
  client_secret: z.string().min(1),
  rate_limit: z.number().int().positive(),
  search_delay: z.number().int().nonnegative(),
};
const createWorkspaceBody = z.strictObject({ token: z.string().min(1), id: z.string().regex(/^[a-z0-9_-]{1,64}$/i).optional(), ...workspaceSettings }).partial({
  name: true, timezone: true, client_secret: true, rate_limit: true, search_delay: true,
});
const patchWorkspaceBody = z.strictObject(workspaceSettings).partial();
const clockBody = z
  .strictObject({ set: z.number().int().nonnegative(), advance: z.number().int(), frozen: z.boolean() })
  .partial();
const faultBody = z.strictObject({
  kind: z.enum(["500", "503", "429", "hang", "reset", "stall_body"]),
  count: z.number().int().positive().max(10_000).default(1),
  /** Seconds sent as `Retry-After` with a 429 or 503. */
  retry_after: z.number().int().nonnegative().max(86_400).optional(),
  route: z.string().regex(/^(GET|POST|PUT|DELETE) \//).optional(),
});
const webhookBody = z.strictObject({ url: z.string().url(), topics: z.array(z.enum(WEBHOOK_TOPICS)).min(1) });
const seedBody = z.strictObject({ preset: z.enum(["demo", "none"]).default("demo"), contacts: z.number().int().nonnegative().max(1_000_000).optional() });

/** What the control API needs from the emulator. */
export interface ControlContext {
  state: EmulatorState;
  webhooks: WebhookDispatcher;
  onWorkspaceAdded: (workspace: Workspace) => void;
}

/**
 * A workspace's settings as the control API shows them (the token included: this is a test tool).
 *
 * @example
 * reply.send(describeWorkspace(workspace)); // { id, name, token, timezone, client_secret, … }
 */
export function describeWorkspace(ws: Workspace): Record<string, unknown> {
  return {
    id: ws.id,
    name: ws.name,
    token: ws.token,
    timezone: ws.timezone,
    client_secret: ws.clientSecret,
    rate_limit: ws.rateLimitPerMinute,
    search_delay: ws.searchDelaySeconds,
    now: ws.clock.now(),
    clock_frozen: ws.clock.frozen,
    counts: { contacts: ws.contacts.size, companies: ws.companies.size, tags: ws.tags.size, conversations: ws.conversations.size },
  };
}

/**
 * The control API under `/_emulator`: workspaces, clock, search delay, faults, call counts,
 * seeding and webhook subscriptions. No Intercom path starts with this prefix.
 *
 * @example
 * // curl -X POST localhost:4010/_emulator/workspaces/ws1/clock -d '{"advance":86400}'
 * registerControlRoutes(app, { state, webhooks, onWorkspaceAdded });
 */
export function registerControlRoutes(app: FastifyInstance, ctx: ControlContext): void {
  const { state } = ctx;
  const workspaceOf = (id: string): Workspace => {
    const ws = state.byId(id);
    if (ws === undefined) throw new IntercomApiError(404, "not_found", `No workspace ${id}`, { field: "workspace_id" });
    return ws;
  };
  type WithId = { Params: { id: string } };

  app.get("/_emulator/health", async () => ({ ok: true }));

  app.get("/_emulator/workspaces", async () => ({ workspaces: state.all().map(describeWorkspace) }));

  app.post("/_emulator/workspaces", async (request, reply) => {
    const body = parseBody(createWorkspaceBody, request.body);
    if (state.byToken(body.token) !== undefined) throw new IntercomApiError(409, "conflict", "A workspace with this token exists", { field: "token" });
    if (body.id !== undefined && state.byId(body.id) !== undefined) throw new IntercomApiError(409, "conflict", "A workspace with this id exists", { field: "id" });
    const ws = state.addWorkspace({
      token: body.token,
      ...(body.id === undefined ? {} : { id: body.id }),
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.timezone === undefined ? {} : { timezone: body.timezone }),
      ...(body.client_secret === undefined ? {} : { clientSecret: body.client_secret }),
      ...(body.rate_limit === undefined ? {} : { rateLimitPerMinute: body.rate_limit }),
      ...(body.search_delay === undefined ? {} : { searchDelaySeconds: body.search_delay }),
    });
    ctx.onWorkspaceAdded(ws);
    return reply.status(201).send(describeWorkspace(ws));
  });

  app.get<WithId>("/_emulator/workspaces/:id", async (request) => describeWorkspace(workspaceOf(request.params.id)));

  app.patch<WithId>("/_emulator/workspaces/:id", async (request) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(patchWorkspaceBody, request.body);
    if (body.name !== undefined) ws.name = body.name;
    if (body.timezone !== undefined) ws.timezone = body.timezone;
    if (body.client_secret !== undefined) ws.clientSecret = body.client_secret;
    if (body.rate_limit !== undefined) ws.rateLimitPerMinute = body.rate_limit;
    if (body.search_delay !== undefined) ws.searchDelaySeconds = body.search_delay;
    return describeWorkspace(ws);
  });

  app.get<WithId>("/_emulator/workspaces/:id/clock", async (request) => {
    const ws = workspaceOf(request.params.id);
    return { now: ws.clock.now(), now_ms: ws.clock.nowMs(), frozen: ws.clock.frozen };
  });

  app.post<WithId>("/_emulator/workspaces/:id/clock", async (request) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(clockBody, request.body);
    if (body.set !== undefined) ws.clock.set(body.set, { frozen: body.frozen ?? ws.clock.frozen });
    else if (body.frozen === true && !ws.clock.frozen) ws.clock.set(ws.clock.nowMs() / 1000, { frozen: true });
    else if (body.frozen === false) ws.clock.unfreeze();
    if (body.advance !== undefined) ws.clock.advance(body.advance);
    return { now: ws.clock.now(), now_ms: ws.clock.nowMs(), frozen: ws.clock.frozen };
  });

  app.post<WithId>("/_emulator/workspaces/:id/faults", async (request, reply) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(faultBody, request.body);
    const queue = state.faults.get(ws.id) ?? [];
    queue.push({
      kind: body.kind,
      remaining: body.count,
      ...(body.route === undefined ? {} : { route: body.route }),
      ...(body.retry_after === undefined ? {} : { retryAfter: body.retry_after }),
    });
    state.faults.set(ws.id, queue);
    return reply.status(201).send({ faults: queue });
  });

  app.get<WithId>("/_emulator/workspaces/:id/faults", async (request) => ({ faults: state.faults.get(workspaceOf(request.params.id).id) ?? [] }));

  app.delete<WithId>("/_emulator/workspaces/:id/faults", async (request) => {
    state.faults.delete(workspaceOf(request.params.id).id);
    return { faults: [] };
  });

  app.get<WithId>("/_emulator/workspaces/:id/calls", async (request) => {
    const perRoute = state.calls.get(workspaceOf(request.params.id).id) ?? new Map<string, number>();
    let total = 0;
    for (const n of perRoute.values()) total += n;
    return { total, calls: Object.fromEntries(perRoute) };
  });

  app.delete<WithId>("/_emulator/workspaces/:id/calls", async (request) => {
    state.calls.delete(workspaceOf(request.params.id).id);
    return { total: 0, calls: {} };
  });

  app.post<WithId>("/_emulator/workspaces/:id/seed", async (request) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(seedBody, request.body ?? {});
    const summary = seedWorkspace(ws, { preset: body.preset, ...(body.contacts === undefined ? {} : { contacts: body.contacts }) });
    return { seeded: summary, workspace: describeWorkspace(ws) };
  });

  app.get<WithId>("/_emulator/workspaces/:id/webhooks", async (request) => ({ subscriptions: ctx.webhooks.list(workspaceOf(request.params.id).id) }));

  app.post<WithId>("/_emulator/workspaces/:id/webhooks", async (request, reply) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(webhookBody, request.body);
    return reply.status(201).send(ctx.webhooks.subscribe(ws, body));
  });

  app.delete<{ Params: { id: string; subscriptionId: string } }>("/_emulator/workspaces/:id/webhooks/:subscriptionId", async (request) => {
    const ws = workspaceOf(request.params.id);
    if (!ctx.webhooks.unsubscribe(ws.id, request.params.subscriptionId)) {
      throw new IntercomApiError(404, "not_found", "No such subscription", { field: "subscriptionId" });
    }
    return { deleted: true };
  });

  app.get<WithId>("/_emulator/workspaces/:id/webhooks/deliveries", async (request) => {
    const ws = workspaceOf(request.params.id);
    return { deliveries: ctx.webhooks.deliveries.filter((d) => d.workspaceId === ws.id) };
  });
}
