import { IntercomContact } from "../intercom/index.js";
import { mapTrigLead } from "../operations/index.js";
import { contactSearch } from "./contact-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigNewLead`: once for each contact created with role `lead`; polled through contacts search by
 * `created_at`, pushed as `contact.lead.created`, keyed by the contact's id.
 *
 * @example
 * trigNewLead.pushTopics; // ["contact.lead.created"]
 */
export const trigNewLead = defineTrigger({
  id: "TrigNewLead",
  item: IntercomContact,
  itemName: "a contact",
  search: contactSearch({ role: "lead", timeField: "created_at", excludeSeenIds: true }),
  pushTopics: ["contact.lead.created"],
  time: (contact) => contact.created_at,
  key: (contact) => contact.id,
  itemId: (contact) => contact.id,
  accepts: (contact) => contact.role === "lead",
  async toEvent(contact, lookups) {
    const names = await lookups.contactNames(contact);
    return names.ok ? { ok: true, value: mapTrigLead(contact, names.value) } : names;
  },
});
