import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toSwagger2, UnsupportedSchemaError, zodToSwagger, type Json } from "./json-schema.js";

const none = new Map<z.ZodType, string>();

describe("JSON Schema 2020-12 to Swagger 2.0", () => {
  it("says nullable with x-nullable, whatever form zod used", () => {
    expect(zodToSwagger(z.string().nullable(), none, "output")).toEqual({ type: "string", "x-nullable": true });
    // A nullable with its own title is an anyOf; the title describes the whole.
    expect(zodToSwagger(z.string().meta({ title: "Name" }).nullable(), none, "output")).toEqual({ type: "string", title: "Name", "x-nullable": true });
    expect(zodToSwagger(z.enum(["user", "lead"]).nullable(), none, "output")).toEqual({ type: "string", enum: ["user", "lead"], "x-nullable": true });
    expect(toSwagger2({ enum: ["a", null] })).toEqual({ enum: ["a"], "x-nullable": true });
  });

  it("turns const into an enum, exclusive bounds into draft-04's, examples into example", () => {
    expect(zodToSwagger(z.literal("lead"), none, "output")).toEqual({ type: "string", enum: ["lead"] });
    expect(zodToSwagger(z.union([z.literal("a"), z.literal("b")]), none, "output")).toEqual({ type: "string", enum: ["a", "b"] });
    expect(zodToSwagger(z.number().gt(3).lt(9), none, "output")).toEqual({ type: "number", minimum: 3, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: true });
    expect(zodToSwagger(z.string().meta({ examples: ["x", "y"] }), none, "output")).toEqual({ type: "string", example: "x" });
  });

  it("drops what says nothing to Swagger 2.0 and keeps constraints", () => {
    const schema = zodToSwagger(z.strictObject({ n: z.number().int(), ip: z.ipv4(), tags: z.record(z.string(), z.number()) }), none, "output");
    expect(schema).not.toHaveProperty("$schema");
    expect(schema.properties).toMatchObject({
      n: { type: "integer" },
      tags: { type: "object", additionalProperties: { type: "number" } },
    });
    // zod's safe-integer bounds go; an unknown format goes, its pattern stays.
    expect(schema.properties).not.toHaveProperty("n.minimum");
    const ip = (schema.properties as Record<string, Record<string, Json>>).ip;
    expect(ip).toMatchObject({ type: "string" });
    expect(ip).not.toHaveProperty("format");
    expect(typeof ip?.pattern).toBe("string");
    expect(schema).toMatchObject({ required: ["n", "ip", "tags"], additionalProperties: false });
  });

  it("refers to named schemas, also through arrays, nullables and clones", () => {
    const Item = z.strictObject({ id: z.string() });
    const names = new Map<z.ZodType, string>([[Item, "Item"]]);
    const schema = zodToSwagger(z.strictObject({ one: Item, many: z.array(Item), maybe: Item.nullable(), titled: Item.meta({ title: "T" }) }), names, "output");
    expect(schema.properties).toEqual({
      one: { $ref: "#/definitions/Item" },
      many: { type: "array", items: { $ref: "#/definitions/Item" } },
      maybe: { $ref: "#/definitions/Item", "x-nullable": true },
      titled: { $ref: "#/definitions/Item", title: "T" },
    });
    // The named schema itself is written out, not referred to.
    expect(zodToSwagger(Item, names, "output")).toMatchObject({ type: "object", properties: { id: { type: "string" } } });
  });

  it("refuses what Swagger 2.0 cannot express, saying where", () => {
    const cases: Array<[z.ZodType, RegExp]> = [
      [z.strictObject({ v: z.union([z.string(), z.number()]) }), /\/properties\/v.*(union|types)/],
      [z.strictObject({ pair: z.tuple([z.string(), z.number()]) }), /\/properties\/pair.*tuple|prefixItems/],
      [z.null(), /only be null/],
    ];
    for (const [schema, message] of cases) {
      expect(() => zodToSwagger(schema, none, "output")).toThrow(UnsupportedSchemaError);
      expect(() => zodToSwagger(schema, none, "output")).toThrow(message);
    }
    expect(() => toSwagger2({ type: "object", if: { type: "object" } })).toThrow(/keyword if/);
    expect(() => toSwagger2({ $ref: "#/$defs/x" })).toThrow(/reference/);
  });
});
