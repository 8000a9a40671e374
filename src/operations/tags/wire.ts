import { z } from "zod";
import type { Tag } from "../../contract/catalogue/tags.js";

// Intercom's tag answers as the tags area reads them (2.14 `tag`, `tag_list`): loose, so a field
// Intercom adds never breaks a call; the mapping below gives the contract's exact shape.

/**
 * A `tag` as Intercom answers it; `applied_*` only come with a tagging.
 *
 * @example
 * WireTag.parse({ type: "tag", id: "17", name: "vip" });
 */
export const WireTag = z.looseObject({
  type: z.literal("tag"),
  id: z.string().min(1),
  name: z.string(),
  applied_at: z.number().int().nullish(),
  applied_by: z.looseObject({ type: z.string().nullish(), id: z.string().nullish() }).nullish(),
});
/** A tag as Intercom answers it. */
export type WireTag = z.output<typeof WireTag>;

/**
 * `GET /tags`'s answer (`tag_list`).
 *
 * @example
 * WireTagList.parse({ type: "list", data: [] });
 */
export const WireTagList = z.looseObject({ data: z.array(WireTag) });

/**
 * Intercom's tag as the contract's `Tag`: every field present, null where Intercom left it out.
 *
 * @example
 * mapTag({ type: "tag", id: "17", name: "vip" }); // { type: "tag", id: "17", name: "vip", applied_at: null, applied_by: null }
 */
export function mapTag(tag: WireTag): Tag {
  const by = tag.applied_by;
  return {
    type: "tag",
    id: tag.id,
    name: tag.name,
    applied_at: tag.applied_at ?? null,
    applied_by: by === null || by === undefined ? null : { type: by.type ?? "admin", id: by.id ?? null },
  };
}
