import type { ActionId, AddConnection, ConnectorError, OperationInput, OperationOutput, Result, TriggerId } from "../contract/index.js";
import type { ActionOutput } from "../runtime/index.js";
import type { Lead_Response } from "../contract/index.js";
import type { Connection, CreatedConnection } from "../store/index.js";
import type { PollReport } from "../triggers/index.js";

/**
 * What each action answers when it succeeds, by id: derived from the actions themselves, so a
 * new catalogue action is here without an edit. A paged action (`ListLeads`, …) answers an async
 * iterable that fetches one page at a time.
 *
 * @example
 * const result: Result<ActionResults["GetUser"], ConnectorError> = await client.run("GetUser", { user_id });
 */
export type ActionResults = { [Id in ActionId]: ActionOutput<Id> };

/**
 * What the action `Id` answers on success.
 *
 * @example
 * const lead: ActionResult<"CreateLead"> = { ...lead };
 */
export type ActionResult<Id extends ActionId> = ActionOutput<Id>;

/**
 * What an action call answers: its result, or the {@link ConnectorError} of an expected failure
 * (invalid input, budget spent, unknown id, Intercom refusing or unavailable). Bugs throw.
 *
 * @example
 * const r: ActionOutcome<"GetLead"> = await client.getLead({ contact_id });
 * if (!r.ok) console.error(r.error.code);
 */
export type ActionOutcome<Id extends ActionId> = Result<ActionResult<Id>, ConnectorError>;

/**
 * What `addConnection` takes: the contract's `AddConnectionInput`, the same in every face.
 *
 * @example
 * const input: AddConnectionInput = { access_token: process.env.INTERCOM_ACCESS_TOKEN ?? "", region: "eu", name: "Acme EU" };
 */
export type AddConnectionInput = AddConnection;

/**
 * A connection just added, and its API key (shown this once; the store keeps only its hash).
 *
 * @example
 * const { connection, apiKey }: AddedConnection = await connector.addConnection({ access_token: token }).then(unwrap);
 */
export type AddedConnection = CreatedConnection;

/**
 * One trigger event as a batch consumer receives it: the outbox id (grows in emission order),
 * the dedupe key and the contract's response object.
 *
 * @example
 * const event: TriggerEvent<"TrigNewLead"> = { id: 1, dedupeKey: "6762f0a5…", payload: lead };
 */
export interface TriggerEvent<Id extends TriggerId> {
  id: number;
  dedupeKey: string;
  payload: OperationOutput<Id>;
}

/**
 * Handles one event. Events arrive one at a time, oldest first; each is acknowledged once the
 * handler resolves. A handler that throws leaves that event (and those after it) pending: they are
 * offered again at the next poll round, so handlers should be idempotent.
 *
 * @example
 * const handler: EventHandler<"TrigNewLead"> = async (lead) => { await crm.upsert(lead.email); };
 */
export type EventHandler<Id extends TriggerId> = (payload: OperationOutput<Id>) => void | Promise<void>;

/**
 * Handles a batch of events (oldest first); the whole batch is acknowledged once it returns. A
 * consumer that throws leaves the whole batch pending, to be offered again at the next round.
 *
 * @example
 * const consume: BatchConsumer<"TrigNewLead"> = (events) => { fs.writeSync(1, events.map((e) => JSON.stringify(e.payload) + "\n").join("")); };
 */
export type BatchConsumer<Id extends TriggerId> = (events: ReadonlyArray<TriggerEvent<Id>>) => void | Promise<void>;

/**
 * Where a subscription's background loop reports what goes wrong: a failed poll (Intercom down,
 * budget spent: retried at the next round or after `Retry-After`), or a failed delivery (the
 * handler threw: the event stays pending).
 *
 * @example
 * const onError: SubscriptionErrorHandler = (error, phase) => console.warn(phase, error);
 */
export type SubscriptionErrorHandler = (error: unknown, phase: "poll" | "deliver") => void;

/**
 * How a subscription runs.
 *
 * @example
 * const controller = new AbortController();
 * const options: SubscribeOptions = { signal: controller.signal, onError: (e) => console.warn(e) };
 */
export interface SubscribeOptions {
  /** Stops the subscription's loop when aborted (same as `handle.stop()`). */
  signal?: AbortSignal;
  /**
   * Resumes this existing subscription (same connection and trigger) instead of creating one:
   * its pending events come first, then what happened while it was not running. Without it, a new
   * subscription starts from "now" (its first poll records what exists and emits nothing).
   */
  subscriptionId?: string;
  /** Failed polls and deliveries (default: a process warning with the error's message). */
  onError?: SubscriptionErrorHandler;
  /** Called after each poll, with its report or its error. */
  onPoll?: (report: Result<PollReport, ConnectorError>) => void;
  /**
   * Options of the trigger (`TRIGGERS[id].filters` lists them: a ticket type for the ticket
   * triggers…): only events they pass reach the handler. A name the trigger does not take or a
   * bad value is `invalid_input` naming `filters.<name>`. With `subscriptionId`, they must be the
   * resumed subscription's own.
   */
  filters?: Readonly<Record<string, string>>;
}

/**
 * A running subscription.
 *
 * @example
 * const handle = await client.subscribe("TrigNewLead", (lead) => console.log(lead.email));
 * if (handle.ok) await handle.value.stop();
 */
export interface SubscriptionHandle {
  /** The stored subscription's id: pass it as `subscriptionId` to resume after a restart. */
  readonly subscriptionId: string;
  /** Stops polling and delivering; resolves once the loop has ended (an ongoing poll finishes first). */
  stop(): Promise<void>;
}

/**
 * One connection's face: a typed method per action, and trigger subscriptions.
 *
 * Actions answer a `Result`: expected failures (invalid input, unknown id, `rate_limited`, Intercom
 * refusing or unavailable) are values, never exceptions. Input is validated first: invalid input
 * is `invalid_input` naming the field, spends no budget and sends nothing to Intercom. Each valid
 * call then spends one unit of the connection's budget (`ListLeads`: one for the whole listing);
 * a spent budget is `rate_limited` with `retryAfterSeconds`, and nothing is sent to Intercom.
 *
 * @example
 * const client = connector.connection(connection.id);
 * const lead = await client.createLead({ email: "ada@example.com" });
 * if (lead.ok) console.log(lead.value.id); else console.error(lead.error.code, lead.error.message);
 */
export interface ConnectionClient {
  readonly connectionId: string;
  /** `CreateUser`: creates a user, or updates the user with this email. */
  createUser(input: OperationInput<"CreateUser">): Promise<ActionOutcome<"CreateUser">>;
  /** `CreateLead`: creates a lead. */
  createLead(input: OperationInput<"CreateLead">): Promise<ActionOutcome<"CreateLead">>;
  /** `GetLead`: one lead by id (a user's id is `wrong_role`). */
  getLead(input: OperationInput<"GetLead">): Promise<ActionOutcome<"GetLead">>;
  /** `GetUser`: one user by id (a lead's id is `wrong_role`). */
  getUser(input: OperationInput<"GetUser">): Promise<ActionOutcome<"GetUser">>;
  /**
   * `ListLeads`: every lead, one page (150) at a time, so memory stays flat. Nothing happens until
   * iteration starts; a failure (including `rate_limited`) is thrown from the iteration as a
   * `ConnectorError`.
   */
  listLeads(): AsyncIterable<Lead_Response>;
  /**
   * How many leads Intercom's search counts (its `total_count`): one Intercom call and one unit of
   * budget. An estimate for progress displays: leads created in the last minutes may be missing.
   */
  countLeads(): Promise<Result<number, ConnectorError>>;
  /** Any action by its operation id, with input to validate (the HTTP and CLI faces use this). */
  run<Id extends ActionId>(operationId: Id, input: unknown): Promise<ActionOutcome<Id>>;
  /**
   * Runs a trigger in the background and hands each event to `handler`, oldest first, once.
   * An unknown trigger (`invalid_input`), connection or `subscriptionId` (`not_found`) is an error value.
   */
  subscribe<Id extends TriggerId>(triggerId: Id, handler: EventHandler<Id>, options?: SubscribeOptions): Promise<Result<SubscriptionHandle, ConnectorError>>;
  /** Like `subscribe`, with events handed over (and acknowledged) a batch at a time. */
  subscribeBatches<Id extends TriggerId>(triggerId: Id, consume: BatchConsumer<Id>, options?: SubscribeOptions): Promise<Result<SubscriptionHandle, ConnectorError>>;
  /** Deletes a subscription with its pending events (stop its handle first); false if unknown. */
  unsubscribe(subscriptionId: string): Promise<boolean>;
  /** The connection as stored (never its token), or null if it does not exist. */
  describe(): Promise<Connection | null>;
}
