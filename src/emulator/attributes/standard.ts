import type { DataAttributeRecord } from "../model.js";

type Standard = Pick<DataAttributeRecord, "name" | "full_name" | "label" | "description" | "data_type" | "api_writable">;

const std = (name: string, label: string, description: string, data_type: DataAttributeRecord["data_type"], api_writable: boolean, full_name = name): Standard => ({
  name, full_name, label, description, data_type, api_writable,
});

/**
 * Intercom's standard company attributes, exactly as the 2.14 description's `GET /data_attributes`
 * example lists them (in its order).
 */
export const STANDARD_COMPANY_ATTRIBUTES: readonly Standard[] = [
  std("name", "Company name", "The name of a company", "string", true),
  std("company_id", "Company ID", "A number identifying a company", "string", false),
  std("last_request_at", "Company last seen", "The last day anyone from a company visited your site or app", "date", false),
  std("remote_created_at", "Company created at", "The day a company was added to Intercom", "date", true),
  std("user_count", "People", "The number of people in a company", "integer", false),
  std("session_count", "Company web sessions", "All visits from anyone in a company to your product's site or app", "integer", false),
  std("name", "Plan", "A specific plan or level within your product that companies have signed up to", "string", false, "plan.name"),
  std("monthly_spend", "Monthly Spend", "The monthly revenue you receive from a company", "float", true),
  std("size", "Company size", "The number of people employed in this company, expressed as a single number", "integer", true),
  std("industry", "Company industry", "The category or domain this company belongs to e.g. 'ecommerce' or 'SaaS'", "string", true),
  std("website", "Company website", "The web address for the company's primary marketing site", "string", true),
  std("id", "ID", "The Intercom defined id representing the company", "string", false),
  std("created_at", "Created at", "The time the company was added to Intercom", "date", false),
  std("updated_at", "Updated at", "The last time the company was updated", "date", false),
  std("id", "Plan ID", "The Intercom defined id representing the plan", "string", false, "plan.id"),
  std("app_id", "App ID", "The Intercom defined id representing the app", "string", false),
];

/**
 * The standard contact attributes the emulator lists: the fields of its `contact` object, named
 * and typed as that object has them (the description gives no contact example to copy);
 * `api_writable` where `POST`/`PUT /contacts` accept the field.
 */
export const STANDARD_CONTACT_ATTRIBUTES: readonly Standard[] = [
  std("id", "ID", "The Intercom defined id representing the contact", "string", false),
  std("external_id", "User ID", "A unique identifier for the contact which is given to Intercom", "string", true),
  std("role", "Role", "The role of the contact: user or lead", "string", true),
  std("name", "Name", "The contact's name", "string", true),
  std("email", "Email", "The contact's email", "string", true),
  std("email_domain", "Email domain", "The domain of the contact's email", "string", false),
  std("phone", "Phone", "The contact's phone", "string", true),
  std("owner_id", "Owner", "The id of the admin who owns the contact", "integer", true),
  std("unsubscribed_from_emails", "Unsubscribed from emails", "Whether the contact is unsubscribed from emails", "boolean", true),
  std("has_hard_bounced", "Has hard bounced", "Whether an email to the contact has hard bounced", "boolean", false),
  std("marked_email_as_spam", "Marked email as spam", "Whether the contact marked an email as spam", "boolean", false),
  std("created_at", "Created at", "The time the contact was added to Intercom", "date", false),
  std("updated_at", "Updated at", "The last time the contact was updated", "date", false),
  std("signed_up_at", "Signed up", "The time the contact signed up", "date", true),
  std("last_seen_at", "Last seen", "The last time the contact was seen", "date", true),
  std("last_replied_at", "Last replied", "The last time the contact replied", "date", false),
  std("last_contacted_at", "Last contacted", "The last time the contact was contacted", "date", false),
  std("last_email_opened_at", "Last opened email", "The last time the contact opened an email", "date", false),
  std("last_email_clicked_at", "Last clicked on link in email", "The last time the contact clicked a link in an email", "date", false),
  std("language_override", "Language override", "The contact's preferred language", "string", false),
  std("browser", "Browser", "The browser the contact uses", "string", false),
  std("os", "OS", "The operating system the contact uses", "string", false),
  std("country", "Country", "The contact's country", "string", false, "location.country"),
  std("region", "Region", "The contact's region", "string", false, "location.region"),
  std("city", "City", "The contact's city", "string", false, "location.city"),
  std("image_url", "Avatar", "The contact's avatar image", "string", true, "avatar.image_url"),
];

/**
 * The standard attributes of a model, as `data_attribute` records (`custom: false`, no id).
 *
 * @example
 * standardAttributes("company")[0]?.label; // "Company name"
 */
export function standardAttributes(model: "contact" | "company"): DataAttributeRecord[] {
  const list = model === "company" ? STANDARD_COMPANY_ATTRIBUTES : STANDARD_CONTACT_ATTRIBUTES;
  return list.map((a) => ({
    ...a,
    id: null,
    model,
    options: null,
    ui_writable: false,
    messenger_writable: true,
    custom: false,
    archived: false,
    admin_id: null,
    created_at: null,
    updated_at: null,
  }));
}
