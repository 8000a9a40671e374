import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Tag } from "../../contract/catalogue/tags.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { createTag } from "./createTag.js";
import { listTags } from "./listTags.js";
import { tagCompany, untagCompany } from "./tagCompany.js";
import { tagContact } from "./tagContact.js";
import { untagContact } from "./untagContact.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function newTag(name: string): Promise<Tag> {
  const tag = await createTag.run(c.intercom, { name });
  if (!tag.ok) throw tag.error;
  return tag.value;
}

async function newCompany(companyId: string): Promise<string> {
  const answer = await fetch(`${c.em.baseUrl}/companies`, {
    method: "POST",
    headers: { authorization: `Bearer ${c.em.token}`, "content-type": "application/json" },
    body: JSON.stringify({ company_id: companyId, name: companyId }),
  });
  return ((await answer.json()) as { id: string }).id;
}

async function companyTagNames(id: string): Promise<string[]> {
  const answer = await fetch(`${c.em.baseUrl}/companies/${id}`, { headers: { authorization: `Bearer ${c.em.token}` } });
  return ((await answer.json()) as { tags: { tags: Array<{ name: string }> } }).tags.tags.map((t) => t.name);
}

describe("CreateTag and ListTags", () => {
  it("creates a tag, answers the same tag for the same name, and lists every tag in one call", async () => {
    const vip = await newTag("vip");
    expect(vip).toEqual({ type: "tag", id: vip.id, name: "vip", applied_at: null, applied_by: null });
    expect(vip.id).toMatch(/^\d+$/);
    expect(Tag.parse(vip)).toEqual(vip);
    expect(await newTag("vip")).toEqual(vip);
    const churn = await newTag("churn risk");
    await c.resetCalls();
    const listed = await listTags.run(c.intercom, {});
    if (!listed.ok) throw listed.error;
    const tags = await collect(listed.value);
    expect(tags.map((t) => t.name).sort()).toEqual(["churn risk", "vip"]);
    expect(tags.find((t) => t.id === churn.id)).toEqual({ type: "tag", id: churn.id, name: "churn risk", applied_at: null, applied_by: null });
    expect(await c.calls()).toEqual({ total: 1, calls: { "GET /tags": 1 } });
  });

  it("refuses a bad name before any call, naming the field", async () => {
    for (const input of [{}, { name: "" }, { name: 7 }, { name: "x".repeat(256) }, { name: "vip", id: "1" }]) {
      const result = await createTag.run(c.intercom, input);
      expect(!result.ok && result.error.code, JSON.stringify(input)).toBe("invalid_input");
      expect(!result.ok && result.error.field, JSON.stringify(input)).toBe(Object.keys(input).includes("id") ? "id" : "name");
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's 429 to intercom_rate_limited", async () => {
    const intercom = c.transport({ maxRetryDelaySeconds: 0 }, { sleep: async () => undefined });
    await c.workspace("POST", "/faults", { kind: "429", count: 1, route: "GET /tags" });
    const listed = await listTags.run(intercom, {});
    if (!listed.ok) throw listed.error;
    await expect(collect(listed.value)).rejects.toMatchObject({ code: "intercom_rate_limited", status: 429 });
  });
});

describe("TagContact and UntagContact", () => {
  it("tags a contact once however often it is asked, then untags it", async () => {
    const contact = c.em.workspace.insertContact({ role: "user", email: "ada@example.com" });
    const vip = await newTag("vip");
    await c.resetCalls();
    const first = await tagContact.run(c.intercom, { contact_id: contact.id, tag_id: vip.id });
    if (!first.ok) throw first.error;
    expect(first.value).toEqual({ type: "tag", id: vip.id, name: "vip", applied_at: expect.any(Number) as number, applied_by: { type: "admin", id: expect.any(String) as string } });
    expect(Tag.parse(first.value)).toEqual(first.value);
    const again = await tagContact.run(c.intercom, { contact_id: contact.id, tag_id: vip.id });
    expect(again).toEqual(first);
    expect(c.em.workspace.contacts.get(contact.id)?.tags.map((t) => t.id)).toEqual([vip.id]);
    expect(await c.calls()).toEqual({ total: 2, calls: { "POST /contacts/:contact_id/tags": 2 } });

    const removed = await untagContact.run(c.intercom, { contact_id: contact.id, tag_id: vip.id });
    expect(removed).toEqual(first);
    expect(c.em.workspace.contacts.get(contact.id)?.tags).toEqual([]);
    const twice = await untagContact.run(c.intercom, { contact_id: contact.id, tag_id: vip.id });
    expect(!twice.ok && twice.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: `No tag on the contact with id ${vip.id}` });
  });

  it("answers not_found for an unknown contact or tag", async () => {
    const vip = await newTag("vip");
    const result = await tagContact.run(c.intercom, { contact_id: "5f0000000000000000000000", tag_id: vip.id });
    expect(!result.ok && result.error.toJSON()).toMatchObject({ code: "not_found", status: 404 });
    expect(!result.ok && result.error.message).toContain("5f0000000000000000000000");
  });

  it("refuses a path-like or missing id before any call, naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ contact_id: "..", tag_id: "1" }, "contact_id"],
      [{ contact_id: "6762f0a51bb69f9f2193bb5c", tag_id: "a/b" }, "tag_id"],
      [{ contact_id: "6762f0a51bb69f9f2193bb5c" }, "tag_id"],
    ];
    for (const [input, field] of cases) {
      for (const action of [tagContact, untagContact]) {
        const result = await action.run(c.intercom, input);
        expect(!result.ok && [result.error.code, result.error.field], JSON.stringify(input)).toEqual(["invalid_input", field]);
      }
    }
    expect((await c.calls()).total).toBe(0);
  });
});

describe("TagCompany and UntagCompany", () => {
  it("tags a company by tag name (creating the tag), once, and untags it", async () => {
    const company = await newCompany("acme");
    await c.resetCalls();
    const tagged = await tagCompany.run(c.intercom, { name: "enterprise", id: company });
    if (!tagged.ok) throw tagged.error;
    expect(tagged.value).toEqual({ type: "tag", id: tagged.value.id, name: "enterprise", applied_at: null, applied_by: null });
    expect(await tagCompany.run(c.intercom, { name: "enterprise", id: company })).toEqual(tagged);
    expect(await companyTagNames(company)).toEqual(["enterprise"]);
    expect((await c.calls()).calls).toMatchObject({ "POST /tags": 2 });

    const untagged = await untagCompany.run(c.intercom, { name: "enterprise", id: company });
    expect(untagged).toEqual(tagged);
    expect(await companyTagNames(company)).toEqual([]);
    // Untagging what is not tagged changes nothing and still answers the tag.
    expect(await untagCompany.run(c.intercom, { name: "enterprise", id: company })).toEqual(tagged);
  });

  it("answers not_found for an unknown company, and for untagging a tag name nobody has", async () => {
    const tagged = await tagCompany.run(c.intercom, { name: "vip", id: "5f0000000000000000000000" });
    expect(!tagged.ok && tagged.error.toJSON()).toMatchObject({ code: "not_found", status: 404, message: "No company with id 5f0000000000000000000000" });
    const company = await newCompany("acme");
    const untagged = await untagCompany.run(c.intercom, { name: "never made", id: company });
    expect(!untagged.ok && untagged.error.code).toBe("not_found");
    expect(!untagged.ok && untagged.error.message).toContain('tag named "never made"');
  });

  it("refuses a bad input before any call, naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: "vip" }, "id"],
      [{ name: "", id: "6762f0761bb69f9f2193bae2" }, "name"],
      [{ name: "vip", id: "../x" }, "id"],
      [{ name: "vip", id: "6762f0761bb69f9f2193bae2", untag: true }, "untag"],
    ];
    for (const [input, field] of cases) {
      for (const action of [tagCompany, untagCompany]) {
        const result = await action.run(c.intercom, input);
        expect(!result.ok && [result.error.code, result.error.field], JSON.stringify(input)).toEqual(["invalid_input", field]);
      }
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's 500s, once the retries run out, to intercom_unavailable", async () => {
    const company = await newCompany("acme");
    await c.workspace("POST", "/faults", { kind: "500", count: 10, route: "POST /tags" });
    const failed = await tagCompany.run(c.transport({ maxRetries: 0 }, { sleep: async () => undefined }), { name: "vip", id: company });
    expect(!failed.ok && failed.error.code).toBe("intercom_unavailable");
  });
});
