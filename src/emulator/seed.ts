import { defineCustomAttribute, findCustomAttribute, type NewDataAttribute } from "./attributes/custom.js";
import type { AdminRecord, CompanyRecord, TagRecord } from "./model.js";
import { addTeam } from "./routes/teams.js";
import { seedContacts } from "./seeding/contacts.js";
import { seedConversations } from "./seeding/conversations.js";
import { SeedIds } from "./seeding/ids.js";
import { seedTicketTypes } from "./seeding/tickets.js";
import { Prng } from "./seeding/prng.js";
import { COMPANIES, PLANS, TAG_NAMES, TEAMMATES } from "./seeding/vocabulary.js";
import type { Workspace } from "./workspace.js";

/** What seeding created. */
export interface SeedSummary {
  contacts: number;
  companies: number;
  tags: number;
  conversations: number;
}

/** How to seed: a preset, and optionally another number of contacts than the preset's. */
export interface SeedOptions {
  preset: "demo" | "none";
  contacts?: number;
}

/** Contacts in the demo preset. */
export const DEMO_CONTACTS = 300;
/** Conversations in the demo preset (also when `contacts` overrides the number of contacts). */
export const DEMO_CONVERSATIONS = 50;
/** The generator's seed: a fixed number, so every demo workspace gets the same data. */
const DEMO_SEED = 0x1c0_2014;
const DAY = 86_400;

/**
 * Fills a workspace with sample data. `demo`: three teammates besides the owner, two teams, the
 * custom data attributes its records carry, two ticket types, 10 tags, 20
 * companies, 300 contacts (or `contacts`) created over the 90 days before the workspace clock's
 * now, attached to companies and tagged, and 50 conversations. The same preset, number and clock
 * give the same data (a seeded generator, no `Math.random`). `none` adds nothing.
 *
 * Seeding raises no workspace events, so webhook subscribers hear nothing of it: sample data is
 * not a change anyone made.
 *
 * @example
 * seedWorkspace(workspace, { preset: "demo" }); // { contacts: 300, companies: 20, tags: 10, conversations: 50 }
 * seedWorkspace(workspace, { preset: "demo", contacts: 100_000 });
 */
export function seedWorkspace(workspace: Workspace, options: SeedOptions): SeedSummary {
  const count = options.contacts ?? DEMO_CONTACTS;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError("seed: contacts must be a non-negative integer");
  if (options.preset === "none") return { contacts: 0, companies: 0, tags: 0, conversations: 0 };

  return seedDemo(workspace, count);
}

function seedDemo(workspace: Workspace, count: number): SeedSummary {
  const rng = new Prng(DEMO_SEED);
  const ids = new SeedIds(rng);
  const now = workspace.clock.now();
  const admins = seedAdmins(workspace);
  seedTeams(workspace, admins);
  seedDataAttributes(workspace);
  seedTicketTypes(workspace);
  const tags = seedTags(workspace, rng, now);
  const companies = seedCompanies(workspace, rng, ids, now, tags.all);
  const adminIds = admins.map((a) => a.id);
  const withEmail = seedContacts({ workspace, rng, ids, now, companies: companies.all, tags: tags.all, adminIds }, count);
  const conversations = seedConversations({ workspace, rng, now, contacts: withEmail, admins, tags: tags.all }, withEmail.length === 0 ? 0 : DEMO_CONVERSATIONS);
  return { contacts: count, companies: companies.created, tags: tags.created, conversations };
}

/** The owner and the demo teammates (added once: found again by email on a second seeding). */
function seedAdmins(workspace: Workspace): AdminRecord[] {
  const owner = workspace.admins.get(workspace.ownerAdminId);
  const admins: AdminRecord[] = owner === undefined ? [] : [owner];
  for (const teammate of TEAMMATES) {
    const email = `${teammate.name.toLowerCase().replace(/ /g, ".")}@${workspace.id}.example.com`;
    const existing = [...workspace.admins.values()].find((a) => a.email === email);
    if (existing !== undefined) {
      admins.push(existing);
      continue;
    }
    const admin: AdminRecord = {
      id: workspace.ids.numeric("admin", 991_200),
      name: teammate.name,
      email,
      job_title: teammate.job_title,
      away_mode_enabled: false,
      away_mode_reassign: false,
      has_inbox_seat: true,
      team_ids: [],
      avatar: null,
    };
    workspace.admins.set(admin.id, admin);
    admins.push(admin);
  }
  return admins;
}

/** Two demo teams: Support (the owner and the support engineers) and Success; found again by name. */
function seedTeams(workspace: Workspace, admins: readonly AdminRecord[]): void {
  const ids = (pick: (a: AdminRecord) => boolean): number[] => admins.filter(pick).map((a) => Number(a.id));
  const teams = [
    { name: "Support", admin_ids: ids((a) => a.id === workspace.ownerAdminId || a.job_title === "Support engineer"), distribution_method: "round_robin" as const },
    { name: "Success", admin_ids: ids((a) => a.job_title === "Customer success manager"), distribution_method: "balanced" as const, assignment_limit: 10 },
  ];
  for (const team of teams) {
    if ([...workspace.teams.values()].some((t) => t.name === team.name)) continue;
    addTeam(workspace, team);
  }
}

/** The custom attributes the demo's contacts and companies carry (writes must name defined ones). */
const DEMO_ATTRIBUTES: readonly NewDataAttribute[] = [
  { name: "plan", model: "contact", data_type: "string", description: "The plan the user is on" },
  { name: "seats", model: "contact", data_type: "integer", description: "Seats the user's account pays for" },
  { name: "beta_tester", model: "contact", data_type: "boolean", description: "Joined the beta programme" },
  { name: "signup_source", model: "contact", data_type: "string", description: "Where the contact signed up" },
  { name: "newsletter", model: "contact", data_type: "boolean", description: "Subscribed to the newsletter" },
  { name: "region", model: "company", data_type: "options", options: ["AMER", "EMEA", "APAC"], description: "Sales region" },
  { name: "account_tier", model: "company", data_type: "options", options: ["bronze", "silver", "gold"], description: "Account tier" },
];

/** Defines the demo's custom data attributes, once. */
function seedDataAttributes(workspace: Workspace): void {
  for (const attribute of DEMO_ATTRIBUTES) {
    if (findCustomAttribute(workspace, attribute.model, attribute.name) === undefined) defineCustomAttribute(workspace, attribute);
  }
}

/** The demo tags; a tag whose name exists is reused (tag names are unique in Intercom). */
function seedTags(workspace: Workspace, rng: Prng, now: number): { all: TagRecord[]; created: number } {
  const all: TagRecord[] = [];
  let created = 0;
  for (const name of TAG_NAMES) {
    const createdAt = now - rng.int(100, 400) * DAY;
    const existing = [...workspace.tags.values()].find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (existing !== undefined) {
      all.push(existing);
      continue;
    }
    const tag: TagRecord = { id: workspace.ids.numeric("tag", 7_000_001), name, created_at: createdAt };
    workspace.tags.set(tag.id, tag);
    all.push(tag);
    created++;
  }
  return { all, created };
}

/** The demo companies; one whose `company_id` exists is reused as it is. */
function seedCompanies(workspace: Workspace, rng: Prng, ids: SeedIds, now: number, tags: readonly TagRecord[]): { all: CompanyRecord[]; created: number } {
  const all: CompanyRecord[] = [];
  let created = 0;
  for (const seed of COMPANIES) {
    const companyId = seed.domain.slice(0, seed.domain.indexOf("."));
    const createdAt = now - rng.int(91, 365) * DAY - rng.int(0, DAY);
    const plan = rng.pick(PLANS);
    const size = rng.int(5, 5_000);
    const company: CompanyRecord = {
      id: ids.next(createdAt, workspace.companies),
      company_id: companyId,
      name: seed.name,
      plan,
      remote_created_at: createdAt - rng.int(30, 2_000) * DAY,
      created_at: createdAt,
      updated_at: rng.int(createdAt, now),
      last_request_at: now - rng.int(0, 14 * DAY),
      size,
      website: `https://www.${seed.domain}`,
      industry: seed.industry,
      monthly_spend: plan === "Free" ? 0 : rng.int(49, 20_000),
      session_count: rng.int(10, 50_000),
      // Intercom's description types company custom attribute values as strings.
      custom_attributes: { region: rng.pick(["AMER", "EMEA", "APAC"]), account_tier: rng.pick(["bronze", "silver", "gold"]) },
      tag_ids: rng.sample(tags, rng.int(0, 2)).map((t) => t.id),
    };
    const existing = workspace.companyByExternalId(companyId);
    if (existing !== undefined) {
      all.push(existing);
      continue;
    }
    workspace.saveCompany(company);
    all.push(company);
    created++;
  }
  return { all, created };
}
