import { createTag } from "./createTag.js";
import { listTags } from "./listTags.js";
import { tagCompany, untagCompany } from "./tagCompany.js";
import { tagContact } from "./tagContact.js";
import { untagContact } from "./untagContact.js";

/**
 * The tags area's actions by id, spread into `CATALOGUE_ACTIONS`.
 *
 * @example
 * await TAG_ACTIONS.TagContact.run(intercom, { contact_id, tag_id });
 */
export const TAG_ACTIONS = {
  ListTags: listTags,
  CreateTag: createTag,
  TagContact: tagContact,
  UntagContact: untagContact,
  TagCompany: tagCompany,
  UntagCompany: untagCompany,
} as const;
