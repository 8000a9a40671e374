/**
 * The emulator's stored records. They hold what Intercom keeps, in the units Intercom uses (unix
 * seconds); the routes' serializers turn them into the 2.14 JSON shapes.
 */
import { TICKET_WEBHOOK_TOPICS } from "./ticket-model.js";

/** A contact's role in API 2.x. */
export type ContactRole = "user" | "lead";

/** A contact (user or lead) as stored. */
export interface ContactRecord {
  id: string;
  role: ContactRole;
  external_id: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  avatar: string | null;
  owner_id: number | null;
  has_hard_bounced: boolean;
  marked_email_as_spam: boolean;
  unsubscribed_from_emails: boolean;
  created_at: number;
  updated_at: number;
  signed_up_at: number | null;
  last_seen_at: number | null;
  last_replied_at: number | null;
  last_contacted_at: number | null;
  last_email_opened_at: number | null;
  last_email_clicked_at: number | null;
  language_override: string | null;
  browser: string | null;
  browser_version: string | null;
  browser_language: string | null;
  os: string | null;
  location: { country: string | null; region: string | null; city: string | null; country_code: string | null; continent_code: string | null };
  custom_attributes: Record<string, unknown>;
  /** Internal ids of attached companies, in attach order. */
  company_ids: string[];
  /** Tag ids with when they were applied. */
  tags: Array<{ id: string; applied_at: number; applied_by: string | null }>;
}

/** A company as stored. `id` is Intercom's; `company_id` is the customer's own id. */
export interface CompanyRecord {
  id: string;
  company_id: string;
  name: string;
  plan: string | null;
  remote_created_at: number | null;
  created_at: number;
  updated_at: number;
  last_request_at: number | null;
  size: number | null;
  website: string | null;
  industry: string | null;
  monthly_spend: number;
  session_count: number;
  custom_attributes: Record<string, unknown>;
  tag_ids: string[];
}

/** A tag. */
export interface TagRecord {
  id: string;
  name: string;
  created_at: number;
}

/** A teammate. */
export interface AdminRecord {
  id: string;
  name: string;
  email: string;
  job_title: string;
  away_mode_enabled: boolean;
  away_mode_reassign: boolean;
  has_inbox_seat: boolean;
  team_ids: number[];
  avatar: string | null;
}

/** A team of admins. */
export interface TeamRecord {
  id: string;
  name: string;
  admin_ids: number[];
  /** Set for load-balanced teams only, as Intercom has it. */
  assignment_limit: number | null;
  distribution_method: "round_robin" | "balanced" | null;
}

/** A note an admin wrote about a contact. */
export interface NoteRecord {
  id: string;
  contact_id: string;
  author_id: string;
  body: string;
  created_at: number;
}

/** The data types of data attributes (the description's `data_attribute.data_type`, plus `datetime` and lists). */
export type DataAttributeType = "string" | "integer" | "float" | "boolean" | "date" | "datetime" | "options";

/** A data attribute: standard (Intercom's own fields) or custom (`custom: true`, with an id). */
export interface DataAttributeRecord {
  /** Custom attributes only. */
  id: number | null;
  model: "contact" | "company";
  name: string;
  full_name: string;
  label: string;
  description: string;
  data_type: DataAttributeType;
  /** List attributes only: the values allowed. */
  options: string[] | null;
  api_writable: boolean;
  ui_writable: boolean;
  messenger_writable: boolean;
  custom: boolean;
  archived: boolean;
  admin_id: string | null;
  created_at: number | null;
  updated_at: number | null;
}

/** A data event submitted about a contact. */
export interface DataEventRecord {
  event_name: string;
  created_at: number;
  contact_id: string;
  metadata: Record<string, unknown>;
}

/** A summary of one event name for one contact (counted events plus summaries sent in bulk). */
export interface EventSummaryRecord {
  name: string;
  count: number;
  first: number;
  last: number;
}

/** Who wrote a message or part. */
export interface AuthorRef {
  type: "admin" | "user" | "lead" | "bot" | "team";
  id: string;
  name: string | null;
  email: string | null;
}

/** A file attached to a message or part: by URL (`attachment_urls`) or uploaded (`attachment_files`). */
export interface AttachmentRecord {
  name: string;
  url: string | null;
  content_type: string | null;
  filesize: number | null;
}

/** A quick reply option an admin offered. */
export interface QuickReplyOptionRecord {
  text: string;
  uuid: string;
}

/** One part of a conversation after its opening message. */
export interface ConversationPartRecord {
  id: string;
  part_type: string;
  body: string | null;
  created_at: number;
  updated_at: number;
  author: AuthorRef;
  /** Files attached to the part (none when absent). */
  attachments?: AttachmentRecord[];
  /** Quick reply options offered (admin `quick_reply`) or the one chosen (contact reply). */
  quick_reply_options?: QuickReplyOptionRecord[];
  quick_reply_uuid?: string;
  /** Who an assignment part assigned the conversation to (null: unassigned). */
  assigned_to?: { type: "admin" | "team"; id: string } | null;
  /** The conversation's state once this part was added. */
  state?: ConversationRecord["state"];
}

/** A contact's rating of a conversation. */
export interface ConversationRatingRecord {
  rating: number;
  remark: string | null;
  /** When the rating was requested (the close before it, else when it was given). */
  created_at: number;
  /** When it was last given or changed. */
  updated_at: number;
  contact_id: string;
  /** The admin the rating is about: the assignee, else the last admin who replied. */
  teammate_id: string | null;
}

/** A conversation as stored. */
export interface ConversationRecord {
  id: string;
  title: string | null;
  created_at: number;
  updated_at: number;
  waiting_since: number | null;
  snoozed_until: number | null;
  open: boolean;
  state: "open" | "closed" | "snoozed";
  read: boolean;
  priority: "priority" | "not_priority";
  admin_assignee_id: number | null;
  team_assignee_id: number | null;
  source: {
    type: "conversation" | "email";
    id: string;
    delivered_as: "customer_initiated" | "admin_initiated" | "automated";
    subject: string;
    body: string;
    author: AuthorRef;
    url: string | null;
    /** Files attached to the opening message (none when absent). */
    attachments?: AttachmentRecord[];
  };
  contact_ids: string[];
  tag_ids: string[];
  parts: ConversationPartRecord[];
  /** When and by which admin each tag in `tag_ids` was applied (tags seeded without one have none). */
  tag_applications?: Record<string, { applied_at: number; applied_by: string | null }>;
  /** Values of conversation data attributes, by name. */
  custom_attributes?: Record<string, string | number>;
  conversation_rating?: ConversationRatingRecord | null;
}

/** The webhook topics the emulator sends. */
export const WEBHOOK_TOPICS = [
  ...TICKET_WEBHOOK_TOPICS,
  "contact.user.created",
  "contact.lead.created",
  "contact.user.updated",
  "contact.lead.updated",
  "contact.user.tag.created",
  "contact.lead.tag.created",
  "contact.merged",
  "conversation.user.created",
  "conversation.user.replied",
  "conversation.admin.replied",
  "conversation.admin.noted",
  "conversation.admin.assigned",
  "conversation.admin.closed",
  "conversation.admin.opened",
  "conversation.admin.snoozed",
  "conversation.rating.added",
] as const;

/** One of {@link WEBHOOK_TOPICS}. */
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];
