import type { Tag } from "../../contract/catalogue/tags.js";
import { err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { mapTag, WireTag } from "../tags/wire.js";
import { adminRule, isMissing, missingError, orMissing, sendNaming, type MissingRule } from "./wire.js";

/** The 404s of a conversation tagging: the tag's own code, the admin's, else the conversation. */
export function taggingRules(input: { tag_id: string; admin_id: string }): MissingRule[] {
  return [{ code: "tag_not_found", resource: "tag", id: input.tag_id, field: "tag_id" }, adminRule(input.admin_id)];
}

/**
 * `TagConversation`: `POST /conversations/{id}/tags {id, admin_id}`. Intercom keeps a tag's
 * first application, so tagging twice is one tag. Safe to retry.
 *
 * @example
 * const tag = await tagConversation.run(intercom, { conversation_id: "1001", tag_id: "17", admin_id: "991200" });
 * if (tag.ok) console.log(tag.value.applied_at);
 */
export const tagConversation = defineAction({
  id: "TagConversation",
  async execute(intercom, input): Promise<Result<Tag, ConnectorError>> {
    const { conversation_id, tag_id, admin_id } = input;
    const answer = await intercom.request({
      what: "POST /conversations/{id}/tags",
      answer: orMissing(WireTag),
      pathIds: [conversation_id, tag_id],
      notFound: { resource: "conversation", id: conversation_id },
      send: (sdk, options) => sendNaming(() => sdk.tags.tagConversation({ conversation_id, id: tag_id, admin_id }, options), taggingRules(input)),
    });
    if (!answer.ok) return answer;
    return isMissing(answer.value) ? err(missingError(answer.value)) : ok(mapTag(answer.value));
  },
});
