import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { EmailField, IdField, TextField } from "../fields.js";
import { TriggerInput } from "../inputs.js";
import { SearchQueryField, SearchSortField } from "./search-query.js";

// The tickets area: Intercom 2.14's `ticket_type` (with its attributes and states), `ticket`
// (with its parts) and `ticket_reply`, and the actions a support team takes: list the types,
// create a ticket checked against its type, get, update (state, assignee, attributes), reply, and
// search. Ids go into request paths, so they are IdFields; Intercom may leave most fields out.

/** The longest reply body taken: Intercom documents none; this keeps one request reasonable. */
const MAX_BODY = 65_536;

/** The categories of a ticket state (`ticket_state.category`). */
export const TICKET_STATE_CATEGORIES = ["submitted", "in_progress", "waiting_on_customer", "resolved"] as const;

const text = (title: string, description: string) => z.string().nullable().optional().meta({ title, description });
const flag = (title: string, description: string) => z.boolean().nullable().optional().meta({ title, description });
const seconds = (title: string, description: string) => z.number().int().nullable().optional().meta({ title, description: `${description} Unix timestamp in seconds.` });

/** The most attribute values one write takes. */
const MAX_TICKET_ATTRIBUTES = 100;

/**
 * Ticket attribute values by name: text (up to a reply's length: a description may be long),
 * numbers, true or false, or null to clear. Whether each fits the ticket's type is checked
 * against the type itself before the write.
 *
 * @example
 * TicketAttributesField.parse({ _default_title_: "Login fails", Reproducible: true });
 */
export const TicketAttributesField = z
  .record(z.string(), z.unknown(), { error: "must be an object of values by attribute name" })
  .superRefine((values, ctx) => {
    const entries = Object.entries(values);
    if (entries.length > MAX_TICKET_ATTRIBUTES) ctx.addIssue({ code: "custom", message: `must have at most ${MAX_TICKET_ATTRIBUTES} attributes` });
    for (const [name, value] of entries) {
      if (name.trim() === "" || name.length > 255) ctx.addIssue({ code: "custom", path: [name], message: "must be named by 1 to 255 characters" });
      else if (typeof value === "string") {
        if (value.length > MAX_BODY) ctx.addIssue({ code: "custom", path: [name], message: `must be at most ${MAX_BODY} characters` });
      } else if (typeof value === "number") {
        if (!Number.isFinite(value)) ctx.addIssue({ code: "custom", path: [name], message: "must be a finite number" });
      } else if (value !== null && typeof value !== "boolean") {
        ctx.addIssue({ code: "custom", path: [name], message: "must be a string, a number, true or false, or null" });
      }
    }
  })
  .transform((values) => values as Record<string, string | number | boolean | null>);

const TicketIdInput = IdField.meta({ title: "Ticket ID", description: "Intercom's id of the ticket (its id field, not the number the inbox shows)." });

/**
 * A ticket state (`ticket_state`).
 *
 * @example
 * TicketState.parse({ type: "ticket_state", id: "8001", category: "submitted", internal_label: "Submitted", external_label: "Submitted" });
 */
export const TicketState = z.object({
  type: z.string().optional().meta({ title: "Type", description: "Always ticket_state." }),
  id: z.string().meta({ title: "State ID", description: "Intercom's id of the state (UpdateTicket's ticket_state_id)." }),
  category: z.string().meta({ title: "Category", description: "submitted, in_progress, waiting_on_customer or resolved." }),
  internal_label: text("Internal Label", "The state's name teammates see."),
  external_label: text("External Label", "The state's name customers see."),
});
/** A ticket state as the contract has it. */
export type TicketState = z.output<typeof TicketState>;

/**
 * One field of a ticket type (`ticket_type_attribute`).
 *
 * @example
 * TicketTypeAttribute.parse({ type: "ticket_type_attribute", id: "101", name: "_default_title_", data_type: "string", required_to_create: false });
 */
export const TicketTypeAttribute = z.object({
  type: z.string().optional().meta({ title: "Type", description: "Always ticket_type_attribute." }),
  id: z.string().meta({ title: "Attribute ID", description: "Intercom's id of the attribute (SearchTickets' ticket_attribute.<id>)." }),
  name: z.string().meta({ title: "Name", description: "The attribute's name: the key in ticket_attributes (_default_title_ and _default_description_ for the built-in ones)." }),
  description: text("Description", "What the attribute is for."),
  data_type: z.string().meta({ title: "Data Type", description: "string, list, integer, decimal, boolean, datetime or files." }),
  input_options: z
    .object({
      multiline: flag("Multiline", "Text attributes: whether it takes several lines."),
      list_options: z
        .array(
          z.object({
            id: z.string().meta({ title: "Option ID", description: "The value a ticket takes for this option." }),
            label: z.string().meta({ title: "Option Label", description: "The option's name." }),
            archived: flag("Option Archived", "Whether the option is archived."),
          }),
        )
        .optional()
        .meta({ title: "List Options", description: "List attributes: the options; a ticket's value is the option's id." }),
      allow_multiple_values: flag("Multiple Files", "File attributes: whether several files may be attached."),
    })
    .nullable()
    .optional()
    .meta({ title: "Input Options", description: "How the attribute is filled in." }),
  order: z.number().int().nullable().optional().meta({ title: "Order", description: "The attribute's place among its type's." }),
  required_to_create: flag("Required To Create", "Whether a teammate's (and the API's) new ticket must have it."),
  required_to_create_for_contacts: flag("Required For Contacts", "Whether a contact's new ticket must have it."),
  visible_on_create: flag("Visible On Create", "Whether teammates see it when creating a ticket."),
  visible_to_contacts: flag("Visible To Contacts", "Whether contacts see it."),
  default: flag("Built In", "Whether it is Intercom's built-in title or description."),
  archived: flag("Archived", "Whether the attribute is archived (tickets can no longer take it)."),
  created_at: seconds("Created At", "When the attribute was created."),
  updated_at: seconds("Updated At", "When the attribute last changed."),
});
/** A ticket type attribute as the contract has it. */
export type TicketTypeAttribute = z.output<typeof TicketTypeAttribute>;

/**
 * A ticket type (`ticket_type`) with its attributes and states.
 *
 * @example
 * TicketType.parse({ type: "ticket_type", id: "1", name: "Bug report", category: "Customer", ticket_type_attributes: { type: "list", data: [] }, ticket_states: { type: "list", data: [] } });
 */
export const TicketType = z.object({
  type: z.string().optional().meta({ title: "Type", description: "Always ticket_type." }),
  id: z.string().meta({ title: "Ticket Type ID", description: "Intercom's id of the ticket type (CreateTicket's ticket_type_id)." }),
  name: z.string().meta({ title: "Name", description: "The ticket type's name." }),
  description: text("Description", "What the ticket type is for."),
  icon: text("Icon", "The ticket type's emoji."),
  category: text("Category", "Customer, Back-office or Tracker."),
  archived: flag("Archived", "Whether the ticket type is archived."),
  is_internal: flag("Internal", "Whether its tickets are for internal use only."),
  created_at: seconds("Created At", "When the ticket type was created."),
  updated_at: seconds("Updated At", "When the ticket type last changed."),
  ticket_type_attributes: z
    .object({ data: z.array(TicketTypeAttribute).meta({ title: "Attributes", description: "The ticket type's attributes, in order." }) })
    .nullable()
    .optional()
    .meta({ title: "Attributes", description: "The fields its tickets have." }),
  ticket_states: z
    .object({ data: z.array(TicketState).meta({ title: "States", description: "The states its tickets may take." }) })
    .nullable()
    .optional()
    .meta({ title: "States", description: "The states its tickets may take." }),
});
/** A ticket type as the contract has it. */
export type TicketType = z.output<typeof TicketType>;

/**
 * Who wrote or caused a ticket part (`ticket_part_author`).
 *
 * @example
 * TicketPartAuthor.parse({ type: "admin", id: "991200", name: "Ada", email: "ada@example.com" });
 */
export const TicketPartAuthor = z.object({
  type: z.string().meta({ title: "Author Type", description: "admin, bot, team or user." }),
  id: z.string().meta({ title: "Author ID", description: "Intercom's id of the author." }),
  name: text("Author Name", "The author's name."),
  email: text("Author Email", "The author's email address."),
});

const Attachments = z
  .array(
    z.object({
      type: z.string().optional().meta({ title: "Type", description: "Always upload." }),
      name: z.string().meta({ title: "File Name", description: "The file's name." }),
      url: text("File URL", "Where the file is."),
    }),
  )
  .nullable()
  .optional()
  .meta({ title: "Attachments", description: "Files attached to the part." });

/**
 * A reply or note on a ticket, as `POST /tickets/{id}/reply` answers it (`ticket_reply`).
 *
 * @example
 * TicketReply.parse({ type: "ticket_part", id: "105", part_type: "note", body: "<p>Seen</p>", created_at: 1795523438, updated_at: 1795523438, author: { type: "admin", id: "991200" } });
 */
export const TicketReply = z.object({
  type: z.string().meta({ title: "Type", description: "Always ticket_part." }),
  id: z.string().meta({ title: "Part ID", description: "Intercom's id of the part." }),
  part_type: z.string().meta({ title: "Part Type", description: "comment, note or quick_reply." }),
  body: text("Body", "The reply as HTML."),
  created_at: z.number().int().meta({ title: "Created At", description: "When the reply was added. Unix timestamp in seconds." }),
  updated_at: seconds("Updated At", "When the reply last changed."),
  author: TicketPartAuthor.meta({ title: "Author", description: "Who wrote the reply." }),
  attachments: Attachments,
  redacted: flag("Redacted", "Whether the part was redacted."),
});
/** A ticket reply as the contract has it. */
export type TicketReply = z.output<typeof TicketReply>;

/**
 * One part of a ticket (`ticket_part`): a reply, a note, a state change, an assignment…
 *
 * @example
 * TicketPart.parse({ type: "ticket_part", id: "104", part_type: "ticket_state_updated_by_admin", ticket_state: "submitted", created_at: 1795523438, author: { type: "admin", id: "991200" } });
 */
export const TicketPart = z.object({
  type: z.string().optional().meta({ title: "Type", description: "Always ticket_part." }),
  id: z.string().meta({ title: "Part ID", description: "Intercom's id of the part." }),
  part_type: z.string().meta({ title: "Part Type", description: "comment, note, quick_reply, ticket_state_updated_by_admin, ticket_attribute_updated_by_admin, assignment, snoozed, close, open, …" }),
  body: text("Body", "The part's message as HTML; none for parts without one."),
  ticket_state: text("Ticket State", "State changes: the state's category after."),
  previous_ticket_state: text("Previous Ticket State", "State changes: the state's category before."),
  created_at: z.number().int().meta({ title: "Created At", description: "When the part was added. Unix timestamp in seconds." }),
  updated_at: seconds("Updated At", "When the part last changed."),
  assigned_to: z
    .object({
      type: z.string().meta({ title: "Assignee Type", description: "admin or team." }),
      id: z.string().nullable().meta({ title: "Assignee ID", description: "Intercom's id of the admin or team assigned." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Assigned To", description: "Assignments: who the ticket went to." }),
  author: TicketPartAuthor.nullable().optional().meta({ title: "Author", description: "Who wrote or did the part." }),
  attachments: Attachments,
  redacted: flag("Redacted", "Whether the part was redacted."),
});

/**
 * A ticket (`ticket`), with its type, state, contacts and parts.
 *
 * @example
 * const ticket = Ticket.parse(answer);
 * ticket.ticket_state?.category; // "submitted"
 */
export const Ticket = z.object({
  type: z.string().meta({ title: "Type", description: "Always ticket." }),
  id: z.string().meta({ title: "Ticket ID", description: "Intercom's id of the ticket (what the API takes)." }),
  ticket_id: text("Inbox Number", "The number the inbox and Messenger show; the API does not take it."),
  category: text("Category", "Customer, Back-office or Tracker."),
  ticket_attributes: z.record(z.string(), z.unknown()).nullable().optional().meta({ title: "Ticket Attributes", description: "The ticket's attribute values by attribute name (a list attribute's value is its option's id)." }),
  ticket_state: TicketState.nullable().optional().meta({ title: "State", description: "The ticket's state." }),
  ticket_type: TicketType.nullable().optional().meta({ title: "Ticket Type", description: "The ticket's type, with its attributes and states." }),
  contacts: z
    .object({
      contacts: z
        .array(
          z.object({
            type: z.string().optional().meta({ title: "Type", description: "Always contact." }),
            id: z.string().meta({ title: "Contact ID", description: "Intercom's id of the contact." }),
            external_id: text("External ID", "The id you gave the contact."),
          }),
        )
        .meta({ title: "Contacts", description: "The contacts the ticket is about." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Contacts", description: "The contacts the ticket is about." }),
  admin_assignee_id: text("Admin Assignee ID", "The admin assigned; 0 when none."),
  team_assignee_id: text("Team Assignee ID", "The team assigned; 0 when none."),
  created_at: z.number().int().meta({ title: "Created At", description: "When the ticket was created. Unix timestamp in seconds." }),
  updated_at: seconds("Updated At", "When the ticket last changed."),
  open: flag("Open", "False once the ticket is closed."),
  snoozed_until: seconds("Snoozed Until", "When a snoozed ticket reopens."),
  is_shared: flag("Shared", "Whether the customer sees the ticket."),
  ticket_parts: z
    .object({
      total_count: z.number().int().nullable().optional().meta({ title: "Total Count", description: "How many parts are shown." }),
      ticket_parts: z.array(TicketPart).meta({ title: "Parts", description: "The parts, oldest first (the 500 most recent at most)." }),
    })
    .nullable()
    .optional()
    .meta({ title: "Ticket Parts", description: "The ticket's replies, notes and events." }),
});
/** An Intercom ticket as the contract has it. */
export type Ticket = z.output<typeof Ticket>;

/**
 * Input of `ListTicketTypes`: nothing.
 *
 * @example
 * ListTicketTypesInput.parse({});
 */
export const ListTicketTypesInput = z.strictObject({});

/**
 * Input of `CreateTicket`: the type, the contact (exactly one of its Intercom id, external id or
 * email), the attribute values by name, and optionally an assignee, a company and a time.
 *
 * @example
 * CreateTicketInput.parse({ ticket_type_id: "1", contact_id: "6762f0a51bb69f9f2193bb5c", ticket_attributes: { _default_title_: "Login fails" } });
 */
export const CreateTicketInput = z
  .strictObject({
    ticket_type_id: IdField.meta({ title: "Ticket Type ID", description: "The ticket type (ListTicketTypes gives it)." }),
    contact_id: IdField.optional().meta({ title: "Contact ID", description: "Intercom's id of the user or lead the ticket is about." }),
    contact_external_id: TextField.min(1, { error: "must not be empty" }).optional().meta({ title: "Contact External ID", description: "Or: the external id you gave the contact." }),
    contact_email: EmailField.optional().meta({ title: "Contact Email", description: "Or: the contact's email (Intercom creates a user when none has it)." }),
    ticket_attributes: TicketAttributesField.optional().meta({
      title: "Ticket Attributes",
      description: "Values by attribute name (_default_title_, _default_description_, and the type's own); a list attribute takes its option's id. Checked against the type before anything is written.",
    }),
    admin_assignee_id: IdField.optional().meta({ title: "Admin Assignee ID", description: "The admin to assign the ticket to (ListAdmins gives it)." }),
    team_assignee_id: IdField.optional().meta({ title: "Team Assignee ID", description: "The team to assign the ticket to (ListTeams gives it)." }),
    company_id: IdField.optional().meta({ title: "Company ID", description: "Intercom's id of the company the ticket is about." }),
    created_at: z.number({ error: "must be a number" }).int({ error: "must be whole Unix seconds" }).nonnegative({ error: "must not be negative" }).optional().meta({ title: "Created At", description: "When the ticket was created, Unix seconds; now when left out." }),
  })
  .superRefine((input, ctx) => {
    const given = (["contact_id", "contact_external_id", "contact_email"] as const).filter((key) => input[key] !== undefined);
    if (given.length !== 1) ctx.addIssue({ code: "custom", path: [given[1] ?? "contact_id"], message: "exactly one of contact_id, contact_external_id or contact_email must name the contact" });
  })
  .meta({ examples: [{ ticket_type_id: "1", contact_id: "6762f0a51bb69f9f2193bb5c", ticket_attributes: { _default_title_: "Login fails" } }] });
/** What `CreateTicket` takes. */
export type CreateTicketInput = z.output<typeof CreateTicketInput>;

/**
 * Input of `GetTicket`.
 *
 * @example
 * GetTicketInput.parse({ ticket_id: "601" });
 */
export const GetTicketInput = z.strictObject({ ticket_id: TicketIdInput });

/**
 * Input of `UpdateTicket`: what to change (at least one). A state is named by its id
 * (`ticket_state_id`) or by its category (`state`), not both; `assignee_id` "0" unassigns.
 *
 * @example
 * UpdateTicketInput.parse({ ticket_id: "601", state: "in_progress", assignee_id: "991200", admin_id: "991200" });
 */
export const UpdateTicketInput = z
  .strictObject({
    ticket_id: TicketIdInput,
    state: z.enum(TICKET_STATE_CATEGORIES, { error: `must be one of ${TICKET_STATE_CATEGORIES.join(", ")}` }).optional().meta({
      title: "State",
      description: "The new state, by category: the ticket type's state of that category (one more call to read the ticket).",
    }),
    ticket_state_id: IdField.optional().meta({ title: "Ticket State ID", description: "Or: the new state's id (ListTicketTypes gives them)." }),
    assignee_id: IdField.optional().meta({ title: "Assignee ID", description: "The admin or team to assign the ticket to; 0 unassigns." }),
    admin_id: IdField.optional().meta({ title: "Admin ID", description: "The admin who makes the change (ListAdmins gives it); the token's owner when left out." }),
    ticket_attributes: TicketAttributesField.optional().meta({
      title: "Ticket Attributes",
      description: "Values to set by attribute name (null clears one); the others stay. Checked against the ticket's type before anything is written (one more call to read the ticket).",
    }),
    open: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Open", description: "false closes the ticket (and unsnoozes it); true reopens it." }),
    snoozed_until: z.number({ error: "must be a number" }).int({ error: "must be whole Unix seconds" }).positive({ error: "must be positive" }).optional().meta({ title: "Snoozed Until", description: "Snooze the ticket until then, Unix seconds." }),
    is_shared: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Shared", description: "Whether the customer sees the ticket." }),
    company_id: IdField.optional().meta({ title: "Company ID", description: "Intercom's id of the company the ticket is about." }),
  })
  .superRefine((input, ctx) => {
    if (input.state !== undefined && input.ticket_state_id !== undefined) {
      ctx.addIssue({ code: "custom", path: ["state"], message: "name the state by state or by ticket_state_id, not both" });
    }
    const changes = Object.entries(input).filter(([key, value]) => key !== "ticket_id" && key !== "admin_id" && value !== undefined);
    if (changes.length === 0) {
      ctx.addIssue({ code: "custom", path: ["state"], message: "at least one change is required (state, ticket_state_id, assignee_id, ticket_attributes, open, snoozed_until, is_shared or company_id)" });
    }
  })
  .meta({ examples: [{ ticket_id: "601", state: "in_progress" }] });
/** What `UpdateTicket` takes. */
export type UpdateTicketInput = z.output<typeof UpdateTicketInput>;

/**
 * Input of `ReplyToTicket`: as an admin (`admin_id`: a comment the contact sees, or an internal
 * note) or as a contact (`contact_id`), exactly one of them.
 *
 * @example
 * ReplyToTicketInput.parse({ ticket_id: "601", admin_id: "991200", message_type: "note", body: "Checked the logs" });
 */
export const ReplyToTicketInput = z
  .strictObject({
    ticket_id: TicketIdInput,
    body: z
      .string({ error: "must be a string" })
      .trim()
      .min(1, { error: "must not be empty" })
      .max(MAX_BODY, { error: `must be at most ${MAX_BODY} characters` })
      .meta({ title: "Body", description: "The reply (plain text, or HTML from an admin)." }),
    admin_id: IdField.optional().meta({ title: "Admin ID", description: "Reply as this admin (ListAdmins gives it)." }),
    contact_id: IdField.optional().meta({ title: "Contact ID", description: "Reply as this contact (one the ticket is about; Customer tickets only)." }),
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
  .meta({ examples: [{ ticket_id: "601", admin_id: "991200", body: "On it" }] });
/** What `ReplyToTicket` takes. */
export type ReplyToTicketInput = z.output<typeof ReplyToTicketInput>;

/**
 * Input of `SearchTickets`: Intercom's query and an optional order.
 *
 * @example
 * SearchTicketsInput.parse({ query: { field: "state", operator: "=", value: "submitted" } });
 */
export const SearchTicketsInput = z
  .strictObject({
    query: SearchQueryField.meta({
      title: "Query",
      description:
        "Intercom's ticket search query: a filter {field, operator, value} (state, ticket_type_id, created_at, updated_at, open, admin_assignee_id, title, category, ticket_attribute.<id>, …) or a group {operator: AND|OR, value: [...]}.",
    }),
    sort: SearchSortField.optional(),
  })
  .meta({ examples: [{ query: { field: "state", operator: "=", value: "submitted" } }] });
/** What `SearchTickets` takes. */
export type SearchTicketsInput = z.output<typeof SearchTicketsInput>;

/**
 * A list of ticket types.
 *
 * @example
 * TicketTypeList.parse([]);
 */
export const TicketTypeList = z.array(TicketType);

/**
 * A list of tickets (what one HTTP page holds a slice of).
 *
 * @example
 * TicketList.parse([]);
 */
export const TicketList = z.array(Ticket);

/**
 * The tickets area's operations.
 *
 * @example
 * TICKET_OPERATIONS.CreateTicket.summary; // "Create a ticket"
 */
export const TICKET_OPERATIONS = {
  ListTicketTypes: defineOperation({
    id: "ListTicketTypes",
    kind: "action",
    summary: "List ticket types",
    seedName: "",
    description: "Returns the workspace's ticket types with their attributes (types, required flags, list options) and states.",
    input: ListTicketTypesInput,
    output: TicketTypeList,
    outputName: "TicketTypeList",
  }),
  CreateTicket: defineOperation({
    id: "CreateTicket",
    kind: "action",
    summary: "Create a ticket",
    seedName: "",
    description:
      "Creates a ticket of a type for a contact, its attributes checked against the type (names, types, required ones) before anything is written. Returns the ticket. Each call creates another.",
    input: CreateTicketInput,
    output: Ticket,
    outputName: "Ticket",
  }),
  GetTicket: defineOperation({
    id: "GetTicket",
    kind: "action",
    summary: "Get a ticket",
    seedName: "",
    description: "Returns one ticket with its type, state, contacts, attributes and parts.",
    input: GetTicketInput,
    output: Ticket,
    outputName: "Ticket",
  }),
  UpdateTicket: defineOperation({
    id: "UpdateTicket",
    kind: "action",
    summary: "Update a ticket",
    seedName: "",
    description: "Changes a ticket's state, assignee, attributes, open or snoozed status; attributes are checked against its type first. Returns the ticket.",
    input: UpdateTicketInput,
    output: Ticket,
    outputName: "Ticket",
  }),
  ReplyToTicket: defineOperation({
    id: "ReplyToTicket",
    kind: "action",
    summary: "Reply to a ticket",
    seedName: "",
    description: "Adds a reply as an admin (a comment the contact sees, or an internal note) or as a contact. Returns the reply. Each call adds one.",
    input: ReplyToTicketInput,
    output: TicketReply,
    outputName: "TicketReply",
  }),
  SearchTickets: defineOperation({
    id: "SearchTickets",
    kind: "action",
    summary: "Search tickets",
    seedName: "",
    description: "Returns every ticket matching an Intercom search query (state, type, dates, assignees, attributes…). Dates match by day in the workspace's time zone.",
    input: SearchTicketsInput,
    output: TicketList,
    outputName: "TicketList",
  }),
  TrigNewTicket: defineOperation({
    id: "TrigNewTicket",
    kind: "trigger",
    summary: "When a ticket is created",
    seedName: "",
    description: "Fires once for each new ticket, with its type, state, contacts, attributes and parts.",
    input: TriggerInput,
    output: Ticket,
    outputName: "Ticket",
  }),
  TrigTicketStateChanged: defineOperation({
    id: "TrigTicketStateChanged",
    kind: "trigger",
    summary: "When a ticket's state changes",
    seedName: "",
    description: "Fires once for each change of a ticket's state (not for its creation), with the ticket in its new state.",
    input: TriggerInput,
    output: Ticket,
    outputName: "Ticket",
  }),
} as const;
