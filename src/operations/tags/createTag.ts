import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Tag } from "../../contract/catalogue/tags.js";
import { defineAction } from "../define-action.js";
import { mapTag, WireTag } from "./wire.js";

/**
 * `CreateTag`: `POST /tags {name}`. Intercom answers the existing tag for a name it has, so a
 * retry never makes a second tag.
 *
 * @example
 * const tag = await createTag.run(intercom, { name: "vip" });
 * if (tag.ok) console.log(tag.value.id);
 */
export const createTag = defineAction({
  id: "CreateTag",
  async execute(intercom, input): Promise<Result<Tag, ConnectorError>> {
    const tag = await intercom.request({ what: "POST /tags", answer: WireTag, send: (sdk, options) => sdk.tags.create({ name: input.name }, options) });
    return tag.ok ? ok(mapTag(tag.value)) : tag;
  },
});
