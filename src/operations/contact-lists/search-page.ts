import { z } from "zod";
import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import { Contact } from "../../contract/catalogue/contacts.js";
import type { SearchContactsQuery } from "../../contract/catalogue/search-query.js";
import type { IntercomTransport } from "../../intercom/index.js";
import type { FetchedPage, PageRequest } from "../define-paged-action.js";

/**
 * One page of `POST /contacts/search` as Intercom answers it (`contact_list`), its items read as
 * the contract's {@link Contact}.
 *
 * @example
 * SearchContactsAnswer.parse({ type: "list", data: [], total_count: 0, pages: { type: "pages", page: 1, per_page: 50, total_pages: 0 } });
 */
export const SearchContactsAnswer = z.looseObject({
  type: z.literal("list"),
  data: z.array(Contact),
  total_count: z.number().nullish(),
  pages: z.looseObject({ next: z.looseObject({ starting_after: z.string().nullish() }).nullish() }).nullish(),
});

/** A search's order (`sort` of Intercom's search body). */
export interface SearchSort {
  field: string;
  order: "ascending" | "descending";
}

/**
 * One page of a contact search through the transport's rules: the query as given, Intercom's
 * `starting_after` as the next page's cursor (null at the end).
 *
 * @example
 * const page = await searchContactsPage(intercom, { field: "role", operator: "=", value: "user" }, undefined, { pageSize: 150 });
 * if (page.ok) console.log(page.value.items.length, page.value.nextAfter);
 */
export async function searchContactsPage(
  intercom: IntercomTransport,
  query: SearchContactsQuery,
  sort: SearchSort | undefined,
  { after, pageSize }: PageRequest,
): Promise<Result<FetchedPage<Contact>, ConnectorError>> {
  const body = {
    query,
    pagination: { per_page: pageSize, ...(after === undefined ? {} : { starting_after: after }) },
    ...(sort === undefined ? {} : { sort }),
  };
  const answer = await intercom.request({
    what: "POST /contacts/search",
    answer: SearchContactsAnswer,
    // The SDK's request type lacks `sort`, `<=`/`>=` and boolean values; the API takes them all.
    send: async (sdk, options) => (await sdk.contacts.search(body as never, options)).response,
  });
  if (!answer.ok) return answer;
  const next = answer.value.pages?.next?.starting_after;
  return ok({ items: answer.value.data, nextAfter: next === undefined || next === null || next === "" ? null : next });
}
