import { z } from "zod";

// Pickers: where a person would otherwise paste an id (a tag, a company, an admin…), the
// contract marks the field with the picker that lists the candidates. The Swagger file turns the
// mark into Power Automate's `x-ms-dynamic-values`, served by one internal operation; any face
// may offer the same lists (`Runtime.pick`).

/**
 * Every picker: what it lists and which property of an item is the value a field takes.
 *
 * @example
 * PICKERS.tags.value; // "id"
 */
export const PICKERS = {
  tags: { lists: "the workspace's tags", value: "Intercom's tag id" },
  tag_names: { lists: "the workspace's tags", value: "the tag's name" },
  companies: { lists: "the workspace's companies that have contacts (Intercom lists no others), most recently active first, up to 50", value: "Intercom's company id" },
  company_ids: { lists: "the workspace's companies that have contacts (Intercom lists no others), most recently active first, up to 50", value: "the company_id you gave the company" },
  admins: { lists: "the workspace's admins (teammates)", value: "the admin's id" },
  teams: { lists: "the workspace's teams", value: "the team's id" },
  ticket_types: { lists: "the workspace's ticket types (not archived)", value: "the ticket type's id" },
  contact_attributes: { lists: "the data attributes of contacts, standard and custom (not archived)", value: "the attribute's path in search (custom_attributes.<name> for a custom one)" },
  company_attributes: { lists: "the data attributes of companies, standard and custom (not archived)", value: "the attribute's path in search (custom_attributes.<name> for a custom one)" },
} as const satisfies Record<string, { lists: string; value: string }>;

/** A picker's id. */
export type PickerId = keyof typeof PICKERS;

/**
 * The picker ids, in the registry's order.
 *
 * @example
 * PICKER_IDS.includes("tags"); // true
 */
export const PICKER_IDS = Object.keys(PICKERS) as PickerId[];

/** The schema key that names a field's picker (turned into `x-ms-dynamic-values` by the Swagger file). */
export const PICKER_KEY = "x-picker";

/**
 * The `.meta()` that marks a field with its picker.
 *
 * @example
 * const TagIdInput = IdField.meta({ title: "Tag ID", description: "…", ...pickedFrom("tags") });
 */
export function pickedFrom(picker: PickerId): { [PICKER_KEY]: PickerId } {
  return { [PICKER_KEY]: picker };
}

/**
 * One candidate of a picker: the value the field takes and what a person reads.
 *
 * @example
 * PickerItem.parse({ id: "17", title: "vip" });
 */
export const PickerItem = z.strictObject({
  id: z.string().meta({ title: "Value", description: "The value the field takes." }),
  title: z.string().meta({ title: "Title", description: "What the picker shows." }),
});
/** One candidate of a picker. */
export type PickerItem = z.output<typeof PickerItem>;

/**
 * What a picker answers: its candidates, in the order they are offered.
 *
 * @example
 * PickerValues.parse({ value: [{ id: "17", title: "vip" }] });
 */
export const PickerValues = z.strictObject({
  value: z.array(PickerItem).meta({ title: "Values", description: "The candidates, in the order they are offered." }),
});
/** What a picker answers. */
export type PickerValues = z.output<typeof PickerValues>;

/**
 * A picker id as a face receives it: one of {@link PICKER_IDS}.
 *
 * @example
 * PickerIdInput.parse("tags");
 */
export const PickerIdInput = z.enum(PICKER_IDS as [PickerId, ...PickerId[]], { error: `must be one of ${PICKER_IDS.join(", ")}` });

/**
 * The model whose custom attributes a schema describes, as a face receives it.
 *
 * @example
 * AttributeModelInput.parse("contact");
 */
export const AttributeModelInput = z.enum(["contact", "company"], { error: "must be contact or company" });

/**
 * The JSON Schema of a model's custom attributes, one property per live custom data attribute
 * of its type (text, integer, number, boolean; a date as Unix seconds; a list as an enum), so a
 * form (Power Automate's designer through `x-ms-dynamic-schema`) shows each as a field.
 *
 * @example
 * CustomAttributeSchema.parse({ model: "contact", schema: { type: "object", properties: { plan: { type: "string", enum: ["free", "pro"] } } } });
 */
export const CustomAttributeSchema = z.strictObject({
  model: AttributeModelInput.meta({ title: "Model", description: "contact or company." }),
  schema: z
    .strictObject({
      type: z.literal("object"),
      properties: z.record(z.string(), z.record(z.string(), z.unknown())),
    })
    .meta({ title: "Schema", description: "The JSON Schema of the custom_attributes object." }),
});
/** The JSON Schema of a model's custom attributes. */
export type CustomAttributeSchema = z.output<typeof CustomAttributeSchema>;
