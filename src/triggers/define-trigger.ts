import type { ConnectorError, Result } from "../contract/index.js";
import type { TriggerId } from "../contract/index.js";
import type { IntercomTransport, SearchQuery } from "../intercom/index.js";
import type { Lookups } from "../operations/index.js";
import type { TriggerSource } from "./poll.js";

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

/** One trigger: what it watches and how an item becomes the contract's response. */
export interface TriggerDefinition<Item> {
  id: TriggerId;
  /** How a poll reads Intercom for this trigger. */
  source(intercom: IntercomTransport): TriggerSource<Item, ConnectorError>;
  /** The contract's response for one item (names and roles through `lookups`). */
  toEvent(item: Item, lookups: Lookups): Promise<Result<unknown, ConnectorError>>;
}

/**
 * Declares a trigger; a typed identity, so each trigger file reads the same way.
 *
 * @example
 * export const trigNewLead = defineTrigger({ id: "TrigNewLead", source: …, toEvent: … });
 */
export function defineTrigger<Item>(definition: TriggerDefinition<Item>): TriggerDefinition<Item> {
  return definition;
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
