import { IntercomContact } from "../intercom/index.js";
import { mapTrigUser } from "../operations/index.js";
import { contactSearch } from "./contact-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigNewUser`: once for each contact created with role `user`; polled through contacts search by
 * `created_at`, pushed as `contact.user.created`, keyed by the contact's id.
 *
 * @example
 * trigNewUser.pushTopics; // ["contact.user.created"]
 */
export const trigNewUser = defineTrigger({
  id: "TrigNewUser",
  item: IntercomContact,
  itemName: "a contact",
  search: contactSearch({ role: "user", timeField: "created_at", excludeSeenIds: true }),
  pushTopics: ["contact.user.created"],
  time: (contact) => contact.created_at,
  key: (contact) => contact.id,
  itemId: (contact) => contact.id,
  accepts: (contact) => contact.role === "user",
  async toEvent(contact, lookups) {
    const names = await lookups.contactNames(contact);
    return names.ok ? { ok: true, value: mapTrigUser(contact, names.value) } : names;
  },
});
