import { describe, expect, it } from "vitest";
import { z } from "zod";
import { OPERATIONS, type OperationId } from "./operations.js";
import { toolJsonSchema, UnsafeToolSchemaError, withoutNulls } from "./tool-schema.js";
import { DEFAULT_TOOL_AREAS, TOOL_AREAS, TOOL_METADATA, toolAreaOf, toolIdsOf } from "./tools.js";

describe("tool metadata", () => {
  it("puts every operation in exactly one area, the seed's nine in contacts", () => {
    const ids = Object.keys(OPERATIONS) as OperationId[];
    const all = TOOL_AREAS.flatMap((area) => toolIdsOf([area]));
    expect([...all].sort()).toEqual([...ids].sort());
    for (const id of ["CreateUser", "CreateLead", "ListLeads", "GetLead", "GetUser", "TrigNewLead", "TrigNewUser", "TrigUpdateUser", "TrigNewConversation"] as const) {
      expect(toolAreaOf(id)).toBe("contacts");
    }
    expect(toolAreaOf("GetCompany")).toBe("companies");
    expect(toolAreaOf("SendRequest")).toBe("raw");
    expect(toolAreaOf("SearchContacts")).toBe("contact-lists");
  });

  it("keeps the default toolsets under 30 tools and the whole catalogue under Copilot Studio's 128", () => {
    expect(toolIdsOf(DEFAULT_TOOL_AREAS).length).toBeLessThan(30);
    expect(toolIdsOf(TOOL_AREAS).length).toBeLessThanOrEqual(128);
  });

  it("gives every operation a description for a model and hints that agree with each other", () => {
    for (const [id, metadata] of Object.entries(TOOL_METADATA)) {
      expect(metadata.description.length, id).toBeGreaterThan(40);
      expect(metadata.description, id).toMatch(/[.)]$/);
      // A tool that changes nothing cannot be destructive.
      if (metadata.hints.readOnlyHint) expect(metadata.hints.destructiveHint, id).toBe(false);
    }
    expect(TOOL_METADATA.DeleteContact.hints).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(TOOL_METADATA.GetLead.hints).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
    expect(TOOL_METADATA.CreateLead.hints.idempotentHint).toBe(false);
  });
});

describe("toolJsonSchema", () => {
  it("gives a nullable value its one type and leaves a nullable property out of required", () => {
    const schema = toolJsonSchema(z.strictObject({ id: z.string(), name: z.string().nullable(), count: z.number().int().nullable(), kind: z.enum(["user", "lead"]).nullable() }), "output");
    expect(schema).toEqual({
      type: "object",
      properties: { id: { type: "string" }, name: { type: "string" }, count: { type: "integer" }, kind: { type: "string", enum: ["user", "lead"] } },
      required: ["id"],
      additionalProperties: false,
    });
  });

  it("folds a union of constants into an enum and refuses a union of unlike types, naming where", () => {
    expect(toolJsonSchema(z.object({ role: z.union([z.literal("a"), z.literal("b")]) }), "input").properties).toEqual({ role: { type: "string", enum: ["a", "b"] } });
    const unlike = (): unknown => toolJsonSchema(z.object({ value: z.union([z.string(), z.number()]) }), "input");
    expect(unlike).toThrow(UnsafeToolSchemaError);
    expect(unlike).toThrow(/\/properties\/value/);
    expect(() => toolJsonSchema(z.object({ list: z.array(z.string().nullable()) }), "output")).toThrow(/list items that may be null/);
  });

  it("converts every operation's input and output", () => {
    for (const [id, operation] of Object.entries(OPERATIONS)) {
      expect(() => toolJsonSchema(operation.input, "input"), id).not.toThrow();
      expect(() => toolJsonSchema(operation.output, "output"), id).not.toThrow();
    }
  });
});

describe("withoutNulls", () => {
  it("leaves out the nulls the schema types, at any depth, and keeps what the schema leaves open", () => {
    const schema = toolJsonSchema(
      z.object({ id: z.string(), name: z.string().nullable(), tags: z.array(z.object({ url: z.string().nullable() })), raw: z.unknown(), attributes: z.record(z.string(), z.unknown()) }),
      "output",
    );
    expect(withoutNulls(schema, { id: "1", name: null, tags: [{ url: null }, { url: "u" }], raw: { a: null }, attributes: { b: null } })).toEqual({
      id: "1",
      tags: [{}, { url: "u" }],
      raw: { a: null },
      attributes: { b: null },
    });
  });
});
