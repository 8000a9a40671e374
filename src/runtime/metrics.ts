import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Store } from "../store/index.js";

// The runtime's Prometheus metrics: what each part observes (requests, Intercom calls, the
// budget, polls, deliveries) is counted here, and the store's totals (outboxes, dead letters) are
// read when scraped. One registry per runtime, so two runtimes in one process (tests) never mix.

/** The words of Intercom's API paths; any other segment is an id, shown as `{id}` (bounded labels). */
const PATH_WORDS = new Set([
  "admins", "archive", "articles", "attach", "away", "companies", "contacts", "conversations", "convert", "data_attributes", "data_events",
  "detach", "events", "export", "find_by_external_id", "help_center", "list", "me", "merge", "messages", "news", "notes", "parts", "redact",
  "reply", "run_assignment_rules", "scroll", "search", "segments", "subscription_types", "subscriptions", "summaries", "tags", "teams",
  "ticket_types", "tickets", "unarchive", "visitors", "attributes", "customers", "activity_logs", "phone_call_redirects", "segments",
]);

/**
 * An Intercom request path with its ids replaced by `{id}`, so a metric label has few values.
 *
 * @example
 * intercomEndpoint("/contacts/6762f0a51bb69f9f2193bb5c/tags"); // "/contacts/{id}/tags"
 */
export function intercomEndpoint(path: string): string {
  const segments = path.split("?")[0]?.split("/") ?? [];
  return segments.map((segment) => (segment === "" || PATH_WORDS.has(segment) ? segment : "{id}")).join("/") || "/";
}

/** The outcomes of a webhook delivery attempt. */
export type DeliveryOutcome = "delivered" | "failed" | "dead";

/**
 * The metrics a runtime keeps, in Prometheus's format (`registry.metrics()`).
 *
 * @example
 * const metrics = new ConnectorMetrics(store);
 * metrics.intercomCall("GET", "/contacts/abc", 200, 0.05);
 * const text = await metrics.registry.metrics();
 */
export class ConnectorMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"method" | "route" | "status">;
  private readonly requestSeconds: Histogram<"method" | "route">;
  private readonly intercomCalls: Counter<"method" | "endpoint" | "status">;
  private readonly intercomSeconds: Histogram<"method" | "endpoint">;
  private readonly budget: Counter<"connection" | "outcome">;
  private readonly pollLag: Histogram<"trigger">;
  private readonly deliveries: Counter<"outcome">;

  constructor(store: Pick<Store, "outboxTotals">) {
    collectDefaultMetrics({ register: this.registry, prefix: "intercom_connector_" });
    const registers = [this.registry];
    this.requests = new Counter({ name: "intercom_connector_http_requests_total", help: "Requests the service answered, by route and status.", labelNames: ["method", "route", "status"], registers });
    this.requestSeconds = new Histogram({
      name: "intercom_connector_http_request_duration_seconds",
      help: "How long the service took to answer, by route.",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.intercomCalls = new Counter({
      name: "intercom_connector_intercom_requests_total",
      help: "HTTP attempts sent to Intercom, by endpoint (ids as {id}) and status (error: no answer).",
      labelNames: ["method", "endpoint", "status"],
      registers,
    });
    this.intercomSeconds = new Histogram({
      name: "intercom_connector_intercom_request_duration_seconds",
      help: "How long Intercom took to answer one attempt, by endpoint.",
      labelNames: ["method", "endpoint"],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
      registers,
    });
    this.budget = new Counter({ name: "intercom_connector_budget_calls_total", help: "Calls of each connection's budget, spent or refused (429 rate_limited).", labelNames: ["connection", "outcome"], registers });
    this.pollLag = new Histogram({
      name: "intercom_connector_poll_lag_seconds",
      help: "How late a trigger's poll ran after it was due.",
      labelNames: ["trigger"],
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600],
      registers,
    });
    this.deliveries = new Counter({ name: "intercom_connector_webhook_deliveries_total", help: "Webhook delivery attempts, by outcome (failed: retried later; dead: given up on).", labelNames: ["outcome"], registers });
    new Gauge({
      name: "intercom_connector_outbox_events",
      help: "Events in the outboxes, by status (pending: waiting for delivery; dead: dead letters), across every instance.",
      labelNames: ["status"],
      registers,
      // Read when scraped: the store, shared by every instance, holds the truth.
      async collect() {
        const totals = await store.outboxTotals();
        this.set({ status: "pending" }, totals.pending);
        this.set({ status: "dead" }, totals.dead);
      },
    });
  }

  /** One answered request of the service (`route`: its pattern, or `unmatched`). */
  request(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
  }

  /** One HTTP attempt to Intercom: its status, or `error` when none came back. */
  intercomCall(method: string, path: string, status: number | "error", seconds: number): void {
    const endpoint = intercomEndpoint(path);
    this.intercomCalls.inc({ method, endpoint, status: String(status) });
    this.intercomSeconds.observe({ method, endpoint }, seconds);
  }

  /** One unit of a connection's budget, spent or refused. */
  budgetCall(connectionId: string, outcome: "spent" | "refused"): void {
    this.budget.inc({ connection: connectionId, outcome });
  }

  /** A poll that ran `seconds` after it was due. */
  pollRan(triggerId: string, seconds: number): void {
    this.pollLag.observe({ trigger: triggerId }, Math.max(0, seconds));
  }

  /** One webhook delivery attempt's outcome. */
  delivery(outcome: DeliveryOutcome, count = 1): void {
    this.deliveries.inc({ outcome }, count);
  }
}
