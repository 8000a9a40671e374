import type { Intercom, IntercomError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedWorkspace } from "../seed.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import type { TicketTypeRecord } from "../ticket-model.js";
import { ticketsOf } from "../ticket-store.js";

let em: TestEmulator;
let bug: TicketTypeRecord;
let refund: TicketTypeRecord;
let priority: { high: string; low: string; name: string };

beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(1_700_000_000, { frozen: true });
  seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
  const types = [...ticketsOf(em.workspace).types.values()];
  bug = types.find((t) => t.name === "Bug report") as TicketTypeRecord;
  refund = types.find((t) => t.name === "Refund request") as TicketTypeRecord;
  const attribute = ticketsOf(em.workspace).attributeByName(bug, "Priority");
  const options = attribute?.list_options ?? [];
  priority = { name: "Priority", low: options[0]?.id ?? "", high: options[2]?.id ?? "" };
});
afterEach(async () => {
  await em.close();
});

/** Ticket attributes go through the SDK's request as sent; its 7.x type leaves them out. */
function createRequest(fields: Record<string, unknown>): Intercom.CreateTicketRequest {
  return fields as unknown as Intercom.CreateTicketRequest;
}

function teammate(): string {
  return [...em.workspace.admins.values()].find((a) => a.id !== em.workspace.ownerAdminId)?.id ?? "";
}

describe("tickets", () => {
  it("creates a ticket checked against its type, and retrieves it", async () => {
    const sdk = em.sdk();
    const contact = em.workspace.insertContact({ role: "user", email: "t@example.com", external_id: "u-7" });
    const ticket = await sdk.tickets.create(createRequest({
      ticket_type_id: bug.id,
      contacts: [{ id: contact.id }],
      ticket_attributes: { _default_title_: "Login fails", [priority.name]: priority.high, Reproducible: true },
    }));
    const owner = em.workspace.admins.get(em.workspace.ownerAdminId);
    expect(ticket).toMatchObject({
      type: "ticket", category: "Customer", open: true, is_shared: true, admin_assignee_id: "0", team_assignee_id: "0",
      created_at: 1_700_000_000, updated_at: 1_700_000_000,
      ticket_attributes: { _default_title_: "Login fails", _default_description_: null, Priority: priority.high, "Affected version": null, Reproducible: true },
      ticket_state: { type: "ticket_state", category: "submitted", internal_label: "Submitted" },
      ticket_type: { type: "ticket_type", id: bug.id, name: "Bug report" },
      contacts: { type: "contact.list", contacts: [{ type: "contact", id: contact.id, external_id: "u-7" }] },
      ticket_parts: {
        type: "ticket_part.list", total_count: 1,
        ticket_parts: [{ type: "ticket_part", part_type: "ticket_state_updated_by_admin", ticket_state: "submitted", previous_ticket_state: "submitted", author: { type: "admin", id: owner?.id } }],
      },
      linked_objects: { type: "list", data: [], total_count: 0, has_more: false },
    });
    expect(ticket?.ticket_id).toMatch(/^\d+$/);
    expect(await sdk.tickets.get({ ticket_id: ticket?.id ?? "" })).toEqual(ticket);

    // By email: a contact nobody has yet is created as a user; assignment and a back-office type.
    const team = [...em.workspace.teams.values()][0];
    const second = await sdk.tickets.create(createRequest({
      ticket_type_id: Number(refund.id), contacts: [{ email: "new@example.com" }], ticket_attributes: { Amount: 12.5, "Order number": 4411 },
      assignment: { admin_assignee_id: teammate(), team_assignee_id: team?.id }, created_at: 1_699_999_000,
    }));
    const created = em.workspace.contacts.get(second?.contacts.contacts?.[0]?.id ?? "");
    expect(created).toMatchObject({ role: "user", email: "new@example.com" });
    expect(second).toMatchObject({ category: "Back-office", is_shared: false, admin_assignee_id: teammate(), team_assignee_id: team?.id, created_at: 1_699_999_000 });
  });

  it("refuses unknown, mistyped and missing required attributes, unknown types, contacts and assignees, writing nothing", async () => {
    const contact = em.workspace.insertContact({ role: "lead" });
    const contactsBefore = em.workspace.contacts.size;
    const base = { ticket_type_id: bug.id, contacts: [{ id: contact.id }] };
    const ok = { [priority.name]: priority.low };
    const cases: Array<[unknown, number, string, string, string | undefined]> = [
      [{ ...base, ticket_attributes: { ...ok, Severity: "x" } }, 400, "parameter_invalid", "Ticket attribute 'Severity' does not exist", "ticket_attributes.Severity"],
      [{ ...base, ticket_attributes: { ...ok, Reproducible: "yes" } }, 400, "parameter_invalid", "Ticket attribute 'Reproducible' must be true or false", "ticket_attributes.Reproducible"],
      [{ ...base, ticket_attributes: { [priority.name]: "High" } }, 400, "parameter_invalid", "Ticket attribute 'Priority' must be the id of one of its list options", "ticket_attributes.Priority"],
      [{ ...base, ticket_attributes: { _default_title_: "x" } }, 400, "parameter_invalid", "Missing required ticket attributes", "ticket_attributes.Priority"],
      [{ ...base, ticket_attributes: { ...ok, _default_title_: 5 } }, 400, "parameter_invalid", "Ticket attribute '_default_title_' must be a string", "ticket_attributes._default_title_"],
      [{ ticket_type_id: refund.id, contacts: [{ email: "other@example.com" }], ticket_attributes: { Amount: 5, "Order number": 1.5 } }, 400, "parameter_invalid", "Ticket attribute 'Order number' must be an integer", "ticket_attributes.Order number"],
      [{ ticket_type_id: refund.id, contacts: [{ email: "other@example.com" }], ticket_attributes: { Amount: 5, "Charged at": -1 } }, 400, "parameter_invalid", "must be a UNIX timestamp", "ticket_attributes.Charged at"],
      [{ ...base, ticket_type_id: "999", ticket_attributes: ok }, 404, "not_found", "Ticket type not found", "ticket_type_id"],
      [{ contacts: [{ id: contact.id }] }, 400, "parameter_not_found", "ticket_type_id is required", "ticket_type_id"],
      [{ ticket_type_id: bug.id }, 400, "parameter_not_found", "contacts is required", "contacts"],
      [{ ...base, contacts: [{ id: contact.id }, { id: contact.id }] }, 400, "parameter_invalid", "contacts", "contacts"],
      [{ ...base, contacts: [{ id: "nobody" }], ticket_attributes: ok }, 404, "not_found", "User Not Found", "contacts.0.id"],
      [{ ...base, contacts: [{ external_id: "nobody" }], ticket_attributes: ok }, 404, "not_found", "User Not Found", "contacts.0.external_id"],
      [{ ...base, ticket_attributes: ok, assignment: { admin_assignee_id: "123" } }, 404, "assignee_not_found", "Assignee not found", "assignment.admin_assignee_id"],
      [{ ...base, ticket_attributes: ok, company_id: "nope" }, 404, "company_not_found", "Company Not Found", undefined],
      [{ ...base, ticket_attributes: ok, conversation_to_link_id: "999" }, 404, "not_found", "Resource Not Found", "conversation_to_link_id"],
      [{ ...base, ticket_attributes: ok, state: "open" }, 400, "parameter_invalid", "state", undefined],
    ];
    for (const [body, status, code, message, field] of cases) {
      const r = await em.request("POST", "/tickets", body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      const error = (r.body as { errors: Array<{ code: string; message: string; field?: string }> }).errors[0];
      expect(error?.code, JSON.stringify(body)).toBe(code);
      expect(error?.message).toContain(message);
      if (field !== undefined) expect(error?.field).toBe(field);
    }
    expect(ticketsOf(em.workspace).tickets.size).toBe(0);
    expect(em.workspace.contacts.size).toBe(contactsBefore);
    // Archived types take no new tickets.
    ticketsOf(em.workspace).types.set(bug.id, { ...bug, archived: true });
    const archived = await em.request("POST", "/tickets", { ...base, ticket_attributes: ok });
    expect(archived.body).toMatchObject({ errors: [{ code: "parameter_invalid", message: "The ticket type is archived", field: "ticket_type_id" }] });
  });

  it("updates state, assignee, attributes, snooze and open as the description has them, each with its part", async () => {
    const sdk = em.sdk();
    const contact = em.workspace.insertContact({ role: "user", email: "u@example.com" });
    const ticket = await sdk.tickets.create(createRequest({ ticket_type_id: bug.id, contacts: [{ id: contact.id }], ticket_attributes: { [priority.name]: priority.low } }));
    const id = ticket?.id ?? "";
    const states = new Map(bug.state_ids.map((s) => [ticketsOf(em.workspace).states.get(s)?.category, s]));
    em.workspace.clock.advance(60);
    const admin = teammate();
    const updated = await sdk.tickets.update({
      ticket_id: id, admin_id: Number(admin), ticket_state_id: states.get("in_progress") ?? "", assignee_id: admin,
      ticket_attributes: { [priority.name]: priority.high, _default_title_: "Crash" }, snoozed_until: 1_700_086_400,
    });
    expect(updated).toMatchObject({
      updated_at: 1_700_000_060, admin_assignee_id: admin, team_assignee_id: "0", open: true, snoozed_until: 1_700_086_400,
      ticket_state: { category: "in_progress" }, ticket_attributes: { Priority: priority.high, _default_title_: "Crash" },
    });
    const parts = updated?.ticket_parts?.ticket_parts ?? [];
    expect(parts.map((p) => p.part_type)).toEqual([
      "ticket_state_updated_by_admin", "ticket_attribute_updated_by_admin", "ticket_attribute_updated_by_admin", "ticket_state_updated_by_admin", "assignment", "snoozed",
    ]);
    expect(parts.find((p) => p.updated_attribute_data?.attribute.label === "Priority")?.updated_attribute_data).toMatchObject({ value: { type: "value", id: priority.high, label: "High" } });
    expect(parts[3]).toMatchObject({ ticket_state: "in_progress", previous_ticket_state: "submitted", author: { type: "admin", id: admin } });
    expect(parts[4]).toMatchObject({ assigned_to: { type: "admin", id: admin } });

    em.workspace.clock.advance(60);
    const team = [...em.workspace.teams.values()][0]?.id ?? "";
    const closed = await sdk.tickets.update({ ticket_id: id, open: false, assignee_id: team, is_shared: false });
    expect(closed).toMatchObject({ open: false, admin_assignee_id: admin, team_assignee_id: team, is_shared: false, updated_at: 1_700_000_120 });
    expect(closed?.snoozed_until).toBeUndefined();
    expect(closed?.ticket_parts?.ticket_parts?.slice(-2).map((p) => p.part_type)).toEqual(["assignment", "close"]);
    const unassigned = await sdk.tickets.update({ ticket_id: id, assignee_id: "0" });
    expect(unassigned).toMatchObject({ admin_assignee_id: "0", team_assignee_id: "0" });
    const cleared = await sdk.tickets.update({ ticket_id: id, ticket_attributes: { _default_title_: null } });
    expect(cleared?.ticket_attributes._default_title_).toBeNull();
  });

  it("answers update errors from the description and changes nothing", async () => {
    const contact = em.workspace.insertContact({ role: "user", email: "e@example.com" });
    const ticket = await em.sdk().tickets.create(createRequest({ ticket_type_id: bug.id, contacts: [{ id: contact.id }], ticket_attributes: { [priority.name]: priority.low } }));
    const id = ticket?.id ?? "";
    const before = structuredClone(ticketsOf(em.workspace).tickets.get(id));
    const cases: Array<[string, unknown, number, string, string]> = [
      [id, { ticket_state_id: "0" }, 400, "ticket_state_id_invalid", "Ticket state id is not valid or is not associated with the ticket type"],
      [id, { assignee_id: "424242" }, 404, "assignee_not_found", "Assignee not found"],
      [id, { admin_id: 424242, open: false }, 404, "assignee_not_found", "Assignee not found"],
      [id, { ticket_attributes: { Nope: 1 } }, 400, "parameter_invalid", "Ticket attribute 'Nope' does not exist"],
      [id, { open: "no" }, 400, "parameter_invalid", "open"],
      [id, { state: "resolved" }, 400, "parameter_invalid", "state"],
      ["999", { open: false }, 404, "ticket_not_found", "Ticket not found"],
    ];
    for (const [ticketId, body, status, code, message] of cases) {
      const r = await em.request("PUT", `/tickets/${ticketId}`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      const error = (r.body as { errors: Array<{ code: string; message: string }> }).errors[0];
      expect(error?.code).toBe(code);
      expect(error?.message).toContain(message);
    }
    expect(ticketsOf(em.workspace).tickets.get(id)).toEqual(before);
    const missing = await em.sdk().tickets.get({ ticket_id: "999" }).catch((e: unknown) => e);
    expect((missing as IntercomError).statusCode).toBe(404);
  });

  it("takes admin comments, notes and quick replies and contact replies, answering ticket_reply", async () => {
    const sdk = em.sdk();
    const contact = em.workspace.insertContact({ role: "user", email: "r@example.com", name: "Rita" });
    const ticket = await sdk.tickets.create(createRequest({ ticket_type_id: bug.id, contacts: [{ id: contact.id }], ticket_attributes: { [priority.name]: priority.low } }));
    const id = ticket?.id ?? "";
    const admin = em.workspace.admins.get(teammate());
    em.workspace.clock.advance(10);
    const note = await sdk.tickets.reply({ ticket_id: id, body: { message_type: "note", type: "admin", admin_id: admin?.id ?? "", body: "Checked the <b>logs</b>" } });
    expect(note).toEqual({
      type: "ticket_part", id: note.id, part_type: "note", body: "Checked the <b>logs</b>", created_at: 1_700_000_010, updated_at: 1_700_000_010,
      author: { id: admin?.id, type: "admin", name: admin?.name, email: admin?.email }, attachments: [], redacted: false,
    });
    const comment = await sdk.tickets.reply({ ticket_id: id, body: { message_type: "comment", type: "admin", admin_id: admin?.id ?? "", body: "We are on it", attachment_urls: ["https://example.com/files/trace.png"] } });
    expect(comment).toMatchObject({ part_type: "comment", body: "<p>We are on it</p>", attachments: [{ type: "upload", name: "trace.png", url: "https://example.com/files/trace.png" }] });
    const quick = await sdk.tickets.reply({
      ticket_id: id,
      body: { message_type: "quick_reply", type: "admin", admin_id: admin?.id ?? "", reply_options: [{ text: "Yes", uuid: "0df48b85-9a93-4c66-a167-753eff0baaec" }] },
    });
    expect(quick).toMatchObject({ part_type: "quick_reply", body: null });
    em.workspace.clock.advance(10);
    const reply = await sdk.tickets.reply({ ticket_id: id, body: { message_type: "comment", type: "user", intercom_user_id: contact.id, body: "Thanks <3" } });
    expect(reply).toMatchObject({ part_type: "comment", body: "<p>Thanks &lt;3</p>", author: { type: "user", id: contact.id, name: "Rita", email: "r@example.com" }, created_at: 1_700_000_020 });
    const shown = await sdk.tickets.get({ ticket_id: id });
    expect(shown?.updated_at).toBe(1_700_000_020);
    expect(shown?.ticket_parts?.ticket_parts?.map((p) => p.part_type)).toEqual(["ticket_state_updated_by_admin", "note", "comment", "quick_reply", "comment"]);
  });

  it("answers reply errors from the description and adds nothing", async () => {
    const contact = em.workspace.insertContact({ role: "user", email: "x@example.com" });
    const stranger = em.workspace.insertContact({ role: "user", email: "y@example.com" });
    const sdk = em.sdk();
    const customer = await sdk.tickets.create(createRequest({ ticket_type_id: bug.id, contacts: [{ id: contact.id }], ticket_attributes: { [priority.name]: priority.low } }));
    const backOffice = await sdk.tickets.create(createRequest({ ticket_type_id: refund.id, contacts: [{ id: contact.id }], ticket_attributes: { Amount: 3 } }));
    const admin = em.workspace.ownerAdminId;
    const cases: Array<[string, unknown, number, string, string]> = [
      [backOffice?.id ?? "", { type: "user", message_type: "comment", intercom_user_id: contact.id, body: "Hi" }, 400, "parameter_mismatch", "User replies are not allowed on Backoffice tickets"],
      [customer?.id ?? "", { type: "user", message_type: "comment", intercom_user_id: "nobody", body: "Hi" }, 404, "not_found", "Resource Not Found"],
      [customer?.id ?? "", { type: "user", message_type: "comment", intercom_user_id: stranger.id, body: "Hi" }, 400, "parameter_invalid", "The contact is not part of this ticket"],
      [customer?.id ?? "", { type: "user", message_type: "comment", body: "Hi" }, 400, "parameter_not_found", "intercom_user_id is required"],
      ["999", { type: "admin", message_type: "note", admin_id: admin, body: "Hi" }, 404, "not_found", "Resource Not Found"],
      [customer?.id ?? "", { type: "admin", message_type: "note", admin_id: "424242", body: "Hi" }, 404, "not_found", "Resource Not Found"],
      [customer?.id ?? "", { type: "admin", message_type: "comment", admin_id: admin }, 400, "parameter_not_found", "body is required"],
      [customer?.id ?? "", { type: "admin", message_type: "quick_reply", admin_id: admin }, 400, "parameter_not_found", "reply_options is required"],
      [customer?.id ?? "", { type: "admin", message_type: "close", admin_id: admin, body: "x" }, 400, "parameter_invalid", "message_type"],
      [customer?.id ?? "", { type: "bot", body: "x" }, 400, "parameter_invalid", "type"],
    ];
    for (const [ticketId, body, status, code, message] of cases) {
      const r = await em.request("POST", `/tickets/${ticketId}/reply`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      const error = (r.body as { errors: Array<{ code: string; message: string }> }).errors[0];
      expect(error?.code, JSON.stringify(body)).toBe(code);
      expect(error?.message).toContain(message);
    }
    for (const t of ticketsOf(em.workspace).tickets.values()) expect(t.parts).toHaveLength(1);
  });

  it("tags and untags a ticket, and deletes it", async () => {
    const sdk = em.sdk();
    const contact = em.workspace.insertContact({ role: "user", email: "g@example.com" });
    const ticket = await sdk.tickets.create(createRequest({ ticket_type_id: bug.id, contacts: [{ id: contact.id }], ticket_attributes: { [priority.name]: priority.low } }));
    const id = ticket?.id ?? "";
    const tag = [...em.workspace.tags.values()][0];
    const admin = em.workspace.ownerAdminId;
    const tagged = await sdk.tags.tagTicket({ ticket_id: id, id: tag?.id ?? "", admin_id: admin });
    expect(tagged).toEqual({ type: "tag", id: tag?.id, name: tag?.name, applied_at: 1_700_000_000, applied_by: { type: "admin", id: admin } });
    em.workspace.clock.advance(5);
    expect(await sdk.tags.tagTicket({ ticket_id: id, id: tag?.id ?? "", admin_id: admin })).toEqual(tagged);
    expect((await em.request("POST", `/tickets/${id}/tags`, { id: "424242", admin_id: admin })).body).toMatchObject({ errors: [{ code: "tag_not_found", message: "Tag not found" }] });
    expect((await em.request("POST", "/tickets/999/tags", { id: tag?.id, admin_id: admin })).body).toMatchObject({ errors: [{ code: "ticket_not_found", message: "Ticket not found" }] });
    expect(await sdk.tags.untagTicket({ ticket_id: id, tag_id: tag?.id ?? "", admin_id: admin })).toEqual(tagged);
    const again = await em.request("DELETE", `/tickets/${id}/tags/${tag?.id ?? ""}`, { admin_id: admin });
    expect(again).toMatchObject({ status: 404, body: { errors: [{ code: "tag_not_found", message: "Tag not found" }] } });

    expect(await sdk.tickets.deleteTicket({ ticket_id: id })).toEqual({ id, object: "ticket", deleted: true });
    expect((await em.request("GET", `/tickets/${id}`)).body).toMatchObject({ errors: [{ code: "ticket_not_found" }] });
    expect((await em.request("DELETE", `/tickets/${id}`)).status).toBe(404);
  });
});
