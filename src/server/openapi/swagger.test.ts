import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import type { FastifyReply } from "fastify";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { connectorError, ERROR_CODES, OPERATIONS, operationIds, type ErrorCode, type OperationId } from "../../contract/index.js";
import { TRIGGERS } from "../../triggers/index.js";
import { API_KEY_HEADER } from "../auth.js";
import { sendError } from "../errors.js";
import type { Json, JsonObject } from "./json-schema.js";
import { INPUT_LABELS, OUTPUT_LABELS } from "./labels.js";
import { API_KEY_HEADER_NAME } from "./metadata.js";
import { CONNECTOR_ROUTES, POLLING_OPERATION_SUFFIX } from "./routes.js";
import { DeadLetterPage, ErrorResponse, ReplayedDeadLetter, WebhookSubscriptionStatus } from "./shapes.js";
import { buildSwagger, ERROR_DEFINITION } from "./swagger.js";
import { apiDefinitionValidator, CERTIFIED_EXAMPLES, POWER_PLATFORM_DIR, readJsonc } from "./testing/power-platform.js";

const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const OPERATIONS_MD = fileURLToPath(new URL("../../../vendor/spec/operations.md", import.meta.url));
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
/** The seed's nine operations, whose shapes the label tables and the samples below name one by one. */
const SEED_OPERATION_IDS: readonly string[] = ["CreateUser", "CreateLead", "ListLeads", "GetLead", "GetUser", "TrigNewLead", "TrigNewUser", "TrigUpdateUser", "TrigNewConversation"];
const seedOperations = (): Array<(typeof OPERATIONS)[OperationId]> => Object.values(OPERATIONS).filter((operation) => SEED_OPERATION_IDS.includes(operation.id));
/** An example a schema carries (`.meta({ examples })`): the catalogue's real outputs, checked like the seed's samples. */
const exampleOf = (schema: z.ZodType): unknown => (z.globalRegistry.get(schema)?.examples as unknown[] | undefined)?.[0];

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A JSON value as text (strings as they are). */
function text(value: Json | undefined): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function at(value: Json | undefined, ...keys: string[]): Json | undefined {
  let node = value;
  for (const key of keys) node = isObject(node) ? node[key] : undefined;
  return node;
}

/** Every operation of a definition, with its path and method. */
function operations(swagger: JsonObject): Array<{ path: string; method: string; operation: JsonObject; item: JsonObject }> {
  const list: Array<{ path: string; method: string; operation: JsonObject; item: JsonObject }> = [];
  for (const [path, item] of Object.entries(swagger.paths as JsonObject)) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (isObject(operation)) list.push({ path, method, operation, item });
    }
  }
  return list;
}

function byOperationId(swagger: JsonObject, operationId: string): { path: string; method: string; operation: JsonObject; item: JsonObject } {
  const found = operations(swagger).filter((entry) => entry.operation.operationId === operationId);
  expect(found, operationId).toHaveLength(1);
  const [first] = found;
  if (first === undefined) throw new Error(`no operation ${operationId}`);
  return first;
}

/** Every schema object the definition holds, with where it is, following properties and items. */
function schemas(swagger: JsonObject): Array<{ where: string; schema: JsonObject }> {
  const list: Array<{ where: string; schema: JsonObject }> = [];
  const walk = (schema: Json | undefined, where: string): void => {
    if (!isObject(schema)) return;
    list.push({ where, schema });
    if (isObject(schema.properties)) for (const [key, child] of Object.entries(schema.properties)) walk(child, `${where}.${key}`);
    walk(schema.items, `${where}[]`);
    if (Array.isArray(schema.allOf)) schema.allOf.forEach((member, i) => walk(member, `${where}.allOf[${i}]`));
  };
  for (const [name, schema] of Object.entries(swagger.definitions as JsonObject)) walk(schema, `definitions.${name}`);
  for (const { path, method, operation, item } of operations(swagger)) {
    for (const parameter of (operation.parameters ?? []) as Json[]) walk(at(parameter, "schema"), `${method} ${path} body`);
    for (const [status, response] of Object.entries(operation.responses as JsonObject)) walk(at(response, "schema"), `${method} ${path} ${status}`);
    walk(at(item, "x-ms-notification-content", "schema"), `${path} notification`);
  }
  return list;
}

/** An Ajv validator for a definition of the generated file (x-nullable read as draft-04's null type). */
function definitionValidator(swagger: JsonObject, name: string): (value: unknown) => boolean {
  const nullable = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(nullable);
    if (!isObject(node)) return node;
    const out: JsonObject = Object.fromEntries(Object.entries(node).filter(([key]) => !key.startsWith("x-")).map(([key, value]) => [key, nullable(value)]));
    if (node["x-nullable"] === true) return typeof out.type === "string" ? { ...out, type: [out.type, "null"] } : { anyOf: [out, { type: "null" }] };
    return out;
  };
  const ajv = new AjvDraft04({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ id: "swagger.json", definitions: nullable(swagger.definitions as Json) });
  return ajv.compile({ $ref: `swagger.json#/definitions/${name}` });
}

/** The output paths of spec/operations.md, by shape: `[path, type]` (type as the table says it). */
function specOutputPaths(): Map<string, Array<[string, string]>> {
  const text = readFileSync(OPERATIONS_MD, "utf8");
  const shapes = new Map<string, Array<[string, string]>>();
  const sections = text.split(/^### /m).slice(1);
  for (const section of sections) {
    const [heading = "", ...lines] = section.split("\n");
    const names = heading.match(/\b\w+_Response\b/g) ?? [];
    for (const name of names) shapes.set(name, []);
    for (const line of lines) {
      const cells = line.split("|").map((cell) => cell.trim());
      const [, pathCell = "", type = "", meaning = ""] = cells;
      const tokens = [...pathCell.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
      if (tokens.length === 0) continue;
      const only = /\(([^)]*) only\)/.exec(meaning)?.[1];
      const applies = only === undefined ? names : only.includes("Trig*") ? names.filter((name) => name.startsWith("Trig")) : (only.match(/\b\w+_Response\b/g) ?? []);
      let previous = "";
      for (const token of tokens) {
        const path = token.startsWith(".") ? `${previous.slice(0, previous.lastIndexOf("."))}${token}` : token;
        previous = path;
        for (const name of applies) shapes.get(name)?.push([path, type]);
      }
    }
  }
  return shapes;
}

/** Follows a spec path (`a.b`, `a.list[].name`) through a definition's properties and items. */
function resolvePath(definition: Json | undefined, path: string): JsonObject | undefined {
  let node = definition;
  for (const segment of path.split(".")) {
    const array = segment.endsWith("[]");
    node = at(node, "properties", array ? segment.slice(0, -2) : segment);
    if (array) node = at(node, "items");
  }
  return isObject(node) ? node : undefined;
}

const lead = {
  id: "6762f0a51bb69f9f2193bb5c",
  created_at: "2026-11-24T12:30:38.000Z",
  user_id: "crm-42",
  email: "lead@example.com",
  phone: null,
  name: "Ada",
  avatar: { image_url: "https://example.com/a.png" },
  unsubscribed_from_emails: false,
  location_data: { city_name: "Lisbon", country_name: "Portugal", region_name: null, latitude: null, longitude: null, postal_code: null, timezone: null },
};
const user = { ...lead, session_count: null, pseudonym: null };
const named = { companies: { companies: [{ name: "Acme" }] }, tags: { companies: [] } };
const conversation = {
  id: "215",
  created_at: "2026-11-24T12:30:38.000Z",
  updated_at: "2026-11-24T12:31:00.000Z",
  assignee: { id: null },
  conversation_message: { author: { id: "6762f0a51bb69f9f2193bb5c", type: "lead" }, body: "<p>Hi</p>", subject: null, url: null },
  user: { id: "6762f0a51bb69f9f2193bb5c", type: "lead" },
};
/** A valid instance of each output shape (checked against the contract before use). */
const SAMPLES: Record<string, unknown> = {
  User_Response: user,
  Lead_Response: lead,
  ListLeads_Response: [lead, { ...lead, id: "2" }],
  TrigUser_Response: { ...user, ...named },
  TrigLead_Response: { ...lead, ...named },
  TrigConversation_Response: conversation,
};

describe("the OpenAPI (Swagger 2.0) definition", () => {
  const swagger = buildSwagger({ host: "connector.example.com", basePath: "/", scheme: "https" });

  it("is valid Swagger 2.0 for a Swagger validator library, with any location", async () => {
    for (const options of [{ host: "connector.example.com" }, {}, { host: "localhost:3000", basePath: "/intercom", scheme: "http" as const }]) {
      const document = buildSwagger(options);
      // validate() dereferences in place: give it a copy.
      await expect(SwaggerParser.validate(structuredClone(document) as never), JSON.stringify(options)).resolves.toBeDefined();
      expect(apiDefinitionValidator()(document), JSON.stringify(options)).toEqual([]);
    }
  });

  it("is valid against Microsoft's apiDefinition.swagger.schema.json", () => {
    expect(apiDefinitionValidator()(swagger)).toEqual([]);
    expect(swagger).toMatchObject({
      swagger: "2.0",
      info: { title: "Intercom" },
      host: "connector.example.com",
      basePath: "/",
      schemes: ["https"],
      securityDefinitions: { api_key: { type: "apiKey", in: "header", name: "X-API-Key" } },
      security: [{ api_key: [] }],
    });
    expect(typeof at(swagger, "info", "version")).toBe("string");
    expect(typeof at(swagger, "info", "description")).toBe("string");
  });

  it("names the header the service reads the API key from", () => {
    expect(API_KEY_HEADER_NAME.toLowerCase()).toBe(API_KEY_HEADER.toLowerCase());
  });

  it("has every contract operation with its operation id, summary, trigger kind and response schema", () => {
    for (const id of operationIds("action")) {
      const operation = OPERATIONS[id];
      const { operation: op } = byOperationId(swagger, id);
      expect(op.summary, id).toBe(operation.summary);
      expect(op.description, id).toBe(operation.description);
      expect(op["x-ms-trigger"], id).toBeUndefined();
      const schema = at(op, "responses", "200", "schema");
      const seed = SEED_OPERATION_IDS.includes(id);
      if (operation.output instanceof z.ZodArray) {
        expect(op["x-ms-pageable"], id).toEqual({ nextLinkName: "nextLink" });
        const page = at(swagger, "definitions", text(at(schema, "$ref")).replace("#/definitions/", ""));
        const items = at(page, "properties", "value", "items");
        expect(items, id).toEqual(at(swagger, "definitions", operation.outputName, "items"));
        if (seed) expect(items, id).toEqual({ $ref: "#/definitions/Lead_Response" });
      } else if (seed) {
        expect(schema, id).toEqual({ $ref: `#/definitions/${operation.outputName}` });
      } else {
        // A catalogue output is a named definition (two operations may share one under one name).
        expect(at(swagger, "definitions", text(at(schema, "$ref")).replace("#/definitions/", "")), id).toBeDefined();
      }
    }
    for (const id of operationIds("trigger")) {
      const operation = OPERATIONS[id];
      const output = { $ref: `#/definitions/${operation.outputName}` };
      const webhook = byOperationId(swagger, id);
      expect(webhook.operation.summary, id).toBe(operation.summary);
      expect(webhook.operation["x-ms-trigger"], id).toBe("single");
      expect(at(webhook.item, "x-ms-notification-content", "schema"), id).toEqual(output);
      const polling = byOperationId(swagger, `${id}${POLLING_OPERATION_SUFFIX}`);
      expect(polling.operation["x-ms-trigger"], id).toBe("batch");
      expect(at(polling.operation, "responses", "200", "schema"), id).toEqual({ type: "array", items: output });
      expect(Object.keys(at(polling.operation, "responses") as JsonObject), id).toEqual(expect.arrayContaining(["200", "202"]));
    }
    const ids = operations(swagger).map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("describes exactly the route table, no more", () => {
    const described = operations(swagger).map(({ path, method, operation }) => `${method.toUpperCase()} ${path} ${text(operation.operationId)}`);
    // The route table, and the MCP server for Copilot Studio (mcp-operation.test.ts).
    expect(described.sort()).toEqual([...CONNECTOR_ROUTES.map((route) => `${route.method} ${route.path} ${route.operationId}`), "POST /mcp InvokeMCP"].sort());
  });

  it("has every output path of spec/operations.md, with its type, in the definitions", () => {
    const spec = specOutputPaths();
    expect([...spec.keys()].sort()).toEqual(["Lead_Response", "TrigConversation_Response", "TrigLead_Response", "TrigUser_Response", "User_Response"]);
    const types: Record<string, (schema: JsonObject) => boolean> = {
      string: (schema) => schema.type === "string",
      integer: (schema) => schema.type === "integer",
      number: (schema) => schema.type === "number",
      boolean: (schema) => schema.type === "boolean",
      "array of objects": (schema) => schema.type === "array" && at(schema, "items", "type") === "object",
    };
    let checked = 0;
    for (const [name, paths] of spec) {
      const definition = at(swagger, "definitions", name);
      expect(paths.length, name).toBeGreaterThan(8);
      for (const [path, type] of paths) {
        const schema = resolvePath(definition, path);
        expect(schema, `${name}: ${path}`).toBeDefined();
        // "array of objects" is said of `list[].name`: the list is the array, its items the objects.
        const typed = type === "array of objects" ? resolvePath(definition, path.replace(/\[\]\.[^.]+$/, "")) : schema;
        const check = types[type];
        expect(check, `${name}: ${path} has type ${type}`).toBeDefined();
        expect(check?.(typed as JsonObject), `${name}: ${path} is ${type}`).toBe(true);
        checked += 1;
      }
    }
    // Every path is present in every response (required), at each level.
    for (const [name, paths] of spec) {
      for (const [path] of paths) {
        const segments = path.replace(/\[\]/g, "").split(".");
        const parent = segments.length === 1 ? at(swagger, "definitions", name) : resolvePath(at(swagger, "definitions", name), path.replace(/\.[^.]+$/, ""));
        const container = at(parent, "type") === "array" ? at(parent, "items") : parent;
        expect(at(container, "required"), `${name}: ${path} is required`).toContain(segments.at(-1));
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it("accepts the contract's real outputs and the service's real errors with its definitions", async () => {
    for (const operation of Object.values(OPERATIONS)) {
      const sample = SAMPLES[operation.outputName] ?? exampleOf(operation.output);
      // A catalogue output without an example is checked by its own operation's tests only.
      if (sample === undefined && !SEED_OPERATION_IDS.includes(operation.id)) continue;
      expect(operation.output.safeParse(sample).success, operation.outputName).toBe(true);
      const validate = definitionValidator(swagger, operation.outputName);
      expect(validate(sample), operation.outputName).toBe(true);
      // And the definitions are not vacuous: a wrong type or a missing path is refused.
      const broken = Array.isArray(sample) ? [{ ...(sample[0] as object), id: 7 }] : { ...(sample as object), id: 7 };
      expect(validate(broken), `${operation.outputName} with a numeric id`).toBe(false);
      const missing = { ...((Array.isArray(sample) ? sample[0] : sample) as Record<string, unknown>) };
      delete missing.id;
      expect(validate(Array.isArray(sample) ? [missing] : missing), `${operation.outputName} without id`).toBe(false);
    }
    const validateError = definitionValidator(swagger, ERROR_DEFINITION);
    for (const error of [
      connectorError("invalid_input", { field: "email", reason: "is required" }, { field: "email", issues: [{ field: "email", reason: "is required" }] }),
      connectorError("rate_limited", { limit: 100, window: 60, retry_after: 12 }, { retryAfterSeconds: 12 }),
      connectorError("unauthorized", {}),
    ]) {
      let body: unknown;
      const reply = { status: () => reply, header: () => reply, send: (sent: unknown) => ((body = sent), reply) };
      await sendError(reply as unknown as FastifyReply, error);
      expect(ErrorResponse.safeParse(body).success, error.code).toBe(true);
      expect(validateError(body), error.code).toBe(true);
    }
    expect(validateError({ code: "invalid_input", message: "flat" })).toBe(false);
    // The error code's description lists every registered code.
    const description = text(at(swagger, "definitions", ERROR_DEFINITION, "properties", "error", "properties", "code", "description"));
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) expect(description).toContain(`${code} (${ERROR_CODES[code].status})`);
  });

  it("labels every parameter and every property (x-ms-summary), with known visibilities", () => {
    let properties = 0;
    for (const { where, schema } of schemas(swagger)) {
      for (const [key, child] of Object.entries(isObject(schema.properties) ? schema.properties : {})) {
        expect(typeof at(child, "x-ms-summary") === "string" && text(at(child, "x-ms-summary")).length > 0, `${where}.${key}`).toBe(true);
        properties += 1;
      }
      const visibility = schema["x-ms-visibility"];
      if (visibility !== undefined) expect(["important", "advanced", "internal"], where).toContain(visibility);
      for (const keyword of ["anyOf", "oneOf", "const", "nullable", "$schema", "$defs"]) expect(schema, `${where} has ${keyword}`).not.toHaveProperty(keyword);
    }
    expect(properties).toBeGreaterThan(100);
    for (const { path, method, operation } of operations(swagger)) {
      expect(["important", "advanced", "internal"], `${method} ${path}`).toContain(operation["x-ms-visibility"]);
      for (const parameter of (operation.parameters ?? []) as Json[]) {
        expect(typeof at(parameter, "x-ms-summary"), `${method} ${path} ${text(at(parameter, "name"))}`).toBe("string");
      }
    }
  });

  it("labels the contract's fields from the label tables, and the tables name only real fields", () => {
    const outputPaths = new Set<string>();
    const collect = (schema: Json | undefined, path: string): void => {
      for (const [key, child] of Object.entries(at(schema, "properties") as JsonObject | undefined ?? {})) {
        const childPath = path === "" ? key : `${path}.${key}`;
        outputPaths.add(childPath);
        collect(at(child, "type") === "array" ? at(child, "items") : child, childPath);
      }
    };
    // The seed's shapes are labelled by the tables; the catalogue's carry their labels in the
    // contract (zod `.meta`), which "labels every parameter and every property" checks.
    for (const operation of seedOperations()) collect(at(swagger, "definitions", operation.outputName), "");
    expect([...outputPaths].filter((path) => OUTPUT_LABELS[path] === undefined)).toEqual([]);
    expect(Object.keys(OUTPUT_LABELS).filter((path) => !outputPaths.has(path))).toEqual([]);
    const keysOf = (operations: ReadonlyArray<(typeof OPERATIONS)[OperationId]>): Set<string> => new Set(operations.flatMap((operation) => Object.keys((operation.input as z.ZodObject).shape)));
    expect([...keysOf(seedOperations())].filter((key) => INPUT_LABELS[key] === undefined)).toEqual([]);
    const inputKeys = keysOf(Object.values(OPERATIONS));
    expect(Object.keys(INPUT_LABELS).filter((key) => !inputKeys.has(key))).toEqual([]);
  });

  it("hides what Power Automate fills in: the cursor, the trigger state, the callback URL, the unsubscribe call", () => {
    const listLeads = byOperationId(swagger, "ListLeads");
    expect(listLeads.method).toBe("get");
    expect(listLeads.operation.parameters).toEqual([expect.objectContaining({ name: "cursor", in: "query", required: false, "x-ms-visibility": "internal" })]);
    for (const id of operationIds("trigger")) {
      const polling = byOperationId(swagger, `${id}${POLLING_OPERATION_SUFFIX}`);
      // The state first, internal; then the trigger's filters, which a flow's author sets.
      const parameters = polling.operation.parameters as Json[];
      expect(parameters.map((parameter) => [at(parameter, "name"), at(parameter, "in"), at(parameter, "x-ms-visibility") ?? null])).toEqual([
        ["state", "query", "internal"],
        ...TRIGGERS[id].filters.map((filter) => [filter.name, "query", null]),
      ]);
      for (const filter of TRIGGERS[id].filters) expect(parameters.find((parameter) => at(parameter, "name") === filter.name)).toMatchObject({ required: false, "x-ms-summary": filter.title });
      const webhook = byOperationId(swagger, id);
      const body = (webhook.operation.parameters as Json[]).find((parameter) => at(parameter, "in") === "body");
      expect(at(body, "schema", "properties", "callback_url")).toMatchObject({ type: "string", "x-ms-notification-url": true, "x-ms-visibility": "internal" });
      expect(at(webhook.operation, "responses", "201", "headers", "Location")).toMatchObject({ type: "string" });
    }
    const unsubscribe = byOperationId(swagger, "DeleteSubscription");
    expect(unsubscribe).toMatchObject({ method: "delete", path: "/v1/subscriptions/{subscriptionId}" });
    expect(unsubscribe.operation["x-ms-visibility"]).toBe("internal");
  });

  it("describes a webhook subscription's management: get it, list its dead letters (paged), replay one", () => {
    const subscriptionId = { name: "subscriptionId", in: "path", required: true, type: "string", "x-ms-summary": "Subscription ID" };
    const get = byOperationId(swagger, "GetSubscription");
    expect(get).toMatchObject({ method: "get", path: "/v1/subscriptions/{subscriptionId}" });
    expect(get.operation).toMatchObject({ summary: "Get a webhook subscription", "x-ms-visibility": "advanced", parameters: [expect.objectContaining(subscriptionId)] });
    expect(at(get.operation, "responses", "200", "schema")).toEqual({ $ref: "#/definitions/Subscription_Response" });

    const list = byOperationId(swagger, "ListDeadLetters");
    expect(list).toMatchObject({ method: "get", path: "/v1/subscriptions/{subscriptionId}/dead-letters" });
    expect(list.operation).toMatchObject({ summary: "List dead letters", "x-ms-visibility": "advanced", "x-ms-pageable": { nextLinkName: "nextLink" } });
    expect(list.operation.parameters).toEqual([
      expect.objectContaining(subscriptionId),
      expect.objectContaining({ name: "after", in: "query", required: false, type: "string", "x-ms-summary": "After Event ID" }),
      expect.objectContaining({ name: "limit", in: "query", required: false, type: "integer", minimum: 1, maximum: 100, default: 50, "x-ms-summary": "Page Size" }),
    ]);
    expect(at(list.operation, "responses", "200", "schema")).toEqual({ $ref: "#/definitions/ListDeadLetters_Page" });
    const deadLetter = at(swagger, "definitions", "ListDeadLetters_Page", "properties", "value", "items");
    expect(Object.keys(at(deadLetter, "properties") as JsonObject)).toEqual(["id", "attempts", "last_error", "created_at", "payload"]);
    expect(at(deadLetter, "properties", "last_error")).toMatchObject({ type: "string", "x-nullable": true, "x-ms-summary": "Last Error" });
    expect(at(deadLetter, "properties", "payload")).toMatchObject({ type: "object", "x-ms-summary": "Payload" });

    const replay = byOperationId(swagger, "ReplayDeadLetter");
    expect(replay).toMatchObject({ method: "post", path: "/v1/subscriptions/{subscriptionId}/dead-letters/{eventId}/replay" });
    expect(replay.operation).toMatchObject({ summary: "Replay a dead letter", "x-ms-visibility": "advanced" });
    expect(replay.operation.parameters).toEqual([expect.objectContaining(subscriptionId), expect.objectContaining({ name: "eventId", in: "path", required: true, "x-ms-summary": "Event ID" })]);
    expect(Object.keys(at(replay.operation, "responses") as JsonObject)).toEqual(["202", "default"]);
    expect(at(replay.operation, "responses", "202", "schema")).toEqual({ $ref: "#/definitions/Replay_Response" });
    for (const { operation } of [get, list, replay]) {
      expect(typeof operation.description === "string" && operation.description.length > 20).toBe(true);
      expect(at(operation, "responses", "default", "schema")).toEqual({ $ref: `#/definitions/${ERROR_DEFINITION}` });
    }
  });

  it("accepts what the subscription management endpoints answer with its definitions, and refuses what they do not", () => {
    const createdAt = "2026-11-24T12:30:38.000Z";
    const deadLetter = { id: "1042", attempts: 17, last_error: "HTTP 503", created_at: createdAt, payload: { id: "6762f0a51bb69f9f2193bb5c" } };
    const samples: Array<[string, z.ZodType, unknown, unknown]> = [
      [
        "Subscription_Response",
        WebhookSubscriptionStatus,
        {
          id: "0b6c7d1e-0000-4000-8000-000000000000",
          trigger_id: "TrigNewLead",
          callback_url: "https://example.com/hook",
          created_at: createdAt,
          retry: { first_delay_seconds: 5, max_delay_seconds: 3600, give_up_after_seconds: 86400 },
          events: { pending: 0, delivered: 3, dead: 1 },
        },
        { id: "0b6c", trigger_id: "TrigNewLead", callback_url: "https://example.com/hook", created_at: createdAt, retry: {}, events: {} },
      ],
      ["ListDeadLetters_Page", DeadLetterPage, { value: [deadLetter, { ...deadLetter, id: "1043", last_error: null }], nextLink: "https://c.example.com/v1/subscriptions/x/dead-letters?after=1043&limit=2" }, { value: [{ ...deadLetter, attempts: "17" }] }],
      ["Replay_Response", ReplayedDeadLetter, { id: "1042", status: "pending" }, { id: 1042, status: "pending" }],
    ];
    for (const [name, schema, good, bad] of samples) {
      const validate = definitionValidator(swagger, name);
      expect(schema.safeParse(good).success, name).toBe(true);
      expect(validate(good), name).toBe(true);
      expect(schema.safeParse(bad).success, `${name}: broken`).toBe(false);
      expect(validate(bad), `${name}: broken`).toBe(false);
    }
  });

  it("takes actions' inputs as the body, as the contract validates them", () => {
    for (const id of ["CreateUser", "CreateLead", "GetLead", "GetUser"] satisfies OperationId[]) {
      const { method, operation } = byOperationId(swagger, id);
      expect(method, id).toBe("post");
      const body = (operation.parameters as Json[]).find((parameter) => at(parameter, "in") === "body");
      const shape = (OPERATIONS[id].input as z.ZodObject).shape as Record<string, z.ZodType>;
      expect(Object.keys(at(body, "schema", "properties") as JsonObject), id).toEqual(Object.keys(shape));
      const required = Object.entries(shape).filter(([, schema]) => !schema.safeParse(undefined).success).map(([key]) => key);
      expect(at(body, "schema", "required"), id).toEqual(required);
      expect(at(body, "schema", "additionalProperties"), id).toBe(false);
    }
    const [createLeadBody] = at(byOperationId(swagger, "CreateLead").operation, "parameters") as Json[];
    expect(at(createLeadBody, "schema", "properties", "email")).toMatchObject({ type: "string", format: "email", "x-ms-summary": "Email" });
  });

  it("refuses a host, base path or scheme Swagger 2.0 cannot hold", () => {
    expect(() => buildSwagger({ host: "https://connector.example.com" })).toThrow(/host/);
    expect(() => buildSwagger({ host: "connector.example.com/v1" })).toThrow(/host/);
    expect(() => buildSwagger({ basePath: "intercom" })).toThrow(/base path/);
    expect(() => buildSwagger({ scheme: "ftp" as "https" })).toThrow(/scheme/);
    expect(buildSwagger({ basePath: "/intercom/" }).basePath).toBe("/intercom");
  });
});

describe("the validators", () => {
  it("accept Microsoft's two certified connectors (one polling, one webhook)", async () => {
    for (const example of CERTIFIED_EXAMPLES) {
      const document = readJsonc(`${POWER_PLATFORM_DIR}/examples/${example}/apiDefinition.swagger.json`);
      expect(apiDefinitionValidator()(document), example).toEqual([]);
      await expect(SwaggerParser.validate(document as never), example).resolves.toBeDefined();
    }
    const polling = readJsonc(`${POWER_PLATFORM_DIR}/examples/feathery-forms-polling/apiDefinition.swagger.json`);
    expect(JSON.stringify(polling)).toContain('"x-ms-trigger":"batch"');
    const webhook = readJsonc(`${POWER_PLATFORM_DIR}/examples/africas-talking-sms-webhooks/apiDefinition.swagger.json`);
    expect(JSON.stringify(webhook)).toContain('"x-ms-notification-url":true');
  });

  it("refuse deliberately broken definitions", async () => {
    const swagger = buildSwagger({ host: "connector.example.com" });
    const broken = (edit: (document: JsonObject) => void): JsonObject => {
      const copy = structuredClone(swagger);
      edit(copy);
      return copy;
    };
    const path = (document: JsonObject, ...keys: string[]): JsonObject => at(document, ...keys) as JsonObject;

    // Microsoft's schema: an unknown trigger kind, an unknown visibility, JSON Schema 2020 leftovers.
    const cases: Array<[string, JsonObject, RegExp]> = [
      ["x-ms-trigger", broken((d) => (path(d, "paths", "/v1/actions/CreateLead", "post")["x-ms-trigger"] = "sometimes")), /x-ms-trigger/],
      ["x-ms-visibility", broken((d) => (path(d, "paths", "/v1/actions/CreateLead", "post")["x-ms-visibility"] = "hidden")), /x-ms-visibility/],
      ["anyOf", broken((d) => (path(d, "definitions")[ERROR_DEFINITION] = z.toJSONSchema(z.union([z.string(), z.number()])) as JsonObject)), /definitions/],
      ["nullable", broken((d) => (path(d, "definitions", "Lead_Response", "properties", "name").nullable = true)), /Lead_Response/],
      ["host", broken((d) => (d.host = "https://connector.example.com")), /host/],
    ];
    for (const [what, document, where] of cases) {
      const problems = apiDefinitionValidator()(document);
      expect(problems.length, what).toBeGreaterThan(0);
      expect(problems.join("\n"), what).toMatch(where);
    }

    // The Swagger 2.0 library: a reference to nothing, a path parameter that is not declared.
    const dangling = broken((d) => (path(d, "paths", "/v1/actions/GetLead", "post", "responses", "200").schema = { $ref: "#/definitions/Nothing" }));
    await expect(SwaggerParser.validate(dangling as never)).rejects.toThrow(/Nothing/);
    const undeclared = broken((d) => (path(d, "paths", "/v1/subscriptions/{subscriptionId}", "delete").parameters = []));
    await expect(SwaggerParser.validate(undeclared as never)).rejects.toThrow(/subscriptionId/);
  });
});
