import type { Tag } from "../../contract/catalogue/tags.js";
import { err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { mapTag, WireTag } from "../tags/wire.js";
import { taggingRules } from "./tagConversation.js";
import { isMissing, missingError, orMissing, sendNaming } from "./wire.js";

/**
 * `UntagConversation`: `DELETE /conversations/{id}/tags/{tag_id} {admin_id}`; answers the tag.
 * Safe to retry.
 *
 * @example
 * const removed = await untagConversation.run(intercom, { conversation_id: "1001", tag_id: "17", admin_id: "991200" });
 */
export const untagConversation = defineAction({
  id: "UntagConversation",
  async execute(intercom, input): Promise<Result<Tag, ConnectorError>> {
    const { conversation_id, tag_id, admin_id } = input;
    const answer = await intercom.request({
      what: "DELETE /conversations/{id}/tags/{tag_id}",
      answer: orMissing(WireTag),
      pathIds: [conversation_id, tag_id],
      notFound: { resource: "conversation", id: conversation_id },
      send: (sdk, options) => sendNaming(() => sdk.tags.untagConversation({ conversation_id, tag_id, admin_id }, options), taggingRules(input)),
    });
    if (!answer.ok) return answer;
    return isMissing(answer.value) ? err(missingError(answer.value)) : ok(mapTag(answer.value));
  },
});
