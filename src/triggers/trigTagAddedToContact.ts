import { z } from "zod";
import { ContactTagged } from "../contract/catalogue/contacts.js";
import { ContactAnswer } from "../operations/contacts/answers.js";
import { defineTrigger } from "./define-trigger.js";

/** Intercom's `contact_tag` webhook item, its contact read as the contacts actions read one. */
const ContactTagItem = z.looseObject({
  type: z.literal("contact_tag"),
  created_at: z.number().int(),
  tag: z.looseObject({ type: z.string().optional(), id: z.string().min(1), name: z.string() }),
  contact: ContactAnswer,
});
type ContactTagItem = z.output<typeof ContactTagItem>;

/**
 * `TrigTagAddedToContact`: once for each tagging of a user or lead. Push only: Intercom's search
 * cannot tell when a tag was applied, so it comes from `contact.user.tag.created` and
 * `contact.lead.tag.created` alone; keyed by contact, tag and the tagging's time (Intercom's retry
 * of a push is one event; untagging and tagging again is another).
 *
 * @example
 * trigTagAddedToContact.polled; // false
 */
export const trigTagAddedToContact = defineTrigger({
  id: "TrigTagAddedToContact",
  item: ContactTagItem,
  itemName: "a contact_tag",
  search: null,
  pushTopics: ["contact.user.tag.created", "contact.lead.tag.created"],
  time: (item: ContactTagItem) => item.created_at,
  key: (item: ContactTagItem) => `${item.contact.id}:${item.tag.id}:${item.created_at}`,
  itemId: (item: ContactTagItem) => item.contact.id,
  accepts: () => true,
  toEvent: async (item: ContactTagItem) => ({ ok: true, value: ContactTagged.parse({ type: item.type, created_at: item.created_at, tag: { type: item.tag.type ?? "tag", id: item.tag.id, name: item.tag.name }, contact: item.contact }) }),
  filters: {
    tag_id: { type: "id", title: "Tag", description: "Only taggings with this tag (ListTags gives the ids); every tag when left out.", picker: "tags", values: (event) => [event.tag.id] },
  },
});
