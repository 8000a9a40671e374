import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { TextField } from "../fields.js";

// Data attributes: Intercom 2.14's `data_attribute` object, and the inputs of
// ListDataAttributes and CreateDataAttribute.

/**
 * A data attribute (standard or custom) of contacts, companies or conversations, as Intercom
 * 2.14's `data_attribute` object. Standard attributes have no id.
 *
 * @example
 * DataAttribute.parse({ type: "data_attribute", name: "plan", full_name: "custom_attributes.plan", label: "plan", data_type: "string", model: "contact" });
 */
export const DataAttribute = z.object({
  type: z.string().meta({ title: "Type", description: "Always data_attribute." }),
  id: z.number().int().optional().meta({ title: "Data Attribute ID", description: "Intercom's id of a custom attribute; standard attributes have none." }),
  model: z.string().optional().meta({ title: "Model", description: "What the attribute describes: contact, company or conversation." }),
  name: z.string().meta({ title: "Name", description: "The attribute's name." }),
  full_name: z.string().optional().meta({ title: "Full Name", description: "Its path in the object, such as custom_attributes.plan." }),
  label: z.string().optional().meta({ title: "Label", description: "The attribute's label in Intercom's UI." }),
  description: z.string().optional().meta({ title: "Description", description: "What the attribute is for." }),
  data_type: z.string().meta({ title: "Data Type", description: "string, integer, float, boolean or date." }),
  options: z.array(z.string()).optional().meta({ title: "Options", description: "The values a list attribute takes." }),
  api_writable: z.boolean().optional().meta({ title: "API Writable", description: "Whether the API can set it." }),
  messenger_writable: z.boolean().optional().meta({ title: "Messenger Writable", description: "Whether the Messenger can set it." }),
  ui_writable: z.boolean().optional().meta({ title: "UI Writable", description: "Whether teammates can set it in Intercom." }),
  custom: z.boolean().optional().meta({ title: "Custom", description: "Whether the workspace defined it (not one of Intercom's standard attributes)." }),
  archived: z.boolean().optional().meta({ title: "Archived", description: "Whether the attribute is archived." }),
  created_at: z.number().int().optional().meta({ title: "Created At", description: "When it was created, unix seconds (custom attributes)." }),
  updated_at: z.number().int().optional().meta({ title: "Updated At", description: "When it was last changed, unix seconds (custom attributes)." }),
  admin_id: z.string().optional().meta({ title: "Admin ID", description: "The admin who created it (custom attributes)." }),
});
/** A data attribute as ListDataAttributes and CreateDataAttribute return it. */
export type DataAttribute = z.output<typeof DataAttribute>;

/**
 * ListDataAttributes' input: optionally one model, and whether archived attributes are included.
 *
 * @example
 * ListDataAttributesInput.parse({ model: "company", include_archived: true });
 */
export const ListDataAttributesInput = z.strictObject({
  model: z
    .enum(["contact", "company", "conversation"], { error: "must be contact, company or conversation" })
    .optional()
    .meta({ title: "Model", description: "Only the attributes of contacts, companies or conversations; all of them when left out." }),
  include_archived: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Include Archived", description: "Also list archived attributes (false by default)." }),
});

/** The types Intercom takes for a new attribute; `options` is a list of values to pick from. */
const NEW_DATA_TYPES = ["string", "integer", "float", "boolean", "date", "datetime", "options"] as const;

/**
 * CreateDataAttribute's input. A list (`data_type: "options"`) needs `options`, at least two
 * distinct values; other types take none. Intercom checks the name itself (its rules name the
 * field in its 400).
 *
 * @example
 * CreateDataAttributeInput.parse({ name: "plan", model: "contact", data_type: "options", options: ["free", "pro"] });
 */
export const CreateDataAttributeInput = z
  .strictObject({
    name: TextField.trim().min(1, { error: "must not be empty" }).meta({ title: "Name", description: "The attribute's name: letters, digits, currency symbols and hyphens." }),
    model: z.enum(["contact", "company"], { error: "must be contact or company" }).meta({ title: "Model", description: "Whether the attribute describes contacts or companies." }),
    data_type: z.enum(NEW_DATA_TYPES, { error: `must be one of ${NEW_DATA_TYPES.join(", ")}` }).meta({ title: "Data Type", description: "string, integer, float, boolean, date, datetime, or options (a list of values)." }),
    description: TextField.optional().meta({ title: "Description", description: "What the attribute is for." }),
    options: z
      .array(TextField.min(1, { error: "must not be empty" }), { error: "must be a list of values" })
      .max(100, { error: "must have at most 100 values" })
      .optional()
      .meta({ title: "Options", description: "The values of a list attribute (data_type options): at least two." }),
    messenger_writable: z.boolean({ error: "must be true or false" }).optional().meta({ title: "Messenger Writable", description: "Whether the Messenger may set it." }),
  })
  .superRefine((input, ctx) => {
    if (input.data_type === "options") {
      if (input.options === undefined || new Set(input.options).size < 2) ctx.addIssue({ code: "custom", path: ["options"], message: "must list at least two distinct values for a list attribute" });
    } else if (input.options !== undefined) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "is only for data_type options" });
    }
  })
  // A valid input, for tools that start from one (the reliability suite breaks it one field at a time).
  .meta({ examples: [{ name: "plan_tier", model: "contact", data_type: "string" }] });

/**
 * The data attributes area.
 *
 * @example
 * DATA_ATTRIBUTE_OPERATIONS.ListDataAttributes.input.parse({ model: "contact" });
 */
export const DATA_ATTRIBUTE_OPERATIONS = {
  ListDataAttributes: defineOperation({
    id: "ListDataAttributes",
    kind: "action",
    summary: "List data attributes",
    seedName: "",
    description: "Returns the data attributes of contacts, companies or conversations, standard ones first, then the workspace's custom ones.",
    input: ListDataAttributesInput,
    output: z.array(DataAttribute),
    outputName: "DataAttributeList",
  }),
  CreateDataAttribute: defineOperation({
    id: "CreateDataAttribute",
    kind: "action",
    summary: "Create a data attribute",
    seedName: "",
    description: "Creates a custom data attribute for contacts or companies and returns it.",
    input: CreateDataAttributeInput,
    output: DataAttribute,
    outputName: "DataAttribute",
  }),
} as const;
