import type { ContactRecord } from "../model.js";
import { coerce, pathField, timestampField, type FieldDef, type FieldType, type FieldValue, type SearchCatalog } from "./fields.js";

type C = ContactRecord;

/** Fields the emulator never fills (mobile SDK data): searchable, always null. */
const ABSENT_STRINGS = [
  "ios_app_version", "ios_device", "ios_app_device", "ios_os_version", "ios_app_name", "ios_sdk_version",
  "android_app_version", "android_device", "android_app_name", "android_sdk_version",
  // Spelled so in the description's table.
  "andoid_sdk_version",
];

function emailDomain(c: C): string | null {
  const at = c.email?.lastIndexOf("@") ?? -1;
  return c.email === null || at < 0 ? null : c.email.slice(at + 1);
}

const fixed: Array<FieldDef<C>> = [
  pathField<C>("id", "string", (c) => c.id),
  pathField<C>("role", "string", (c) => c.role, { allowed: ["user", "lead"] }),
  pathField<C>("name", "string", (c) => c.name),
  pathField<C>("avatar", "string", (c) => c.avatar),
  pathField<C>("owner_id", "integer", (c) => c.owner_id),
  pathField<C>("email", "string", (c) => c.email),
  pathField<C>("email_domain", "string", emailDomain),
  pathField<C>("phone", "string", (c) => c.phone),
  pathField<C>("external_id", "string", (c) => c.external_id),
  timestampField<C>("created_at", (c) => c.created_at),
  timestampField<C>("signed_up_at", (c) => c.signed_up_at),
  timestampField<C>("updated_at", (c) => c.updated_at),
  timestampField<C>("last_seen_at", (c) => c.last_seen_at),
  timestampField<C>("last_contacted_at", (c) => c.last_contacted_at),
  timestampField<C>("last_replied_at", (c) => c.last_replied_at),
  timestampField<C>("last_email_opened_at", (c) => c.last_email_opened_at),
  timestampField<C>("last_email_clicked_at", (c) => c.last_email_clicked_at),
  pathField<C>("language_override", "string", (c) => c.language_override),
  pathField<C>("browser", "string", (c) => c.browser),
  pathField<C>("browser_language", "string", (c) => c.browser_language),
  pathField<C>("os", "string", (c) => c.os),
  pathField<C>("location.country", "string", (c) => c.location.country),
  pathField<C>("location.region", "string", (c) => c.location.region),
  pathField<C>("location.city", "string", (c) => c.location.city),
  pathField<C>("unsubscribed_from_emails", "boolean", (c) => c.unsubscribed_from_emails),
  pathField<C>("marked_email_as_spam", "boolean", (c) => c.marked_email_as_spam),
  pathField<C>("has_hard_bounced", "boolean", (c) => c.has_hard_bounced),
  pathField<C>("ios_last_seen_at", "date", () => null),
  pathField<C>("android_last_seen_at", "date", () => null),
  ...ABSENT_STRINGS.map((name) => pathField<C>(name, "string", () => null)),
  // The emulator has no segments: no contact belongs to one.
  pathField<C>("segment_id", "string", () => []),
  pathField<C>("tag_id", "tag", (c) => c.tags.map((t) => t.id)),
];
const byName = new Map(fixed.map((f) => [f.name, f]));

const CUSTOM_PREFIX = "custom_attributes.";

/**
 * A custom attribute's type, as Intercom infers it: from the values it holds (numbers named
 * `…_at` are dates), or, with no value anywhere, from the name (`…_at`: date, else string, the
 * type the description's table gives).
 */
function customAttributeType(name: string, docs: Iterable<C>): FieldType {
  const dateLike = name.endsWith("_at");
  for (const c of docs) {
    const value = c.custom_attributes[name];
    if (typeof value === "number") return dateLike ? "date" : "integer";
    if (typeof value === "boolean") return "boolean";
    if (typeof value === "string") return "string";
  }
  return dateLike ? "date" : "string";
}

function customAttributeField(name: string, docs: Iterable<C>): FieldDef<C> {
  const type = customAttributeType(name, docs);
  return {
    name: CUSTOM_PREFIX + name,
    type,
    read: (c): FieldValue => coerce(c.custom_attributes[name], type),
  };
}

/**
 * The contacts search catalog: the "Accepted Fields" and "Accepted Operators" tables of
 * `POST /contacts/search`. Default order: newest first (`created_at` descending), the order
 * Intercom's own contact views use; ties go by id.
 *
 * @example
 * CONTACT_SEARCH.field("location.city", () => [])?.type; // "string"
 */
export const CONTACT_SEARCH: SearchCatalog<C> = {
  resource: "contacts",
  operators: {
    string: ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"],
    tag: ["=", "!="],
    boolean: ["=", "!=", "IN", "NIN"],
    integer: ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="],
    date: ["=", "<", ">"],
  },
  field(name, docs) {
    if (name.startsWith(CUSTOM_PREFIX) && name.length > CUSTOM_PREFIX.length) {
      return customAttributeField(name.slice(CUSTOM_PREFIX.length), docs());
    }
    return byName.get(name);
  },
  defaultSort: { field: "created_at", order: "descending" },
  defaultPerPage: 50,
};
