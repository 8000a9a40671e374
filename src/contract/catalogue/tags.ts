import { z } from "zod";
import { defineOperation } from "../define-operation.js";
import { IdField, TextField } from "../fields.js";
import { pickedFrom } from "../pickers.js";

// The tags area: Intercom's `tag` object (2.14) and the six tag operations. Ids are Intercom's:
// a tag id and a contact or company id go into request paths, so they are IdFields.

const TagIdInput = IdField.meta({ title: "Tag ID", description: "Intercom's id of the tag (ListTags gives it).", ...pickedFrom("tags") });
const ContactIdInput = IdField.meta({ title: "Contact ID", description: "Intercom's id of the contact (user or lead)." });
const CompanyIdInput = IdField.meta({ title: "Company ID", description: "Intercom's id of the company (not the company_id you gave it).", ...pickedFrom("companies") });
const TagNameInput = TextField.min(1, { error: "must not be empty" }).meta({ title: "Tag Name", description: "The name of the tag." });

/**
 * Who applied a tag (`reference` in Intercom's description): an admin, or null.
 *
 * @example
 * TagAppliedBy.parse({ type: "admin", id: "991200" });
 */
export const TagAppliedBy = z
  .strictObject({
    type: z.string().meta({ title: "Type", description: "The type of who applied the tag: admin." }),
    id: z.string().nullable().meta({ title: "Admin ID", description: "Intercom's id of the admin who applied the tag." }),
  })
  .nullable()
  .meta({ title: "Applied By", description: "Who applied the tag; null when not answered as part of a tagging." });

/**
 * Intercom's `tag` object (2.14): `applied_at` and `applied_by` are null unless the tag comes
 * from a tagging (TagContact, UntagContact).
 *
 * @example
 * Tag.parse({ type: "tag", id: "17", name: "vip", applied_at: null, applied_by: null });
 */
export const Tag = z.strictObject({
  type: z.literal("tag").meta({ title: "Type", description: "Always tag." }),
  id: z.string().meta({ title: "Tag ID", description: "Intercom's id of the tag." }),
  name: z.string().meta({ title: "Tag Name", description: "The name of the tag." }),
  applied_at: z.number().int().nullable().meta({ title: "Applied At", description: "When the tag was applied (Unix seconds); null unless answered by a tagging." }),
  applied_by: TagAppliedBy,
});
/** A tag as the tag operations return it. */
export type Tag = z.output<typeof Tag>;

/**
 * Input of `ListTags`: nothing.
 *
 * @example
 * ListTagsInput.parse({});
 */
export const ListTagsInput = z.strictObject({});

/**
 * Input of `CreateTag`: the name (an existing name answers the existing tag).
 *
 * @example
 * CreateTagInput.parse({ name: "vip" });
 */
export const CreateTagInput = z.strictObject({ name: TagNameInput });

/**
 * Input of `TagContact` and `UntagContact`: the contact's and the tag's Intercom ids.
 *
 * @example
 * ContactTagInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c", tag_id: "17" });
 */
export const ContactTagInput = z.strictObject({ contact_id: ContactIdInput, tag_id: TagIdInput });

/**
 * Input of `TagCompany` and `UntagCompany`: the tag's name and the company's Intercom id.
 *
 * @example
 * CompanyTagInput.parse({ name: "vip", id: "6762f0761bb69f9f2193bae2" });
 */
export const CompanyTagInput = z.strictObject({ name: TagNameInput.meta({ title: "Tag Name", description: "The name of the tag (a new name makes the tag).", ...pickedFrom("tag_names") }), id: CompanyIdInput });

/**
 * The tags area's operations.
 *
 * @example
 * TAG_OPERATIONS.TagContact.summary; // "Tag a contact"
 */
export const TAG_OPERATIONS = {
  ListTags: defineOperation({
    id: "ListTags",
    kind: "action",
    summary: "List tags",
    seedName: "",
    description: "Lists every tag of the workspace (one Intercom call). Returns Intercom's tag objects.",
    input: ListTagsInput,
    output: z.array(Tag),
    outputName: "ListTags_Response",
  }),
  CreateTag: defineOperation({
    id: "CreateTag",
    kind: "action",
    summary: "Create a tag",
    seedName: "",
    description: "Creates a tag with this name, or returns the existing tag of that name. Safe to retry.",
    input: CreateTagInput,
    output: Tag,
    outputName: "Tag",
  }),
  TagContact: defineOperation({
    id: "TagContact",
    kind: "action",
    summary: "Tag a contact",
    seedName: "",
    description: "Applies a tag to a contact; tagging twice is one tag. Returns the tag with when and by whom it was applied.",
    input: ContactTagInput,
    output: Tag,
    outputName: "Tag",
  }),
  UntagContact: defineOperation({
    id: "UntagContact",
    kind: "action",
    summary: "Remove a tag from a contact",
    seedName: "",
    description: "Removes a tag from a contact. Returns the tag removed; not_found when the contact does not have it.",
    input: ContactTagInput,
    output: Tag,
    outputName: "Tag",
  }),
  TagCompany: defineOperation({
    id: "TagCompany",
    kind: "action",
    summary: "Tag a company",
    seedName: "",
    description: "Applies a tag, by name, to a company; the tag is created when no tag has the name. Returns the tag.",
    input: CompanyTagInput,
    output: Tag,
    outputName: "Tag",
  }),
  UntagCompany: defineOperation({
    id: "UntagCompany",
    kind: "action",
    summary: "Remove a tag from a company",
    seedName: "",
    description: "Removes a tag, by name, from a company; nothing changes when the company does not have it. Returns the tag.",
    input: CompanyTagInput,
    output: Tag,
    outputName: "Tag",
  }),
} as const;
