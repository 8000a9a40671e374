import { COMPANY_OPERATIONS } from "./catalogue/companies.js";
import { CONTACT_LIST_OPERATIONS } from "./catalogue/contact-lists.js";
import { CONTACTS_OPERATIONS } from "./catalogue/contacts.js";
import { CONVERSATION_OPERATIONS } from "./catalogue/conversations.js";
import { TICKET_OPERATIONS } from "./catalogue/tickets.js";
import { DATA_ATTRIBUTE_OPERATIONS } from "./catalogue/data-attributes.js";
import { EVENTS_OPERATIONS } from "./catalogue/events.js";
import { CATALOGUE_OPERATIONS } from "./catalogue/index.js";
import { NOTES_OPERATIONS } from "./catalogue/notes.js";
import { RAW_OPERATIONS } from "./catalogue/raw.js";
import { TAG_OPERATIONS } from "./catalogue/tags.js";
import { WORKSPACE_OPERATIONS } from "./catalogue/workspace.js";
import { OPERATIONS, type OperationId } from "./operations.js";

// What an AI agent's face (MCP, Copilot Studio) needs to know of each operation beyond its
// schemas: a description written for a model, the behaviour hints MCP defines, and the area
// (toolset) it belongs to. Kept here, below the faces, so each face only translates it.

/**
 * The catalogue's areas, as toolsets: one per file of src/contract/catalogue/; the seed's nine
 * operations belong to `contacts`.
 *
 * @example
 * TOOL_AREAS.includes("companies"); // true
 */
export const TOOL_AREAS = ["contacts", "contact-lists", "companies", "tags", "notes", "events", "data-attributes", "workspace", "raw", "conversations", "tickets"] as const;
/** One of the catalogue's areas. */
export type ToolArea = (typeof TOOL_AREAS)[number];

/**
 * The areas an agent gets when it names none: the everyday contact and company work, under 30
 * tools (Copilot Studio recommends 25 to 30 per agent).
 *
 * @example
 * toolIdsOf(DEFAULT_TOOL_AREAS).length; // 26
 */
export const DEFAULT_TOOL_AREAS: readonly ToolArea[] = Object.freeze(["contacts", "contact-lists", "companies", "notes"]);

/**
 * MCP's behaviour hints of a tool. `readOnlyHint`: it changes nothing in Intercom;
 * `destructiveHint`: it may overwrite or remove what is there (not only add); `idempotentHint`:
 * calling it again with the same input changes nothing more.
 *
 * @example
 * const hints: ToolHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
 */
export interface ToolHints {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
}

/**
 * What an agent is told of one operation: what it does, when to use it, what it returns, and its hints.
 *
 * @example
 * const { description, hints } = TOOL_METADATA.GetLead satisfies ToolMetadata;
 */
export interface ToolMetadata {
  readonly description: string;
  readonly hints: ToolHints;
}

const READS: ToolHints = { readOnlyHint: true, destructiveHint: false, idempotentHint: true };
const ADDS: ToolHints = { readOnlyHint: false, destructiveHint: false, idempotentHint: false };
const ADDS_ONCE: ToolHints = { readOnlyHint: false, destructiveHint: false, idempotentHint: true };
const CHANGES: ToolHints = { readOnlyHint: false, destructiveHint: true, idempotentHint: true };
const CHANGES_EACH_TIME: ToolHints = { readOnlyHint: false, destructiveHint: true, idempotentHint: false };

const PAGED = "One page per call: pass the answer's next_cursor as cursor (and nothing else) for the next page; no next_cursor means the last page.";
const SINCE =
  "Call it without cursor once to start watching (from now: nothing older is returned); then call it with the cursor of the last answer to get what happened since that answer, oldest first. Calling again with the same cursor returns the same events, so keep the newest cursor you have processed. Returns events, cursor and retry_after_seconds (wait at least that long when events is empty).";

/**
 * Every operation's agent metadata, by id. An operation added to the contract without its entry
 * here does not compile.
 *
 * @example
 * TOOL_METADATA.DeleteContact.hints.destructiveHint; // true
 */
export const TOOL_METADATA = {
  CreateUser: {
    description: "Creates a user (a contact with an account) in Intercom, or updates the user that already has this email. Use it to register a customer; returns the user.",
    hints: CHANGES,
  },
  CreateLead: { description: "Creates a new lead (a prospect without an account) in Intercom. Each call makes another lead; returns the lead.", hints: ADDS },
  ListLeads: { description: `Lists the workspace's leads. Use it to browse leads; to find one by email use FindContactByEmail. ${PAGED}`, hints: READS },
  GetLead: { description: "Gets one lead by its Intercom id. Returns the lead; not_found when no lead has that id.", hints: READS },
  GetUser: { description: "Gets one user by its Intercom id. Returns the user; not_found when no user has that id.", hints: READS },
  TrigNewLead: { description: `What is new: the leads created since your last look. ${SINCE}`, hints: READS },
  TrigNewUser: { description: `What is new: the users created since your last look. ${SINCE}`, hints: READS },
  TrigUpdateUser: { description: `What is new: the changes to existing users since your last look, one event per change. ${SINCE}`, hints: READS },
  TrigNewConversation: { description: `What is new: the conversations users or leads started since your last look. ${SINCE}`, hints: READS },
  TrigContactReplied: { description: `What is new: the replies users or leads wrote to conversations since your last look, one event per reply seen, each with the conversation. ${SINCE}`, hints: READS },
  TrigAdminReplied: { description: `What is new: the replies teammates sent in conversations since your last look, one event per reply seen, each with the conversation. ${SINCE}`, hints: READS },
  TrigConversationAssigned: { description: `What is new: the conversations assigned to an admin or team since your last look, one event per assignment seen. ${SINCE}`, hints: READS },
  TrigConversationClosed: { description: `What is new: the conversations closed since your last look, one event per close. ${SINCE}`, hints: READS },
  TrigConversationRated: { description: `What is new: the ratings contacts gave conversations since your last look, each with the conversation and its rating. ${SINCE}`, hints: READS },
  TrigTagAddedToContact: { description: `What is new: the tags added to users or leads since your last look, each with the tag and the contact. Push only: needs Intercom's webhooks set up on the connection (its client secret). ${SINCE}`, hints: READS },
  TrigLeadConverted: { description: `What is new: the leads merged into users since your last look, each with the user and the lead's id. Push only: needs Intercom's webhooks set up on the connection (its client secret). ${SINCE}`, hints: READS },
  SendRequest: {
    description:
      "Sends one raw request (GET, POST, PUT or DELETE, with query and JSON body) to any path of Intercom's REST API. Use it only when no other tool does the job. Returns Intercom's status and body; Intercom's 4xx answers are results, not errors.",
    hints: CHANGES_EACH_TIME,
  },
  SubmitEvent: {
    description: "Records that a contact (by id, user_id or email) did something, as a named data event with optional metadata. Each call records another event; returns what Intercom accepted.",
    hints: ADDS,
  },
  ListDataAttributes: {
    description: `Lists the data attributes (standard and custom fields) of contacts, companies or conversations. Use it to learn which custom_attributes exist before writing them. ${PAGED}`,
    hints: READS,
  },
  CreateDataAttribute: { description: "Creates a custom data attribute for contacts or companies. Returns the attribute.", hints: ADDS },
  AddNoteToContact: { description: "Adds a note to a contact's record, written by the admin you name or the token's owner. Each call adds another note; returns the note.", hints: ADDS },
  ListNotes: { description: `Lists the notes on one contact, newest first. ${PAGED}`, hints: READS },
  ListAdmins: { description: `Lists the workspace's admins (teammates) with their teams and away status. Use it to find an admin id. ${PAGED}`, hints: READS },
  ListTeams: { description: `Lists the workspace's teams with their admins' ids. ${PAGED}`, hints: READS },
  SearchContacts: {
    description: `Searches users and leads with an Intercom query: one filter or AND/OR groups (2 levels, 15 filters a group at most); dates match by day. Use it to find contacts by any attribute. ${PAGED}`,
    hints: READS,
  },
  ListUsers: { description: `Lists the workspace's users, oldest first, as full contact records. ${PAGED}`, hints: READS },
  ListTags: { description: `Lists the workspace's tags. Use it to find a tag id. ${PAGED}`, hints: READS },
  CreateTag: { description: "Creates a tag with this name, or returns the tag that already has it. Returns the tag.", hints: ADDS_ONCE },
  TagContact: { description: "Applies a tag (by id) to a contact; tagging twice is one tag. Returns the tag with when and by whom it was applied.", hints: ADDS_ONCE },
  UntagContact: { description: "Removes a tag (by id) from a contact. Returns the tag removed; not_found when the contact does not have it.", hints: CHANGES },
  TagCompany: { description: "Applies a tag, by name, to a company; a tag of that name is created when there is none. Returns the tag.", hints: ADDS_ONCE },
  UntagCompany: { description: "Removes a tag, by name, from a company; nothing changes when the company does not have it. Returns the tag.", hints: CHANGES },
  UpdateContact: {
    description: "Changes the attributes you give of a user or lead (by Intercom id); the others stay. Returns the contact as Intercom now has it.",
    hints: CHANGES,
  },
  DeleteContact: { description: "Deletes a user or lead (by Intercom id) for good. Prefer ArchiveContact when it may be needed again. Returns Intercom's deletion answer.", hints: CHANGES },
  ArchiveContact: { description: "Archives a user or lead (by Intercom id): it leaves lists and searches but can be unarchived. Returns the contact's archive state.", hints: CHANGES },
  UnarchiveContact: { description: "Brings an archived user or lead (by Intercom id) back. Returns the contact's archive state.", hints: ADDS_ONCE },
  FindContactByExternalId: {
    description: "Finds the user or lead that has this external id (your own system's id). Returns the contact with its role; not_found on external_id when none has it.",
    hints: READS,
  },
  FindContactByEmail: {
    description: "Finds the user or lead with exactly this email; never creates one. When several match, a user wins over leads, then the oldest. Returns the contact with its role; not_found on email when none matches.",
    hints: READS,
  },
  ConvertLead: { description: "Merges a lead into a user: the lead's data moves to the user and the lead is deleted. Returns the user.", hints: CHANGES_EACH_TIME },
  CreateOrUpdateCompany: { description: "Creates a company with this company_id (your id for it), or updates the company that has it. Returns the company.", hints: CHANGES },
  GetCompany: { description: "Gets one company by its Intercom id. Returns the company; not_found when none has it.", hints: READS },
  FindCompany: { description: "Finds a company by your company_id, or by its name (the first match). Returns the company; not_found when none matches.", hints: READS },
  ListCompanies: { description: `Lists the workspace's companies. ${PAGED}`, hints: READS },
  AttachContactToCompany: { description: "Attaches a contact to a company; attaching twice is one attachment. Returns the company.", hints: ADDS_ONCE },
  DetachContactFromCompany: { description: "Detaches a contact from a company. Returns the company.", hints: CHANGES },
  GetConversation: { description: "Gets one conversation by its Intercom id, with its parts (replies, notes, assignments, closes), statistics, tags and rating.", hints: READS },
  ReplyToConversation: {
    description: "Replies to a conversation as an admin (a comment the contact sees, or an internal note) or as a contact. Each call adds a reply; returns the conversation.",
    hints: ADDS,
  },
  AssignConversation: { description: "Assigns a conversation to an admin or a team (assignee 0 unassigns), reopening it if closed or snoozed. Returns the conversation.", hints: CHANGES_EACH_TIME },
  CloseConversation: { description: "Closes a conversation, with an optional last message to the contact. Returns the conversation.", hints: CHANGES },
  OpenConversation: { description: "Reopens a closed or snoozed conversation. Returns the conversation.", hints: CHANGES },
  SnoozeConversation: { description: "Snoozes a conversation until a time in the future (Unix seconds). Returns the conversation.", hints: CHANGES_EACH_TIME },
  TagConversation: { description: "Applies a tag (by id) to a conversation; tagging twice is one tag. Returns the tag with when and by whom it was applied.", hints: ADDS_ONCE },
  UntagConversation: { description: "Removes a tag (by id) from a conversation. Returns the tag.", hints: CHANGES },
  SetConversationAttributes: { description: "Sets conversation data attributes by name (and optionally read and the title); the others stay. Returns the conversation.", hints: CHANGES },
  CreateConversation: { description: "Starts a conversation written by a user or lead (by Intercom id), as from the Messenger. Each call starts another; returns the message.", hints: ADDS },
  SendMessage: { description: "Sends a message from an admin to a user or lead, in the Messenger or by email (with a subject). Each call sends another; returns the message.", hints: ADDS },
  SearchConversations: {
    description: `Searches conversations with an Intercom query: state, assignees, tag_ids, statistics dates (last_contact_reply_at, last_close_at…), rating; dates match by day. ${PAGED}`,
    hints: READS,
  },
  ListTicketTypes: {
    description: `Lists the workspace's ticket types with their attributes (names, data types, required flags, list options with their ids) and states. Use it before CreateTicket or UpdateTicket. ${PAGED}`,
    hints: READS,
  },
  CreateTicket: {
    description: "Creates a ticket of a type for one contact (by Intercom id, external id or email), its ticket_attributes checked against the type first. Each call creates another; returns the ticket.",
    hints: ADDS,
  },
  GetTicket: { description: "Gets one ticket by its Intercom id, with its type, state, contacts, attribute values and parts.", hints: READS },
  UpdateTicket: {
    description: "Changes a ticket's state (by category or state id), assignee (0 unassigns), attributes, open or snoozed status; the rest stays. Returns the ticket.",
    hints: CHANGES,
  },
  ReplyToTicket: { description: "Replies to a ticket as an admin (a comment the contact sees, or an internal note) or as its contact. Each call adds a reply; returns the reply.", hints: ADDS },
  SearchTickets: {
    description: `Searches tickets with an Intercom query: state, ticket_type_id, created_at, updated_at, open, assignees, title, ticket_attribute.<id>; dates match by day. ${PAGED}`,
    hints: READS,
  },
  TrigNewTicket: { description: `What is new: the tickets created since your last look. ${SINCE}`, hints: READS },
  TrigTicketStateChanged: { description: `What is new: the tickets whose state changed since your last look, one event per change, each with the ticket in its new state. ${SINCE}`, hints: READS },
} as const satisfies Record<OperationId, ToolMetadata>;

const SEED_IDS = (Object.keys(OPERATIONS) as OperationId[]).filter((id) => !(id in CATALOGUE_OPERATIONS));

/** Each area's operations, from the catalogue's own files: an operation's area cannot drift from where it is defined. */
const AREA_OPERATIONS: Readonly<Record<ToolArea, readonly OperationId[]>> = {
  contacts: [...SEED_IDS, ...(Object.keys(CONTACTS_OPERATIONS) as OperationId[])],
  "contact-lists": Object.keys(CONTACT_LIST_OPERATIONS) as OperationId[],
  companies: Object.keys(COMPANY_OPERATIONS) as OperationId[],
  tags: Object.keys(TAG_OPERATIONS) as OperationId[],
  notes: Object.keys(NOTES_OPERATIONS) as OperationId[],
  events: Object.keys(EVENTS_OPERATIONS) as OperationId[],
  "data-attributes": Object.keys(DATA_ATTRIBUTE_OPERATIONS) as OperationId[],
  workspace: Object.keys(WORKSPACE_OPERATIONS) as OperationId[],
  raw: Object.keys(RAW_OPERATIONS) as OperationId[],
  conversations: Object.keys(CONVERSATION_OPERATIONS) as OperationId[],
  tickets: Object.keys(TICKET_OPERATIONS) as OperationId[],
};

/**
 * The area (toolset) an operation belongs to.
 *
 * @example
 * toolAreaOf("GetCompany"); // "companies"
 * toolAreaOf("TrigNewLead"); // "contacts"
 */
export function toolAreaOf(id: OperationId): ToolArea {
  const area = TOOL_AREAS.find((name) => AREA_OPERATIONS[name].includes(id));
  if (area === undefined) throw new Error(`${id} is in no area of the catalogue`);
  return area;
}

/**
 * Tells whether a word names an area.
 *
 * @example
 * isToolArea("companies"); // true
 */
export function isToolArea(value: string): value is ToolArea {
  return (TOOL_AREAS as readonly string[]).includes(value);
}

/**
 * The operations of some areas, in the contract's order.
 *
 * @example
 * toolIdsOf(["raw"]); // ["SendRequest"]
 */
export function toolIdsOf(areas: readonly ToolArea[]): OperationId[] {
  return (Object.keys(OPERATIONS) as OperationId[]).filter((id) => areas.includes(toolAreaOf(id)));
}
