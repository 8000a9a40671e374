import type { IntercomContact, SearchQuery } from "../intercom/index.js";
import { SCAN_PAGE_SIZE, scanQuery, type TriggerSearch } from "./define-trigger.js";

/**
 * A trigger's search over `POST /contacts/search` for one role, newest first by `timeField`.
 *
 * @example
 * contactSearch({ role: "lead", timeField: "created_at", excludeSeenIds: true });
 */
export function contactSearch(scan: { role: "user" | "lead"; timeField: "created_at" | "updated_at"; excludeSeenIds: boolean }): TriggerSearch<IntercomContact> {
  const roleFilter: SearchQuery = { field: "role", operator: "=", value: scan.role };
  return {
    excludeSeenIds: scan.excludeSeenIds,
    async fetchPage(intercom, { floor, startingAfter, excludeIds }) {
      const page = await intercom.searchContacts(scanQuery([roleFilter], scan.timeField, floor, excludeIds), {
        perPage: SCAN_PAGE_SIZE,
        sort: { field: scan.timeField, order: "descending" },
        ...(startingAfter === null ? {} : { startingAfter }),
      });
      if (!page.ok) return page;
      return { ok: true, value: { items: page.value.items, nextCursor: page.value.nextStartingAfter, serverTime: page.value.serverTime } };
    },
  };
}
