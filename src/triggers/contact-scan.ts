import type { ConnectorError } from "../contract/index.js";
import type { IntercomContact, IntercomTransport, SearchQuery } from "../intercom/index.js";
import { SCAN_PAGE_SIZE, scanQuery } from "./define-trigger.js";
import type { TriggerSource } from "./poll.js";

/** What differs between the contact triggers' scans. */
export interface ContactScan {
  role: "user" | "lead";
  timeField: "created_at" | "updated_at";
  /** Key by id and `updated_at` (updates) instead of by id (creations). */
  keyByVersion: boolean;
  accepts: (contact: IntercomContact) => boolean;
}

/**
 * A trigger source over `POST /contacts/search`, newest first by the trigger's time field.
 *
 * @example
 * contactScanSource(intercom, { role: "lead", timeField: "created_at", keyByVersion: false, accepts: () => true });
 */
export function contactScanSource(intercom: IntercomTransport, scan: ContactScan): TriggerSource<IntercomContact, ConnectorError> {
  const roleFilter: SearchQuery = { field: "role", operator: "=", value: scan.role };
  return {
    async fetchPage({ floor, startingAfter, excludeIds }) {
      const page = await intercom.searchContacts(scanQuery([roleFilter], scan.timeField, floor, excludeIds), {
        perPage: SCAN_PAGE_SIZE,
        sort: { field: scan.timeField, order: "descending" },
        ...(startingAfter === null ? {} : { startingAfter }),
      });
      if (!page.ok) return page;
      return { ok: true, value: { items: page.value.items, nextCursor: page.value.nextStartingAfter, serverTime: page.value.serverTime } };
    },
    time: (contact) => contact[scan.timeField],
    key: (contact) => (scan.keyByVersion ? `${contact.id}:${contact.updated_at}` : contact.id),
    id: (contact) => contact.id,
    accepts: scan.accepts,
    // An updated contact keeps its id, so leaving seen ids out would hide its next update.
    excludeSeenIds: !scan.keyByVersion,
  };
}
