import { describe, expect, it } from "vitest";
import type { ContactRecord, ConversationRecord } from "../model.js";
import { CONTACT_SEARCH } from "./contact-fields.js";
import { bodyWords, CONVERSATION_SEARCH } from "./conversation-fields.js";
import type { ReadEnv } from "./fields.js";
import { compileQuery } from "./predicate.js";
import { parseSearchRequest } from "./query.js";

const BASE = 1_577_836_800; // 2020-01-01T00:00Z

function contact(id: string, fields: Partial<ContactRecord> = {}): ContactRecord {
  return {
    id, role: "user", external_id: null, email: null, phone: null, name: null, avatar: null, owner_id: null,
    has_hard_bounced: false, marked_email_as_spam: false, unsubscribed_from_emails: false,
    created_at: BASE, updated_at: BASE, signed_up_at: null, last_seen_at: null, last_replied_at: null, last_contacted_at: null,
    last_email_opened_at: null, last_email_clicked_at: null, language_override: null, browser: null, browser_version: null,
    browser_language: null, os: null, location: { country: null, region: null, city: null, country_code: null, continent_code: null },
    custom_attributes: {}, company_ids: [], tags: [], ...fields,
  };
}

const people = [
  contact("a", { email: "Ada@Example.com", name: "Ada", owner_id: 3, created_at: BASE + 9 * 3600, location: { country: "Ireland", region: null, city: "Dublin", country_code: "IE", continent_code: "EU" }, tags: [{ id: "7", applied_at: BASE, applied_by: null }], custom_attributes: { plan: "pro", seats: 12 } }),
  contact("b", { email: "bob@sample.org", role: "lead", owner_id: 5, created_at: BASE + 86_400 + 60, has_hard_bounced: true, custom_attributes: { plan: "free", seats: 1 } }),
  contact("c", { email: null, created_at: BASE - 1, last_seen_at: BASE + 3600 }),
];
const contactEnv: ReadEnv<ContactRecord> = { serialized: (c) => ({ ...c }) };

function hits(query: unknown, timeZone = "UTC"): string[] {
  const parsed = parseSearchRequest({ query }, CONTACT_SEARCH, () => people);
  const compiled = compileQuery(parsed.query, contactEnv, timeZone);
  return people.filter(compiled.matches).map((c) => c.id);
}

const f = (field: string, operator: string, value: unknown) => ({ field, operator, value });

describe("contact filters", () => {
  it("matches dates by calendar day in the workspace's zone", () => {
    expect(hits(f("created_at", "=", BASE))).toEqual(["a"]);
    expect(hits(f("created_at", "=", BASE + 23 * 3600))).toEqual(["a"]);
    expect(hits(f("created_at", ">", BASE + 9 * 3600))).toEqual(["b"]);
    expect(hits(f("created_at", "<", BASE + 86_400 + 3600))).toEqual(["a", "c"]);
    expect(hits(f("created_at", "<", BASE + 9 * 3600))).toEqual(["c"]);
    // Noon UTC on Jan 1 is Jan 1 in New York, whose day runs 05:00Z to 05:00Z: "a" (04:00 EST)
    // and "b" (Jan 1 19:01 EST) fall in it; "c" (Dec 31 18:59 EST) does not.
    expect(hits(f("created_at", "=", BASE + 12 * 3600))).toEqual(["a"]);
    expect(hits(f("created_at", "=", BASE + 12 * 3600), "America/New_York")).toEqual(["a", "b"]);
    expect(hits(f("created_at", "=", BASE), "America/New_York")).toEqual(["c"]);
    // In Kiritimati (+14) "a" is Jan 1 23:00 and "b" Jan 2 14:01.
    expect(hits(f("created_at", ">", BASE), "Pacific/Kiritimati")).toEqual(["b"]);
    expect(hits(f("last_seen_at", "=", null))).toEqual(["a", "b"]);
    expect(hits(f("last_seen_at", "<", BASE + 86_400))).toEqual(["c"]);
  });

  it("compares strings case-insensitively and treats missing values as not matching positive operators", () => {
    expect(hits(f("email", "=", "ada@example.com"))).toEqual(["a"]);
    expect(hits(f("email", "~", "EXAMPLE"))).toEqual(["a"]);
    expect(hits(f("email", "!~", "example"))).toEqual(["b", "c"]);
    expect(hits(f("email", "^", "bob"))).toEqual(["b"]);
    expect(hits(f("email", "$", ".org"))).toEqual(["b"]);
    expect(hits(f("email", "!=", "bob@sample.org"))).toEqual(["a", "c"]);
    expect(hits(f("email", "IN", ["bob@sample.org", "ada@example.com"]))).toEqual(["a", "b"]);
    expect(hits(f("email", "NIN", ["bob@sample.org"]))).toEqual(["a", "c"]);
    expect(hits(f("email", "=", null))).toEqual(["c"]);
    expect(hits(f("email", "!=", null))).toEqual(["a", "b"]);
    expect(hits(f("email_domain", "=", "sample.org"))).toEqual(["b"]);
    expect(hits(f("location.city", "=", "dublin"))).toEqual(["a"]);
  });

  it("compares integers, booleans, tags and custom attributes", () => {
    expect(hits(f("owner_id", ">", 3))).toEqual(["b"]);
    expect(hits(f("owner_id", ">=", "3"))).toEqual(["a", "b"]);
    expect(hits(f("owner_id", "<=", 4))).toEqual(["a"]);
    expect(hits(f("owner_id", "NIN", [3]))).toEqual(["b", "c"]);
    expect(hits(f("has_hard_bounced", "=", "true"))).toEqual(["b"]);
    expect(hits(f("has_hard_bounced", "!=", true))).toEqual(["a", "c"]);
    expect(hits(f("tag_id", "=", "7"))).toEqual(["a"]);
    expect(hits(f("tag_id", "!=", "7"))).toEqual(["b", "c"]);
    expect(hits(f("segment_id", "=", "1"))).toEqual([]);
    expect(hits(f("custom_attributes.plan", "=", "PRO"))).toEqual(["a"]);
    expect(hits(f("custom_attributes.seats", ">", 5))).toEqual(["a"]);
    expect(hits(f("role", "=", "lead"))).toEqual(["b"]);
  });

  it("combines AND and OR groups", () => {
    const query = {
      operator: "AND",
      value: [
        { operator: "OR", value: [f("role", "=", "lead"), f("email", "~", "example")] },
        { operator: "OR", value: [f("created_at", "=", BASE), f("has_hard_bounced", "=", true)] },
      ],
    };
    expect(hits(query)).toEqual(["a", "b"]);
    expect(hits({ operator: "OR", value: [f("owner_id", "=", 5), f("last_seen_at", "=", BASE)] })).toEqual(["b", "c"]);
  });

  it("splits the top-level AND into terms, with ranges for indexable day filters", () => {
    const parsed = parseSearchRequest(
      { query: { operator: "AND", value: [f("created_at", ">", BASE), f("created_at", "<", BASE + 5 * 86_400), f("role", "=", "user"), f("custom_attributes.seats", ">", 1)] } },
      CONTACT_SEARCH,
      () => people,
    );
    const compiled = compileQuery(parsed.query, contactEnv, "Asia/Kolkata");
    expect(compiled.conjuncts.map((c) => c.range?.range ?? null)).toEqual([
      { from: BASE + 86_400 - 5.5 * 3600, to: Number.POSITIVE_INFINITY },
      { from: Number.NEGATIVE_INFINITY, to: BASE + 5 * 86_400 - 5.5 * 3600 },
      null,
      null,
    ]);
  });
});

function conversation(id: string, fields: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    id, title: null, created_at: BASE, updated_at: BASE, waiting_since: null, snoozed_until: null, open: true, state: "open", read: false,
    priority: "not_priority", admin_assignee_id: null, team_assignee_id: null,
    source: { type: "conversation", id: `s${id}`, delivered_as: "customer_initiated", subject: "", body: "<p>I need support</p>", author: { type: "user", id: "u1", name: "Ada", email: "ada@example.com" }, url: null },
    contact_ids: ["u1"], tag_ids: [], parts: [], ...fields,
  };
}

describe("conversation filters", () => {
  const convs = [
    conversation("1"),
    conversation("2", { contact_ids: ["u2", "u3"], tag_ids: ["9"], created_at: BASE + 86_400, parts: [{ id: "p", part_type: "comment", body: "ok", created_at: BASE, updated_at: BASE, author: { type: "admin", id: "42", name: "Ann", email: null } }] }),
  ];
  const env: ReadEnv<ConversationRecord> = { serialized: (c) => ({ id: c.id, statistics: { count_conversation_parts: c.parts.length } }) };
  const find = (query: unknown): string[] => {
    const parsed = parseSearchRequest({ query }, CONVERSATION_SEARCH, () => convs);
    return convs.filter(compileQuery(parsed.query, env, "UTC").matches).map((c) => c.id);
  };

  it("matches source.body word by word, as the description says", () => {
    expect(bodyWords("<p>I need <b>support</b>&amp;more</p>")).toEqual(["i", "need", "support", "more"]);
    expect(find(f("source.body", "=", "support"))).toEqual(["1", "2"]);
    expect(find(f("source.body", "=", "need support"))).toEqual([]);
  });

  it("matches id lists by any element, and their negations by none", () => {
    expect(find(f("contact_ids", "=", "u3"))).toEqual(["2"]);
    expect(find(f("contact_ids", "!=", "u3"))).toEqual(["1"]);
    expect(find(f("contact_ids", "IN", ["u1", "u2"]))).toEqual(["1", "2"]);
    expect(find(f("tag_ids", "=", null))).toEqual(["1"]);
    expect(find(f("teammate_ids", "=", "42"))).toEqual(["2"]);
  });

  it("accepts !=, IN and NIN on dates, by day", () => {
    expect(find(f("created_at", "!=", BASE + 3600))).toEqual(["2"]);
    expect(find(f("created_at", "IN", [BASE + 3600, BASE + 86_400 + 5]))).toEqual(["1", "2"]);
    expect(find(f("created_at", "NIN", [BASE + 86_400 + 5]))).toEqual(["1"]);
  });

  it("reads fields the record does not keep from the answered conversation", () => {
    expect(find(f("statistics.count_conversation_parts", ">", 0))).toEqual(["2"]);
    expect(find(f("conversation_rating.score", "=", null))).toEqual(["1", "2"]);
  });
});
