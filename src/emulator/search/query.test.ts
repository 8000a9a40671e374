import { describe, expect, it } from "vitest";
import { IntercomApiError } from "../errors.js";
import type { ContactRecord } from "../model.js";
import { CONTACT_SEARCH } from "./contact-fields.js";
import { CONVERSATION_SEARCH } from "./conversation-fields.js";
import { parseSearchRequest, type QueryNode } from "./query.js";

const noDocs = (): ContactRecord[] => [];
const contacts = (body: unknown, docs: () => Iterable<ContactRecord> = noDocs) => parseSearchRequest(body, CONTACT_SEARCH, docs);
const conversations = (body: unknown) => parseSearchRequest(body, CONVERSATION_SEARCH, () => []);

function errorOf(run: () => unknown): IntercomApiError {
  try {
    run();
  } catch (e) {
    if (e instanceof IntercomApiError) return e;
    throw e;
  }
  throw new Error("expected an IntercomApiError");
}

const filter = (field: string, operator: string, value: unknown): Record<string, unknown> => ({ field, operator, value });
const group = (operator: "AND" | "OR", value: unknown[]): Record<string, unknown> => ({ operator, value });

describe("search request parsing", () => {
  it("accepts the description's example, with the date as a numeric string", () => {
    const request = contacts({ query: group("AND", [filter("created_at", ">", "1306054154")]), pagination: { per_page: 5 } });
    expect(request.perPage).toBe(5);
    const q = request.query as Extract<QueryNode<ContactRecord>, { kind: "group" }>;
    expect(q.children[0]).toMatchObject({ kind: "filter", operator: ">", value: 1306054154 });
    expect(request.sort).toMatchObject({ field: { name: "created_at" }, descending: true });
  });

  it("defaults per_page to 50 for contacts and 20 for conversations, and caps it at 150", () => {
    expect(contacts({ query: filter("id", "=", "x") }).perPage).toBe(50);
    expect(conversations({ query: filter("id", "=", "1") }).perPage).toBe(20);
    expect(contacts({ query: filter("id", "=", "x"), pagination: { per_page: 150 } }).perPage).toBe(150);
    expect(errorOf(() => contacts({ query: filter("id", "=", "x"), pagination: { per_page: 151 } })).code).toBe("parameter_invalid");
  });

  it("answers parameter_not_found when query is missing", () => {
    const e = errorOf(() => contacts({ pagination: { per_page: 5 } }));
    expect(e).toMatchObject({ status: 400, code: "parameter_not_found", field: "query" });
  });

  it.each([
    ["!=", "date"], [">=", "date"], ["<=", "date"], ["IN", "date"], ["NIN", "date"], ["~", "date"],
  ])("refuses %s on a contact date field, naming field and operator", (operator) => {
    const e = errorOf(() => contacts({ query: filter("created_at", operator, operator === "IN" || operator === "NIN" ? [1] : 1) }));
    expect(e.status).toBe(400);
    expect(e.code).toBe("parameter_invalid");
    expect(e.message).toContain("created_at");
    expect(e.message).toContain(operator);
  });

  it("applies the contacts operator table per type", () => {
    const ok: Array<[string, string, unknown]> = [
      ["owner_id", ">=", 3], ["owner_id", "<=", "3"], ["owner_id", "IN", [1, 2]], ["email", "~", "example"], ["email", "$", ".com"],
      ["has_hard_bounced", "=", true], ["has_hard_bounced", "IN", ["true"]], ["tag_id", "=", "12"], ["tag_id", "!=", "12"],
      ["location.city", "^", "Dub"], ["custom_attributes.plan", "=", "pro"], ["last_seen_at", "<", 1577836800], ["role", "IN", ["user", "lead"]],
    ];
    for (const [field, operator, value] of ok) expect(() => contacts({ query: filter(field, operator, value) }), `${field} ${operator}`).not.toThrow();
    const bad: Array<[string, string, unknown]> = [
      ["email", ">", "a"], ["has_hard_bounced", "~", "t"], ["tag_id", "IN", ["12"]], ["tag_id", "~", "1"], ["owner_id", "^", "1"], ["name", "<", "b"],
    ];
    for (const [field, operator, value] of bad) {
      const e = errorOf(() => contacts({ query: filter(field, operator, value) }));
      expect(e.code, `${field} ${operator}`).toBe("parameter_invalid");
      expect(e.message).toContain(field);
      expect(e.message).toContain(operator);
    }
  });

  it("applies the conversations operator table: !=, IN and NIN on dates, no >= or <=", () => {
    expect(() => conversations({ query: filter("created_at", "!=", 1577836800) })).not.toThrow();
    expect(() => conversations({ query: filter("updated_at", "IN", [1577836800, "1577923200"]) })).not.toThrow();
    expect(() => conversations({ query: filter("admin_assignee_id", ">", 5) })).not.toThrow();
    expect(errorOf(() => conversations({ query: filter("admin_assignee_id", ">=", 5) })).message).toContain(">=");
    expect(errorOf(() => conversations({ query: filter("created_at", "<=", 5) })).message).toContain("created_at");
    expect(errorOf(() => conversations({ query: filter("source.type", "=", "carrier_pigeon") })).message).toContain("source.type");
  });

  it("refuses unknown fields and operators, naming them", () => {
    expect(errorOf(() => contacts({ query: filter("shoe_size", "=", "9") }))).toMatchObject({ code: "parameter_invalid", field: "shoe_size" });
    expect(errorOf(() => contacts({ query: filter("shoe_size", "=", "9") })).message).toContain("shoe_size");
    expect(errorOf(() => contacts({ query: filter("email", "LIKE", "a") })).message).toContain("LIKE");
    expect(errorOf(() => conversations({ query: filter("email", "=", "a") })).message).toContain("email");
    expect(errorOf(() => contacts({ query: filter("email", "=", "a"), sort: { field: "shoe_size" } })).field).toBe("sort.field");
    expect(errorOf(() => contacts({ query: filter("email", "=", "a"), sort: { field: "email", order: "up" } })).field).toBe("sort.order");
  });

  it("checks value types: dates need integer timestamps, IN/NIN need arrays, others need scalars", () => {
    const cases: Array<[unknown, string]> = [
      [filter("created_at", "=", "foorbar"), "created_at"],
      [filter("created_at", ">", 1.5), "created_at"],
      [filter("created_at", ">", true), "created_at"],
      [filter("created_at", "<", null), "created_at"],
      [filter("owner_id", "=", "seven"), "owner_id"],
      [filter("email", "IN", "a@b.c"), "email"],
      [filter("email", "IN", []), "email"],
      [filter("email", "=", ["a@b.c"]), "email"],
      [filter("email", "=", 5), "email"],
      [filter("has_hard_bounced", "=", "yes"), "has_hard_bounced"],
      [filter("role", "=", "admin"), "role"],
    ];
    for (const [query, field] of cases) {
      const e = errorOf(() => contacts({ query }));
      expect(e.code, JSON.stringify(query)).toBe("parameter_invalid");
      expect(e.message).toContain(field);
    }
    expect(contacts({ query: filter("email", "=", null) }).query).toMatchObject({ value: null });
    expect(errorOf(() => contacts({ query: { field: "email", operator: "=" } }))).toMatchObject({ code: "parameter_not_found", field: "email" });
    expect(errorOf(() => contacts({ query: { field: "email", value: "a" } }))).toMatchObject({ code: "parameter_not_found", field: "email" });
  });

  it("allows two levels of AND/OR groups and at most 15 filters in each", () => {
    const leaf = filter("email", "~", "a");
    expect(() => contacts({ query: group("AND", [group("OR", [leaf, leaf]), group("OR", [leaf, leaf])]) })).not.toThrow();
    expect(() => contacts({ query: group("OR", Array.from({ length: 15 }, () => leaf)) })).not.toThrow();
    const wide = errorOf(() => contacts({ query: group("OR", Array.from({ length: 16 }, () => leaf)) }));
    expect(wide.code).toBe("parameter_invalid");
    expect(wide.message).toContain("15");
    const deep = errorOf(() => contacts({ query: group("AND", [group("OR", [group("AND", [leaf])])]) }));
    expect(deep.code).toBe("parameter_invalid");
    expect(deep.message).toContain("nested");
    expect(errorOf(() => contacts({ query: group("AND", []) })).code).toBe("parameter_invalid");
  });

  it("refuses unknown keys in the body, filters, pagination and sort", () => {
    expect(errorOf(() => contacts({ query: filter("id", "=", "x"), page: 2 })).field).toBe("page");
    expect(errorOf(() => contacts({ query: { ...filter("id", "=", "x"), negate: true } })).message).toContain("negate");
    expect(errorOf(() => contacts({ query: filter("id", "=", "x"), pagination: { page: 2 } })).field).toBe("pagination.page");
  });

  it("types a custom attribute from its values, and dates by the _at suffix", () => {
    const docs = (values: unknown[]) => () => values.map((v) => ({ custom_attributes: { attr: v, paid_at: v } }) as unknown as ContactRecord);
    expect(contacts({ query: filter("custom_attributes.attr", ">", 3) }, docs([null, 7])).query).toMatchObject({ field: { type: "integer" } });
    expect(contacts({ query: filter("custom_attributes.attr", "=", "true") }, docs([true])).query).toMatchObject({ field: { type: "boolean" } });
    expect(contacts({ query: filter("custom_attributes.paid_at", ">", 1) }, docs([1577836800])).query).toMatchObject({ field: { type: "date" } });
    expect(errorOf(() => contacts({ query: filter("custom_attributes.paid_at", "!=", 1) }, docs([1577836800]))).message).toContain("custom_attributes.paid_at");
    expect(errorOf(() => contacts({ query: filter("custom_attributes.attr", ">", 1) }, docs(["text"]))).code).toBe("parameter_invalid");
  });
});
