import { z } from "zod";
import { IsoTimestamp } from "./fields.js";

// Output shapes are strict: the mapping must produce exactly the contract's paths, each present,
// null where Intercom 2.x no longer carries the value. New paths are added here first.

const nullableString = z.string().nullable();

/**
 * `location_data` of a contact shape. Latitude, longitude, postal code and time zone are not in
 * API 2.x: always null.
 *
 * @example
 * LocationData.parse({ city_name: "Lisbon", country_name: "Portugal", region_name: "Lisbon", latitude: null, longitude: null, postal_code: null, timezone: null });
 */
export const LocationData = z.strictObject({
  city_name: nullableString,
  country_name: nullableString,
  region_name: nullableString,
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  postal_code: nullableString,
  timezone: nullableString,
});
/** A contact's location as the contract has it. */
export type LocationData = z.output<typeof LocationData>;

/**
 * `avatar` of a contact shape.
 *
 * @example
 * Avatar.parse({ image_url: null });
 */
export const Avatar = z.strictObject({ image_url: nullableString });
/** A contact's avatar as the contract has it. */
export type Avatar = z.output<typeof Avatar>;

const contactPaths = {
  id: z.string(),
  created_at: IsoTimestamp,
  user_id: nullableString,
  email: nullableString,
  phone: nullableString,
  name: nullableString,
  avatar: Avatar,
  unsubscribed_from_emails: z.boolean().nullable(),
  location_data: LocationData,
};
const userOnlyPaths = {
  session_count: z.number().int().nullable(),
  pseudonym: nullableString,
};

/**
 * A list of named things, `{ companies: [{ name }] }`: the seed's shape for both the companies
 * and (under the same key, `companies`) the tags of a contact in trigger outputs.
 *
 * @example
 * NamedList.parse({ companies: [{ name: "Acme" }] });
 */
export const NamedList = z.strictObject({ companies: z.array(z.strictObject({ name: z.string() })) });
/** Names of companies or tags as trigger outputs carry them. */
export type NamedList = z.output<typeof NamedList>;

/**
 * `User_Response`: a contact with role `user` (CreateUser, GetUser).
 *
 * @example
 * const user: User_Response = User_Response.parse(mapUser(contact));
 */
export const User_Response = z.strictObject({ ...contactPaths, ...userOnlyPaths });
/** A user as the actions return it. */
export type User_Response = z.output<typeof User_Response>;

/**
 * `Lead_Response`: a contact with role `lead` (CreateLead, GetLead, ListLeads items).
 *
 * @example
 * const lead: Lead_Response = Lead_Response.parse(mapLead(contact));
 */
export const Lead_Response = z.strictObject(contactPaths);
/** A lead as the actions return it. */
export type Lead_Response = z.output<typeof Lead_Response>;

/**
 * `ListLeads_Response`: every lead (paged over HTTP, streamed in the library and CLI).
 *
 * @example
 * ListLeads_Response.parse([]);
 */
export const ListLeads_Response = z.array(Lead_Response);
/** All leads as one array (what a single HTTP page holds a slice of). */
export type ListLeads_Response = z.output<typeof ListLeads_Response>;

/**
 * `TrigUser_Response`: a user with the names of its companies and tags (TrigNewUser, TrigUpdateUser).
 *
 * @example
 * TrigUser_Response.parse({ ...user, companies: { companies: [{ name: "Acme" }] }, tags: { companies: [] } });
 */
export const TrigUser_Response = z.strictObject({ ...contactPaths, ...userOnlyPaths, companies: NamedList, tags: NamedList });
/** A user as the user triggers emit it. */
export type TrigUser_Response = z.output<typeof TrigUser_Response>;

/**
 * `TrigLead_Response`: a lead with the names of its companies and tags (TrigNewLead).
 *
 * @example
 * TrigLead_Response.parse({ ...lead, companies: { companies: [] }, tags: { companies: [{ name: "vip" }] } });
 */
export const TrigLead_Response = z.strictObject({ ...contactPaths, companies: NamedList, tags: NamedList });
/** A lead as the lead trigger emits it. */
export type TrigLead_Response = z.output<typeof TrigLead_Response>;

/**
 * `TrigConversation_Response`: a conversation started by a contact (TrigNewConversation).
 *
 * @example
 * TrigConversation_Response.shape.user.parse({ id: "6762f0a51bb69f9f2193bb5c", type: "lead" });
 */
export const TrigConversation_Response = z.strictObject({
  id: z.string(),
  created_at: IsoTimestamp,
  updated_at: IsoTimestamp,
  assignee: z.strictObject({ id: nullableString }),
  conversation_message: z.strictObject({
    author: z.strictObject({ id: nullableString, type: nullableString }),
    body: nullableString,
    subject: nullableString,
    url: nullableString,
  }),
  user: z.strictObject({ id: nullableString, type: z.enum(["user", "lead"]).nullable() }),
});
/** A conversation as the conversation trigger emits it. */
export type TrigConversation_Response = z.output<typeof TrigConversation_Response>;
