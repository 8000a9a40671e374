import type { IntercomContact } from "../intercom/index.js";
import { mapTrigUser } from "../operations/index.js";
import { contactScanSource } from "./contact-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigNewUser`: once for each contact created with role `user`.
 *
 * @example
 * const source = trigNewUser.source(intercom);
 */
export const trigNewUser = defineTrigger<IntercomContact>({
  id: "TrigNewUser",
  source: (intercom) => contactScanSource(intercom, { role: "user", timeField: "created_at", keyByVersion: false, accepts: (c) => c.role === "user" }),
  async toEvent(contact, lookups) {
    const names = await lookups.contactNames(contact);
    return names.ok ? { ok: true, value: mapTrigUser(contact, names.value) } : names;
  },
});
