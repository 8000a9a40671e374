import {
  connectorError,
  err,
  ok,
  OPERATIONS,
  operationIds,
  parseInput,
  type ActionId,
  type ConnectorError,
  type Lead_Response,
  type OperationOutput,
  type Result,
  type TriggerId,
} from "../contract/index.js";
import type { IntercomTransport } from "../intercom/index.js";
import type { ConnectionCallBudget } from "../limits/index.js";
import { ACTIONS, type Action } from "../operations/index.js";
import type { OutboxEvent, Store, Subscription } from "../store/index.js";
import type { TriggerEngine } from "../triggers/index.js";
import { ConsumerFailure, startSubscriptionLoop, type SubscriptionLoop } from "./subscription-loop.js";
import type {
  ActionOutcome,
  ActionResult,
  BatchConsumer,
  ConnectionClient,
  EventHandler,
  SubscribeOptions,
  SubscriptionErrorHandler,
  SubscriptionHandle,
  TriggerEvent,
} from "./types.js";

/**
 * What a connection's client shares with its connector.
 *
 * @example
 * const client = createConnectionClient(context satisfies ClientContext, connectionId);
 */
export interface ClientContext {
  store: Store;
  budget: ConnectionCallBudget;
  engine: TriggerEngine;
  /** The connection's transport (its token decrypted once), or null for an unknown connection. */
  transportFor(connectionId: string): Promise<IntercomTransport | null>;
  pollIntervalSeconds: number;
  /** Keeps a running subscription so `close()` can stop it. */
  track(loop: SubscriptionLoop): void;
  /** Throws once the connector is closed. */
  assertOpen(): void;
}

const ACTION_IDS: readonly string[] = operationIds("action");
const TRIGGER_IDS: readonly string[] = operationIds("trigger");

/**
 * Builds the client of one connection (see {@link ConnectionClient}).
 *
 * @example
 * const client = createConnectionClient(context, "6f1c…");
 * await client.getUser({ user_id: "6762f0a51bb69f9f2193bb5c" });
 */
export function createConnectionClient(context: ClientContext, connectionId: string): ConnectionClient {
  return new Client(context, connectionId);
}

class Client implements ConnectionClient {
  constructor(
    private readonly context: ClientContext,
    readonly connectionId: string,
  ) {}

  createUser(input: unknown): Promise<ActionOutcome<"CreateUser">> {
    return this.run("CreateUser", input);
  }

  createLead(input: unknown): Promise<ActionOutcome<"CreateLead">> {
    return this.run("CreateLead", input);
  }

  getLead(input: unknown): Promise<ActionOutcome<"GetLead">> {
    return this.run("GetLead", input);
  }

  getUser(input: unknown): Promise<ActionOutcome<"GetUser">> {
    return this.run("GetUser", input);
  }

  listLeads(): AsyncIterable<Lead_Response> {
    const start = (): Promise<ActionOutcome<"ListLeads">> => this.run("ListLeads", {});
    return {
      async *[Symbol.asyncIterator]() {
        const leads = await start();
        if (!leads.ok) throw leads.error;
        yield* leads.value;
      },
    };
  }

  async countLeads(): Promise<Result<number, ConnectorError>> {
    const intercom = await this.ready();
    if (!intercom.ok) return intercom;
    const page = await intercom.value.searchContacts({ field: "role", operator: "=", value: "lead" }, { perPage: 1 });
    if (!page.ok) return page;
    return ok(page.value.totalCount ?? page.value.items.length);
  }

  async run<Id extends ActionId>(operationId: Id, input: unknown): Promise<ActionOutcome<Id>> {
    this.context.assertOpen();
    if (!ACTION_IDS.includes(operationId)) {
      return err(connectorError("invalid_input", { field: "operation", reason: `must be one of ${ACTION_IDS.join(", ")}` }, { field: "operation" }));
    }
    // Validation first: invalid input costs nothing and never reaches Intercom.
    const parsed = parseInput(OPERATIONS[operationId].input, input);
    if (!parsed.ok) return parsed;
    const intercom = await this.ready();
    if (!intercom.ok) return intercom;
    const action = ACTIONS[operationId] as unknown as Action<Id, ActionResult<Id>>;
    return action.run(intercom.value, parsed.value);
  }

  subscribe<Id extends TriggerId>(triggerId: Id, handler: EventHandler<Id>, options: SubscribeOptions = {}): Promise<SubscriptionHandle> {
    const { store } = this.context;
    return this.start(triggerId, options, (subscriptionId) => async (events) => {
      for (const event of events) {
        try {
          await handler(event.payload as OperationOutput<Id>);
        } catch (error) {
          throw new ConsumerFailure(error);
        }
        // Acknowledged one by one: a handler failing later in the batch does not repeat this one.
        await store.ackEvents(subscriptionId, [event.id]);
      }
    });
  }

  subscribeBatches<Id extends TriggerId>(triggerId: Id, consume: BatchConsumer<Id>, options: SubscribeOptions = {}): Promise<SubscriptionHandle> {
    return this.start(triggerId, options, () => async (events) => {
      const batch = events.map((event): TriggerEvent<Id> => ({ id: event.id, dedupeKey: event.dedupeKey, payload: event.payload as OperationOutput<Id> }));
      try {
        await consume(batch);
      } catch (error) {
        throw new ConsumerFailure(error);
      }
    });
  }

  async unsubscribe(subscriptionId: string): Promise<boolean> {
    this.context.assertOpen();
    const subscription = await this.context.store.getSubscription(subscriptionId);
    if (subscription === null || subscription.connectionId !== this.connectionId) return false;
    return this.context.store.deleteSubscription(subscriptionId);
  }

  describe() {
    this.context.assertOpen();
    return this.context.store.getConnection(this.connectionId);
  }

  /** The connection's transport once one unit of its budget is spent. */
  private async ready(): Promise<Result<IntercomTransport, ConnectorError>> {
    const intercom = await this.context.transportFor(this.connectionId);
    if (intercom === null) return err(connectorError("not_found", { resource: "connection", id: this.connectionId }));
    const { budget } = this.context;
    const decision = await budget.spend(this.connectionId);
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds;
      return err(connectorError("rate_limited", { limit: budget.callsPerWindow, window: budget.windowSeconds, retry_after: seconds }, { retryAfterSeconds: seconds }));
    }
    return ok(intercom);
  }

  private async start<Id extends TriggerId>(
    triggerId: Id,
    options: SubscribeOptions,
    consumerFor: (subscriptionId: string) => (events: readonly OutboxEvent[]) => Promise<void>,
  ): Promise<SubscriptionHandle> {
    this.context.assertOpen();
    if (!TRIGGER_IDS.includes(triggerId)) {
      throw connectorError("invalid_input", { field: "triggerId", reason: `must be one of ${TRIGGER_IDS.join(", ")}` }, { field: "triggerId" });
    }
    const subscription = await this.subscription(triggerId, options.subscriptionId);
    // close() may have run meanwhile: start nothing it would not stop.
    this.context.assertOpen();
    const loop = startSubscriptionLoop({
      engine: this.context.engine,
      subscriptionId: subscription.id,
      consume: consumerFor(subscription.id),
      onError: options.onError ?? defaultOnError(subscription.id),
      onPoll: options.onPoll,
      retryDelayMs: this.context.pollIntervalSeconds * 1000,
      signal: options.signal,
    });
    this.context.track(loop);
    return { subscriptionId: loop.subscriptionId, stop: () => loop.stop() };
  }

  /** The subscription to run: the one named (checked to be this connection's, same trigger), or a new one. */
  private async subscription(triggerId: TriggerId, subscriptionId: string | undefined): Promise<Subscription> {
    const { store, engine } = this.context;
    if (subscriptionId === undefined) {
      if ((await store.getConnection(this.connectionId)) === null) throw connectorError("not_found", { resource: "connection", id: this.connectionId });
      return engine.subscribe(this.connectionId, triggerId);
    }
    const existing = await store.getSubscription(subscriptionId);
    if (existing === null || existing.connectionId !== this.connectionId || existing.triggerId !== triggerId) {
      throw connectorError("not_found", { resource: `${triggerId} subscription of this connection`, id: subscriptionId }, { field: "subscriptionId" });
    }
    if (existing.state === "active") return existing;
    return (await store.setSubscriptionState(existing.id, "active")) ?? existing;
  }
}

function defaultOnError(subscriptionId: string): SubscriptionErrorHandler {
  return (error, phase) => {
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`subscription ${subscriptionId}: ${phase} failed: ${message}`, { code: "INTERCOM_CONNECTOR_SUBSCRIPTION" });
  };
}

// Re-checked at compile time: the results the client promises are those the actions give.
type Check<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
type ActionRunResult<Id extends ActionId> = (typeof ACTIONS)[Id] extends Action<Id, infer O> ? O : never;
const _resultsMatch: { [Id in ActionId]: Check<ActionRunResult<Id>, ActionResult<Id>> } = {
  CreateUser: true,
  CreateLead: true,
  ListLeads: true,
  GetLead: true,
  GetUser: true,
};
void _resultsMatch;
