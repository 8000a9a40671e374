import { IntercomError } from "intercom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seedWorkspace } from "../seed.js";
import { startTestEmulator, type TestEmulator } from "../testing/harness.js";
import { ticketsOf } from "../ticket-store.js";

let em: TestEmulator;
beforeEach(async () => {
  em = await startTestEmulator();
  em.workspace.clock.set(1_700_000_000, { frozen: true });
});
afterEach(async () => {
  await em.close();
});

interface Attr { id: string; name: string; data_type: string; input_options: Record<string, unknown>; required_to_create: boolean; default: boolean; order: number; archived: boolean }

describe("ticket types", () => {
  it("creates a type with the built-in title and description and the four states, and lists and finds it", async () => {
    const sdk = em.sdk();
    const created = await sdk.ticketTypes.create({ name: "Customer Issue", description: "Customer Report Template", category: "Customer" });
    expect(created).toMatchObject({
      type: "ticket_type", name: "Customer Issue", description: "Customer Report Template", icon: "🎟️", workspace_id: em.workspace.id,
      archived: false, is_internal: false, category: "Customer", created_at: 1_700_000_000, updated_at: 1_700_000_000,
    });
    const attributes = (created?.ticket_type_attributes as unknown as { type: string; data: Attr[] });
    expect(attributes.type).toBe("list");
    expect(attributes.data.map((a) => [a.name, a.data_type, a.input_options, a.default, a.order])).toEqual([
      ["_default_title_", "string", { multiline: false }, true, 0],
      ["_default_description_", "string", { multiline: true }, true, 1],
    ]);
    expect(created?.ticket_states?.data?.map((s) => [s?.category, s?.internal_label, s?.external_label])).toEqual([
      ["submitted", "Submitted", "Submitted"],
      ["in_progress", "In progress", "In progress"],
      ["waiting_on_customer", "Waiting on customer", "Waiting on you"],
      ["resolved", "Resolved", "Resolved"],
    ]);
    const other = await sdk.ticketTypes.create({ name: "Tracker", category: "Tracker", icon: "🐞", is_internal: true });
    expect(other?.ticket_states?.data?.map((s) => s?.id)).toEqual(created?.ticket_states?.data?.map((s) => s?.id));
    const list = await sdk.ticketTypes.list();
    expect(list.data?.map((t) => t?.name)).toEqual(["Customer Issue", "Tracker"]);
    expect(await sdk.ticketTypes.get({ ticket_type_id: created?.id ?? "" })).toEqual(created);
    const states = await sdk.ticketStates.listTicketStates();
    expect(states.data?.map((s) => [s?.category, s?.ticket_types?.data?.map((t) => t?.name)])).toEqual([
      ["submitted", ["Customer Issue", "Tracker"]], ["in_progress", ["Customer Issue", "Tracker"]],
      ["waiting_on_customer", ["Customer Issue", "Tracker"]], ["resolved", ["Customer Issue", "Tracker"]],
    ]);
  });

  it("adds and updates attributes of every data type, keeping list option ids", async () => {
    const sdk = em.sdk();
    const type = await sdk.ticketTypes.create({ name: "Bug" });
    const id = type?.id ?? "";
    const priority = await sdk.ticketTypes.attributes.create({
      ticket_type_id: id, name: "Priority", description: "How bad", data_type: "list", list_items: "Low,Medium, High", required_to_create: true,
    });
    const options = (priority?.input_options as { list_options: Array<{ id: string; label: string; archived: boolean }> }).list_options;
    expect(options.map((o) => [o.label, o.archived])).toEqual([["Low", false], ["Medium", false], ["High", false]]);
    for (const o of options) expect(o.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(priority).toMatchObject({ type: "ticket_type_attribute", name: "Priority", data_type: "list", order: 2, required_to_create: true, default: false, ticket_type_id: Number(id) });
    for (const dataType of ["integer", "decimal", "boolean", "datetime", "files"] as const) {
      const a = await sdk.ticketTypes.attributes.create({ ticket_type_id: id, name: `A ${dataType}`, description: "", data_type: dataType, allow_multiple_values: true });
      expect(a?.input_options).toEqual(dataType === "files" ? { allow_multiple_values: true } : {});
    }
    em.workspace.clock.advance(30);
    const updated = await sdk.ticketTypes.attributes.update({ ticket_type_id: id, attribute_id: priority?.id ?? "", list_items: "Low,High,Urgent", description: "How urgent" });
    const after = (updated?.input_options as { list_options: Array<{ id: string; label: string; archived: boolean }> }).list_options;
    expect(after.map((o) => [o.label, o.archived])).toEqual([["Low", false], ["Medium", true], ["High", false], ["Urgent", false]]);
    expect(after.slice(0, 3).map((o) => o.id)).toEqual(options.map((o) => o.id));
    expect(updated).toMatchObject({ description: "How urgent", updated_at: 1_700_000_030 });
    const renamed = await sdk.ticketTypes.update({ ticket_type_id: id, name: "Bug report", archived: true });
    expect(renamed).toMatchObject({ name: "Bug report", archived: true, updated_at: 1_700_000_030 });
  });

  it("answers errors naming the field and changes nothing", async () => {
    const sdk = em.sdk();
    const type = await sdk.ticketTypes.create({ name: "Bug" });
    const id = type?.id ?? "";
    const title = ticketsOf(em.workspace).attributeByName(ticketsOf(em.workspace).types.get(id) ?? ({} as never), "_default_title_");
    const cases: Array<[string, string, unknown, number, string, string]> = [
      ["POST", "/ticket_types", {}, 400, "parameter_not_found", "name is required"],
      ["POST", "/ticket_types", { name: "X", category: "Other" }, 400, "parameter_invalid", "category"],
      ["GET", "/ticket_types/999", undefined, 404, "not_found", "Ticket type not found"],
      ["PUT", "/ticket_types/999", { name: "X" }, 404, "not_found", "Ticket type not found"],
      ["POST", `/ticket_types/${id}/attributes`, { name: "P", description: "", data_type: "list" }, 400, "parameter_invalid", "list_items must name at least one item of a list attribute"],
      ["POST", `/ticket_types/${id}/attributes`, { name: "P", description: "", data_type: "text" }, 400, "parameter_invalid", "data_type"],
      ["POST", `/ticket_types/${id}/attributes`, { name: "P", data_type: "string" }, 400, "parameter_not_found", "description is required"],
      ["POST", `/ticket_types/${id}/attributes`, { name: "_default_title_", description: "", data_type: "string" }, 400, "parameter_invalid", "The ticket type already has an attribute named '_default_title_'"],
      ["PUT", `/ticket_types/${id}/attributes/${title?.id ?? ""}`, { archived: true }, 400, "parameter_invalid", "The default title and description attributes cannot be renamed or archived"],
      ["PUT", `/ticket_types/${id}/attributes/999`, { description: "x" }, 404, "not_found", "Ticket type attribute not found"],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const r = await em.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      const error = (r.body as { errors: Array<{ code: string; message: string }> }).errors[0];
      expect(error?.code).toBe(code);
      expect(error?.message).toContain(message);
    }
    expect(ticketsOf(em.workspace).types.size).toBe(1);
    expect(ticketsOf(em.workspace).attributes.size).toBe(2);
    const error = await sdk.ticketTypes.get({ ticket_type_id: "999" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntercomError);
    expect((error as IntercomError).statusCode).toBe(404);
  });

  it("the demo seed has a customer and a back-office type, once however often it runs", async () => {
    seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
    seedWorkspace(em.workspace, { preset: "demo", contacts: 0 });
    const list = await em.sdk().ticketTypes.list();
    expect(list.data?.map((t) => [t?.name, t?.category])).toEqual([["Bug report", "Customer"], ["Refund request", "Back-office"]]);
    const bug = list.data?.[0]?.ticket_type_attributes as unknown as { data: Attr[] };
    expect(bug.data.map((a) => [a.name, a.data_type, a.required_to_create])).toEqual([
      ["_default_title_", "string", false], ["_default_description_", "string", false],
      ["Priority", "list", true], ["Affected version", "string", false], ["Reproducible", "boolean", false],
    ]);
  });
});
