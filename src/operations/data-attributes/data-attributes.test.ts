import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DataAttribute } from "../../contract/catalogue/data-attributes.js";
import { unwrap } from "../../contract/index.js";
import { startConnectedEmulator, type ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { createDataAttribute } from "./createDataAttribute.js";
import { listDataAttributes } from "./listDataAttributes.js";

let c: ConnectedEmulator;
beforeEach(async () => {
  c = await startConnectedEmulator();
});
afterEach(async () => {
  await c.close();
});

// 2026-11-24T12:30:38Z
const NOW = 1_795_523_438;

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("CreateDataAttribute", () => {
  it("creates a list attribute and returns Intercom's data_attribute object", async () => {
    await c.workspace("POST", "/clock", { set: NOW, frozen: true });
    const created = unwrap(
      await createDataAttribute.run(c.intercom, { name: "plan", model: "contact", data_type: "options", options: ["free", "pro"], description: "The plan", messenger_writable: true }),
    );
    expect(created).toEqual({
      type: "data_attribute",
      id: expect.any(Number) as number,
      name: "plan",
      full_name: "custom_attributes.plan",
      label: "plan",
      description: "The plan",
      data_type: "string",
      options: ["free", "pro"],
      api_writable: true,
      ui_writable: false,
      messenger_writable: true,
      custom: true,
      archived: false,
      admin_id: c.em.workspace.ownerAdminId,
      created_at: NOW,
      updated_at: NOW,
      model: "contact",
    });
    expect(DataAttribute.parse(created)).toEqual(created);
    expect(await c.calls()).toEqual({ total: 1, calls: { "POST /data_attributes": 1 } });
  });

  it("is safe to retry: the same attribute again answers the existing one; a different one keeps Intercom's 400", async () => {
    const first = unwrap(await createDataAttribute.run(c.intercom, { name: "seats", model: "company", data_type: "integer" }));
    const again = unwrap(await createDataAttribute.run(c.intercom, { name: "seats", model: "company", data_type: "integer" }));
    expect(again).toEqual(first);
    expect(c.em.workspace.dataAttributes.size).toBe(1);
    const clash = await createDataAttribute.run(c.intercom, { name: "seats", model: "company", data_type: "string" });
    expect(!clash.ok && clash.error.toJSON()).toMatchObject({ code: "intercom_rejected", status: 400 });
    expect(!clash.ok && clash.error.message).toContain("seats");
    const otherModel = await createDataAttribute.run(c.intercom, { name: "seats", model: "contact", data_type: "integer" });
    expect(!otherModel.ok && otherModel.error.code).toBe("intercom_rejected");
  });

  it("refuses bad input naming the field, before any call", async () => {
    for (const [input, field] of [
      [{ model: "contact", data_type: "string" }, "name"],
      [{ name: "x", model: "conversation", data_type: "string" }, "model"],
      [{ name: "x", model: "contact", data_type: "json" }, "data_type"],
      [{ name: "x", model: "contact", data_type: "options", options: ["one"] }, "options"],
      [{ name: "x", model: "contact", data_type: "string", options: ["a", "b"] }, "options"],
      [{ name: "x", model: "contact", data_type: "string", label: "X" }, "label"],
    ] as const) {
      const result = await createDataAttribute.run(c.intercom, input);
      expect(!result.ok && result.error.toJSON(), JSON.stringify(input)).toMatchObject({ code: "invalid_input", status: 400 });
      expect(!result.ok && result.error.message, JSON.stringify(input)).toContain(field);
    }
    expect((await c.calls()).total).toBe(0);
  });

  it("maps Intercom's own refusal of a name to intercom_rejected with its message", async () => {
    const result = await createDataAttribute.run(c.intercom, { name: "bad name!", model: "contact", data_type: "string" });
    expect(!result.ok && result.error.toJSON()).toMatchObject({ code: "intercom_rejected", status: 400 });
    expect(!result.ok && result.error.message).toContain("alphanumeric");
  });
});

describe("ListDataAttributes", () => {
  it("lists standard then custom attributes, by model, archived ones only when asked", async () => {
    const plan = unwrap(await createDataAttribute.run(c.intercom, { name: "plan", model: "contact", data_type: "string" }));
    const region = unwrap(await createDataAttribute.run(c.intercom, { name: "region", model: "company", data_type: "string" }));
    await c.em.request("PUT", `/data_attributes/${region.id}`, { archived: true });
    await c.resetCalls();

    const contact = await all(unwrap(await listDataAttributes.run(c.intercom, { model: "contact" })));
    expect(contact.every((a) => a.model === "contact")).toBe(true);
    expect(contact.at(-1)).toEqual(plan);
    expect(contact.find((a) => a.name === "email")).toMatchObject({ type: "data_attribute", custom: false, full_name: "email" });
    expect(contact.find((a) => a.name === "email")).not.toHaveProperty("id");
    for (const a of contact) expect(DataAttribute.parse(a)).toEqual(a);

    const companies = await all(unwrap(await listDataAttributes.run(c.intercom, { model: "company" })));
    expect(companies.some((a) => a.name === "region")).toBe(false);
    const archived = await all(unwrap(await listDataAttributes.run(c.intercom, { model: "company", include_archived: true })));
    expect(archived.find((a) => a.name === "region")).toMatchObject({ id: region.id, archived: true });
    const everything = await all(unwrap(await listDataAttributes.run(c.intercom, {})));
    expect(new Set(everything.map((a) => a.model))).toEqual(new Set(["contact", "company"]));
    expect(await c.calls()).toEqual({ total: 4, calls: { "GET /data_attributes": 4 } });
  });

  it("refuses bad filters before any call", async () => {
    const model = await listDataAttributes.run(c.intercom, { model: "ticket" });
    expect(!model.ok && model.error.toJSON()).toMatchObject({ code: "invalid_input", field: "model" });
    const archived = await listDataAttributes.run(c.intercom, { include_archived: "yes" });
    expect(!archived.ok && archived.error.toJSON()).toMatchObject({ code: "invalid_input", field: "include_archived" });
    expect((await c.calls()).total).toBe(0);
  });
});
