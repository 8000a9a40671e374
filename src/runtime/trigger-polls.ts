import { connectorError, err, ok, type ConnectorError, type Result, type TriggerId } from "../contract/index.js";
import type { OutboxEvent } from "../store/index.js";
import { POLL_STATE_KEY_PURPOSE, PollStateCodec } from "./poll-state.js";
import type { Runtime } from "./runtime.js";

/** Events in one answer, by default. */
export const DEFAULT_POLL_BATCH_SIZE = 100;

/**
 * What a poll answers: the events waiting (oldest first, at most the batch size), the state to
 * poll with next (the receipt for these events), and, when none were waiting, the seconds until
 * Intercom is next asked.
 *
 * @example
 * const answer: PolledEvents = { events: [lead], state: "poll.eyJz….Qm9v…", retryAfterSeconds: 0 };
 */
export interface PolledEvents {
  readonly events: readonly unknown[];
  readonly state: string;
  readonly retryAfterSeconds: number;
}

/**
 * "What is new since my last look" for each trigger, under an opaque state the caller keeps (the
 * Power Automate polling route's `state`, an agent's `cursor`): the same rules for every face.
 *
 * - `start` subscribes from now (a baseline poll of Intercom records what exists, one unit of
 *   budget) and answers the first state, with nothing to hand out.
 * - `next` first acknowledges the events up to the ones the state's answer carried (a caller only
 *   polls with a state once it has processed the answer that gave it), then answers the events
 *   still waiting, with a new state that is the receipt for them. Polling again with an old state
 *   answers its events again: nothing is lost, and each event is answered once per state. With
 *   none waiting, Intercom is asked only when the subscription's next poll is due (a
 *   compare-and-set of its cursor version, so several instances ask once per interval).
 *
 * States are signed (`PollStateCodec`, a key derived from the store's): an altered or forged one
 * is `invalid_input` naming the caller's field before anything is read; another connection's is
 * `forbidden`; one whose subscription is gone or idle past `subscriptionIdleSeconds` is
 * `subscription_expired`. Subscriptions are of kind `polling`.
 *
 * @example
 * const polls = new TriggerPolls(runtime);
 * const started = await polls.start(connectionId, "TrigNewLead");
 * if (started.ok) {
 *   const later = await polls.next(connectionId, "TrigNewLead", started.value.state, "cursor");
 *   if (later.ok) console.log(later.value.events, later.value.state);
 * }
 */
export class TriggerPolls {
  private readonly states: PollStateCodec;
  private readonly batchSize: number;

  constructor(
    private readonly runtime: Runtime,
    options: { batchSize?: number } = {},
  ) {
    this.states = new PollStateCodec(runtime.store.deriveKey(POLL_STATE_KEY_PURPOSE));
    this.batchSize = options.batchSize ?? DEFAULT_POLL_BATCH_SIZE;
    if (!(Number.isInteger(this.batchSize) && this.batchSize > 0)) throw new RangeError("batchSize must be a positive integer");
  }

  /**
   * Subscribes from now (the baseline costs one unit of budget) and answers the first state;
   * nothing is kept when the baseline fails. `filters`: the trigger's options as flat parameters
   * (a bad one is `invalid_input` naming the parameter, before anything is stored or spent).
   */
  async start(connectionId: string, triggerId: TriggerId, filters?: Readonly<Record<string, unknown>>): Promise<Result<PolledEvents & { subscriptionId: string }, ConnectorError>> {
    const { engine, store } = this.runtime;
    const subscribed = await this.runtime.subscribe(connectionId, triggerId, { kind: "polling", filters, filterField: (name) => name });
    if (!subscribed.ok) return subscribed;
    const subscription = subscribed.value;
    const baseline = await engine.poll(subscription.id);
    if (!baseline.ok) {
      // Without a baseline the trigger cannot start from now: nothing is kept, the caller retries.
      await store.deleteSubscription(subscription.id);
      return baseline;
    }
    const state = this.states.encode({ subscriptionId: subscription.id, ackedThrough: null });
    return ok({ subscriptionId: subscription.id, events: [], state, retryAfterSeconds: Math.max(1, engine.pollIntervalSeconds) });
  }

  /** The events since `state`'s answer, and the state after them (see the class). `field` is what the caller calls the state in errors. */
  async next(connectionId: string, triggerId: TriggerId, state: string, field: string): Promise<Result<PolledEvents, ConnectorError>> {
    const { engine, store } = this.runtime;
    // Checked before anything is read: a forged or altered state costs nothing.
    const decoded = this.states.decode(state, field);
    if (!decoded.ok) return decoded;
    const subscription = await store.getSubscription(decoded.value.subscriptionId);
    // A state this service signed names a polling subscription: gone now (expired and swept, or deleted).
    if (subscription === null) return err(connectorError("subscription_expired", {}, { field }));
    // Webhook and library subscriptions deliver otherwise; polling them would take their events away.
    if (subscription.kind !== "polling") return err(connectorError("subscription_not_found", { id: decoded.value.subscriptionId }, { field }));
    if (subscription.connectionId !== connectionId) return err(connectorError("forbidden", {}, { field }));
    if (subscription.triggerId !== triggerId) {
      return err(connectorError("invalid_input", { field, reason: `names a subscription of ${subscription.triggerId}, not ${triggerId}` }, { field }));
    }
    // Abandoned by its caller (Power Automate made a new one): never its old events, whatever remains.
    if (engine.isExpired(subscription)) return err(connectorError("subscription_expired", {}, { field }));
    await engine.recordPolled(subscription);

    let events = await this.waitingEvents(subscription.id, decoded.value.ackedThrough);
    let nextPollAt = subscription.nextPollAt;
    if (events.length === 0) {
      const polled = await engine.pollIfDue(subscription);
      if (polled !== null && !polled.ok) return polled;
      if (polled !== null) events = await store.pendingEvents(subscription.id, this.batchSize);
      // Polled here or elsewhere meanwhile: the next poll moved on.
      if (nextPollAt.getTime() <= this.runtime.now()) nextPollAt = (await store.getSubscription(subscription.id))?.nextPollAt ?? nextPollAt;
    }
    const last = events.at(-1);
    if (last === undefined) return ok({ events: [], state, retryAfterSeconds: Math.max(1, Math.ceil((nextPollAt.getTime() - this.runtime.now()) / 1000)) });
    return ok({ events: events.map((event) => event.payload), state: this.states.encode({ subscriptionId: subscription.id, ackedThrough: last.id }), retryAfterSeconds: 0 });
  }

  /**
   * The events waiting, oldest first: those up to `ackedThrough` (the caller has them) are
   * acknowledged first. One read when there is nothing to acknowledge, the usual case.
   */
  private async waitingEvents(subscriptionId: string, ackedThrough: number | null): Promise<OutboxEvent[]> {
    const { store } = this.runtime;
    for (;;) {
      const pending = await store.pendingEvents(subscriptionId, this.batchSize);
      const received = ackedThrough === null ? [] : pending.filter((e) => e.id <= ackedThrough).map((e) => e.id);
      if (received.length === 0) return pending;
      await store.ackEvents(subscriptionId, received);
    }
  }
}
