/**
 * The emulator's ticket records: ticket types with their attributes, ticket states, tickets and
 * their parts. Times are unix seconds, as Intercom keeps them; `ticket-serialize.ts` turns them
 * into the 2.14 JSON shapes.
 */

/** A ticket type's (and so its tickets') category, as the description's enum has it. */
export const TICKET_CATEGORIES = ["Customer", "Back-office", "Tracker"] as const;
/** One of {@link TICKET_CATEGORIES}. */
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

/** The categories a ticket state belongs to (`ticket_state.category`). */
export const TICKET_STATE_CATEGORIES = ["submitted", "in_progress", "waiting_on_customer", "resolved"] as const;
/** One of {@link TICKET_STATE_CATEGORIES}. */
export type TicketStateCategory = (typeof TICKET_STATE_CATEGORIES)[number];

/** The data types of ticket type attributes (`create_ticket_type_attribute_request.data_type`). */
export const TICKET_ATTRIBUTE_TYPES = ["string", "list", "integer", "decimal", "boolean", "datetime", "files"] as const;
/** One of {@link TICKET_ATTRIBUTE_TYPES}. */
export type TicketAttributeType = (typeof TICKET_ATTRIBUTE_TYPES)[number];

/** One choice of a `list` attribute; tickets store its id. */
export interface TicketListOption {
  id: string;
  label: string;
  archived: boolean;
}

/** A field of a ticket type. */
export interface TicketTypeAttributeRecord {
  id: string;
  ticket_type_id: string;
  name: string;
  description: string;
  data_type: TicketAttributeType;
  /** `string` attributes only. */
  multiline: boolean | null;
  /** `list` attributes only. */
  list_options: TicketListOption[] | null;
  /** `files` attributes only. */
  allow_multiple_values: boolean | null;
  order: number;
  required_to_create: boolean;
  required_to_create_for_contacts: boolean;
  visible_on_create: boolean;
  visible_to_contacts: boolean;
  /** Intercom's built-in title and description. */
  default: boolean;
  archived: boolean;
  created_at: number;
  updated_at: number;
}

/** A ticket type. */
export interface TicketTypeRecord {
  id: string;
  name: string;
  description: string;
  icon: string;
  category: TicketCategory;
  is_internal: boolean;
  archived: boolean;
  created_at: number;
  updated_at: number;
  /** Its attributes' ids, in creation order. */
  attribute_ids: string[];
  /** The states its tickets may take. */
  state_ids: string[];
}

/** A ticket state (workspace-wide; ticket types use some of them). */
export interface TicketStateRecord {
  id: string;
  category: TicketStateCategory;
  internal_label: string;
  external_label: string;
  archived: boolean;
}

/** Who wrote or caused a ticket part (`ticket_part_author`). */
export interface TicketAuthorRef {
  type: "admin" | "bot" | "team" | "user";
  id: string;
  name: string | null;
  email: string | null;
}

/** One part of a ticket: a reply, a note, a state change, an assignment, an attribute change. */
export interface TicketPartRecord {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  updated_at: number;
  author: TicketAuthorRef;
  /** State changes: the category before and after. */
  previous_ticket_state?: TicketStateCategory;
  ticket_state?: TicketStateCategory;
  /** Assignments: who it went to. */
  assigned_to?: { type: "admin" | "team"; id: string };
  /** Attribute changes: which attribute, and its new value with the label shown for it. */
  updated_attribute?: { id: string; label: string; value: string | null; value_label: string };
  attachments?: Array<{ name: string; url: string }>;
}

/** A ticket as stored. Attribute values are kept by attribute id, so renaming one keeps them. */
export interface TicketRecord {
  id: string;
  /** The number the inbox and Messenger show. */
  ticket_id: string;
  ticket_type_id: string;
  category: TicketCategory;
  attributes: Record<string, unknown>;
  state_id: string;
  contact_ids: string[];
  company_id: string | null;
  admin_assignee_id: string | null;
  team_assignee_id: string | null;
  open: boolean;
  snoozed_until: number | null;
  is_shared: boolean;
  linked_conversation_ids: string[];
  tags: Array<{ id: string; applied_at: number; applied_by: string }>;
  created_at: number;
  updated_at: number;
  parts: TicketPartRecord[];
}

/** The ticket webhook topics the emulator sends (Intercom's names). */
export const TICKET_WEBHOOK_TOPICS = [
  "ticket.created",
  "ticket.state.updated",
  "ticket.admin.assigned",
  "ticket.team.assigned",
  "ticket.attribute.updated",
  "ticket.note.created",
  "ticket.admin.replied",
  "ticket.contact.replied",
] as const;
