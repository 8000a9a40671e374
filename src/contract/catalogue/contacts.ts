import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { customAttributesOf, EmailField, HttpsUrlField, IdField, TextField } from "../fields.js";
import { TriggerInput } from "../inputs.js";

// Intercom's contact objects as its 2.14 description defines them (the `contact`,
// `contact_deleted`, `contact_archived` schemas): the names and units a user finds in Intercom's
// docs, timestamps in Unix seconds. Fields the description marks as always present may still
// arrive null from Intercom, so every field but the identity is nullable.

const text = (title: string, description: string) => z.string().nullable().meta({ title, description });
const seconds = (title: string, description: string) =>
  z.number().int().nullable().meta({ title, description: `${description} Unix timestamp in seconds.` });

/**
 * One `{ type, id, url }` reference a contact embeds (its tags, notes, companies).
 *
 * @example
 * ContactReferenceItem.parse({ type: "tag", id: "17", url: "/tags/17" });
 */
export const ContactReferenceItem = z.object({
  type: z.string().optional().meta({ title: "Type", description: "The referenced object's type (tag, note, company)." }),
  id: z.string().meta({ title: "ID", description: "Intercom's id of the referenced object." }),
  url: z.string().nullable().optional().meta({ title: "URL", description: "The API path of the referenced object." }),
});

const embedded = (title: string, what: string) =>
  z
    .object({
      type: z.string().optional().meta({ title: "Type", description: "Always list." }),
      data: z.array(ContactReferenceItem).optional().meta({ title, description: `The first ${what} of the contact (up to 10).` }),
      url: z.string().nullable().optional().meta({ title: "URL", description: `The API path that lists every ${what.replace(/s$/, "")} of the contact.` }),
      total_count: z.number().int().nullable().optional().meta({ title: "Total Count", description: `How many ${what} the contact has.` }),
      has_more: z.boolean().nullable().optional().meta({ title: "Has More", description: `True when the contact has more ${what} than listed here.` }),
    })
    .nullable()
    .meta({ title, description: `The ${what} of the contact (Intercom's contact_${what}).` });

/**
 * Intercom's contact (2.14 `contact`): a user or a lead, with every attribute Intercom answers.
 * The output of the contacts catalogue (UpdateContact, FindContactByEmail, SearchContacts, …).
 *
 * @example
 * const contact = Contact.parse(answer);
 * contact.role; // "user"
 */
export const Contact = z.object({
  type: z.literal("contact").meta({ title: "Type", description: "Always contact." }),
  id: z.string().meta({ title: "Contact ID", description: "Intercom's id of the contact." }),
  external_id: text("External ID", "The id you gave the contact (Intercom's external_id); null for most leads."),
  workspace_id: text("Workspace ID", "The id of the workspace the contact belongs to."),
  role: z.string().meta({ title: "Role", description: "user or lead." }),
  email: text("Email", "The contact's email address."),
  email_domain: text("Email Domain", "The domain of the contact's email address."),
  phone: text("Phone", "The contact's phone number."),
  name: text("Name", "The contact's name."),
  owner_id: z.number().int().nullable().meta({ title: "Owner ID", description: "The id of the admin who owns the contact." }),
  has_hard_bounced: z.boolean().nullable().meta({ title: "Has Hard Bounced", description: "True when an email to the contact hard bounced." }),
  marked_email_as_spam: z.boolean().nullable().meta({ title: "Marked Email As Spam", description: "True when the contact marked an email as spam." }),
  unsubscribed_from_emails: z.boolean().nullable().meta({ title: "Unsubscribed From Emails", description: "True when the contact unsubscribed from emails." }),
  created_at: z.number().int().meta({ title: "Created At", description: "When the contact was created. Unix timestamp in seconds." }),
  updated_at: z.number().int().meta({ title: "Updated At", description: "When the contact was last updated. Unix timestamp in seconds." }),
  signed_up_at: seconds("Signed Up At", "When the contact signed up."),
  last_seen_at: seconds("Last Seen At", "When the contact was last seen."),
  last_replied_at: seconds("Last Replied At", "When the contact last messaged in."),
  last_contacted_at: seconds("Last Contacted At", "When the contact was last messaged."),
  last_email_opened_at: seconds("Last Email Opened At", "When the contact last opened an email."),
  last_email_clicked_at: seconds("Last Email Clicked At", "When the contact last clicked a link in an email."),
  language_override: text("Language Override", "The language the Messenger uses for the contact, whatever the browser says."),
  browser: text("Browser", "The contact's browser."),
  browser_version: text("Browser Version", "The version of the contact's browser."),
  browser_language: text("Browser Language", "The language of the contact's browser."),
  os: text("Operating System", "The contact's operating system."),
  android_app_name: text("Android App Name", "The Android app the contact uses."),
  android_app_version: text("Android App Version", "The version of the Android app the contact uses."),
  android_device: text("Android Device", "The contact's Android device."),
  android_os_version: text("Android OS Version", "The Android version of the contact's device."),
  android_sdk_version: text("Android SDK Version", "The Intercom Android SDK version of the contact's app."),
  android_last_seen_at: seconds("Android Last Seen At", "When the contact was last seen on Android."),
  ios_app_name: text("iOS App Name", "The iOS app the contact uses."),
  ios_app_version: text("iOS App Version", "The version of the iOS app the contact uses."),
  ios_device: text("iOS Device", "The contact's iOS device."),
  ios_os_version: text("iOS Version", "The iOS version of the contact's device."),
  ios_sdk_version: text("iOS SDK Version", "The Intercom iOS SDK version of the contact's app."),
  ios_last_seen_at: seconds("iOS Last Seen At", "When the contact last used the iOS app."),
  custom_attributes: z
    .record(z.string(), z.unknown())
    .nullable()
    .meta({ title: "Custom Attributes", description: "The contact's custom attributes, by name." }),
  avatar: z
    .object({
      type: z.string().optional().meta({ title: "Type", description: "Always avatar." }),
      image_url: z.string().nullable().optional().meta({ title: "Image URL", description: "URL of the contact's avatar image." }),
    })
    .nullable()
    .meta({ title: "Avatar", description: "The contact's avatar." }),
  tags: embedded("Tags", "tags"),
  notes: embedded("Notes", "notes"),
  companies: embedded("Companies", "companies"),
  location: z
    .object({
      type: z.string().nullable().optional().meta({ title: "Type", description: "Always location." }),
      country: z.string().nullable().optional().meta({ title: "Country", description: "The country the contact is in." }),
      region: z.string().nullable().optional().meta({ title: "Region", description: "The region the contact is in." }),
      city: z.string().nullable().optional().meta({ title: "City", description: "The city the contact is in." }),
    })
    .nullable()
    .meta({ title: "Location", description: "Where the contact is." }),
  social_profiles: z
    .object({
      type: z.string().optional().meta({ title: "Type", description: "Always list." }),
      data: z
        .array(
          z.object({
            type: z.string().optional().meta({ title: "Type", description: "Always social_profile." }),
            name: z.string().nullable().optional().meta({ title: "Network", description: "The social network (Facebook, Twitter…)." }),
            url: z.string().nullable().optional().meta({ title: "URL", description: "The contact's profile URL." }),
          }),
        )
        .optional()
        .meta({ title: "Social Profiles", description: "The contact's social profiles." }),
    })
    .nullable()
    .meta({ title: "Social Profiles", description: "The contact's social profiles." }),
});
/** An Intercom contact as the contract has it. */
export type Contact = z.output<typeof Contact>;

const referencePaths = {
  type: z.literal("contact").meta({ title: "Type", description: "Always contact." }),
  id: z.string().meta({ title: "Contact ID", description: "Intercom's id of the contact." }),
  external_id: z.string().nullable().meta({ title: "External ID", description: "The id you gave the contact (Intercom's external_id)." }),
};

/**
 * Intercom's answer to a delete (2.14 `contact_deleted`).
 *
 * @example
 * DeletedContact.parse({ type: "contact", id: "6762f0a51bb69f9f2193bb5c", external_id: null, deleted: true });
 */
export const DeletedContact = z.object({
  ...referencePaths,
  deleted: z.boolean().meta({ title: "Deleted", description: "True: the contact is deleted." }),
});
/** A deleted contact's answer. */
export type DeletedContact = z.output<typeof DeletedContact>;

/**
 * Intercom's answer to an archive or unarchive (2.14 `contact_archived`, `contact_unarchived`).
 *
 * @example
 * ArchivedContact.parse({ type: "contact", id: "6762f0a51bb69f9f2193bb5c", external_id: null, archived: true });
 */
export const ArchivedContact = z.object({
  ...referencePaths,
  archived: z.boolean().meta({ title: "Archived", description: "True when the contact is now archived, false when it is not." }),
});
/** An archived or unarchived contact's answer. */
export type ArchivedContact = z.output<typeof ArchivedContact>;

// ---- Inputs -----------------------------------------------------------------------------------

/** The longest external id accepted: Intercom's string attribute limit. */
const MAX_EXTERNAL_ID = 255;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * The id a customer gave a contact (Intercom's `external_id`): any text, so not Intercom's id
 * alphabet, but it may go into a request path (`/contacts/find_by_external_id/{external_id}`),
 * where the SDK percent-encodes it. What encoding cannot make safe is refused: control
 * characters, and `.` or `..`, which encodeURIComponent leaves as they are (a dot segment).
 *
 * @example
 * ExternalIdField.parse("crm-42/eu"); // sent as crm-42%2Feu
 * ExternalIdField.safeParse("..").success; // false
 */
export const ExternalIdField = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty", abort: true })
  .max(MAX_EXTERNAL_ID, { error: `must be at most ${MAX_EXTERNAL_ID} characters`, abort: true })
  .refine((value) => !CONTROL.test(value), { error: "must not contain control characters", abort: true })
  .refine((value) => value !== "." && value !== "..", { error: "must not be . or .." });

const contactId = (description: string) => IdField.meta({ title: "Contact ID", description });

/**
 * UpdateContact's input: the contact's id and at least one attribute to change. `null` clears
 * a name, phone or avatar.
 *
 * @example
 * UpdateContactInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c", name: "Ada Lovelace" });
 */
export const UpdateContactInput = z
  .strictObject({
    contact_id: contactId("Intercom's id of the contact to update."),
    role: z.enum(["user", "lead"], { error: "must be user or lead" }).optional().meta({ title: "Role", description: "user or lead: a lead may become a user." }),
    external_id: ExternalIdField.optional().meta({ title: "External ID", description: "The id you give the contact (Intercom's external_id)." }),
    email: EmailField.optional().meta({ title: "Email", description: "The contact's email address." }),
    phone: TextField.nullable().optional().meta({ title: "Phone", description: "The contact's phone number; null clears it." }),
    name: TextField.nullable().optional().meta({ title: "Name", description: "The contact's name; null clears it." }),
    avatar: HttpsUrlField.nullable().optional().meta({ title: "Avatar URL", description: "An https URL of the contact's avatar image; null clears it." }),
    signed_up_at: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0, { error: "must not be negative" }).optional().meta({ title: "Signed Up At", description: "When the contact signed up, Unix timestamp in seconds." }),
    last_seen_at: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0, { error: "must not be negative" }).optional().meta({ title: "Last Seen At", description: "When the contact was last seen, Unix timestamp in seconds." }),
    owner_id: z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(1, { error: "must be an admin id" }).nullable().optional().meta({ title: "Owner ID", description: "The id of the admin who owns the contact; null removes the owner." }),
    unsubscribed_from_emails: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Unsubscribed From Emails", description: "True to unsubscribe the contact from emails." }),
    custom_attributes: customAttributesOf("contact").optional(),
  })
  .refine((input) => Object.keys(input).some((key) => key !== "contact_id"), {
    error: "needs at least one attribute to change besides contact_id",
    path: ["contact_id"],
  });
/** UpdateContact's input. */
export type UpdateContactInput = z.output<typeof UpdateContactInput>;

/**
 * The input of the operations on one contact by id (DeleteContact, ArchiveContact, UnarchiveContact).
 *
 * @example
 * ContactIdInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c" });
 */
export const ContactIdInput = z.strictObject({ contact_id: contactId("Intercom's id of the contact.") });
/** An input of one contact id. */
export type ContactIdInput = z.output<typeof ContactIdInput>;

/**
 * FindContactByExternalId's input.
 *
 * @example
 * FindContactByExternalIdInput.parse({ external_id: "crm-42" });
 */
export const FindContactByExternalIdInput = z.strictObject({
  external_id: ExternalIdField.meta({ title: "External ID", description: "The id you gave the contact (Intercom's external_id)." }),
});
/** FindContactByExternalId's input. */
export type FindContactByExternalIdInput = z.output<typeof FindContactByExternalIdInput>;

/**
 * FindContactByEmail's input.
 *
 * @example
 * FindContactByEmailInput.parse({ email: "ada@example.com" });
 */
export const FindContactByEmailInput = z.strictObject({
  email: EmailField.meta({ title: "Email", description: "The email address of the user or lead to find (exact match)." }),
});
/** FindContactByEmail's input. */
export type FindContactByEmailInput = z.output<typeof FindContactByEmailInput>;

/**
 * ConvertLead's input: Intercom's merge, `from` a lead `into` a user.
 *
 * @example
 * ConvertLeadInput.parse({ from: "6762f0d51bb69f9f2193bb7f", into: "6762f0d51bb69f9f2193bb80" });
 */
export const ConvertLeadInput = z.strictObject({
  from: IdField.meta({ title: "Lead ID", description: "Intercom's id of the lead to merge away; it is deleted." }),
  into: IdField.meta({ title: "User ID", description: "Intercom's id of the user the lead is merged into." }),
});
/** ConvertLead's input. */
export type ConvertLeadInput = z.output<typeof ConvertLeadInput>;

/**
 * What `TrigTagAddedToContact` emits: Intercom's `contact_tag` webhook object (the tag, the contact
 * it was applied to, and when), as `contact.user.tag.created` and `contact.lead.tag.created` carry it.
 *
 * @example
 * ContactTagged.parse({ type: "contact_tag", created_at: 1795523438, tag: { type: "tag", id: "17", name: "VIP" }, contact });
 */
export const ContactTagged = z.object({
  type: z.literal("contact_tag").meta({ title: "Type", description: "Always contact_tag." }),
  created_at: z.number().int().meta({ title: "Tagged At", description: "When the tag was applied. Unix timestamp in seconds." }),
  tag: z
    .object({
      type: z.string().optional().meta({ title: "Type", description: "Always tag." }),
      id: z.string().meta({ title: "Tag ID", description: "Intercom's id of the tag." }),
      name: z.string().meta({ title: "Tag Name", description: "The name of the tag." }),
    })
    .meta({ title: "Tag", description: "The tag applied." }),
  contact: Contact.meta({ title: "Contact", description: "The user or lead tagged." }),
});
/** A tagging of a contact, as TrigTagAddedToContact emits it. */
export type ContactTagged = z.output<typeof ContactTagged>;

/**
 * What `TrigLeadConverted` emits: the user a lead was merged into, as Intercom's `contact.merged`
 * push carries it, with `merged_from` naming the lead absorbed (deleted by the merge).
 *
 * @example
 * MergedContact.parse({ ...user, merged_from: { type: "contact", id: "6762f0d51bb69f9f2193bb7f" } }).merged_from.id;
 */
export const MergedContact = Contact.extend({
  merged_from: z
    .object({
      type: z.string().optional().meta({ title: "Type", description: "Always contact." }),
      id: z.string().meta({ title: "Lead ID", description: "Intercom's id of the lead merged into this user." }),
    })
    .meta({ title: "Merged From", description: "The lead merged into this user." }),
});
/** A merge of a lead into a user, as TrigLeadConverted emits it. */
export type MergedContact = z.output<typeof MergedContact>;

/** Said in every push-only trigger's description (and so in its Swagger operation). */
const PUSH_ONLY =
  "Push only: Intercom's search cannot see this event, so it comes from Intercom's webhooks alone. Subscribing needs push set up on the connection: its Intercom client secret (intercom_client_secret, or INTERCOM_CLIENT_SECRET for serve's connection) and, in the Intercom app's webhook settings, the URL /intercom/webhooks/{connectionId} of this service with the topics named here; without a client secret a subscription is refused (push_not_set_up).";

// ---- Operations -------------------------------------------------------------------------------

/**
 * The contacts operations of the catalogue (part A), spread into `OPERATIONS`.
 *
 * @example
 * CONTACTS_OPERATIONS.UpdateContact.summary; // "Update a contact"
 */
export const CONTACTS_OPERATIONS = {
  UpdateContact: defineOperation({
    id: "UpdateContact",
    kind: "action",
    summary: "Update a contact",
    seedName: "",
    description: "Changes the attributes given of a user or lead, by Intercom id, and returns the contact as Intercom now has it.",
    input: UpdateContactInput,
    output: Contact,
    outputName: "Contact",
  }),
  DeleteContact: defineOperation({
    id: "DeleteContact",
    kind: "action",
    summary: "Delete a contact",
    seedName: "",
    description: "Deletes a user or lead, by Intercom id, and returns Intercom's deleted-contact answer.",
    input: ContactIdInput,
    output: DeletedContact,
    outputName: "DeletedContact",
  }),
  ArchiveContact: defineOperation({
    id: "ArchiveContact",
    kind: "action",
    summary: "Archive a contact",
    seedName: "",
    description: "Archives a user or lead, by Intercom id: it leaves lists and searches but can be unarchived. Archiving twice is one archive.",
    input: ContactIdInput,
    output: ArchivedContact,
    outputName: "ArchivedContact",
  }),
  UnarchiveContact: defineOperation({
    id: "UnarchiveContact",
    kind: "action",
    summary: "Unarchive a contact",
    seedName: "",
    description: "Brings an archived user or lead back, by Intercom id. Unarchiving a contact that is not archived changes nothing.",
    input: ContactIdInput,
    output: ArchivedContact,
    outputName: "ArchivedContact",
  }),
  FindContactByExternalId: defineOperation({
    id: "FindContactByExternalId",
    kind: "action",
    summary: "Find a contact by external ID",
    seedName: "",
    description: "Returns the user or lead with the external id you gave it, with its role; none is a not_found on external_id.",
    input: FindContactByExternalIdInput,
    output: Contact,
    outputName: "Contact",
  }),
  FindContactByEmail: defineOperation({
    id: "FindContactByEmail",
    kind: "action",
    summary: "Find a contact by email",
    seedName: "",
    description:
      "Returns the user or lead with this exact email, its role in the answer; never creates one. When several match, a user wins over leads, then the oldest. None is a not_found on email.",
    input: FindContactByEmailInput,
    output: Contact,
    outputName: "Contact",
  }),
  ConvertLead: defineOperation({
    id: "ConvertLead",
    kind: "action",
    summary: "Convert a lead into a user",
    seedName: "",
    description: "Merges a lead into a user (Intercom's merge): the lead's data moves to the user and the lead is deleted. Returns the user.",
    input: ConvertLeadInput,
    output: Contact,
    outputName: "Contact",
  }),
  TrigTagAddedToContact: defineOperation({
    id: "TrigTagAddedToContact",
    kind: "trigger",
    summary: "When a tag is added to a contact (push only)",
    seedName: "",
    description: `Fires once for each tagging of a user or lead, with the tag and the contact (Intercom's contact.user.tag.created and contact.lead.tag.created), keyed by contact, tag and time: Intercom's retry of a push is one event. ${PUSH_ONLY}`,
    input: TriggerInput,
    output: ContactTagged,
    outputName: "ContactTagged",
  }),
  TrigLeadConverted: defineOperation({
    id: "TrigLeadConverted",
    kind: "trigger",
    summary: "When a lead is merged into a user (push only)",
    seedName: "",
    description: `Fires once for each lead merged into a user (Intercom's contact.merged, ConvertLead's merge among them), with the user and merged_from naming the lead, keyed by lead and user. ${PUSH_ONLY}`,
    input: TriggerInput,
    output: MergedContact,
    outputName: "MergedContact",
  }),
} as const;
