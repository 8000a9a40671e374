import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Tag } from "../../contract/catalogue/tags.js";
import { defineAction } from "../define-action.js";
import { mapTag, WireTag } from "./wire.js";

/**
 * `TagContact`: `POST /contacts/{id}/tags {id}`. Intercom keeps a tag's first application, so
 * tagging twice is one tag (and the same `applied_at`).
 *
 * @example
 * const tag = await tagContact.run(intercom, { contact_id: "6762f0a51bb69f9f2193bb5c", tag_id: "17" });
 * if (tag.ok) console.log(tag.value.applied_at);
 */
export const tagContact = defineAction({
  id: "TagContact",
  async execute(intercom, input): Promise<Result<Tag, ConnectorError>> {
    const tag = await intercom.request({
      what: "POST /contacts/{id}/tags",
      answer: WireTag,
      pathIds: [input.contact_id],
      // Intercom's 404 does not say which: an unknown contact or an unknown tag.
      notFound: { resource: "contact or tag", id: `${input.contact_id} / ${input.tag_id}` },
      send: (sdk, options) => sdk.tags.tagContact({ contact_id: input.contact_id, id: input.tag_id }, options),
    });
    return tag.ok ? ok(mapTag(tag.value)) : tag;
  },
});
