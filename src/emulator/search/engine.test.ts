import { describe, expect, it } from "vitest";
import type { ContactRecord } from "../model.js";
import { CONTACT_SEARCH } from "./contact-fields.js";
import { DelayedIndex } from "./delayed-index.js";
import { SearchEngine } from "./engine.js";
import type { ReadEnv } from "./fields.js";
import { compareKeys, sortValue, type SortKey } from "./order.js";
import { compileQuery } from "./predicate.js";
import { parseSearchRequest } from "./query.js";
import { SortedIndex } from "./sorted-index.js";

/** A small deterministic PRNG (mulberry32), so failures replay. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const BASE = 1_577_836_800; // 2020-01-01T00:00Z
const DAY = 86_400;

function contact(id: string, fields: Partial<ContactRecord>): ContactRecord {
  return {
    id, role: "user", external_id: null, email: null, phone: null, name: null, avatar: null, owner_id: null,
    has_hard_bounced: false, marked_email_as_spam: false, unsubscribed_from_emails: false,
    created_at: BASE, updated_at: BASE, signed_up_at: null, last_seen_at: null, last_replied_at: null, last_contacted_at: null,
    last_email_opened_at: null, last_email_clicked_at: null, language_override: null, browser: null, browser_version: null,
    browser_language: null, os: null, location: { country: null, region: null, city: null, country_code: null, continent_code: null },
    custom_attributes: {}, company_ids: [], tags: [], ...fields,
  };
}

function randomContact(random: () => number, id: string): ContactRecord {
  // Few distinct instants, so ties on the sort value are common and the id tiebreak matters.
  const instant = (): number => BASE + Math.floor(random() * 40) * 6 * 3600;
  return contact(id, {
    role: random() < 0.5 ? "user" : "lead",
    email: random() < 0.8 ? `p${Math.floor(random() * 30)}@example.com` : null,
    created_at: instant(),
    updated_at: instant(),
    last_seen_at: random() < 0.3 ? null : instant(),
  });
}

const env: ReadEnv<ContactRecord> = { serialized: (c) => ({ ...c }) };

function request(body: unknown, docs: DelayedIndex<ContactRecord>) {
  return parseSearchRequest(body, CONTACT_SEARCH, () => docs.visible(Number.MAX_SAFE_INTEGER).values());
}

/** Every page of a search, following the returned positions, as ids. */
function allPages(engine: SearchEngine<ContactRecord>, docs: DelayedIndex<ContactRecord>, body: Record<string, unknown>, timeZone: string) {
  const parsed = request(body, docs);
  const query = compileQuery(parsed.query, env, timeZone);
  const ids: string[] = [];
  let after: SortKey | null = null;
  let total = -1;
  for (let guard = 0; guard < 1000; guard++) {
    const page = engine.search({ now: 0, query, sort: parsed.sort, env, perPage: parsed.perPage, after });
    total = page.total;
    ids.push(...page.items.map((c) => c.id));
    if (page.next === null) break;
    after = page.next;
  }
  return { ids, total };
}

/** The same search by brute force: test every record, sort them all. */
function reference(docs: DelayedIndex<ContactRecord>, body: Record<string, unknown>, timeZone: string): string[] {
  const parsed = request(body, docs);
  const query = compileQuery(parsed.query, env, timeZone);
  const { field, descending } = parsed.sort;
  return [...docs.visible(0).values()]
    .filter(query.matches)
    .map((c) => ({ v: sortValue(field, c, env, descending), id: c.id }))
    .sort((a, b) => compareKeys(a, b, descending))
    .map((k) => k.id);
}

const f = (field: string, operator: string, value: unknown) => ({ field, operator, value });

function randomQuery(random: () => number): Record<string, unknown> {
  const dateFields = ["created_at", "updated_at", "last_seen_at"];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const dateFilter = () => f(pick(dateFields), pick(["=", ">", "<"]), BASE + Math.floor(random() * 12) * DAY + Math.floor(random() * DAY));
  const other = () => (random() < 0.5 ? f("role", "=", pick(["user", "lead"])) : f("email", "~", String(Math.floor(random() * 10))));
  const shapes = [
    () => dateFilter(),
    () => ({ operator: "AND", value: [dateFilter(), dateFilter()] }),
    () => ({ operator: "AND", value: [dateFilter(), other()] }),
    () => ({ operator: "AND", value: [dateFilter(), dateFilter(), other()] }),
    () => ({ operator: "OR", value: [dateFilter(), other()] }),
    () => ({ operator: "AND", value: [{ operator: "OR", value: [dateFilter(), other()] }, dateFilter()] }),
    () => other(),
  ];
  const sortField = pick([...dateFields, "email", "role", "id"]);
  return {
    query: pick(shapes)(),
    sort: { field: sortField, order: random() < 0.5 ? "ascending" : "descending" },
    pagination: { per_page: 1 + Math.floor(random() * 12) },
  };
}

describe("SortedIndex", () => {
  it("stays equal to a fresh sort through inserts, updates and removals, incremental or rebuilt", () => {
    const random = rng(7);
    const source = new DelayedIndex<ContactRecord>();
    const index = new SortedIndex<ContactRecord>((c) => c.last_seen_at);
    source.onChange((b, a) => index.change(b, a));
    let nextId = 0;
    const live: string[] = [];
    for (let round = 0; round < 30; round++) {
      // Small rounds apply changes one by one; every fifth round is big enough to force a rebuild.
      const changes = round % 5 === 4 ? 600 : 1 + Math.floor(random() * 40);
      for (let i = 0; i < changes; i++) {
        const r = random();
        if (r < 0.5 || live.length === 0) {
          const id = (nextId++).toString(16).padStart(6, "0");
          live.push(id);
          source.put(randomContact(random, id), 0);
        } else if (r < 0.85) {
          source.put(randomContact(random, live[Math.floor(random() * live.length)] ?? ""), 0);
        } else {
          const [id] = live.splice(Math.floor(random() * live.length), 1);
          source.remove(id ?? "");
        }
      }
      const docs = source.visible(0);
      index.refresh(docs);
      for (const descending of [false, true]) {
        const view = index.view(null, descending);
        const got = Array.from({ length: view.length }, (_, k) => view.idAt(k));
        const want = [...docs.values()].map((c) => ({ v: c.last_seen_at, id: c.id })).sort((a, b) => compareKeys(a, b, descending)).map((k) => k.id);
        expect(got).toEqual(want);
      }
      const from = BASE + 5 * DAY;
      const to = BASE + 7 * DAY;
      const inRange = [...docs.values()].filter((c) => c.last_seen_at !== null && c.last_seen_at >= from && c.last_seen_at < to).length;
      expect(index.count({ from, to })).toBe(inRange);
      expect(index.view({ from, to }, true).length).toBe(inRange);
    }
  });

  it("finds the position after a key that is no longer in the index", () => {
    const index = new SortedIndex<ContactRecord>((c) => c.created_at);
    const docs = new Map(["a", "b", "c", "d"].map((id, i) => [id, contact(id, { created_at: BASE + i * 10 })]));
    index.refresh(docs);
    const asc = index.view(null, false);
    expect(asc.firstAfter({ v: BASE + 15, id: "zz" })).toBe(2);
    expect(asc.firstAfter({ v: BASE + 10, id: "b" })).toBe(2);
    const desc = index.view(null, true);
    expect(desc.idAt(desc.firstAfter({ v: BASE + 25, id: "x" }))).toBe("c");
    expect(desc.firstAfter({ v: BASE - 1, id: "x" })).toBe(4);
  });
});

describe("SearchEngine", () => {
  it.each(["UTC", "America/New_York", "Pacific/Kiritimati"])("pages to the same results as a full scan and sort (%s)", (timeZone) => {
    const random = rng(timeZone.length);
    const source = new DelayedIndex<ContactRecord>();
    const engine = new SearchEngine(source);
    let nextId = 0;
    for (let i = 0; i < 400; i++) source.put(randomContact(random, (nextId++).toString(16).padStart(6, "0")), 0);
    for (let round = 0; round < 60; round++) {
      const body = randomQuery(random);
      const want = reference(source, body, timeZone);
      const got = allPages(engine, source, body, timeZone);
      expect(got.ids, JSON.stringify(body)).toEqual(want);
      expect(got.total).toBe(want.length);
      // Change the data between searches, so indexes follow updates and removals.
      for (let i = 0; i < 10; i++) {
        const id = Math.floor(random() * nextId).toString(16).padStart(6, "0");
        if (random() < 0.2) source.remove(id);
        else source.put(randomContact(random, id), 0);
      }
    }
  });

  it("continues after a deleted or changed last item instead of restarting or skipping", () => {
    const source = new DelayedIndex<ContactRecord>();
    const engine = new SearchEngine(source);
    for (let i = 0; i < 10; i++) source.put(contact(`c${i}`, { created_at: BASE + i * 3600 }), 0);
    const body = { query: f("created_at", "=", BASE), sort: { field: "created_at", order: "ascending" }, pagination: { per_page: 4 } };
    const parsed = request(body, source);
    const query = compileQuery(parsed.query, env, "UTC");
    const first = engine.search({ now: 0, query, sort: parsed.sort, env, perPage: 4, after: null });
    expect(first.items.map((c) => c.id)).toEqual(["c0", "c1", "c2", "c3"]);
    expect(first.total).toBe(10);
    source.remove("c3");
    source.put(contact("c2", { created_at: BASE + 9 * 3600 + 1 }), 0);
    const second = engine.search({ now: 0, query, sort: parsed.sort, env, perPage: 4, after: first.next });
    expect(second.items.map((c) => c.id)).toEqual(["c4", "c5", "c6", "c7"]);
    expect(second.total).toBe(9);
  });
});
