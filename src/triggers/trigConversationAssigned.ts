import { Conversation } from "../contract/catalogue/conversations.js";
import { conversationEvent, conversationEventKey, conversationSearch } from "./conversation-scan.js";
import { defineTrigger } from "./define-trigger.js";

/**
 * `TrigConversationAssigned`: once for each assignment of a conversation to an admin or a team; polled through conversations search by `statistics.last_assignment_at`, pushed as `conversation.admin.assigned`, keyed by the conversation and that time. Intercom's statistics count assignments from the contact's first message on, so an assignment before it fires neither way.
 *
 * @example
 * trigConversationAssigned.pushTopics; // ["conversation.admin.assigned"]
 */
export const trigConversationAssigned = defineTrigger({
  id: "TrigConversationAssigned",
  item: Conversation,
  itemName: "a conversation",
  search: conversationSearch("statistics.last_assignment_at"),
  pushTopics: ["conversation.admin.assigned"],
  time: (conversation) => conversation.statistics?.last_assignment_at ?? 0,
  key: (conversation) => conversationEventKey(conversation, conversation.statistics?.last_assignment_at),
  itemId: (conversation) => conversation.id,
  accepts: (conversation) => typeof conversation.statistics?.last_assignment_at === "number",
  toEvent: async (conversation) => conversationEvent(conversation),
  // Checked on each event (the conversation's assignee after the assignment), polled or pushed.
  filters: {
    admin_id: {
      type: "id",
      title: "Assigned Admin",
      description: "Only assignments to this admin (ListAdmins gives the ids); any admin or team when left out.",
      picker: "admins",
      values: (event) => (event.admin_assignee_id === null || event.admin_assignee_id === undefined ? [] : [String(event.admin_assignee_id)]),
    },
    team_id: {
      type: "id",
      title: "Assigned Team",
      description: "Only assignments to this team (ListTeams gives the ids); any team when left out.",
      picker: "teams",
      values: (event) => (event.team_assignee_id === null || event.team_assignee_id === undefined ? [] : [String(event.team_assignee_id)]),
    },
  },
});
