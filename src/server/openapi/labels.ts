import type { Json, JsonObject, SwaggerSchema } from "./json-schema.js";

// Human labels for the contract's fields, as Power Automate shows them (`x-ms-summary`), in
// English with the seed's meaning (its "Nome" and "Description" columns). The contract knows the
// fields; this module only knows how to call them. `{subject}` in a description becomes the
// thing the shape is about ("user", "lead", "conversation").

/** Where Power Automate shows a field: always, under "advanced", or never. */
export type Visibility = "important" | "advanced" | "internal";

/** How one field is labelled. */
export interface FieldLabel {
  /** `x-ms-summary`: a short, title-cased label. */
  readonly summary: string;
  /** `description`; `{subject}` is replaced. */
  readonly description: string;
  readonly visibility?: Visibility;
}

const NOT_IN_API_2 = "Intercom's current API no longer carries it: always null.";
const ISO_TIMESTAMP = "ISO 8601 UTC with milliseconds (yyyy-MM-ddTHH:mm:ss.fffZ)";

/**
 * Labels of the output shapes' fields, by dotted path (array items add no segment, as in the seed:
 * `companies.companies.name`).
 *
 * @example
 * OUTPUT_LABELS["location_data.city_name"].summary; // "City Name"
 */
export const OUTPUT_LABELS: Readonly<Record<string, FieldLabel>> = {
  id: { summary: "ID", description: "Intercom's id of the {subject}." },
  created_at: { summary: "Created At", description: `When the {subject} was created, ${ISO_TIMESTAMP}.` },
  updated_at: { summary: "Updated At", description: `When the {subject} was last updated, ${ISO_TIMESTAMP}.` },
  user_id: { summary: "User ID", description: "The unique id you defined for the {subject} (Intercom's external_id)." },
  email: { summary: "Email", description: "Email address of the {subject}." },
  phone: { summary: "Phone", description: "Phone number of the {subject}." },
  name: { summary: "Name", description: "Name of the {subject}." },
  session_count: { summary: "Session Count", description: `Number of sessions the {subject} had. ${NOT_IN_API_2}`, visibility: "advanced" },
  avatar: { summary: "Avatar", description: "The {subject}'s avatar." },
  "avatar.image_url": { summary: "Image URL", description: "URL of the {subject}'s avatar image (https)." },
  unsubscribed_from_emails: { summary: "Unsubscribed", description: "True when the {subject} unsubscribed from emails." },
  location_data: { summary: "Location", description: "Where the {subject} is." },
  "location_data.city_name": { summary: "City Name", description: "City of the {subject}'s location." },
  "location_data.country_name": { summary: "Country Name", description: "Country of the {subject}'s location." },
  "location_data.region_name": { summary: "Region Name", description: "Region of the {subject}'s location." },
  "location_data.latitude": { summary: "Latitude", description: `Latitude of the {subject}'s location. ${NOT_IN_API_2}`, visibility: "advanced" },
  "location_data.longitude": { summary: "Longitude", description: `Longitude of the {subject}'s location. ${NOT_IN_API_2}`, visibility: "advanced" },
  "location_data.postal_code": { summary: "Postal Code", description: `Postal code of the {subject}'s location. ${NOT_IN_API_2}`, visibility: "advanced" },
  "location_data.timezone": { summary: "Time Zone", description: `ISO 8601 time zone of the {subject}'s location. ${NOT_IN_API_2}`, visibility: "advanced" },
  pseudonym: { summary: "Pseudonym", description: `The pseudonym used when this {subject} was a lead. ${NOT_IN_API_2}`, visibility: "advanced" },
  companies: { summary: "Companies", description: "The companies of the {subject}." },
  "companies.companies": { summary: "Companies", description: "The companies the {subject} belongs to." },
  "companies.companies.name": { summary: "Company Name", description: "Name of the company." },
  tags: { summary: "Tags", description: "The tags of the {subject}." },
  "tags.companies": { summary: "Tags", description: "The tags of the {subject} (the key is the seed's own)." },
  "tags.companies.name": { summary: "Tag Name", description: "Name of the tag." },
  assignee: { summary: "Assignee", description: "Who the {subject} is assigned to." },
  "assignee.id": { summary: "Admin ID", description: "Id of the admin the {subject} is assigned to; null when unassigned." },
  conversation_message: { summary: "Message", description: "The message that started the {subject}." },
  "conversation_message.author": { summary: "Author", description: "Who wrote the message." },
  "conversation_message.author.id": { summary: "Author ID", description: "Id of the message's author." },
  "conversation_message.author.type": { summary: "Author Type", description: "Type of the message's author." },
  "conversation_message.body": { summary: "Body", description: "Body of the message (HTML)." },
  "conversation_message.subject": { summary: "Subject", description: "Subject of the message." },
  "conversation_message.url": { summary: "Message URL", description: "URL of the page the message was sent from." },
  user: { summary: "User", description: "The contact who started the {subject}." },
  "user.id": { summary: "User ID", description: "Intercom's id of the contact who started the {subject}." },
  "user.type": { summary: "User Type", description: "Role of that contact: user or lead." },
};

/**
 * Labels of the actions' input fields, by key.
 *
 * @example
 * INPUT_LABELS.contact_id.summary; // "Lead ID"
 */
export const INPUT_LABELS: Readonly<Record<string, FieldLabel>> = {
  email: { summary: "Email", description: "Email address of the {subject}.", visibility: "important" },
  name: { summary: "Name", description: "Name of the {subject}.", visibility: "important" },
  phone: { summary: "Phone", description: "Phone number of the {subject}." },
  image_url: { summary: "Image URL", description: "https URL of the {subject}'s avatar image.", visibility: "advanced" },
  companies: { summary: "Company ID", description: "The company_id you gave a company of the workspace; the {subject} is attached to it." },
  custom_attributes: { summary: "Custom Attributes", description: "The {subject}'s custom attributes by name, each a value of its data attribute's type (null clears it).", visibility: "advanced" },
  contact_id: { summary: "Lead ID", description: "Intercom's id of the lead.", visibility: "important" },
  user_id: { summary: "User ID", description: "Intercom's id of the user.", visibility: "important" },
};

/**
 * What each output shape is about, by its seed name; `{subject}` in descriptions becomes this.
 *
 * @example
 * SUBJECTS.TrigLead_Response; // "lead"
 */
export const SUBJECTS: Readonly<Record<string, string>> = {
  User_Response: "user",
  Lead_Response: "lead",
  ListLeads_Response: "lead",
  TrigUser_Response: "user",
  TrigLead_Response: "lead",
  TrigConversation_Response: "conversation",
};

/**
 * The label a key gets when no table has one: `city_name` → `City Name`.
 *
 * @example
 * humanize("retry_after"); // "Retry After"
 */
export function humanize(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[_\s-]+/)
    .filter((word) => word !== "")
    .map((word) => (word === "id" ? "ID" : word === "url" ? "URL" : `${word.charAt(0).toUpperCase()}${word.slice(1)}`))
    .join(" ");
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What {@link annotate} needs: the labels by path, and what `{subject}` stands for. */
export interface AnnotateOptions {
  readonly labels: Readonly<Record<string, FieldLabel>>;
  readonly subject: string;
}

function labelled(schema: SwaggerSchema, key: string, path: string, options: AnnotateOptions): SwaggerSchema {
  const label = options.labels[path];
  const out: SwaggerSchema = { ...schema };
  // A title or description the schema already has (zod's `.meta()`) is the closest to the source.
  const title = typeof schema.title === "string" ? schema.title : undefined;
  delete out.title;
  out["x-ms-summary"] = typeof schema["x-ms-summary"] === "string" ? schema["x-ms-summary"] : (title ?? label?.summary ?? humanize(key));
  const description = typeof schema.description === "string" ? schema.description : label?.description.replaceAll("{subject}", options.subject);
  if (description !== undefined) out.description = description;
  if (out["x-ms-visibility"] === undefined && label?.visibility !== undefined) out["x-ms-visibility"] = label.visibility;
  return out;
}

function annotateChildren(schema: SwaggerSchema, path: string, options: AnnotateOptions): SwaggerSchema {
  const out: SwaggerSchema = { ...schema };
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, child]): [string, Json] => {
        const childPath = path === "" ? key : `${path}.${key}`;
        if (!isObject(child)) return [key, child];
        return [key, labelled(annotateChildren(child, childPath, options), key, childPath, options)];
      }),
    );
  }
  if (isObject(schema.items)) out.items = annotateChildren(schema.items, path, options);
  if (Array.isArray(schema.allOf)) out.allOf = schema.allOf.map((member) => (isObject(member) ? annotateChildren(member, path, options) : member));
  return out;
}

/**
 * Gives every property of a schema (nested objects and array items included, `$ref`s not
 * followed) an `x-ms-summary`, a `description` and, where the labels say, an `x-ms-visibility`.
 * A `title` from the schema wins over the labels and becomes the `x-ms-summary`; a key with no
 * label at all is humanized.
 *
 * @example
 * annotate({ type: "object", properties: { name: { type: "string" } } }, { labels: OUTPUT_LABELS, subject: "lead" });
 * // properties.name: { type: "string", "x-ms-summary": "Name", description: "Name of the lead." }
 */
export function annotate(schema: SwaggerSchema, options: AnnotateOptions): SwaggerSchema {
  const out = annotateChildren(schema, "", options);
  if (typeof out.title === "string" && out["x-ms-summary"] === undefined) {
    out["x-ms-summary"] = out.title;
    delete out.title;
  }
  return out;
}
