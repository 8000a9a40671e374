import { describe, expect, it } from "vitest";
import { PICKER_IDS } from "../../contract/index.js";
import type { Json, JsonObject } from "./json-schema.js";
import { ATTRIBUTE_SCHEMA_OPERATION_ID, PICKER_OPERATION_ID } from "./picker-routes.js";
import { buildSwagger } from "./swagger.js";

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every node of a JSON value with the key path to it. */
function* nodes(value: Json, path: string[] = []): Generator<{ node: JsonObject; path: string[] }> {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* nodes(item, [...path, String(i)]);
  } else if (isObject(value)) {
    yield { node: value, path };
    for (const [key, child] of Object.entries(value)) yield* nodes(child, [...path, key]);
  }
}

const swagger = buildSwagger({ host: "connector.example.com", scheme: "https" });

/** The body schema of an action's POST operation. */
function bodyOf(operationId: string): JsonObject {
  for (const item of Object.values(swagger.paths)) {
    const post = item.post;
    if (isObject(post) && post.operationId === operationId) {
      const body = (post.parameters as JsonObject[]).find((parameter) => parameter.in === "body");
      if (isObject(body) && isObject(body.schema)) return body.schema;
    }
  }
  throw new Error(`no POST body for ${operationId}`);
}

function property(operationId: string, ...keys: string[]): JsonObject {
  let node: Json | undefined = bodyOf(operationId);
  for (const key of keys) node = isObject(node) && isObject(node.properties) ? node.properties[key] : undefined;
  if (!isObject(node)) throw new Error(`${operationId}: no property ${keys.join(".")}`);
  return node;
}

const picker = (id: string): JsonObject => ({
  operationId: PICKER_OPERATION_ID,
  parameters: { picker: { value: id } },
  "value-collection": "value",
  "value-path": "id",
  "value-title": "title",
});

describe("pickers and custom attributes in the Swagger file", () => {
  it("gives the id fields a person would otherwise paste a picker (x-ms-dynamic-values)", () => {
    expect(property("TagContact", "tag_id")["x-ms-dynamic-values"]).toEqual(picker("tags"));
    expect(property("UntagContact", "tag_id")["x-ms-dynamic-values"]).toEqual(picker("tags"));
    expect(property("TagCompany", "name")["x-ms-dynamic-values"]).toEqual(picker("tag_names"));
    expect(property("TagCompany", "id")["x-ms-dynamic-values"]).toEqual(picker("companies"));
    expect(property("AttachContactToCompany", "id")["x-ms-dynamic-values"]).toEqual(picker("companies"));
    expect(property("GetCompany", "id")["x-ms-dynamic-values"]).toEqual(picker("companies"));
    expect(property("FindCompany", "company_id")["x-ms-dynamic-values"]).toEqual(picker("company_ids"));
    expect(property("CreateUser", "companies")["x-ms-dynamic-values"]).toEqual(picker("company_ids"));
    expect(property("CreateLead", "companies")["x-ms-dynamic-values"]).toEqual(picker("company_ids"));
    expect(property("AddNoteToContact", "admin_id")["x-ms-dynamic-values"]).toEqual(picker("admins"));
    expect(property("SearchContacts", "query", "field")["x-ms-dynamic-values"]).toEqual(picker("contact_attributes"));
  });

  it("types custom_attributes from the workspace's data attributes (x-ms-dynamic-schema)", () => {
    for (const [operationId, model] of [["CreateUser", "contact"], ["CreateLead", "contact"], ["UpdateContact", "contact"], ["CreateOrUpdateCompany", "company"]] as const) {
      expect(property(operationId, "custom_attributes")["x-ms-dynamic-schema"], operationId).toEqual({ operationId: ATTRIBUTE_SCHEMA_OPERATION_ID, parameters: { model: { value: model } }, "value-path": "schema" });
    }
  });

  it("points every dynamic extension at an internal GET operation of the file, with a parameter it has", () => {
    const byId = new Map<string, { method: string; operation: JsonObject }>();
    for (const item of Object.values(swagger.paths)) {
      for (const [method, operation] of Object.entries(item)) if (isObject(operation) && typeof operation.operationId === "string") byId.set(operation.operationId, { method, operation });
    }
    let seen = 0;
    for (const { node, path } of nodes(swagger)) {
      expect(node["x-picker"], path.join("/")).toBeUndefined();
      expect(node["x-custom-attributes-of"], path.join("/")).toBeUndefined();
      for (const key of ["x-ms-dynamic-values", "x-ms-dynamic-schema"]) {
        const extension = node[key];
        if (!isObject(extension)) continue;
        seen++;
        const target = typeof extension.operationId === "string" ? byId.get(extension.operationId) : undefined;
        expect(target?.method, path.join("/")).toBe("get");
        expect(target?.operation["x-ms-visibility"]).toBe("internal");
        const names = (target?.operation.parameters as JsonObject[]).map((parameter) => parameter.name);
        for (const [name, value] of Object.entries(extension.parameters as JsonObject)) {
          expect(names).toContain(name);
          const declared = (target?.operation.parameters as JsonObject[]).find((parameter) => parameter.name === name);
          expect(declared?.enum as Json[]).toContain(at(value, "value"));
        }
      }
    }
    expect(seen).toBeGreaterThanOrEqual(15);
    expect((byId.get(PICKER_OPERATION_ID)?.operation.parameters as JsonObject[])[0]?.enum).toEqual(PICKER_IDS);
  });
});

function at(value: Json | undefined, key: string): Json | undefined {
  return isObject(value) ? value[key] : undefined;
}
