import type { CompanyRecord, ContactRecord, TagRecord } from "../model.js";
import type { Workspace } from "../workspace.js";
import type { SeedIds } from "./ids.js";
import type { Prng } from "./prng.js";
import { DEVICES, FIRST_NAMES, LAST_NAMES, PERSONAL_DOMAINS, PLACES, PLANS, SIGNUP_SOURCES } from "./vocabulary.js";

const DAY = 86_400;
/** Contacts are created over this many days before the workspace's "now". */
export const CONTACT_HISTORY_DAYS = 90;
/** Enough candidates for conversations without holding a second list of every contact. */
const MAX_PARTICIPANTS = 1_000;

/** What contact seeding draws on: the records made before it, and who can own or tag. */
export interface ContactSeedContext {
  workspace: Workspace;
  rng: Prng;
  ids: SeedIds;
  now: number;
  companies: readonly CompanyRecord[];
  tags: readonly TagRecord[];
  adminIds: readonly string[];
}

/** Lowercase ASCII for email local parts: "Søren O'Brien" → "soren", "obrien". */
function slug(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const FIRST_SLUGS = FIRST_NAMES.map(slug);
const LAST_SLUGS = LAST_NAMES.map(slug);

/**
 * Inserts `count` contacts (about 70% users, 30% leads) created over the last 90 days, some
 * attached to companies and tagged. Emails of users and all external ids are unique in the
 * workspace, also when it already holds contacts. Returns up to 1,000 of the new contacts that
 * have an email (conversations are started by them).
 *
 * Built for volume: 100,000 contacts take well under a few seconds, and nothing but the records
 * themselves is kept.
 *
 * @example
 * const withEmail = seedContacts({ workspace, rng, ids, now, companies, tags, adminIds }, 300);
 */
export function seedContacts(ctx: ContactSeedContext, count: number): ContactRecord[] {
  const { workspace, rng, now } = ctx;
  const leadEmails = new Set<string>();
  const withEmail: ContactRecord[] = [];
  const domains = new Map(ctx.companies.map((c) => [c.id, domainOf(c)]));
  const companiesById = new Map(ctx.companies.map((c) => [c.id, c]));
  for (let i = 0; i < count; i++) {
    const role: ContactRecord["role"] = rng.chance(0.7) ? "user" : "lead";
    const fi = rng.int(0, FIRST_NAMES.length - 1);
    const li = rng.int(0, LAST_NAMES.length - 1);
    const place = rng.pick(PLACES);
    const createdAt = now - rng.int(0, CONTACT_HISTORY_DAYS * DAY);
    const companyIds = pickCompanies(ctx, role);
    const firstCompany = companyIds[0] === undefined ? undefined : companiesById.get(companyIds[0]);

    const named = role === "user" || rng.chance(0.5);
    const hasEmail = role === "user" ? rng.chance(0.97) : rng.chance(0.6);
    const domain = (firstCompany === undefined ? undefined : domains.get(firstCompany.id)) ?? rng.pick(PERSONAL_DOMAINS);
    const email = hasEmail ? uniqueEmail(workspace, leadEmails, role, `${FIRST_SLUGS[fi] ?? "x"}.${LAST_SLUGS[li] ?? "x"}`, domain, i) : null;
    const phone = rng.chance(role === "user" ? 0.5 : 0.3) ? `${place.dialPrefix.replace(/ /g, "")}55501${String(rng.int(0, 99)).padStart(2, "0")}` : null;

    const seen = rng.chance(0.75);
    const lastSeenAt = seen ? rng.int(createdAt, now) : null;
    // A later change (or being seen again) is what moves updated_at past created_at.
    const changedAt = rng.chance(0.3) ? rng.int(createdAt, now) : createdAt;
    const updatedAt = Math.max(changedAt, lastSeenAt ?? createdAt);
    const device = seen ? rng.pick(DEVICES) : null;

    const fields: Partial<ContactRecord> & { role: ContactRecord["role"] } = {
      id: ctx.ids.next(createdAt, workspace.contacts),
      role,
      external_id: role === "user" ? uniqueExternalId(workspace, rng) : null,
      email,
      phone,
      name: named ? `${FIRST_NAMES[fi] ?? ""} ${LAST_NAMES[li] ?? ""}` : null,
      owner_id: rng.chance(0.3) ? Number(rng.pick(ctx.adminIds)) : null,
      has_hard_bounced: email !== null && rng.chance(0.01),
      marked_email_as_spam: email !== null && rng.chance(0.005),
      unsubscribed_from_emails: rng.chance(0.08),
      created_at: createdAt,
      updated_at: updatedAt,
      signed_up_at: role === "user" ? createdAt : null,
      last_seen_at: lastSeenAt,
      browser: device?.browser ?? null,
      browser_version: device?.version ?? null,
      browser_language: device === null ? null : place.language,
      os: device?.os ?? null,
      location: { country: place.country, region: place.region, city: place.city, country_code: place.countryCode, continent_code: place.continentCode },
      custom_attributes: role === "user"
        ? { plan: firstCompany?.plan ?? rng.pick(PLANS), seats: rng.int(1, 50), beta_tester: rng.chance(0.15), signup_source: rng.pick(SIGNUP_SOURCES) }
        : { signup_source: rng.pick(SIGNUP_SOURCES), newsletter: rng.chance(0.4) },
      company_ids: companyIds,
      tags: pickTags(ctx, createdAt),
    };
    const contact = workspace.insertContact(fields, { emit: false });
    if (contact.email !== null && withEmail.length < MAX_PARTICIPANTS) withEmail.push(contact);
  }
  return withEmail;
}

function pickCompanies(ctx: ContactSeedContext, role: ContactRecord["role"]): string[] {
  const { rng, companies } = ctx;
  if (companies.length === 0 || !rng.chance(role === "user" ? 0.75 : 0.1)) return [];
  const first = rng.pick(companies).id;
  if (!rng.chance(0.05)) return [first];
  const second = rng.pick(companies).id;
  return second === first ? [first] : [first, second];
}

function pickTags(ctx: ContactSeedContext, createdAt: number): ContactRecord["tags"] {
  const { rng, tags } = ctx;
  if (tags.length === 0 || !rng.chance(0.25)) return [];
  return rng.sample(tags, rng.int(1, 2)).map((tag) => ({
    id: tag.id,
    applied_at: rng.int(createdAt, ctx.now),
    applied_by: rng.chance(0.8) ? rng.pick(ctx.adminIds) : null,
  }));
}

function domainOf(company: CompanyRecord): string {
  return company.website === null ? "example.com" : new URL(company.website).hostname.replace(/^www\./, "");
}

/** `local@domain`, or with the contact's number appended when that address is taken. */
function uniqueEmail(workspace: Workspace, leadEmails: Set<string>, role: ContactRecord["role"], local: string, domain: string, n: number): string {
  let email = `${local}@${domain}`;
  for (let k = n; role === "user" ? workspace.userIdByEmail(email) !== undefined : leadEmails.has(email); k++) {
    email = `${local}${k}@${domain}`;
  }
  if (role === "lead") leadEmails.add(email);
  return email;
}

function uniqueExternalId(workspace: Workspace, rng: Prng): string {
  for (;;) {
    const id = `usr_${rng.hex(12)}`;
    if (workspace.contactIdByExternalId(id) === undefined) return id;
  }
}
