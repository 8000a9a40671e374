import type { z } from "zod";
import { connectorError, err, ok, type ConnectorError, type OperationOutput, type Result, type TriggerId } from "../contract/index.js";
import type { IntercomTransport, SearchQuery } from "../intercom/index.js";
import { Lookups } from "../operations/index.js";
import type { NewEvent } from "../store/index.js";
import type { TriggerCursor } from "./cursor.js";
import { describeFilters, parseSubscriptionFilters, passesFilters, searchConditions, type SubscriptionFilters, type TriggerFilter, type TriggerFilterSpec } from "./filters.js";
import { scanForCursors, type Outcome, type PollOptions, type ScanPage, type ScanRequest, type TriggerSource } from "./poll.js";

/** Items per search page: Intercom's maximum, so a scan costs as few calls as possible. */
export const SCAN_PAGE_SIZE = 150;
const TWO_DAYS = 2 * 86_400;

/**
 * The lower date bound a scan asks search for. Intercom truncates dates to the day in the
 * workspace's time zone and `>` starts at the next day, so `> floor - 2 days` starts before the
 * floor in every zone (UTC−12 to UTC+14); the scan itself stops at the floor by the full timestamp.
 *
 * @example
 * searchLowerBound(1_700_000_000); // 1699827200
 */
export function searchLowerBound(floor: number): number {
  return Math.max(0, floor - TWO_DAYS);
}

/**
 * How a trigger's scan reads Intercom's search: one page, newest first by the trigger's time field.
 *
 * @example
 * const search: TriggerSearch<IntercomContact> = { excludeSeenIds: true, fetchPage: (intercom, request) => … };
 */
export interface TriggerSearch<Item> {
  /** `conditions`: the subscriptions' filters that search can apply itself (their `searchField`), to AND into the query. */
  fetchPage(intercom: IntercomTransport, request: ScanRequest, conditions?: readonly SearchQuery[]): Promise<Outcome<ScanPage<Item>, ConnectorError>>;
  /** Whether seen ids may be left out of the query (false when one id can fire again, as updates do). */
  excludeSeenIds: boolean;
}

/**
 * Everything a trigger is, in one place: what Intercom object it reads (`item`, which also reads
 * a pushed item), how it is found by search (or `null`: push only), which of Intercom's webhook
 * topics feed it, its dedupe key, and how an item becomes the contract's output.
 *
 * @example
 * const spec: TriggerSpec<"TrigNewLead", IntercomContact> = { id: "TrigNewLead", item: IntercomContact, … };
 */
export interface TriggerSpec<Id extends TriggerId, Item> {
  id: Id;
  /** The Intercom object the trigger fires for; pushed items are parsed with it. */
  item: z.ZodType<Item>;
  /** Words for an item that is not one, in an error (`a contact`). */
  itemName: string;
  /** How a poll finds items, or `null` for a trigger Intercom's search cannot see (push only). */
  search: TriggerSearch<Item> | null;
  /** Intercom webhook topics whose `data.item` feeds this trigger. */
  pushTopics: readonly string[];
  /** The item's time for this trigger (unix seconds): `created_at`, or `updated_at` for updates. */
  time(item: Item): number;
  /** The dedupe key: a poll and a push of the same event have the same one. */
  key(item: Item): string;
  /** The item's Intercom id (ties between equal times sort by it). */
  itemId(item: Item): string;
  /** Whether the item is an event of this trigger (e.g. not a conversation a teammate started). */
  accepts(item: Item): boolean;
  /** The contract's output for one item (names and roles through `lookups`). */
  toEvent(item: Item, lookups: Lookups): Promise<Result<OperationOutput<Id>, ConnectorError>>;
  /** The options a flow may set on its subscription (none by default), each matching a field of the event. */
  filters?: Readonly<Record<string, TriggerFilterSpec<OperationOutput<Id>>>>;
}

/**
 * What one cursor of a trigger scan came to: the events to store (dedupe key and the contract's
 * payload) and the cursor to store with them, or a baseline that could not see its whole window.
 *
 * @example
 * if (result.ok) await store.commitPoll(id, { events: result.events, newCursor: encodeTriggerCursor(result.cursor), … });
 */
export type TriggerCursorResult =
  | { ok: true; events: NewEvent[]; cursor: TriggerCursor; baseline: boolean; complete: boolean }
  | { ok: false; error: ConnectorError };

/**
 * A scan shared by several subscriptions of one trigger: each cursor's result, in order.
 *
 * @example
 * const scan: TriggerScan = { results: [], calls: 1, complete: true };
 */
export interface TriggerScan {
  results: TriggerCursorResult[];
  /** Intercom calls spent (searches and name lookups). */
  calls: number;
  complete: boolean;
}

/**
 * A trigger as the engine and the push route use it. The Intercom item's type stays inside: what
 * comes out is the contract's output, typed by the trigger's id.
 *
 * @example
 * const trigger: Trigger<"TrigNewLead"> = TRIGGERS.TrigNewLead;
 * trigger.pushTopics; // ["contact.lead.created"]
 */
export interface Trigger<Id extends TriggerId = TriggerId> {
  readonly id: Id;
  readonly pushTopics: readonly string[];
  /** False for a push-only trigger: there is nothing to scan. */
  readonly polled: boolean;
  /** The filters a subscription of it may set (empty: none). */
  readonly filters: readonly TriggerFilter[];
  /**
   * Checks a subscription's filters (absent: none): an unknown name or a bad value is
   * `invalid_input` naming `field(name)` (`filters.<name>` by default).
   */
  parseFilters(input: unknown, field?: (name: string) => string): Result<SubscriptionFilters, ConnectorError>;
  /** Whether an event's payload (this trigger's output) passes a subscription's filters. */
  passes(payload: unknown, filters: SubscriptionFilters): boolean;
  /**
   * Scans Intercom once for `cursors` (one per subscription; `null`: its baseline). Fails as a
   * whole only when the first page fails; `intercom`'s calls are counted in `calls`. Every cursor
   * is of a subscription with the same `filters` (default none): only events they pass are kept.
   */
  scan(intercom: IntercomTransport, cursors: ReadonlyArray<TriggerCursor | null>, options: PollOptions, filters?: SubscriptionFilters): Promise<Result<TriggerScan, ConnectorError>>;
  /**
   * The outbox event a pushed `data.item` makes, with the same dedupe key and payload as the poll
   * that will see it again; `null` when the trigger does not fire for it. A malformed item is an
   * `invalid_input` naming `data.item`.
   */
  fromPush(item: unknown, intercom: IntercomTransport): Promise<Result<NewEvent | null, ConnectorError>>;
}

/**
 * Builds a trigger from its spec: one file per trigger declares its spec, and this turns it into
 * the scan and push handling every trigger shares.
 *
 * @example
 * export const trigNewLead = defineTrigger({ id: "TrigNewLead", item: IntercomContact, itemName: "a contact", search: …, pushTopics: ["contact.lead.created"], … });
 */
export function defineTrigger<Id extends TriggerId, Item>(spec: TriggerSpec<Id, Item>): Trigger<Id> {
  const filterSpecs = spec.filters ?? {};
  const sourceFor = (intercom: IntercomTransport, search: TriggerSearch<Item>, conditions: readonly SearchQuery[]): TriggerSource<Item, ConnectorError> => ({
    fetchPage: (request) => (conditions.length === 0 ? search.fetchPage(intercom, request) : search.fetchPage(intercom, request, conditions)),
    time: (item) => spec.time(item),
    key: (item) => spec.key(item),
    id: (item) => spec.itemId(item),
    accepts: (item) => spec.accepts(item),
    excludeSeenIds: search.excludeSeenIds,
  });

  return Object.freeze({
    id: spec.id,
    pushTopics: Object.freeze([...spec.pushTopics]),
    polled: spec.search !== null,
    filters: describeFilters(filterSpecs),
    parseFilters: (input: unknown, field?: (name: string) => string) => parseSubscriptionFilters(spec.id, filterSpecs, input, field),
    passes: (payload: unknown, filters: SubscriptionFilters) => passesFilters(filterSpecs, payload as OperationOutput<Id>, filters),

    async scan(intercom: IntercomTransport, cursors: ReadonlyArray<TriggerCursor | null>, options: PollOptions, filters: SubscriptionFilters = {}): Promise<Result<TriggerScan, ConnectorError>> {
      if (spec.search === null) return err(connectorError("invalid_input", { field: "triggerId", reason: `${spec.id} is push only: Intercom's search cannot see it` }, { field: "triggerId" }));
      const scanned = await scanForCursors(sourceFor(intercom, spec.search, searchConditions(filterSpecs, filters)), cursors, options);
      if (!scanned.ok) return scanned;
      // Each item is mapped once, however many subscriptions receive it.
      const lookups = new Lookups(intercom);
      const payloads = new Map<string, NewEvent>();
      const results: TriggerCursorResult[] = [];
      for (const result of scanned.value.results) {
        if (!result.ok) {
          results.push(result);
          continue;
        }
        const events: NewEvent[] = [];
        for (const item of result.value.events) {
          const key = spec.key(item);
          let event = payloads.get(key);
          if (event === undefined) {
            const payload = await spec.toEvent(item, lookups);
            if (!payload.ok) return payload;
            event = { dedupeKey: key, payload: payload.value };
            payloads.set(key, event);
          }
          if (passesFilters(filterSpecs, event.payload as OperationOutput<Id>, filters)) events.push(event);
        }
        results.push({ ok: true, events, cursor: result.value.cursor, baseline: result.value.baseline, complete: result.value.complete });
      }
      return ok({ results, calls: scanned.value.calls, complete: scanned.value.complete });
    },

    async fromPush(item: unknown, intercom: IntercomTransport): Promise<Result<NewEvent | null, ConnectorError>> {
      const parsed = spec.item.safeParse(item);
      if (!parsed.success) return err(connectorError("invalid_input", { field: "data.item", reason: `is not ${spec.itemName}` }, { field: "data.item" }));
      if (!spec.accepts(parsed.data)) return ok(null);
      const payload = await spec.toEvent(parsed.data, new Lookups(intercom));
      if (!payload.ok) return payload;
      return ok({ dedupeKey: spec.key(parsed.data), payload: payload.value });
    },
  });
}

/**
 * The search query of a scan: the trigger's own filters, the date bound, and the seen ids left
 * out when there are any (`id NIN`), all in one AND group.
 *
 * @example
 * scanQuery([{ field: "role", operator: "=", value: "lead" }], "created_at", 1_700_000_000, []);
 */
export function scanQuery(filters: SearchQuery[], timeField: string, floor: number, excludeIds: readonly string[]): SearchQuery {
  const value: SearchQuery[] = [...filters, { field: timeField, operator: ">", value: searchLowerBound(floor) }];
  if (excludeIds.length > 0) value.push({ field: "id", operator: "NIN", value: [...excludeIds] });
  return { operator: "AND", value };
}
