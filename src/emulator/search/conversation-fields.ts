import type { ConversationRecord } from "../model.js";
import { pathField, serializedField, timestampField, type FieldDef, type SearchCatalog } from "./fields.js";

type V = ConversationRecord;

/** The source types the description lists for `source.type`. */
const SOURCE_TYPES = ["conversation", "email", "facebook", "instagram", "phone_call", "phone_switch", "push", "sms", "twitter", "whatsapp"];

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", "#39": "'" };

/**
 * The words of a message body: `source.body` is matched word by word (the description: `=`
 * "support" finds "I need support", "need support" finds nothing).
 *
 * @example
 * bodyWords("<p>I need support</p>"); // ["i", "need", "support"]
 */
export function bodyWords(html: string): string[] {
  const text = html.replace(/<[^>]*>/g, " ").replace(/&(#39|[a-z]+);/gi, (m, name: string) => ENTITIES[name.toLowerCase()] ?? m);
  return text.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((w) => w !== "");
}

/** Teammates who took part: the admins who wrote the opening message or a part. */
function teammateIds(c: V): string[] {
  const ids = new Set<string>();
  if (c.source.author.type === "admin") ids.add(c.source.author.id);
  for (const part of c.parts) if (part.author.type === "admin") ids.add(part.author.id);
  return [...ids];
}

const STATISTICS_INTEGERS = ["time_to_assignment", "time_to_admin_reply", "time_to_first_close", "time_to_last_close", "median_time_to_reply", "count_reopens", "count_assignments", "count_conversation_parts"];
const STATISTICS_DATES = [
  "first_contact_reply_at", "first_assignment_at", "first_admin_reply_at", "first_close_at", "last_assignment_at",
  "last_assignment_admin_reply_at", "last_contact_reply_at", "last_admin_reply_at", "last_close_at",
];
const AI_AGENT_STRINGS = ["resolution_state", "last_answer_type", "rating_remark", "source_type", "source_title"];

const fields: Array<FieldDef<V>> = [
  pathField<V>("id", "string", (c) => c.id),
  timestampField<V>("created_at", (c) => c.created_at),
  timestampField<V>("updated_at", (c) => c.updated_at),
  pathField<V>("source.type", "string", (c) => c.source.type, { allowed: SOURCE_TYPES }),
  pathField<V>("source.id", "string", (c) => c.source.id),
  pathField<V>("source.delivered_as", "string", (c) => c.source.delivered_as),
  pathField<V>("source.subject", "string", (c) => c.source.subject),
  pathField<V>("source.body", "string", (c) => bodyWords(c.source.body)),
  pathField<V>("source.author.id", "string", (c) => c.source.author.id),
  pathField<V>("source.author.type", "string", (c) => c.source.author.type),
  pathField<V>("source.author.name", "string", (c) => c.source.author.name),
  pathField<V>("source.author.email", "string", (c) => c.source.author.email),
  pathField<V>("source.url", "string", (c) => c.source.url),
  pathField<V>("contact_ids", "string", (c) => c.contact_ids),
  pathField<V>("teammate_ids", "string", teammateIds),
  pathField<V>("admin_assignee_id", "integer", (c) => c.admin_assignee_id),
  pathField<V>("team_assignee_id", "integer", (c) => c.team_assignee_id),
  // The channel a conversation started on; the emulator keeps it as the source's type.
  pathField<V>("channel_initiated", "string", (c) => c.source.type),
  pathField<V>("open", "boolean", (c) => c.open),
  pathField<V>("read", "boolean", (c) => c.read),
  pathField<V>("state", "string", (c) => c.state),
  timestampField<V>("waiting_since", (c) => c.waiting_since),
  timestampField<V>("snoozed_until", (c) => c.snoozed_until),
  pathField<V>("tag_ids", "string", (c) => c.tag_ids),
  pathField<V>("priority", "string", (c) => c.priority),
  // Not kept on the record: read from the conversation as the API answers it.
  ...STATISTICS_INTEGERS.map((k) => serializedField<V>(`statistics.${k}`, "integer", ["statistics", k])),
  ...STATISTICS_DATES.map((k) => serializedField<V>(`statistics.${k}`, "date", ["statistics", k])),
  serializedField<V>("statistics.last_closed_by_id", "string", ["statistics", "last_closed_by_id"]),
  serializedField<V>("conversation_rating.requested_at", "date", ["conversation_rating", "created_at"]),
  serializedField<V>("conversation_rating.replied_at", "date", ["conversation_rating", "updated_at"]),
  serializedField<V>("conversation_rating.score", "integer", ["conversation_rating", "rating"]),
  serializedField<V>("conversation_rating.remark", "string", ["conversation_rating", "remark"]),
  serializedField<V>("conversation_rating.contact_id", "string", ["conversation_rating", "contact", "id"]),
  // Spelled so in the description's table; `admin_id` is accepted too.
  serializedField<V>("conversation_rating.admin_d", "string", ["conversation_rating", "teammate", "id"]),
  serializedField<V>("conversation_rating.admin_id", "string", ["conversation_rating", "teammate", "id"]),
  serializedField<V>("ai_agent_participated", "boolean", ["ai_agent_participated"]),
  ...AI_AGENT_STRINGS.map((k) => serializedField<V>(`ai_agent.${k}`, "string", ["ai_agent", k])),
  serializedField<V>("ai_agent.rating", "integer", ["ai_agent", "rating"]),
];
const byName = new Map(fields.map((f) => [f.name, f]));

/**
 * The conversations search catalog: the fields and operators of `POST /conversations/search`.
 * That table allows `!=`, `IN` and `NIN` on every type, dates included, and has no `>=`/`<=`.
 * Default order: most recently updated first (`updated_at` descending), as the inbox shows
 * conversations; ties go by id. The description's default page size here is 20.
 *
 * @example
 * CONVERSATION_SEARCH.field("source.author.email", () => [])?.type; // "string"
 */
export const CONVERSATION_SEARCH: SearchCatalog<V> = {
  resource: "conversations",
  operators: {
    string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
    tag: ["=", "!="],
    boolean: ["=", "!=", "IN", "NIN"],
    integer: ["=", "!=", "IN", "NIN", "<", ">"],
    date: ["=", "!=", "IN", "NIN", "<", ">"],
  },
  field: (name) => byName.get(name),
  defaultSort: { field: "updated_at", order: "descending" },
  defaultPerPage: 20,
};
