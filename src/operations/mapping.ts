/**
 * The one place that knows both Intercom 2.14 objects and the contract's shapes
 * (spec/operations.md, "Output shapes"). Every path is always written; what API 2.x no longer
 * carries is null. Timestamps become ISO 8601 UTC with milliseconds.
 */
import {
  isoFromUnixSeconds,
  type Lead_Response,
  type NamedList,
  type TrigConversation_Response,
  type TrigLead_Response,
  type TrigUser_Response,
  type User_Response,
} from "../contract/index.js";
import type { IntercomContact, IntercomConversation } from "../intercom/index.js";

/** The names of a contact's companies and tags, in the order Intercom lists them. */
export interface ContactNames {
  companies: readonly string[];
  tags: readonly string[];
}

/** A contact's role as the contract names it, or null for anything else. */
export type ContractRole = "user" | "lead";

/** Intercom sends "" for a contact without an email; the contract says null. */
function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === "" ? null : value;
}

function avatarUrl(avatar: IntercomContact["avatar"]): string | null {
  if (avatar === undefined || avatar === null) return null;
  return typeof avatar === "string" ? text(avatar) : text(avatar.image_url);
}

function namedList(names: readonly string[]): NamedList {
  return { companies: names.map((name) => ({ name })) };
}

/**
 * A lead as `Lead_Response`.
 *
 * @example
 * const lead = mapLead(contact); // { id, created_at: "2026-11-24T12:30:38.000Z", user_id: null, … }
 */
export function mapLead(contact: IntercomContact): Lead_Response {
  return {
    id: contact.id,
    created_at: isoFromUnixSeconds(contact.created_at),
    user_id: text(contact.external_id),
    email: text(contact.email),
    phone: text(contact.phone),
    name: text(contact.name),
    avatar: { image_url: avatarUrl(contact.avatar) },
    unsubscribed_from_emails: contact.unsubscribed_from_emails ?? null,
    location_data: {
      city_name: text(contact.location?.city),
      country_name: text(contact.location?.country),
      region_name: text(contact.location?.region),
      // Not in API 2.x.
      latitude: null,
      longitude: null,
      postal_code: null,
      timezone: null,
    },
  };
}

/**
 * A user as `User_Response`: a lead's paths plus `session_count` and `pseudonym`, which API 2.x
 * no longer carries (null).
 *
 * @example
 * const user = mapUser(contact); // { …, session_count: null, pseudonym: null }
 */
export function mapUser(contact: IntercomContact): User_Response {
  return { ...mapLead(contact), session_count: null, pseudonym: null };
}

/**
 * A lead as `TrigLead_Response`, with the names of its companies and tags.
 *
 * @example
 * mapTrigLead(contact, { companies: ["Acme"], tags: ["vip"] }).tags; // { companies: [{ name: "vip" }] }
 */
export function mapTrigLead(contact: IntercomContact, names: ContactNames): TrigLead_Response {
  return { ...mapLead(contact), companies: namedList(names.companies), tags: namedList(names.tags) };
}

/**
 * A user as `TrigUser_Response`, with the names of its companies and tags.
 *
 * @example
 * mapTrigUser(contact, { companies: ["Acme"], tags: [] }).companies; // { companies: [{ name: "Acme" }] }
 */
export function mapTrigUser(contact: IntercomContact, names: ContactNames): TrigUser_Response {
  return { ...mapUser(contact), companies: namedList(names.companies), tags: namedList(names.tags) };
}

/**
 * A conversation as `TrigConversation_Response`. `starterRole` is the role of the contact who
 * started it (`contacts.contacts[0]`), which the conversation itself does not carry.
 *
 * @example
 * mapConversation(conversation, "lead").user; // { id: "6762…", type: "lead" }
 */
export function mapConversation(conversation: IntercomConversation, starterRole: ContractRole | null): TrigConversation_Response {
  const source = conversation.source;
  const authorId = source?.author?.id;
  const assignee = conversation.admin_assignee_id;
  return {
    id: conversation.id,
    created_at: isoFromUnixSeconds(conversation.created_at),
    updated_at: isoFromUnixSeconds(conversation.updated_at),
    assignee: { id: assignee === undefined || assignee === null ? null : String(assignee) },
    conversation_message: {
      author: {
        id: authorId === undefined || authorId === null ? null : String(authorId),
        type: text(source?.author?.type),
      },
      body: text(source?.body),
      subject: text(source?.subject),
      url: text(source?.url),
    },
    user: { id: conversationStarterId(conversation), type: starterRole },
  };
}

/**
 * The id of the contact who started a conversation (`contacts.contacts[0].id`), or null.
 *
 * @example
 * conversationStarterId(conversation); // "6762f0a51bb69f9f2193bb5c"
 */
export function conversationStarterId(conversation: IntercomConversation): string | null {
  return conversation.contacts?.contacts?.[0]?.id ?? null;
}

/**
 * A role string from Intercom as the contract's role, or null if it is neither user nor lead.
 *
 * @example
 * contractRole("lead"); // "lead"
 */
export function contractRole(role: string | null | undefined): ContractRole | null {
  return role === "user" || role === "lead" ? role : null;
}
