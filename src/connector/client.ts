import {
  connectorError,
  err,
  ok,
  type ActionId,
  type ConnectorError,
  type Lead_Response,
  type OperationOutput,
  type Result,
  type TriggerId,
} from "../contract/index.js";
import type { Runtime } from "../runtime/index.js";
import type { OutboxEvent, Subscription } from "../store/index.js";
import { filtersKey, TRIGGERS } from "../triggers/index.js";
import { ConsumerFailure, startSubscriptionLoop, type SubscriptionLoop } from "./subscription-loop.js";
import type {
  ActionOutcome,
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
  /** Validation, budget, operations and the trigger engine. */
  runtime: Runtime;
  pollIntervalSeconds: number;
  /** Keeps a running subscription so `close()` can stop it. */
  track(loop: SubscriptionLoop): void;
  /** Throws once the connector is closed. */
  assertOpen(): void;
}

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
    this.context.assertOpen();
    const intercom = await this.context.runtime.intercomFor(this.connectionId);
    if (!intercom.ok) return intercom;
    const page = await intercom.value.searchContacts({ field: "role", operator: "=", value: "lead" }, { perPage: 1 });
    if (!page.ok) return page;
    return ok(page.value.totalCount ?? page.value.items.length);
  }

  async run<Id extends ActionId>(operationId: Id, input: unknown): Promise<ActionOutcome<Id>> {
    this.context.assertOpen();
    return this.context.runtime.call(this.connectionId, operationId, input);
  }

  subscribe<Id extends TriggerId>(triggerId: Id, handler: EventHandler<Id>, options: SubscribeOptions = {}): Promise<Result<SubscriptionHandle, ConnectorError>> {
    const { store } = this.context.runtime;
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

  subscribeBatches<Id extends TriggerId>(triggerId: Id, consume: BatchConsumer<Id>, options: SubscribeOptions = {}): Promise<Result<SubscriptionHandle, ConnectorError>> {
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
    const { store } = this.context.runtime;
    const subscription = await store.getSubscription(subscriptionId);
    if (subscription === null || subscription.connectionId !== this.connectionId) return false;
    return store.deleteSubscription(subscriptionId);
  }

  describe() {
    this.context.assertOpen();
    return this.context.runtime.store.getConnection(this.connectionId);
  }

  private async start<Id extends TriggerId>(
    triggerId: Id,
    options: SubscribeOptions,
    consumerFor: (subscriptionId: string) => (events: readonly OutboxEvent[]) => Promise<void>,
  ): Promise<Result<SubscriptionHandle, ConnectorError>> {
    this.context.assertOpen();
    const subscription = await this.subscription(triggerId, options.subscriptionId, options.filters);
    if (!subscription.ok) return subscription;
    // close() may have run meanwhile: start nothing it would not stop.
    this.context.assertOpen();
    const loop = startSubscriptionLoop({
      engine: this.context.runtime.engine,
      subscriptionId: subscription.value.id,
      consume: consumerFor(subscription.value.id),
      onError: options.onError ?? defaultOnError(subscription.value.id),
      onPoll: options.onPoll,
      retryDelayMs: this.context.pollIntervalSeconds * 1000,
      signal: options.signal,
    });
    this.context.track(loop);
    return ok({ subscriptionId: loop.subscriptionId, stop: () => loop.stop() });
  }

  /** The subscription to run: the one named (checked to be this connection's, same trigger), or a new one. */
  private async subscription(triggerId: TriggerId, subscriptionId: string | undefined, filters: unknown): Promise<Result<Subscription, ConnectorError>> {
    const { store } = this.context.runtime;
    if (subscriptionId === undefined) return this.context.runtime.subscribe(this.connectionId, triggerId, { filters });
    const existing = await store.getSubscription(subscriptionId);
    if (existing === null || existing.connectionId !== this.connectionId || existing.triggerId !== triggerId) {
      return err(connectorError("not_found", { resource: `${triggerId} subscription of this connection`, id: subscriptionId }, { field: "subscriptionId" }));
    }
    if (filters !== undefined) {
      // A resumed subscription keeps the filters it was made with: other ones would be another subscription.
      const given = TRIGGERS[triggerId].parseFilters(filters);
      if (!given.ok) return given;
      if (filtersKey(given.value) !== filtersKey(existing.filters)) {
        return err(connectorError("invalid_input", { field: "filters", reason: `must be the resumed subscription's own (${filtersKey(existing.filters)})` }, { field: "filters" }));
      }
    }
    if (existing.state === "active") return ok(existing);
    return ok((await store.setSubscriptionState(existing.id, "active")) ?? existing);
  }
}

function defaultOnError(subscriptionId: string): SubscriptionErrorHandler {
  return (error, phase) => {
    const message = error instanceof Error ? error.message : String(error);
    process.emitWarning(`subscription ${subscriptionId}: ${phase} failed: ${message}`, { code: "INTERCOM_CONNECTOR_SUBSCRIPTION" });
  };
}

