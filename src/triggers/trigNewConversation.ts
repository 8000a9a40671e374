import { IntercomConversation } from "../intercom/index.js";
import { conversationStarterId, mapConversation } from "../operations/index.js";
import { defineTrigger, SCAN_PAGE_SIZE, scanQuery } from "./define-trigger.js";

const CONTACT_AUTHORS = new Set(["user", "lead", "contact"]);

/**
 * Whether a contact (not a teammate, bot or automation) started the conversation.
 *
 * @example
 * startedByContact(conversation); // false for POST /messages
 */
export function startedByContact(conversation: IntercomConversation): boolean {
  const source = conversation.source;
  if (source === undefined || source === null) return false;
  if (source.delivered_as !== undefined && source.delivered_as !== null) return source.delivered_as === "customer_initiated";
  return CONTACT_AUTHORS.has(source.author?.type ?? "");
}

/**
 * `TrigNewConversation`: once for each conversation a contact (user or lead) started, never for
 * one a teammate started; polled through conversations search by `created_at`, pushed as
 * `conversation.user.created`, keyed by the conversation's id.
 *
 * @example
 * trigNewConversation.pushTopics; // ["conversation.user.created"]
 */
export const trigNewConversation = defineTrigger({
  id: "TrigNewConversation",
  item: IntercomConversation,
  itemName: "a conversation",
  search: {
    excludeSeenIds: true,
    async fetchPage(intercom, { floor, startingAfter, excludeIds }) {
      const page = await intercom.searchConversations(scanQuery([], "created_at", floor, excludeIds), {
        perPage: SCAN_PAGE_SIZE,
        sort: { field: "created_at", order: "descending" },
        ...(startingAfter === null ? {} : { startingAfter }),
      });
      if (!page.ok) return page;
      return { ok: true, value: { items: page.value.items, nextCursor: page.value.nextStartingAfter, serverTime: page.value.serverTime } };
    },
  },
  pushTopics: ["conversation.user.created"],
  time: (conversation) => conversation.created_at,
  key: (conversation) => conversation.id,
  itemId: (conversation) => conversation.id,
  accepts: startedByContact,
  async toEvent(conversation, lookups) {
    const starter = conversationStarterId(conversation);
    if (starter === null) return { ok: true, value: mapConversation(conversation, null) };
    const role = await lookups.contactRole(starter);
    return role.ok ? { ok: true, value: mapConversation(conversation, role.value) } : role;
  },
});
