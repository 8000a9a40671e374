/**
 * The parts of Intercom 2.14 answers the connector reads, checked at the edge. The SDK's types are
 * not trusted (they say `avatar` is a string; the API sends an object, and many "optional" fields
 * arrive as null), so every answer is parsed here before mapping sees it. Schemas are loose: other
 * fields pass through untouched.
 */
import { z } from "zod";

const optionalText = z.string().nullish();

/** A list of `{ id }` references embedded in a contact (`tags`, `companies`). */
const EmbeddedRefs = z
  .looseObject({
    data: z.array(z.looseObject({ id: z.string() })).nullish(),
    has_more: z.boolean().nullish(),
    total_count: z.number().nullish(),
  })
  .nullish();

/**
 * A contact (`contact` schema).
 *
 * @example
 * const contact = IntercomContact.parse(await sdk.contacts.find({ contact_id }));
 */
export const IntercomContact = z.looseObject({
  type: z.literal("contact"),
  id: z.string().min(1),
  role: z.string(),
  external_id: optionalText,
  email: optionalText,
  phone: optionalText,
  name: optionalText,
  avatar: z.union([z.looseObject({ image_url: optionalText }), z.string(), z.null()]).optional(),
  unsubscribed_from_emails: z.boolean().nullish(),
  created_at: z.number(),
  updated_at: z.number(),
  location: z.looseObject({ city: optionalText, region: optionalText, country: optionalText }).nullish(),
  companies: EmbeddedRefs,
  tags: EmbeddedRefs,
});
/** A contact as Intercom answers it. */
export type IntercomContact = z.output<typeof IntercomContact>;

/** `pages` of a cursor-paged list; `next.starting_after` is present when more follow. */
const CursorPages = z
  .looseObject({ next: z.looseObject({ starting_after: z.string().nullish() }).nullish() })
  .nullish();

/**
 * A page of contacts (`contact_list`), from search or list.
 *
 * @example
 * IntercomContactList.parse(page.response).data.length;
 */
export const IntercomContactList = z.looseObject({
  type: z.literal("list"),
  data: z.array(IntercomContact),
  total_count: z.number().nullish(),
  pages: CursorPages,
});
/** A page of contacts as Intercom answers it. */
export type IntercomContactList = z.output<typeof IntercomContactList>;

/**
 * A company (`company` schema): `id` is Intercom's, `company_id` the customer's.
 *
 * @example
 * IntercomCompany.parse(await sdk.companies.find({ company_id: id })).name;
 */
export const IntercomCompany = z.looseObject({
  type: z.literal("company"),
  id: z.string().min(1),
  company_id: optionalText,
  name: optionalText,
});
/** A company as Intercom answers it. */
export type IntercomCompany = z.output<typeof IntercomCompany>;

/**
 * The answer of `GET /companies?company_id=`: the description says a `company_list`; Intercom
 * has also been seen answering the single `company`. Both are accepted.
 *
 * @example
 * IntercomCompanyLookup.parse({ type: "list", data: [] });
 */
export const IntercomCompanyLookup = z.union([
  IntercomCompany,
  z.looseObject({ type: z.literal("list"), data: z.array(IntercomCompany) }),
]);
/** A company lookup answer. */
export type IntercomCompanyLookup = z.output<typeof IntercomCompanyLookup>;

/**
 * A page of a contact's companies (`contact_attached_companies`, page-numbered).
 *
 * @example
 * IntercomCompanyPage.parse(page.response).companies;
 */
export const IntercomCompanyPage = z.looseObject({
  companies: z.array(IntercomCompany).nullish(),
  pages: z.looseObject({ page: z.number().nullish(), total_pages: z.number().nullish() }).nullish(),
});
/** A page of a contact's companies. */
export type IntercomCompanyPage = z.output<typeof IntercomCompanyPage>;

/**
 * A tag (`tag` schema).
 *
 * @example
 * IntercomTag.parse({ type: "tag", id: "1", name: "vip" });
 */
export const IntercomTag = z.looseObject({ type: z.literal("tag"), id: z.string().min(1), name: z.string() });
/** A tag as Intercom answers it. */
export type IntercomTag = z.output<typeof IntercomTag>;

/**
 * A list of tags (`tag_list`).
 *
 * @example
 * IntercomTagList.parse(await sdk.tags.list()).data;
 */
export const IntercomTagList = z.looseObject({ data: z.array(IntercomTag) });
/** A list of tags as Intercom answers it. */
export type IntercomTagList = z.output<typeof IntercomTagList>;

/**
 * A conversation (`conversation` schema), the parts the contract maps.
 *
 * @example
 * IntercomConversation.parse(await sdk.conversations.find({ conversation_id })).source.author.type;
 */
export const IntercomConversation = z.looseObject({
  type: z.literal("conversation"),
  id: z.string().min(1),
  created_at: z.number(),
  updated_at: z.number(),
  admin_assignee_id: z.union([z.number(), z.string()]).nullish(),
  source: z
    .looseObject({
      type: optionalText,
      delivered_as: optionalText,
      subject: optionalText,
      body: optionalText,
      url: optionalText,
      author: z.looseObject({ id: z.union([z.string(), z.number()]).nullish(), type: optionalText }).nullish(),
    })
    .nullish(),
  contacts: z
    .looseObject({ contacts: z.array(z.looseObject({ id: z.string(), external_id: optionalText })).nullish() })
    .nullish(),
});
/** A conversation as Intercom answers it. */
export type IntercomConversation = z.output<typeof IntercomConversation>;

/**
 * A page of conversations (`conversation_list`), from search.
 *
 * @example
 * IntercomConversationList.parse(page.response).conversations.length;
 */
export const IntercomConversationList = z.looseObject({
  type: z.string().nullish(),
  conversations: z.array(IntercomConversation),
  total_count: z.number().nullish(),
  pages: CursorPages,
});
/** A page of conversations as Intercom answers it. */
export type IntercomConversationList = z.output<typeof IntercomConversationList>;
