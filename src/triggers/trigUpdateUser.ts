import { IntercomContact } from "../intercom/index.js";
import { mapTrigUser } from "../operations/index.js";
import { contactSearch } from "./contact-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigUpdateUser`: once for each new `updated_at` of a user after its creation; polled through
 * contacts search by `updated_at`, pushed as `contact.user.updated`, keyed by id and `updated_at`.
 * Several changes between two polls are one event (Intercom keeps only the latest state).
 *
 * @example
 * trigUpdateUser.pushTopics; // ["contact.user.updated"]
 */
export const trigUpdateUser = defineTrigger({
  id: "TrigUpdateUser",
  item: IntercomContact,
  itemName: "a contact",
  // An updated contact keeps its id, so leaving seen ids out would hide its next update.
  search: contactSearch({ role: "user", timeField: "updated_at", excludeSeenIds: false }),
  pushTopics: ["contact.user.updated"],
  time: (contact) => contact.updated_at,
  key: (contact) => `${contact.id}:${contact.updated_at}`,
  itemId: (contact) => contact.id,
  // Creation sets updated_at = created_at; that is TrigNewUser's event, not an update.
  accepts: (contact) => contact.role === "user" && contact.updated_at > contact.created_at,
  async toEvent(contact, lookups) {
    const names = await lookups.contactNames(contact);
    return names.ok ? { ok: true, value: mapTrigUser(contact, names.value) } : names;
  },
});
