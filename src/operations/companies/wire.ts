import { z } from "zod";
import type { Company } from "../../contract/catalogue/companies.js";

// Intercom's company answers as the companies area reads them (2.14 `company`, `company_list`,
// `company_scroll`): loose, so a field Intercom adds never breaks a call; `mapCompany` gives the
// contract's exact shape.

const text = z.string().nullish();
const int = z.number().nullish();
const Ref = z.looseObject({ type: z.string().nullish(), id: z.string(), name: text });

/**
 * A `company` as Intercom answers it; Intercom leaves unset fields out.
 *
 * @example
 * WireCompany.parse({ type: "company", id: "6762f0761bb69f9f2193bae2", company_id: "acme" });
 */
export const WireCompany = z.looseObject({
  type: z.literal("company"),
  id: z.string().min(1),
  company_id: text,
  name: text,
  app_id: text,
  plan: z.looseObject({ type: z.string().nullish(), id: text, name: text }).nullish(),
  remote_created_at: int,
  created_at: int,
  updated_at: int,
  last_request_at: int,
  size: int,
  website: text,
  industry: text,
  monthly_spend: int,
  session_count: int,
  user_count: int,
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
  tags: z.looseObject({ tags: z.array(Ref).nullish() }).nullish(),
  segments: z.looseObject({ segments: z.array(Ref).nullish() }).nullish(),
});
/** A company as Intercom answers it. */
export type WireCompany = z.output<typeof WireCompany>;

/**
 * `GET /companies?company_id=|name=`'s answer: Intercom documents a `company_list`, and has
 * answered a bare `company` for `company_id`; both are read.
 *
 * @example
 * WireCompanyLookup.parse({ type: "list", data: [] });
 */
export const WireCompanyLookup = z.union([WireCompany, z.looseObject({ type: z.literal("list"), data: z.array(WireCompany) })]);

/**
 * `GET /companies/scroll`'s answer (`company_scroll`): a page and the `scroll_param` of the next.
 *
 * @example
 * WireCompanyScroll.parse({ type: "list", data: [], scroll_param: null });
 */
export const WireCompanyScroll = z.looseObject({ data: z.array(WireCompany).nullish(), scroll_param: z.string().nullish() });

const whole = (value: number | null | undefined): number | null => (value === null || value === undefined ? null : Math.trunc(value));

/**
 * Intercom's company as the contract's `Company`: every field present, null where Intercom left
 * it out.
 *
 * @example
 * mapCompany({ type: "company", id: "6762f0761bb69f9f2193bae2", company_id: "acme" }).name; // null
 */
export function mapCompany(c: WireCompany): Company {
  const plan = c.plan;
  return {
    type: "company",
    id: c.id,
    company_id: c.company_id ?? null,
    name: c.name ?? null,
    app_id: c.app_id ?? null,
    // Intercom answers `{}` for a company with no plan.
    plan: plan === null || plan === undefined || (plan.name ?? plan.id ?? null) === null ? null : { type: plan.type ?? "plan", id: plan.id ?? null, name: plan.name ?? null },
    remote_created_at: whole(c.remote_created_at),
    created_at: whole(c.created_at),
    updated_at: whole(c.updated_at),
    last_request_at: whole(c.last_request_at),
    size: whole(c.size),
    website: c.website ?? null,
    industry: c.industry ?? null,
    monthly_spend: whole(c.monthly_spend),
    session_count: whole(c.session_count),
    user_count: whole(c.user_count),
    custom_attributes: c.custom_attributes ?? {},
    tags: { type: "tag.list", tags: (c.tags?.tags ?? []).map((t) => ({ type: t.type ?? "tag", id: t.id, name: t.name ?? null })) },
    segments: { type: "segment.list", segments: (c.segments?.segments ?? []).map((s) => ({ type: s.type ?? "segment", id: s.id, name: s.name ?? null })) },
  };
}
