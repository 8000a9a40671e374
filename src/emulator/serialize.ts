import type { ContactRecord } from "./model.js";
import type { Workspace } from "./workspace.js";

/** Intercom embeds at most this many related items in a contact; `has_more` says if there are more. */
const EMBED_LIMIT = 10;

function embeddedList(items: Array<Record<string, unknown>>, url: string): Record<string, unknown> {
  return {
    type: "list",
    data: items.slice(0, EMBED_LIMIT),
    url,
    total_count: items.length,
    has_more: items.length > EMBED_LIMIT,
  };
}

/** A contact's notes, newest first, as the references a contact embeds. */
function contactNoteRefs(workspace: Workspace, contactId: string): Array<Record<string, unknown>> {
  if (workspace.notes.size === 0) return [];
  return [...workspace.notes.values()]
    .filter((n) => n.contact_id === contactId)
    .sort((a, b) => b.created_at - a.created_at || Number(b.id) - Number(a.id))
    .map((n) => ({ type: "note", id: n.id, url: `/notes/${n.id}` }));
}

/**
 * A contact as Intercom 2.14 answers it (`contact` schema, as in the description's examples).
 *
 * @example
 * reply.send(serializeContact(workspace, contact));
 */
export function serializeContact(workspace: Workspace, c: ContactRecord): Record<string, unknown> {
  const base = `/contacts/${c.id}`;
  const email = c.email ?? "";
  return {
    type: "contact",
    id: c.id,
    workspace_id: workspace.id,
    external_id: c.external_id,
    role: c.role,
    email,
    email_domain: email.includes("@") ? email.slice(email.lastIndexOf("@") + 1) : "",
    phone: c.phone,
    name: c.name,
    avatar: c.avatar === null ? null : { type: "avatar", image_url: c.avatar },
    owner_id: c.owner_id,
    social_profiles: { type: "list", data: [] },
    has_hard_bounced: c.has_hard_bounced,
    marked_email_as_spam: c.marked_email_as_spam,
    unsubscribed_from_emails: c.unsubscribed_from_emails,
    created_at: c.created_at,
    updated_at: c.updated_at,
    signed_up_at: c.signed_up_at,
    last_seen_at: c.last_seen_at,
    last_replied_at: c.last_replied_at,
    last_contacted_at: c.last_contacted_at,
    last_email_opened_at: c.last_email_opened_at,
    last_email_clicked_at: c.last_email_clicked_at,
    language_override: c.language_override,
    browser: c.browser,
    browser_version: c.browser_version,
    browser_language: c.browser_language,
    os: c.os,
    location: { type: "location", ...c.location },
    android_app_name: null,
    android_app_version: null,
    android_device: null,
    android_os_version: null,
    android_sdk_version: null,
    android_last_seen_at: null,
    ios_app_name: null,
    ios_app_version: null,
    ios_device: null,
    ios_os_version: null,
    ios_sdk_version: null,
    ios_last_seen_at: null,
    custom_attributes: c.custom_attributes,
    tags: embeddedList(
      c.tags.map((t) => ({ type: "tag", id: t.id, url: `/tags/${t.id}` })),
      `${base}/tags`,
    ),
    notes: embeddedList(contactNoteRefs(workspace, c.id), `${base}/notes`),
    companies: embeddedList(
      c.company_ids.map((id) => ({ type: "company", id, url: `/companies/${id}` })),
      `${base}/companies`,
    ),
    opted_out_subscription_types: embeddedList([], `${base}/subscriptions`),
    opted_in_subscription_types: embeddedList([], `${base}/subscriptions`),
    utm_campaign: null,
    utm_content: null,
    utm_medium: null,
    utm_source: null,
    utm_term: null,
    referrer: null,
    enabled_push_messaging: null,
  };
}

/** The content type of JSON answers sent as text. */
export const JSON_TYPE = "application/json; charset=utf-8";

/** Each contact record's JSON text. Records are replaced, never changed, so a cached text stays true. */
const contactJsonCache = new WeakMap<ContactRecord, string>();

/**
 * A contact's JSON text, made once per record: list and search pages of 50 to 150 contacts are
 * mostly the same records again, and stringifying them dominated a search's cost.
 *
 * @example
 * reply.type(JSON_TYPE).send(contactJson(workspace, contact));
 */
export function contactJson(workspace: Workspace, c: ContactRecord): string {
  let text = contactJsonCache.get(c);
  if (text === undefined) {
    text = JSON.stringify(serializeContact(workspace, c));
    contactJsonCache.set(c, text);
  }
  return text;
}

/**
 * A `contact_list` answer as JSON text, from cached contact texts.
 *
 * @example
 * reply.type(JSON_TYPE).send(contactListJson(ws, contacts, total, pages));
 */
export function contactListJson(workspace: Workspace, contacts: readonly ContactRecord[], total: number, pages: Record<string, unknown>): string {
  const data = contacts.map((c) => contactJson(workspace, c)).join(",");
  return `{"type":"list","data":[${data}],"total_count":${total},"pages":${JSON.stringify(pages)}}`;
}
