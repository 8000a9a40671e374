import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { Tag } from "../../contract/catalogue/tags.js";
import type { IntercomTransport } from "../../intercom/index.js";
import { defineAction } from "../define-action.js";
import { mapTag, WireTag } from "./wire.js";

/**
 * Tags or untags one company through `POST /tags {name, companies: [{id, untag?}]}`, the one
 * call Intercom has for both. The company's id is not in the path: it is checked by the contract.
 *
 * @example
 * const tag = await tagOrUntagCompany(intercom, { name: "vip", id: "6762f0761bb69f9f2193bae2" }, true);
 */
export async function tagOrUntagCompany(intercom: IntercomTransport, input: { name: string; id: string }, untag: boolean): Promise<Result<Tag, ConnectorError>> {
  const tag = await intercom.request({
    what: "POST /tags",
    answer: WireTag,
    // Intercom's 404 is an unknown company, or (untagging) no tag of that name.
    notFound: untag ? { resource: `company (or tag named ${JSON.stringify(input.name)})`, id: input.id } : { resource: "company", id: input.id },
    send: (sdk, options) => sdk.tags.create({ name: input.name, companies: [untag ? { id: input.id, untag: true } : { id: input.id }] }, options),
  });
  return tag.ok ? ok(mapTag(tag.value)) : tag;
}

/**
 * `TagCompany`: applies the tag named `name` to a company, creating the tag when no tag has the
 * name. Tagging twice is one tag.
 *
 * @example
 * const tag = await tagCompany.run(intercom, { name: "vip", id: "6762f0761bb69f9f2193bae2" });
 */
export const tagCompany = defineAction({
  id: "TagCompany",
  execute: (intercom, input) => tagOrUntagCompany(intercom, input, false),
});

/**
 * `UntagCompany`: removes the tag named `name` from a company; a company without it is unchanged.
 *
 * @example
 * const tag = await untagCompany.run(intercom, { name: "vip", id: "6762f0761bb69f9f2193bae2" });
 */
export const untagCompany = defineAction({
  id: "UntagCompany",
  execute: (intercom, input) => tagOrUntagCompany(intercom, input, true),
});
