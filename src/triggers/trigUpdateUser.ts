import type { IntercomContact } from "../intercom/index.js";
import { mapTrigUser } from "../operations/index.js";
import { contactScanSource } from "./contact-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigUpdateUser`: once for each new `updated_at` of a user after its creation. Several changes
 * between two polls are one event (Intercom keeps only the latest state).
 *
 * @example
 * const source = trigUpdateUser.source(intercom);
 */
export const trigUpdateUser = defineTrigger<IntercomContact>({
  id: "TrigUpdateUser",
  source: (intercom) =>
    contactScanSource(intercom, {
      role: "user",
      timeField: "updated_at",
      keyByVersion: true,
      // Creation sets updated_at = created_at; that is TrigNewUser's event, not an update.
      accepts: (c) => c.role === "user" && c.updated_at > c.created_at,
    }),
  async toEvent(contact, lookups) {
    const names = await lookups.contactNames(contact);
    return names.ok ? { ok: true, value: mapTrigUser(contact, names.value) } : names;
  },
});
