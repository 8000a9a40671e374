import type { IntercomContact } from "../intercom/index.js";
import { mapTrigLead } from "../operations/index.js";
import { contactScanSource } from "./contact-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigNewLead`: once for each contact created with role `lead`.
 *
 * @example
 * const source = trigNewLead.source(intercom);
 */
export const trigNewLead = defineTrigger<IntercomContact>({
  id: "TrigNewLead",
  source: (intercom) => contactScanSource(intercom, { role: "lead", timeField: "created_at", keyByVersion: false, accepts: (c) => c.role === "lead" }),
  async toEvent(contact, lookups) {
    const names = await lookups.contactNames(contact);
    return names.ok ? { ok: true, value: mapTrigLead(contact, names.value) } : names;
  },
});
