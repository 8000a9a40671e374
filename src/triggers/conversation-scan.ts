import { Conversation, ConversationEvent } from "../contract/catalogue/conversations.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../contract/index.js";
import { SCAN_PAGE_SIZE, scanQuery, type TriggerSearch } from "./define-trigger.js";

/**
 * The conversation fields the conversation triggers are polled through: dates Intercom's
 * conversations search takes (day-granular in the workspace's zone for `>`, sorted by the full
 * timestamp), each moved in place by the event it stands for.
 */
export type ConversationTimeField =
  | "statistics.last_contact_reply_at"
  | "statistics.last_admin_reply_at"
  | "statistics.last_assignment_at"
  | "statistics.last_close_at"
  | "conversation_rating.replied_at";

/**
 * A conversation trigger's search over `POST /conversations/search`, newest first by `field`. Seen
 * ids are never left out of the query: a conversation seen once fires again when its field moves
 * (a second reply), so leaving its id out would hide that event.
 *
 * @example
 * conversationSearch("statistics.last_close_at");
 */
export function conversationSearch(field: ConversationTimeField): TriggerSearch<Conversation> {
  return {
    excludeSeenIds: false,
    async fetchPage(intercom, { floor, startingAfter }) {
      const page = await intercom.searchConversations(scanQuery([], field, floor, []), {
        perPage: SCAN_PAGE_SIZE,
        sort: { field, order: "descending" },
        ...(startingAfter === null ? {} : { startingAfter }),
      });
      if (!page.ok) return page;
      const items: Conversation[] = [];
      for (const [index, item] of page.value.items.entries()) {
        const parsed = Conversation.safeParse(item);
        if (!parsed.success) {
          const path = parsed.error.issues[0]?.path.map(String).join(".") ?? "";
          return err(connectorError("intercom_error", { detail: `POST /conversations/search answered an unexpected conversations.${index}${path === "" ? "" : `.${path}`}` }));
        }
        items.push(parsed.data);
      }
      return { ok: true, value: { items, nextCursor: page.value.nextStartingAfter, serverTime: page.value.serverTime } };
    },
  };
}

/**
 * A conversation as a conversation trigger emits it: without its parts (a push carries them, a
 * search answer does not), so an event is the same whichever path delivered it first.
 *
 * @example
 * conversationEvent(pushedConversation).conversation_parts; // undefined
 */
export function conversationEvent(conversation: Conversation): Result<ConversationEvent, ConnectorError> {
  return ok(ConversationEvent.parse(conversation));
}

/**
 * The dedupe key of a conversation event: the conversation and the time of the event (a second
 * reply moves `last_contact_reply_at`: another event; a push and a poll of the same one agree).
 *
 * @example
 * conversationEventKey(conversation, 1795523438); // "1001:1795523438"
 */
export function conversationEventKey(conversation: Conversation, time: number | null | undefined): string {
  return `${conversation.id}:${time ?? 0}`;
}
