import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { CompanyIdField, customAttributesOf, IdField, TextField, webUrlField } from "../fields.js";
import { pickedFrom } from "../pickers.js";

// The companies area: Intercom's `company` object (2.14) and the six company operations. A
// company has two ids: `id`, Intercom's (it goes into paths: an IdField), and `company_id`, the
// one you gave it (free text, never in a path).

const INT32_MAX = 2 ** 31 - 1;
const nullableText = (title: string, description: string) => z.string().nullable().meta({ title, description });
const nullableInt = (title: string, description: string) => z.number().int().nullable().meta({ title, description });

const IntercomCompanyIdInput = IdField.meta({ title: "Company ID", description: "Intercom's id of the company (not the company_id you gave it).", ...pickedFrom("companies") });
const CustomerCompanyIdInput = CompanyIdField.meta({ title: "Company Identifier", description: "The company_id you gave the company." });
const CompanyNameInput = TextField.min(1, { error: "must not be empty" }).meta({ title: "Company Name", description: "The name of the company." });
const ContactIdInput = IdField.meta({ title: "Contact ID", description: "Intercom's id of the contact (user or lead)." });

/**
 * The company's plan (`plan`), null when it has none.
 *
 * @example
 * CompanyPlan.parse({ type: "plan", id: null, name: "Pro" });
 */
export const CompanyPlan = z
  .strictObject({
    type: z.string().meta({ title: "Type", description: "Always plan." }),
    id: nullableText("Plan ID", "Intercom's id of the plan."),
    name: nullableText("Plan Name", "The name of the plan."),
  })
  .nullable()
  .meta({ title: "Plan", description: "The company's plan; null when it has none." });

const NamedRef = (kind: string) =>
  z.strictObject({
    type: z.string().meta({ title: "Type", description: `Always ${kind}.` }),
    id: z.string().meta({ title: `${kind === "tag" ? "Tag" : "Segment"} ID`, description: `Intercom's id of the ${kind}.` }),
    name: nullableText(`${kind === "tag" ? "Tag" : "Segment"} Name`, `The name of the ${kind}.`),
  });

/**
 * Intercom's `company` object (2.14), every field present: what Intercom leaves out is null.
 * Times are Unix seconds, as Intercom gives them.
 *
 * @example
 * Company.parse(await callOk("GetCompany", { id: "6762f0761bb69f9f2193bae2" }));
 */
export const Company = z.strictObject({
  type: z.literal("company").meta({ title: "Type", description: "Always company." }),
  id: z.string().meta({ title: "Company ID", description: "Intercom's id of the company." }),
  company_id: nullableText("Company Identifier", "The company_id you gave the company."),
  name: nullableText("Company Name", "The name of the company."),
  app_id: nullableText("Workspace ID", "The Intercom workspace the company belongs to."),
  plan: CompanyPlan,
  remote_created_at: nullableInt("Remote Created At", "When you say the company was created (Unix seconds)."),
  created_at: nullableInt("Created At", "When the company was added to Intercom (Unix seconds)."),
  updated_at: nullableInt("Updated At", "When the company was last updated (Unix seconds)."),
  last_request_at: nullableInt("Last Request At", "When the company last made a request (Unix seconds)."),
  size: nullableInt("Size", "The number of employees."),
  website: nullableText("Website", "The company's website URL."),
  industry: nullableText("Industry", "The industry the company operates in."),
  monthly_spend: nullableInt("Monthly Spend", "How much revenue the company generates for you (whole units)."),
  session_count: nullableInt("Session Count", "How many sessions the company recorded."),
  user_count: nullableInt("User Count", "How many users the company has."),
  custom_attributes: z.record(z.string(), z.unknown()).meta({ title: "Custom Attributes", description: "The company's custom attributes, by name." }),
  tags: z
    .strictObject({
      type: z.string().meta({ title: "Type", description: "Always tag.list." }),
      tags: z.array(NamedRef("tag")).meta({ title: "Tags", description: "The tags of the company." }),
    })
    .meta({ title: "Tags", description: "The tags of the company." }),
  segments: z
    .strictObject({
      type: z.string().meta({ title: "Type", description: "Always segment.list." }),
      segments: z.array(NamedRef("segment")).meta({ title: "Segments", description: "The segments of the company." }),
    })
    .meta({ title: "Segments", description: "The segments the company is in." }),
});
/** A company as the company operations return it. */
export type Company = z.output<typeof Company>;

/**
 * Input of `CreateOrUpdateCompany`: the company_id, and the fields to set. The same company_id
 * again updates the same company.
 *
 * @example
 * CreateOrUpdateCompanyInput.parse({ company_id: "acme", name: "Acme", plan: "Pro", size: 12 });
 */
export const CreateOrUpdateCompanyInput = z.strictObject({
  company_id: CustomerCompanyIdInput,
  name: TextField.meta({ title: "Company Name", description: "The name of the company." }).optional(),
  plan: TextField.meta({ title: "Plan", description: "The name of the company's plan." }).optional(),
  size: z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must not be negative" })
    .max(INT32_MAX, { error: `must be at most ${INT32_MAX}` })
    .meta({ title: "Size", description: "The number of employees." })
    .optional(),
  website: webUrlField(["http:", "https:"]).max(255, { error: "must be at most 255 characters" }).meta({ title: "Website", description: "The company's website URL (http or https)." }).optional(),
  industry: TextField.meta({ title: "Industry", description: "The industry the company operates in." }).optional(),
  monthly_spend: z
    .number({ error: "must be a number" })
    .min(-INT32_MAX, { error: `must be at least ${-INT32_MAX}` })
    .max(INT32_MAX, { error: `must be at most ${INT32_MAX}` })
    .meta({ title: "Monthly Spend", description: "How much revenue the company generates for you; Intercom keeps the whole part." })
    .optional(),
  remote_created_at: z
    .number({ error: "must be a number" })
    .int({ error: "must be whole Unix seconds" })
    .min(0, { error: "must not be negative" })
    .meta({ title: "Remote Created At", description: "When you say the company was created (Unix seconds)." })
    .optional(),
  custom_attributes: customAttributesOf("company").optional(),
});
/** What `CreateOrUpdateCompany` takes. */
export type CreateOrUpdateCompanyInput = z.output<typeof CreateOrUpdateCompanyInput>;

/**
 * Input of `GetCompany`: Intercom's id of the company.
 *
 * @example
 * GetCompanyInput.parse({ id: "6762f0761bb69f9f2193bae2" });
 */
export const GetCompanyInput = z.strictObject({ id: IntercomCompanyIdInput });

/**
 * Input of `FindCompany`: exactly one of `company_id` and `name`.
 *
 * @example
 * FindCompanyInput.parse({ company_id: "acme" });
 * FindCompanyInput.safeParse({ company_id: "acme", name: "Acme" }).success; // false
 */
export const FindCompanyInput = z
  .strictObject({ company_id: CustomerCompanyIdInput.meta({ title: "Company Identifier", description: "The company_id you gave the company.", ...pickedFrom("company_ids") }).optional(), name: CompanyNameInput.optional() })
  .superRefine((value, ctx) => {
    const given = (value.company_id === undefined ? 0 : 1) + (value.name === undefined ? 0 : 1);
    if (given === 1) return;
    const path = value.company_id === undefined ? "company_id" : "name";
    ctx.addIssue({ code: "custom", path: [path], message: given === 0 ? "or name is required" : "must be given alone: give company_id or name, not both" });
  })
  // A valid input, for tools that start from one (the reliability suite breaks it one field at a time).
  .meta({ examples: [{ company_id: "acme" }] });

/**
 * Input of `ListCompanies`: nothing (every company).
 *
 * @example
 * ListCompaniesInput.parse({});
 */
export const ListCompaniesInput = z.strictObject({});

/**
 * Input of `AttachContactToCompany` and `DetachContactFromCompany`: the contact's and the
 * company's Intercom ids.
 *
 * @example
 * ContactCompanyInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c", id: "6762f0761bb69f9f2193bae2" });
 */
export const ContactCompanyInput = z.strictObject({ contact_id: ContactIdInput, id: IntercomCompanyIdInput });

/**
 * The companies area's operations.
 *
 * @example
 * COMPANY_OPERATIONS.GetCompany.outputName; // "Company"
 */
export const COMPANY_OPERATIONS = {
  CreateOrUpdateCompany: defineOperation({
    id: "CreateOrUpdateCompany",
    kind: "action",
    summary: "Create or update a company",
    seedName: "",
    description: "Creates a company with this company_id, or updates the one that has it (safe to retry). Returns the company.",
    input: CreateOrUpdateCompanyInput,
    output: Company,
    outputName: "Company",
  }),
  GetCompany: defineOperation({
    id: "GetCompany",
    kind: "action",
    summary: "Get a company",
    seedName: "",
    description: "Gets one company by Intercom's id. Returns the company.",
    input: GetCompanyInput,
    output: Company,
    outputName: "Company",
  }),
  FindCompany: defineOperation({
    id: "FindCompany",
    kind: "action",
    summary: "Find a company by company_id or name",
    seedName: "",
    description: "Finds a company by the company_id you gave it, or by its name (the first match). Returns the company, or not_found.",
    input: FindCompanyInput,
    output: Company,
    outputName: "Company",
  }),
  ListCompanies: defineOperation({
    id: "ListCompanies",
    kind: "action",
    summary: "List all companies",
    seedName: "",
    description: "Lists every company of the workspace, with or without contacts, through Intercom's scroll. Returns the companies.",
    input: ListCompaniesInput,
    output: z.array(Company),
    outputName: "ListCompanies_Response",
  }),
  AttachContactToCompany: defineOperation({
    id: "AttachContactToCompany",
    kind: "action",
    summary: "Attach a contact to a company",
    seedName: "",
    description: "Attaches a contact to a company (attaching twice is one attachment). Returns the company.",
    input: ContactCompanyInput,
    output: Company,
    outputName: "Company",
  }),
  DetachContactFromCompany: defineOperation({
    id: "DetachContactFromCompany",
    kind: "action",
    summary: "Detach a contact from a company",
    seedName: "",
    description: "Detaches a contact from a company. Returns the company.",
    input: ContactCompanyInput,
    output: Company,
    outputName: "Company",
  }),
} as const;
