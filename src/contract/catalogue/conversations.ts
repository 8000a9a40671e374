import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { CustomAttributesField, IdField, TextField } from "../fields.js";
import { TriggerInput } from "../inputs.js";
import { SearchQueryField, SearchSortField } from "./search-query.js";
import { Tag, TagAppliedBy } from "./tags.js";

// The conversations area: Intercom 2.14's `conversation` object (with its parts, statistics and
// rating) and the actions a support team takes on one: start, message, get, search, reply,
// assign, close, open, snooze, tag, untag and set attributes. Ids go into request paths, so they
// are IdFields; Intercom may answer null for most fields, so those are nullable.

/** The longest message body taken: Intercom documents none; this keeps one request reasonable. */
const MAX_BODY = 65_536;

const ConversationIdInput = IdField.meta({ title: "Conversation ID", description: "Intercom's id of the conversation." });
const AdminIdInput = IdField.meta({ title: "Admin ID", description: "Intercom's id of the admin who acts (ListAdmins gives it)." });
const BodyInput = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(MAX_BODY, { error: `must be at most ${MAX_BODY} characters` });
const OptionalMessage = BodyInput.optional();

const nullableText = (title: string, description: string) => z.string().nullable().optional().meta({ title, description });
const seconds = (title: string, description: string) => z.number().int().nullable().optional().meta({ title, description: `${description} Unix timestamp in seconds.` });

/**
 * Who wrote a message or part (`conversation_part_author`, the source's author).
 *
 * @example
 * ConversationAuthor.parse({ type: "admin", id: "991200", name: "Ada", email: "ada@example.com" });
 */
export const ConversationAuthor = z.object({
  type: z.string().meta({ title: "Author Type", description: "admin, user, lead, bot or team." }),
  id: z.string().meta({ title: "Author ID", description: "Intercom's id of the author." }),
  name: nullableText("Author Name", "The author's name."),
  email: nullableText("Author Email", "The author's email address."),
});

/**
 * One part of a conversation (`conversation_part`): a reply, a note, an assignment, a close…
 *
 * @example
 * ConversationPart.parse({ type: "conversation_part", id: "7", part_type: "close", body: null, created_at: 1795523438, updated_at: 1795523438, author: { type: "admin", id: "991200" }, assigned_to: null });
 */
export const ConversationPart = z.object({
  type: z.string().meta({ title: "Type", description: "Always conversation_part." }),
  id: z.string().meta({ title: "Part ID", description: "Intercom's id of the part." }),
  part_type: z.string().meta({ title: "Part Type", description: "comment, note, assignment, assign_and_reopen, close, open, snoozed, quick_reply, …" }),
  body: nullableText("Body", "The part's message as HTML; null for parts without one."),
  created_at: z.number().int().meta({ title: "Created At", description: "When the part was added. Unix timestamp in seconds." }),
  updated_at: z.number().int().meta({ title: "Updated At", description: "When the part was last changed. Unix timestamp in seconds." }),
  author: ConversationAuthor.meta({ title: "Author", description: "Who wrote or did the part." }),
  assigned_to: z
    .object({
      type: z.string().meta({ title: "Assignee Type", description: "admin or team." }),
      id: z.string().nullable().meta({ title: "Assignee ID", description: "Intercom's id of the admin or team assigned." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Assigned To", description: "Who an assignment part assigned the conversation to; null otherwise." }),
  state: z.string().optional().meta({ title: "State", description: "The conversation's state when the part was added: open, closed or snoozed." }),
});
/** One part of a conversation. */
export type ConversationPart = z.output<typeof ConversationPart>;

/**
 * A conversation's reporting figures (`conversation_statistics`), times in Unix seconds.
 *
 * @example
 * ConversationStatistics.parse({ type: "conversation_statistics", last_contact_reply_at: 1795523438, count_conversation_parts: 3 });
 */
export const ConversationStatistics = z
  .object({
    type: z.string().optional().meta({ title: "Type", description: "Always conversation_statistics." }),
    first_contact_reply_at: seconds("First Contact Reply At", "The contact's first message."),
    first_assignment_at: seconds("First Assignment At", "The first assignment after the contact's first message."),
    first_admin_reply_at: seconds("First Admin Reply At", "The first admin reply after the contact's first message."),
    first_close_at: seconds("First Close At", "The first close after the contact's first message."),
    last_assignment_at: seconds("Last Assignment At", "The last assignment."),
    last_assignment_admin_reply_at: seconds("Last Assignment Admin Reply At", "The first admin reply since the last assignment."),
    last_contact_reply_at: seconds("Last Contact Reply At", "The contact's last message."),
    last_admin_reply_at: seconds("Last Admin Reply At", "The last admin reply."),
    last_close_at: seconds("Last Close At", "The last close."),
    time_to_assignment: z.number().int().nullable().optional().meta({ title: "Time To Assignment", description: "Seconds until the last assignment before the first admin reply." }),
    time_to_admin_reply: z.number().int().nullable().optional().meta({ title: "Time To Admin Reply", description: "Seconds until the first admin reply." }),
    time_to_first_close: z.number().int().nullable().optional().meta({ title: "Time To First Close", description: "Seconds until the first close." }),
    time_to_last_close: z.number().int().nullable().optional().meta({ title: "Time To Last Close", description: "Seconds until the last close." }),
    median_time_to_reply: z.number().int().nullable().optional().meta({ title: "Median Time To Reply", description: "The median of the admins' reply times, in seconds." }),
    count_reopens: z.number().int().nullable().optional().meta({ title: "Reopens", description: "How many times the conversation was reopened." }),
    count_assignments: z.number().int().nullable().optional().meta({ title: "Assignments", description: "How many times the conversation was assigned." }),
    count_conversation_parts: z.number().int().nullable().optional().meta({ title: "Parts", description: "How many parts the conversation has." }),
    last_closed_by_id: z.string().nullable().optional().meta({ title: "Last Closed By", description: "Intercom's id of the admin who last closed the conversation." }),
  })
  .nullable()
  .optional()
  .meta({ title: "Statistics", description: "Intercom's reporting figures of the conversation." });

/**
 * A contact's rating of a conversation (`conversation_rating`).
 *
 * @example
 * ConversationRating.parse({ rating: 5, remark: "Quick", created_at: 1795523438, updated_at: 1795523500, contact: { type: "contact", id: "6762f0a51bb69f9f2193bb5c" } });
 */
export const ConversationRating = z
  .object({
    rating: z.number().int().nullable().optional().meta({ title: "Rating", description: "The contact's rating, 1 to 5." }),
    remark: nullableText("Remark", "The contact's remark with the rating."),
    created_at: seconds("Requested At", "When the rating was asked for."),
    updated_at: seconds("Rated At", "When the contact last rated."),
    contact: z
      .object({ type: z.string().optional(), id: z.string().meta({ title: "Contact ID", description: "Intercom's id of the contact who rated." }) })
      .nullable()
      .optional()
      .meta({ title: "Contact", description: "The contact who rated." }),
    teammate: z
      .object({ type: z.string().optional(), id: z.string().nullable().meta({ title: "Teammate ID", description: "Intercom's id of the admin rated." }) })
      .nullable()
      .optional()
      .meta({ title: "Teammate", description: "The admin the rating is about." }),
  })
  .nullable()
  .optional()
  .meta({ title: "Conversation Rating", description: "The contact's rating of the conversation; null when none." });

/**
 * Intercom's conversation (2.14 `conversation`), its parts included when Intercom answers them
 * (GetConversation and the actions; not search).
 *
 * @example
 * const conversation = Conversation.parse(answer);
 * conversation.state; // "open"
 */
export const Conversation = z.object({
  type: z.literal("conversation").meta({ title: "Type", description: "Always conversation." }),
  id: z.string().meta({ title: "Conversation ID", description: "Intercom's id of the conversation." }),
  title: nullableText("Title", "The conversation's title."),
  created_at: z.number().int().meta({ title: "Created At", description: "When the conversation started. Unix timestamp in seconds." }),
  updated_at: z.number().int().meta({ title: "Updated At", description: "When the conversation last changed. Unix timestamp in seconds." }),
  waiting_since: seconds("Waiting Since", "Since when the contact has been waiting for a reply; null when nobody is."),
  snoozed_until: seconds("Snoozed Until", "When a snoozed conversation reopens."),
  open: z.boolean().meta({ title: "Open", description: "True unless the conversation is closed." }),
  state: z.string().meta({ title: "State", description: "open, closed or snoozed." }),
  read: z.boolean().nullable().optional().meta({ title: "Read", description: "Whether the last message was read." }),
  priority: nullableText("Priority", "priority or not_priority."),
  admin_assignee_id: z.number().int().nullable().optional().meta({ title: "Admin Assignee ID", description: "The admin assigned; null when none." }),
  team_assignee_id: z.number().int().nullable().optional().meta({ title: "Team Assignee ID", description: "The team assigned; null when none." }),
  source: z
    .object({
      type: nullableText("Source Type", "The channel: conversation, email, …"),
      id: nullableText("Source ID", "Intercom's id of the opening message."),
      delivered_as: nullableText("Delivered As", "customer_initiated, admin_initiated, …"),
      subject: nullableText("Subject", "The opening message's subject (emails)."),
      body: nullableText("Body", "The opening message as HTML."),
      author: ConversationAuthor.nullable().optional().meta({ title: "Author", description: "Who wrote the opening message." }),
      url: nullableText("URL", "The page the conversation started on."),
    })
    .nullable()
    .optional()
    .meta({ title: "Source", description: "The message that started the conversation." }),
  contacts: z
    .object({
      contacts: z
        .array(
          z.object({
            type: z.string().optional().meta({ title: "Type", description: "Always contact." }),
            id: z.string().meta({ title: "Contact ID", description: "Intercom's id of the contact." }),
            external_id: nullableText("External ID", "The id you gave the contact."),
          }),
        )
        .meta({ title: "Contacts", description: "The contacts in the conversation." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Contacts", description: "The contacts in the conversation." }),
  tags: z
    .object({
      tags: z
        .array(
          z.object({
            type: z.string().optional().meta({ title: "Type", description: "Always tag." }),
            id: z.string().meta({ title: "Tag ID", description: "Intercom's id of the tag." }),
            name: z.string().meta({ title: "Tag Name", description: "The name of the tag." }),
            applied_at: seconds("Applied At", "When the tag was applied."),
            applied_by: TagAppliedBy.optional(),
          }),
        )
        .meta({ title: "Tags", description: "The conversation's tags." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Tags", description: "The conversation's tags." }),
  custom_attributes: z.record(z.string(), z.unknown()).nullable().optional().meta({ title: "Custom Attributes", description: "The conversation's attributes, by name." }),
  statistics: ConversationStatistics,
  conversation_rating: ConversationRating,
  conversation_parts: z
    .object({
      total_count: z.number().int().nullable().optional().meta({ title: "Total Count", description: "How many parts the conversation has." }),
      conversation_parts: z.array(ConversationPart).meta({ title: "Parts", description: "The parts, oldest first (the 500 most recent at most)." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Conversation Parts", description: "The conversation's parts after its opening message." }),
});
/** An Intercom conversation as the contract has it. */
export type Conversation = z.output<typeof Conversation>;

/**
 * What a conversation trigger emits: Intercom's conversation as search answers it (statistics,
 * rating, tags, contacts; without its parts, which GetConversation gives), the same whether the
 * event came from a poll or from Intercom's push.
 *
 * @example
 * ConversationEvent.parse(conversation).statistics?.last_contact_reply_at;
 */
export const ConversationEvent = Conversation.omit({ conversation_parts: true });
/** A conversation trigger's event. */
export type ConversationEvent = z.output<typeof ConversationEvent>;

/**
 * What starting a conversation answers (`message`): the message and its conversation's id.
 *
 * @example
 * ConversationMessage.parse({ type: "user_message", id: "403918330", created_at: 1795523438, body: "Hi", message_type: "inapp", conversation_id: "1001" });
 */
export const ConversationMessage = z.object({
  type: z.string().meta({ title: "Type", description: "user_message or admin_message." }),
  id: z.string().meta({ title: "Message ID", description: "Intercom's id of the message." }),
  created_at: z.number().int().meta({ title: "Created At", description: "When the message was sent. Unix timestamp in seconds." }),
  body: nullableText("Body", "The message's text."),
  message_type: z.string().meta({ title: "Message Type", description: "inapp or email." }),
  subject: nullableText("Subject", "The subject of an email."),
  conversation_id: z.string().nullable().optional().meta({ title: "Conversation ID", description: "The conversation the message started." }),
});
/** A message as CreateConversation and SendMessage return it. */
export type ConversationMessage = z.output<typeof ConversationMessage>;

/**
 * Input of `GetConversation`.
 *
 * @example
 * GetConversationInput.parse({ conversation_id: "1001", plaintext: true });
 */
export const GetConversationInput = z.strictObject({
  conversation_id: ConversationIdInput,
  plaintext: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Plain Text", description: "Bodies as plain text instead of HTML." }),
});

/**
 * Input of `ReplyToConversation`: as an admin (`admin_id`: a comment the contact sees, or an
 * internal note) or as a contact (`contact_id`), exactly one of them.
 *
 * @example
 * ReplyToConversationInput.parse({ conversation_id: "1001", admin_id: "991200", message_type: "note", body: "Called them" });
 */
export const ReplyToConversationInput = z
  .strictObject({
    conversation_id: ConversationIdInput,
    body: BodyInput.meta({ title: "Body", description: "The reply (plain text, or HTML from an admin)." }),
    admin_id: IdField.optional().meta({ title: "Admin ID", description: "Reply as this admin (ListAdmins gives it)." }),
    contact_id: IdField.optional().meta({ title: "Contact ID", description: "Reply as this contact (one in the conversation)." }),
    message_type: z
      .enum(["comment", "note"], { error: "must be comment or note" })
      .optional()
      .meta({ title: "Message Type", description: "comment (the default: the contact sees it) or note (admins only, internal)." }),
  })
  .superRefine((input, ctx) => {
    if ((input.admin_id === undefined) === (input.contact_id === undefined)) {
      ctx.addIssue({ code: "custom", path: ["admin_id"], message: "exactly one of admin_id and contact_id is required" });
    } else if (input.contact_id !== undefined && input.message_type === "note") {
      ctx.addIssue({ code: "custom", path: ["message_type"], message: "a contact's reply is a comment: only admins write notes" });
    }
  })
  .meta({ examples: [{ conversation_id: "1001", admin_id: "991200", body: "On it" }] });

/**
 * Input of `AssignConversation`: to an admin or a team (assignee `0` unassigns that side).
 *
 * @example
 * AssignConversationInput.parse({ conversation_id: "1001", admin_id: "991200", assignee_type: "team", assignee_id: "814865" });
 */
export const AssignConversationInput = z.strictObject({
  conversation_id: ConversationIdInput,
  admin_id: AdminIdInput,
  assignee_type: z.enum(["admin", "team"], { error: "must be admin or team" }).meta({ title: "Assignee Type", description: "admin or team." }),
  assignee_id: IdField.meta({ title: "Assignee ID", description: "The admin's or team's id; 0 unassigns that side." }),
  body: OptionalMessage.meta({ title: "Message", description: "A reply the contact sees with the assignment." }),
});

/**
 * Input of `CloseConversation`.
 *
 * @example
 * CloseConversationInput.parse({ conversation_id: "1001", admin_id: "991200", body: "Goodbye" });
 */
export const CloseConversationInput = z.strictObject({
  conversation_id: ConversationIdInput,
  admin_id: AdminIdInput,
  body: OptionalMessage.meta({ title: "Message", description: "A last message the contact sees." }),
});

/**
 * Input of `OpenConversation`.
 *
 * @example
 * OpenConversationInput.parse({ conversation_id: "1001", admin_id: "991200" });
 */
export const OpenConversationInput = z.strictObject({ conversation_id: ConversationIdInput, admin_id: AdminIdInput });

/**
 * Input of `SnoozeConversation`: until when (Unix seconds, in the future).
 *
 * @example
 * SnoozeConversationInput.parse({ conversation_id: "1001", admin_id: "991200", snoozed_until: 1795609838 });
 */
export const SnoozeConversationInput = z.strictObject({
  conversation_id: ConversationIdInput,
  admin_id: AdminIdInput,
  snoozed_until: z
    .number({ error: "must be a Unix timestamp in seconds" })
    .int({ error: "must be a Unix timestamp in seconds" })
    .positive({ error: "must be a Unix timestamp in seconds" })
    .meta({ title: "Snoozed Until", description: "When the conversation reopens. Unix timestamp in seconds, in the future." }),
});

/**
 * Input of `TagConversation` and `UntagConversation`.
 *
 * @example
 * ConversationTagInput.parse({ conversation_id: "1001", tag_id: "17", admin_id: "991200" });
 */
export const ConversationTagInput = z.strictObject({
  conversation_id: ConversationIdInput,
  tag_id: IdField.meta({ title: "Tag ID", description: "Intercom's id of the tag (ListTags gives it)." }),
  admin_id: AdminIdInput,
});

/**
 * Input of `SetConversationAttributes`: conversation data attributes by name, and optionally
 * whether it is read and its title.
 *
 * @example
 * SetConversationAttributesInput.parse({ conversation_id: "1001", custom_attributes: { issue_type: "Billing" } });
 */
export const SetConversationAttributesInput = z.strictObject({
  conversation_id: ConversationIdInput,
  custom_attributes: CustomAttributesField.meta({
    title: "Custom Attributes",
    description: "The conversation's attributes by name (ListDataAttributes with model conversation lists them): text, a number, a date as Unix seconds, or null to clear it.",
  }),
  read: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Read", description: "Mark the conversation read or unread." }),
  title: TextField.optional().meta({ title: "Title", description: "The conversation's new title." }),
});

/**
 * Input of `CreateConversation`: a contact starts a conversation.
 *
 * @example
 * CreateConversationInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c", body: "I need help with my invoice" });
 */
export const CreateConversationInput = z.strictObject({
  contact_id: IdField.meta({ title: "Contact ID", description: "Intercom's id of the user or lead who writes." }),
  body: BodyInput.meta({ title: "Body", description: "The contact's message (plain text)." }),
});

/**
 * Input of `SendMessage`: an admin writes to a contact, in the Messenger or by email (an email
 * needs a subject).
 *
 * @example
 * SendMessageInput.parse({ admin_id: "991200", contact_id: "6762f0a51bb69f9f2193bb5c", contact_role: "user", message_type: "email", subject: "Your invoice", body: "Here it is" });
 */
export const SendMessageInput = z
  .strictObject({
    admin_id: AdminIdInput,
    contact_id: IdField.meta({ title: "Contact ID", description: "Intercom's id of the recipient." }),
    contact_role: z.enum(["user", "lead"], { error: "must be user or lead" }).meta({ title: "Contact Role", description: "The recipient's role: user or lead." }),
    message_type: z.enum(["inapp", "email"], { error: "must be inapp or email" }).meta({ title: "Message Type", description: "inapp (the Messenger) or email." }),
    subject: TextField.min(1, { error: "must not be empty" }).optional().meta({ title: "Subject", description: "The email's subject (required for an email)." }),
    body: BodyInput.meta({ title: "Body", description: "The message (plain text or HTML)." }),
    template: z.enum(["plain", "personal"], { error: "must be plain or personal" }).optional().meta({ title: "Template", description: "An email's style: plain or personal." }),
    open_conversation: z
      .boolean({ error: "must be true or false" })
      .optional()
      .meta({ title: "Open Conversation", description: "Open the conversation in the inbox now rather than when the contact replies." }),
  })
  .superRefine((input, ctx) => {
    if (input.message_type === "email" && input.subject === undefined) ctx.addIssue({ code: "custom", path: ["subject"], message: "is required for an email" });
  })
  .meta({ examples: [{ admin_id: "991200", contact_id: "6762f0a51bb69f9f2193bb5c", contact_role: "user", message_type: "inapp", body: "Welcome aboard" }] });

/**
 * Input of `SearchConversations`: Intercom's query and an optional order.
 *
 * @example
 * SearchConversationsInput.parse({ query: { field: "state", operator: "=", value: "open" } });
 */
export const SearchConversationsInput = z
  .strictObject({
    query: SearchQueryField.meta({
      title: "Query",
      description: "Intercom's conversation search query: a filter {field, operator, value} (state, admin_assignee_id, statistics.last_contact_reply_at, …) or a group {operator: AND|OR, value: [...]}.",
    }),
    sort: SearchSortField.optional(),
  })
  .meta({ examples: [{ query: { field: "state", operator: "=", value: "open" } }] });

/**
 * A list of conversations (what one HTTP page holds a slice of).
 *
 * @example
 * ConversationList.parse([]);
 */
export const ConversationList = z.array(Conversation);

/**
 * The conversations area's operations.
 *
 * @example
 * CONVERSATION_OPERATIONS.CloseConversation.summary; // "Close a conversation"
 */
export const CONVERSATION_OPERATIONS = {
  GetConversation: defineOperation({
    id: "GetConversation",
    kind: "action",
    summary: "Get a conversation",
    seedName: "",
    description: "Returns one conversation with its parts (the 500 most recent), statistics, tags and rating.",
    input: GetConversationInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  ReplyToConversation: defineOperation({
    id: "ReplyToConversation",
    kind: "action",
    summary: "Reply to a conversation",
    seedName: "",
    description: "Adds a reply as an admin (a comment the contact sees, or an internal note) or as a contact. Returns the conversation. Each call adds a reply.",
    input: ReplyToConversationInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  AssignConversation: defineOperation({
    id: "AssignConversation",
    kind: "action",
    summary: "Assign a conversation",
    seedName: "",
    description: "Assigns a conversation to an admin or a team (0 unassigns), reopening it if closed or snoozed. Returns the conversation.",
    input: AssignConversationInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  CloseConversation: defineOperation({
    id: "CloseConversation",
    kind: "action",
    summary: "Close a conversation",
    seedName: "",
    description: "Closes a conversation, with an optional last message. Returns the conversation.",
    input: CloseConversationInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  OpenConversation: defineOperation({
    id: "OpenConversation",
    kind: "action",
    summary: "Open a conversation",
    seedName: "",
    description: "Reopens a closed or snoozed conversation. Returns the conversation.",
    input: OpenConversationInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  SnoozeConversation: defineOperation({
    id: "SnoozeConversation",
    kind: "action",
    summary: "Snooze a conversation",
    seedName: "",
    description: "Snoozes a conversation until a time in the future. Returns the conversation.",
    input: SnoozeConversationInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  TagConversation: defineOperation({
    id: "TagConversation",
    kind: "action",
    summary: "Tag a conversation",
    seedName: "",
    description: "Applies a tag to a conversation; tagging twice is one tag. Returns the tag with when and by whom it was applied.",
    input: ConversationTagInput,
    output: Tag,
    outputName: "Tag",
  }),
  UntagConversation: defineOperation({
    id: "UntagConversation",
    kind: "action",
    summary: "Remove a tag from a conversation",
    seedName: "",
    description: "Removes a tag from a conversation. Returns the tag.",
    input: ConversationTagInput,
    output: Tag,
    outputName: "Tag",
  }),
  SetConversationAttributes: defineOperation({
    id: "SetConversationAttributes",
    kind: "action",
    summary: "Set a conversation's attributes",
    seedName: "",
    description: "Sets conversation data attributes (and optionally read and the title); the others stay. Returns the conversation.",
    input: SetConversationAttributesInput,
    output: Conversation,
    outputName: "Conversation",
  }),
  CreateConversation: defineOperation({
    id: "CreateConversation",
    kind: "action",
    summary: "Start a conversation as a contact",
    seedName: "",
    description: "Starts a conversation written by a user or lead, as if from the Messenger. Returns the message and its conversation's id. Each call starts another.",
    input: CreateConversationInput,
    output: ConversationMessage,
    outputName: "ConversationMessage",
  }),
  SendMessage: defineOperation({
    id: "SendMessage",
    kind: "action",
    summary: "Send a message to a contact",
    seedName: "",
    description: "Sends a message from an admin to a user or lead, in the Messenger or by email. Returns the message and its conversation's id. Each call sends another.",
    input: SendMessageInput,
    output: ConversationMessage,
    outputName: "ConversationMessage",
  }),
  SearchConversations: defineOperation({
    id: "SearchConversations",
    kind: "action",
    summary: "Search conversations",
    seedName: "",
    description:
      "Returns every conversation matching an Intercom search query (state, assignees, tags, statistics dates, rating…), without their parts. Dates match by day in the workspace's time zone.",
    input: SearchConversationsInput,
    output: ConversationList,
    outputName: "ConversationList",
  }),
  TrigContactReplied: defineOperation({
    id: "TrigContactReplied",
    kind: "trigger",
    summary: "When a contact replies to a conversation",
    seedName: "",
    description: "Fires once for each reply of a user or lead to a conversation (not for the message that starts it), with the conversation as it stood; keyed by the conversation and statistics.last_contact_reply_at, so polling and Intercom's push (conversation.user.replied) deliver it once. Two replies between two polls are one event unless the push is set up.",
    input: TriggerInput,
    output: ConversationEvent,
    outputName: "ConversationEvent",
  }),
  TrigAdminReplied: defineOperation({
    id: "TrigAdminReplied",
    kind: "trigger",
    summary: "When a teammate replies to a conversation",
    seedName: "",
    description: "Fires once for each teammate reply the contact sees (a comment, or an assignment or close sent with a message; not a note), keyed by the conversation and statistics.last_admin_reply_at; polled and pushed (conversation.admin.replied).",
    input: TriggerInput,
    output: ConversationEvent,
    outputName: "ConversationEvent",
  }),
  TrigConversationAssigned: defineOperation({
    id: "TrigConversationAssigned",
    kind: "trigger",
    summary: "When a conversation is assigned",
    seedName: "",
    description: "Fires once for each assignment of a conversation to an admin or a team after the contact wrote, keyed by the conversation and statistics.last_assignment_at; polled and pushed (conversation.admin.assigned).",
    input: TriggerInput,
    output: ConversationEvent,
    outputName: "ConversationEvent",
  }),
  TrigConversationClosed: defineOperation({
    id: "TrigConversationClosed",
    kind: "trigger",
    summary: "When a conversation is closed",
    seedName: "",
    description: "Fires once for each close of a conversation, keyed by the conversation and statistics.last_close_at; polled and pushed (conversation.admin.closed).",
    input: TriggerInput,
    output: ConversationEvent,
    outputName: "ConversationEvent",
  }),
  TrigConversationRated: defineOperation({
    id: "TrigConversationRated",
    kind: "trigger",
    summary: "When a contact rates a conversation",
    seedName: "",
    description: "Fires once for each rating a contact gives a conversation, keyed by the conversation and conversation_rating.updated_at (searched as conversation_rating.replied_at); polled and pushed (conversation.rating.added).",
    input: TriggerInput,
    output: ConversationEvent,
    outputName: "ConversationEvent",
  }),
} as const;
