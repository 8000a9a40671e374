import { z } from "zod";
import { MergedContact } from "../contract/catalogue/contacts.js";
import { ContactAnswer } from "../operations/contacts/answers.js";
import { defineTrigger } from "./define-trigger.js";

/** Intercom's `contact.merged` item: the surviving contact and `merged_from`, the contact it absorbed. */
const MergedItem = z.intersection(ContactAnswer, z.looseObject({ merged_from: z.looseObject({ type: z.string().optional(), id: z.string().min(1) }) }));
type MergedItem = z.output<typeof MergedItem>;

/**
 * `TrigLeadConverted`: once for each lead merged into a user (`ConvertLead`, or a merge in
 * Intercom). Push only: a merge deletes the lead and leaves no trace search could find, so it
 * comes from `contact.merged` alone; keyed by the lead and the user (a lead merges once).
 *
 * @example
 * trigLeadConverted.pushTopics; // ["contact.merged"]
 */
export const trigLeadConverted = defineTrigger({
  id: "TrigLeadConverted",
  item: MergedItem,
  itemName: "a merged contact",
  search: null,
  pushTopics: ["contact.merged"],
  time: (item: MergedItem) => item.updated_at,
  key: (item: MergedItem) => `${item.merged_from.id}:${item.id}`,
  itemId: (item: MergedItem) => item.id,
  // contact.merged also reports merges of two users; a lead converts only into a user.
  accepts: (item: MergedItem) => item.role === "user",
  toEvent: async (item: MergedItem) => ({ ok: true, value: MergedContact.parse({ ...item, merged_from: { type: item.merged_from.type ?? "contact", id: item.merged_from.id } }) }),
});
