import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Tag } from "../../contract/catalogue/tags.js";
import { definePagedAction, type FetchedPage } from "../define-paged-action.js";
import { mapTag, WireTagList } from "./wire.js";

/**
 * `ListTags`: every tag of the workspace. Intercom answers them all in one page (`GET /tags` is
 * not paged), so the list is one page and one call.
 *
 * @example
 * const tags = await listTags.run(intercom, {});
 * if (tags.ok) for await (const tag of tags.value) console.log(tag.name);
 */
export const listTags = definePagedAction({
  id: "ListTags",
  cursorPrefix: "tags",
  // Intercom gives every tag at once: a face's page-size request up to this is accepted and has no effect.
  maxPageSize: 10_000,
  async fetchPage(intercom): Promise<Result<FetchedPage<Tag>, ConnectorError>> {
    const list = await intercom.request({ what: "GET /tags", answer: WireTagList, send: (sdk, options) => sdk.tags.list(options) });
    return list.ok ? ok({ items: list.value.data.map(mapTag), nextAfter: null }) : list;
  },
});
