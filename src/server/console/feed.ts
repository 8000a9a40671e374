import type { FastifyInstance } from "fastify";
import type { EventStatus, OutboxEvent, Store } from "../../store/index.js";
import { addRoute } from "../add-route.js";
import type { ConsoleContext } from "./context.js";
import { CONSOLE_ROUTES } from "./routes.js";

/**
 * One change in a connection's outboxes, as the live feed sends it: an event `entered` the
 * outbox, was `delivered`, had a delivery attempt `failed` (it will be retried), went `dead`, or
 * was `replayed` (pending again after being dead).
 *
 * @example
 * const change: FeedChange = { type: "entered", subscription_id: "s1", trigger_id: "TrigNewLead", event_id: "7", attempts: 0, error: null, at: "…", payload: {} };
 */
export interface FeedChange {
  type: "entered" | "delivered" | "failed" | "dead" | "replayed";
  subscription_id: string;
  trigger_id: string;
  event_id: string;
  attempts: number;
  error: string | null;
  at: string;
  payload: unknown;
}

/** What the watcher remembers of an event it saw unsettled. */
interface Known {
  status: EventStatus;
  attempts: number;
}

const PAGE = 500;

/**
 * Watches a connection's outboxes through the store (so it sees what every instance on the
 * database does): each `tick()` reads, per subscription, the events from the oldest one still
 * unsettled, and answers what changed since the last tick. The first tick takes what exists as
 * known and reports nothing but later changes.
 *
 * @example
 * const watcher = new OutboxWatcher(store, connectionId);
 * await watcher.tick(); // []
 * (await watcher.tick()).map((c) => c.type); // ["entered", "delivered"]
 */
export class OutboxWatcher {
  /** Per subscription: the highest id seen and the unsettled events by id. */
  private readonly seen = new Map<string, { lastId: number; open: Map<number, Known> }>();
  private started = false;

  constructor(
    private readonly store: Store,
    private readonly connectionId: string,
  ) {}

  async tick(): Promise<FeedChange[]> {
    const changes: FeedChange[] = [];
    const subscriptions = await this.store.listSubscriptions({ connectionId: this.connectionId });
    for (const subscription of subscriptions) {
      let state = this.seen.get(subscription.id);
      if (state === undefined) {
        state = { lastId: 0, open: new Map() };
        this.seen.set(subscription.id, state);
      }
      // Pending events may settle, dead ones may be replayed: read from the oldest of them.
      const from = Math.min(state.lastId, ...[...state.open.keys()].map((id) => id - 1));
      for (let after = from; ; ) {
        const page = await this.store.listEvents(subscription.id, { afterId: after, limit: PAGE });
        for (const event of page) this.compare(state, event, subscription.triggerId, changes);
        const last = page[page.length - 1];
        if (last === undefined || page.length < PAGE) break;
        after = last.id;
      }
    }
    for (const id of this.seen.keys()) if (!subscriptions.some((s) => s.id === id)) this.seen.delete(id);
    const first = !this.started;
    this.started = true;
    return first ? [] : changes;
  }

  private compare(state: { lastId: number; open: Map<number, Known> }, event: OutboxEvent, triggerId: string, changes: FeedChange[]): void {
    const change = (type: FeedChange["type"], at: Date): void => {
      changes.push({
        type,
        subscription_id: event.subscriptionId,
        trigger_id: triggerId,
        event_id: String(event.id),
        attempts: event.attempts,
        error: event.lastError,
        at: at.toISOString(),
        payload: event.payload,
      });
    };
    const known = state.open.get(event.id);
    if (event.id > state.lastId) {
      state.lastId = event.id;
      change("entered", event.createdAt);
      if (event.status === "delivered") change("delivered", event.deliveredAt ?? event.createdAt);
      else if (event.status === "dead") change("dead", event.nextAttemptAt);
      else if (event.attempts > 0) change("failed", event.nextAttemptAt);
    } else if (known !== undefined) {
      if (event.status === "delivered") change("delivered", event.deliveredAt ?? event.createdAt);
      else if (event.status === "dead" && known.status !== "dead") change("dead", event.nextAttemptAt);
      else if (event.status === "pending" && known.status === "dead") change("replayed", event.nextAttemptAt);
      else if (event.status === "pending" && event.attempts > known.attempts) change("failed", event.nextAttemptAt);
    }
    // Delivered events never change again; pending and dead ones may.
    if (event.status === "delivered") state.open.delete(event.id);
    else state.open.set(event.id, { status: event.status, attempts: event.attempts });
  }
}

/** How often a feed reads the store, by default. */
export const FEED_INTERVAL_MS = 1000;

/**
 * `GET /console/api/connections/{id}/feed`: the live event feed as server-sent events, one
 * `change` message per `FeedChange` (and a comment every tick, which keeps proxies from closing
 * an idle stream). Each open feed reads the store once per `intervalMs`; feeds end when the
 * browser goes or the service closes.
 *
 * @example
 * registerFeedRoute(app, ctx);
 * // new EventSource("/console/api/connections/9f1c/feed").addEventListener("change", …)
 */
export function registerFeedRoute(app: FastifyInstance, ctx: ConsoleContext, intervalMs = FEED_INTERVAL_MS): void {
  const open = new Set<() => void>();
  // A feed is never idle, so the service's close would wait on it: end every feed first.
  app.addHook("preClose", async () => {
    for (const end of [...open]) end();
  });

  addRoute<{ Params: { connectionId: string } }>(app, CONSOLE_ROUTES.feed, {}, async (request, reply) => {
    const caller = await ctx.gate.check(request, reply, { change: false });
    if (caller === null) return reply;
    const connection = await ctx.gate.connection(caller, request.params.connectionId, reply);
    if (connection === null) return reply;
    const watcher = new OutboxWatcher(ctx.runtime.store, connection.id);
    await watcher.tick();
    void reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      "X-Request-Id": request.id,
      Connection: "keep-alive",
    });
    raw.write(": connected\n\n");
    let timer: NodeJS.Timeout | null = null;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      if (timer !== null) clearTimeout(timer);
      open.delete(end);
      raw.end();
    };
    open.add(end);
    raw.on("close", end);
    const loop = async (): Promise<void> => {
      try {
        const changes = await watcher.tick();
        if (ended) return;
        for (const change of changes) raw.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
        raw.write(": tick\n\n");
      } catch (error) {
        request.log.warn({ err: error }, "console feed: reading the store failed");
      }
      if (!ended) timer = setTimeout(() => void loop(), intervalMs);
    };
    timer = setTimeout(() => void loop(), intervalMs);
  });
}
