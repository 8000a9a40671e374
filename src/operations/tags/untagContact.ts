import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Tag } from "../../contract/catalogue/tags.js";
import { defineAction } from "../define-action.js";
import { mapTag, WireTag } from "./wire.js";

/**
 * `UntagContact`: `DELETE /contacts/{id}/tags/{tag_id}`. A contact without the tag (or an
 * unknown contact or tag) is `not_found`: Intercom answers 404 for each.
 *
 * @example
 * const removed = await untagContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", tag_id: "17" });
 */
export const untagContact = defineAction({
  id: "UntagContact",
  async execute(intercom, input): Promise<Result<Tag, ConnectorError>> {
    const tag = await intercom.request({
      what: "DELETE /contacts/{id}/tags/{tag_id}",
      answer: WireTag,
      pathIds: [input.contact_id, input.tag_id],
      notFound: { resource: "tag on the contact", id: input.tag_id },
      send: (sdk, options) => sdk.tags.untagContact({ contact_id: input.contact_id, tag_id: input.tag_id }, options),
    });
    return tag.ok ? ok(mapTag(tag.value)) : tag;
  },
});
