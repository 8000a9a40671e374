import { IntercomError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
});
afterEach(async () => {
  await em.close();
});

describe("tags", () => {
  it("creates a tag once per name (case-insensitively), lists, finds and renames it", async () => {
    const sdk = em.sdk();
    const vip = await sdk.tags.create({ name: "VIP" });
    expect(vip).toMatchObject({ type: "tag", name: "VIP" });
    const again = await sdk.tags.create({ name: "vip" });
    expect(again.id).toBe(vip.id);
    await sdk.tags.create({ name: "Churn risk" });
    const list = await sdk.tags.list();
    expect(list).toMatchObject({ type: "list" });
    expect((list.data ?? []).map((t) => t.name).sort()).toEqual(["Churn risk", "VIP"]);
    expect(await sdk.tags.find({ tag_id: vip.id })).toMatchObject({ id: vip.id, name: "VIP" });
    const renamed = await sdk.tags.create({ id: vip.id, name: "Very important" });
    expect(renamed).toMatchObject({ id: vip.id, name: "Very important" });
    expect(em.workspace.tags.get(vip.id)?.name).toBe("Very important");
    // A rename onto another tag's name would make names ambiguous.
    const clash = await em.request("POST", "/tags", { id: vip.id, name: "CHURN RISK" });
    expect(clash).toMatchObject({ status: 400, body: { errors: [{ code: "parameter_invalid", field: "name" }] } });
  });

  it("deletes a tag and takes it off contacts, companies and conversations", async () => {
    const sdk = em.sdk();
    const tag = await sdk.tags.create({ name: "Beta" });
    const contact = em.workspace.insertContact({ role: "user", email: "t@example.com" });
    await sdk.tags.tagContact({ contact_id: contact.id, id: tag.id });
    const company = await sdk.companies.createOrUpdate({ company_id: "acme", name: "Acme" });
    await sdk.tags.create({ name: "Beta", companies: [{ company_id: "acme" }] });
    expect(em.workspace.companies.get(company.id)?.tag_ids).toEqual([tag.id]);
    const message = await sdk.conversations.create({ from: { type: "user", id: contact.id }, body: "Hi" });
    const conversationId = message.conversation_id ?? "";
    const conversation = em.workspace.conversations.get(conversationId);
    if (conversation !== undefined) em.workspace.saveConversation({ ...conversation, tag_ids: [tag.id] });
    expect((await sdk.conversations.find({ conversation_id: conversationId })).tags).toEqual({ type: "tag.list", tags: [{ type: "tag", id: tag.id, name: "Beta" }] });
    await sdk.tags.delete({ tag_id: tag.id });
    expect(em.workspace.tags.has(tag.id)).toBe(false);
    expect(em.workspace.contacts.get(contact.id)?.tags).toEqual([]);
    expect(em.workspace.companies.get(company.id)?.tag_ids).toEqual([]);
    expect(em.workspace.conversations.get(conversationId)?.tag_ids).toEqual([]);
    const error = await sdk.tags.find({ tag_id: tag.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomError);
    expect((error as IntercomError).statusCode).toBe(404);
    expect((error as IntercomError).body).toMatchObject({ errors: [{ code: "not_found", message: "Resource Not Found" }] });
    await expect(sdk.tags.delete({ tag_id: tag.id })).rejects.toMatchObject({ statusCode: 404 });
  });

  it("tags and untags companies by id or company_id, creating the tag when needed", async () => {
    const sdk = em.sdk();
    const acme = await sdk.companies.createOrUpdate({ company_id: "acme", name: "Acme" });
    const globex = await sdk.companies.createOrUpdate({ company_id: "globex", name: "Globex" });
    const tag = await sdk.tags.create({ name: "Enterprise", companies: [{ id: acme.id }, { company_id: "globex" }] });
    expect(tag).toMatchObject({ type: "tag", name: "Enterprise" });
    const tagged = await sdk.companies.find({ company_id: acme.id });
    expect(tagged.tags).toEqual({ type: "tag.list", tags: [{ type: "tag", id: tag.id, name: "Enterprise" }] });
    await sdk.tags.create({ name: "Enterprise", companies: [{ id: globex.id, untag: true }] });
    expect(em.workspace.companies.get(globex.id)?.tag_ids).toEqual([]);
    expect(em.workspace.companies.get(acme.id)?.tag_ids).toEqual([tag.id]);
    // Tagging again is the same one tag; untagging what is not tagged changes nothing.
    const again = await sdk.tags.create({ name: "enterprise", companies: [{ id: acme.id }] });
    expect(again.id).toBe(tag.id);
    await sdk.tags.create({ name: "Enterprise", companies: [{ id: globex.id, untag: true }] });
    expect(em.workspace.companies.get(acme.id)?.tag_ids).toEqual([tag.id]);
    expect(em.workspace.companies.get(globex.id)?.tag_ids).toEqual([]);
    expect((await sdk.companies.find({ company_id: acme.id })).tags).toEqual({ type: "tag.list", tags: [{ type: "tag", id: tag.id, name: "Enterprise" }] });
  });

  it("tags several users at once", async () => {
    const a = em.workspace.insertContact({ role: "user", email: "a@example.com" });
    const b = em.workspace.insertContact({ role: "lead" });
    const tag = await em.sdk().tags.create({ name: "Imported", users: [{ id: a.id }, { id: b.id }, { id: a.id }] });
    for (const id of [a.id, b.id]) {
      expect(em.workspace.contacts.get(id)?.tags).toEqual([{ id: tag.id, applied_at: expect.any(Number) as number, applied_by: em.workspace.ownerAdminId }]);
    }
  });

  it("rejects bad input with Intercom's codes and changes nothing", async () => {
    const contact = em.workspace.insertContact({ role: "user", email: "c@example.com" });
    const company = await em.sdk().companies.createOrUpdate({ company_id: "acme" });
    const cases: Array<[unknown, number, string]> = [
      [{ test: "invalid" }, 400, "parameter_invalid"],
      [{}, 400, "parameter_not_found"],
      [{ name: "" }, 400, "parameter_invalid"],
      [{ name: 7 }, 400, "parameter_invalid"],
      [{ name: "New", id: "999" }, 404, "not_found"],
      [{ name: "New", companies: [{ company_id: "123" }] }, 404, "company_not_found"],
      [{ name: "New", companies: [{ id: company.id }, { company_id: "nope" }] }, 404, "company_not_found"],
      [{ name: "New", users: [{ id: contact.id }, { id: "123" }] }, 404, "not_found"],
      [{ name: "Never", companies: [{ id: company.id, untag: true }] }, 404, "not_found"],
    ];
    for (const [body, status, code] of cases) {
      const r = await em.request("POST", "/tags", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body).toMatchObject({ type: "error.list", errors: [{ code }] });
    }
    expect(em.workspace.tags.size).toBe(0);
    expect(em.workspace.contacts.get(contact.id)?.tags).toEqual([]);
    expect(em.workspace.companies.get(company.id)?.tag_ids).toEqual([]);
  });
});
