import fc from "fast-check";
import { z } from "zod";
import { CONNECTOR_ROUTES, type ConnectorRoute } from "../../server/openapi/index.js";

// Bad inputs for every route of the connector's API that takes one, made from the route's own
// schema (its JSON Schema) by breaking one thing in a valid input: a wrong type, a missing
// required field, an extra field, a string too long or empty, a wrong format, a path-like id,
// control characters. They are made bad by construction and never filtered through the schema,
// so a schema that lets a bad value through fails the property instead of hiding it.

/** One generated request and the field its error must name. */
export interface BadRequest {
  /** The route's operation id (`CreateLead`, `TrigNewLeadPolling`, …). */
  target: string;
  /** What was broken, for the figures (`wrong type`, `too long`, …). */
  mutation: string;
  method: "GET" | "POST";
  /** Path and query, encoded. */
  url: string;
  /** The JSON text sent (POST only). */
  body?: string;
  /** Fields the error may name (one, except for a `null` body, which a route may read as `{}`). */
  fields: readonly string[];
}

/** A property of a JSON Schema object, as `z.toJSONSchema` writes the contract's fields. */
interface PropertySchema {
  type?: string | string[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, PropertySchema>;
  required?: string[];
  items?: PropertySchema;
  anyOf?: PropertySchema[];
  oneOf?: PropertySchema[];
}

interface ObjectSchema {
  properties: Record<string, PropertySchema>;
  required: string[];
  /** The contract's own example of a valid input (`.meta({ examples })`), for rules JSON Schema cannot say. */
  example?: Record<string, unknown>;
}

/** The JSON types a property takes (`integer` is a `number` too). */
function typesOf(schema: PropertySchema): string[] {
  if (schema.enum !== undefined || schema.const !== undefined) return [...new Set([...(schema.enum ?? []), ...(schema.const === undefined ? [] : [schema.const])].map(jsonType))];
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches !== undefined) return [...new Set(branches.flatMap(typesOf))];
  if (schema.type === undefined) return ["string", "number", "integer", "boolean", "null", "array", "object"];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Whether a value has one of the property's JSON types (an integer is a number). */
function hasTypeOf(value: unknown, schema: PropertySchema): boolean {
  const types = typesOf(schema);
  const type = jsonType(value);
  return types.includes(type) || (type === "integer" && types.includes("number"));
}
/** URLs have a length limit even where the schema sets none yet (issue 10: "URLs … have a length limit"). */
const URL_MAX_LENGTH = 2048;
/** The longest string sent: inside the 1 MiB body limit, so the answer is about the field, not the body. */
const HUGE = 200_000;
/** Keys that JSON parsers treat specially: the malformed-request battery covers them. */
const SPECIAL_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const CONTROL = fc.constantFrom("\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u001b", "\u007f", "\t", "\n", "\r", "\u0085", "\u2028");
const ID = "6762f0a51bb69f9f2193bb5c";

/** A valid value for a property: the smallest that its schema's type, format and pattern take. */
function validValue(name: string, schema: PropertySchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const branch = (schema.anyOf ?? schema.oneOf)?.find((option) => !typesOf(option).every((type) => type === "null"));
  if (branch !== undefined) return validValue(name, branch);
  const type = typesOf(schema).find((t) => t !== "null") ?? "string";
  switch (type) {
    case "integer":
    case "number": {
      const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + 1);
      const high = schema.maximum ?? (schema.exclusiveMaximum === undefined ? Number.MAX_SAFE_INTEGER : schema.exclusiveMaximum - 1);
      return Math.min(Math.max(1, low), high);
    }
    case "boolean":
      return false;
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => validValue(name, schema.items ?? {}));
    case "object":
      return Object.fromEntries((schema.required ?? []).map((key) => [key, validValue(key, schema.properties?.[key] ?? {})]));
    default:
      if (schema.format === "email") return "ada@example.com";
      if (schema.format === "uri") return name === "callback_url" ? "https://hooks.example.com/intercom" : "https://example.com/ada.png";
      if (schema.pattern !== undefined) return ID;
      return name === "phone" ? "+1 555 0100" : "Ada";
  }
}

/** JSON values without the keys the body parser refuses outright (that refusal names `body`, not the field). */
const plainJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).filter((value) => !/"(__proto__|constructor|prototype)"/.test(JSON.stringify(value)));

/** Inserts `piece` somewhere inside `value` (position chosen by fast-check). */
function inserted(value: string, piece: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 0, max: value.length }), piece).map(([at, p]) => value.slice(0, at) + p + value.slice(at));
}

const wrongTypes: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !SPECIAL_KEYS.has(k)), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Path-like or delimiter-carrying ids: what must never reach a request path. */
const pathLikeIds: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("..", ".", "../", "./", "../..", "..%2f", "%2e%2e", "a/../b", `${ID}/..`, `../${ID}`, `${ID}/tags`, `${ID}?x=1`, `${ID}#x`, "\\..\\", `${ID}\\x`),
  inserted(ID, fc.constantFrom("/", "?", "#", "%", " ", "\\", "/../", "%2F")),
  inserted(ID, CONTROL),
  fc.array(fc.constantFrom("..", ".", ID, "x"), { minLength: 2, maxLength: 5 }).map((parts) => parts.join("/")),
);

/** Strings that are not email addresses. */
const badEmails: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }).filter((s) => !s.includes("@")),
  fc.constantFrom("a@", "@example.com", "a@b", "a b@example.com", "ada@exa mple.com", "ada@@example.com", "ada@example..com", "<ada@example.com>", "ada@example.com\n"),
  inserted("ada@example.com", CONTROL),
);

/** Strings that are not URLs the service may take (scheme, syntax, credentials, private hosts, control characters). */
function badUrls(name: string, schema: PropertySchema): fc.Arbitrary<string> {
  const common = fc.oneof(
    fc.constantFrom("not a url", "example.com/a.png", "ftp://example.com/a", "javascript:alert(1)", "file:///etc/passwd", "data:text/plain,x", "https://", "https://exa mple.com/", "//example.com/a", "https://user:secret@example.com/a"),
    inserted("https://example.com/a", CONTROL),
  );
  // http is wrong only where the contract says https (its pattern), as for avatar images.
  if (name !== "callback_url") return schema.pattern?.startsWith("^https") === true ? fc.oneof(common, fc.constant("http://example.com/a.png")) : common;
  // The callback guard's hosts (docs/webhooks.md, "Where callbacks may go"), the issue's gaps included.
  const privateHosts = fc.constantFrom(
    "localhost", "app.localhost", "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "[::1]", "[::]", "[fe80::1]", "[fd00::1]", "[::ffff:127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]", "[::ffff:0:7f00:1]",
    "192.0.2.1", "198.51.100.1", "203.0.113.1", "224.0.0.1", "255.255.255.255",
  );
  return fc.oneof(common, privateHosts.map((host) => `http://${host}/hook`));
}

/** A value of `length` characters that keeps the field's format, so only its length is wrong. */
function longValue(name: string, schema: PropertySchema, length: number): string {
  if (schema.format === "email") return `${"a".repeat(Math.max(1, length - 12))}@example.com`;
  if (schema.format === "uri") return `${String(validValue(name, schema))}/${"a".repeat(length)}`;
  if (schema.pattern !== undefined) return "a".repeat(length);
  return "x".repeat(length);
}

/** A request as a counterexample shows it: its strings cut short (a 200,000-character value would fill the report). */
function shown(request: BadRequest): BadRequest {
  const cut = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text);
  return Object.assign(request, {
    [fc.toStringMethod]: () => `${request.target} (${request.mutation}) ${request.method} ${cut(request.url)} ${cut(request.body ?? "")}`,
  });
}

/** Whether a property takes any JSON value (`z.unknown()`): nothing about it can be wrong. */
function takesAnything(schema: PropertySchema): boolean {
  return typesOf(schema).length >= 7;
}

/** The ways one property's value can be wrong, each with its mutation's name. */
function badValues(name: string, schema: PropertySchema): fc.Arbitrary<{ mutation: string; value: unknown }> {
  // A value of another JSON type than the property's (a boolean for a string, text for a number…).
  const options: Array<fc.Arbitrary<{ mutation: string; value: unknown }>> = [
    fc.oneof(wrongTypes, fc.string({ maxLength: 8 })).filter((value) => !hasTypeOf(value, schema)).map((value) => ({ mutation: "wrong type", value })),
  ];
  if (schema.enum !== undefined && typesOf(schema).includes("string")) {
    const allowed = new Set(schema.enum);
    options.push(fc.string({ minLength: 1, maxLength: 12 }).filter((value) => !allowed.has(value)).map((value) => ({ mutation: "wrong format", value })));
  }
  if (!typesOf(schema).includes("string")) return fc.oneof(...options);
  const max = schema.maxLength ?? (schema.format === "uri" ? URL_MAX_LENGTH : undefined);
  if (max !== undefined) {
    options.push(fc.integer({ min: max + 1, max: HUGE }).map((length) => ({ mutation: "too long", value: longValue(name, schema, length) })));
  }
  if (schema.minLength !== undefined && schema.minLength > 0) options.push(fc.constant({ mutation: "empty", value: "" }));
  if (schema.format === "email") options.push(badEmails.map((value) => ({ mutation: "wrong format", value })));
  if (schema.format === "uri") options.push(badUrls(name, schema).map((value) => ({ mutation: "wrong format", value })));
  if (schema.pattern !== undefined && schema.format === undefined) options.push(pathLikeIds.map((value) => ({ mutation: "path-like id", value })));
  return fc.oneof(...options);
}

function objectSchemaOf(route: ConnectorRoute): ObjectSchema {
  const json = z.toJSONSchema(route.body as z.ZodType, { io: "input" }) as { type?: string; properties?: Record<string, PropertySchema>; required?: string[]; examples?: unknown[] };
  if (json.type !== "object" || json.properties === undefined) throw new Error(`${route.operationId}: the body is not an object schema`);
  // From the registry, not the JSON Schema: zod leaves a schema's metadata out of some conversions.
  const example = (z.globalRegistry.get(route.body as z.ZodType)?.examples as unknown[] | undefined)?.[0] ?? json.examples?.[0];
  return { properties: json.properties, required: json.required ?? [], ...(typeof example === "object" && example !== null ? { example: example as Record<string, unknown> } : {}) };
}

/**
 * Bad JSON bodies for a route with a body: a valid input (the required fields and some optional
 * ones) with exactly one thing broken.
 */
function badBodies(route: ConnectorRoute): fc.Arbitrary<BadRequest> {
  const { properties, required, example } = objectSchemaOf(route);
  const names = Object.keys(properties).filter((name) => !takesAnything(properties[name] ?? {}));
  const optional = names.filter((name) => !required.includes(name));
  // The contract's example when it gives one (its rules go beyond JSON Schema: "exactly one of",
  // "at least one field"…), else the required fields and some optional ones.
  const valid =
    example !== undefined
      ? fc.constant(example)
      : fc.subarray(optional).map((chosen) => {
          const input: Record<string, unknown> = {};
          for (const name of [...required, ...chosen]) input[name] = validValue(name, properties[name] ?? {});
          return input;
        });
  const request = (mutation: string, body: unknown, fields: readonly string[]): BadRequest =>
    shown({ target: route.operationId, mutation, method: "POST", url: route.path, body: JSON.stringify(body), fields });

  const mutations: Array<fc.Arbitrary<BadRequest>> = [
    // One property wrong (an optional one is added first if absent).
    fc.tuple(valid, fc.constantFrom(...names)).chain(([input, name]) =>
      badValues(name, properties[name] ?? {}).map(({ mutation, value }) => request(mutation, { ...input, [name]: value }, [name])),
    ),
    // An extra field.
    fc
      .tuple(valid, fc.string({ minLength: 1, maxLength: 30 }).filter((key) => !names.includes(key) && !SPECIAL_KEYS.has(key)), plainJson)
      .map(([input, key, value]) => request("extra field", { ...input, [key]: value }, [key])),
    // Not an object at all.
    fc
      .oneof(fc.array(plainJson, { maxLength: 3 }), fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null))
      .map((body) => request("not an object", body, body === null ? ["input", ...required] : ["input"])),
  ];
  // A required field missing.
  if (required.length > 0) {
    mutations.push(
      fc.tuple(valid, fc.constantFrom(...required)).map(([input, name]) => {
        const rest = { ...input };
        delete rest[name];
        return request("missing field", rest, [name]);
      }),
    );
  }
  return fc.oneof(...mutations);
}

/** Query keys other than the route's own parameters (`a`, `limit_2`, …). */
function extraQueryKey(route: ConnectorRoute): fc.Arbitrary<string> {
  const own = new Set(route.parameters.map((p) => p.name));
  return fc.stringMatching(/^[a-z][a-z0-9_]{0,19}$/).filter((key) => !own.has(key));
}

/** A query value that no route issued: random text, path-like, control characters (never blank: a blank `state` may read as absent). */
const junkQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 200 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 50 }),
  pathLikeIds,
  fc.base64String({ minLength: 4, maxLength: 400 }).map((s) => `poll.${s}`),
).filter((value) => value.trim() !== "");

function withQuery(path: string, entries: ReadonlyArray<[string, string]>): string {
  return `${path}?${entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join("&")}`;
}

/**
 * Bad queries for a GET route: an unknown parameter (a GET action's input is its query, and the
 * contract's input is strict), or a value for its own opaque parameter (`cursor`, `state`) that
 * the service never issued.
 */
function badQueries(route: ConnectorRoute): fc.Arbitrary<BadRequest> {
  const own = route.parameters.filter((p) => p.in === "query").map((p) => p.name);
  // A GET action's required inputs are sent valid, so that the one thing broken is what is named.
  const base: Array<[string, string]> = route.parameters.filter((p) => p.in === "query" && p.required).map((p) => [p.name, p.name.endsWith("id") ? ID : "Ada"]);
  const request = (mutation: string, entries: ReadonlyArray<[string, string]>, fields: readonly string[]): BadRequest =>
    shown({ target: route.operationId, mutation, method: "GET", url: withQuery(route.path, [...base.filter(([key]) => !entries.some(([k]) => k === key)), ...entries]), fields });
  const mutations: Array<fc.Arbitrary<BadRequest>> = [];
  // A trigger's polling route takes nothing but its state: an unknown key there is not an input
  // of the contract (Power Automate adds none), so only GET actions get this one.
  if (route.kind === "paged-action") {
    mutations.push(fc.tuple(extraQueryKey(route), fc.string({ maxLength: 50 })).map(([key, value]) => request("extra field", [[key, value]], [key])));
  }
  // The opaque parameters (`cursor`, `state`) take any junk; a GET action's own inputs (ids) a path-like id.
  const opaque = new Set(["cursor", "state"]);
  for (const name of own) mutations.push((opaque.has(name) ? junkQueryValue : pathLikeIds).map((value) => request(opaque.has(name) ? "wrong format" : "path-like id", [[name, value]], [name])));
  return fc.oneof(...mutations);
}

/**
 * The routes of the connector's API that take an input from the caller (a body or a query), each
 * with an arbitrary of bad requests for it: the five actions, each trigger's webhook subscription
 * and its polling state.
 *
 * @example
 * for (const { route, requests } of badInputTargets()) fc.sample(requests, 10);
 */
export function badInputTargets(): Array<{ route: ConnectorRoute; requests: fc.Arbitrary<BadRequest> }> {
  return CONNECTOR_ROUTES.filter((route) => route.body !== undefined || route.kind === "paged-action" || route.kind === "polling-trigger").map((route) => ({
    route,
    requests: route.body !== undefined ? badBodies(route) : badQueries(route),
  }));
}

/**
 * The issue's own cases (issue 10), sent on every run whatever fast-check draws: a `..` id, a
 * 900 KB callback URL, control characters and credentials in it, the SSRF gaps (6to4,
 * IPv4-translated, the documentation ranges).
 *
 * @example
 * knownBadRequests("GetLead"); // [{ target: "GetLead", mutation: "path-like id", … }]
 */
export function knownBadRequests(operationId: string): BadRequest[] {
  const route = CONNECTOR_ROUTES.find((r) => r.operationId === operationId);
  if (route === undefined || route.body === undefined) return [];
  const { properties } = objectSchemaOf(route);
  const cases: Array<[string, string, unknown]> = [];
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.pattern !== undefined && schema.format === undefined) cases.push(["path-like id", name, ".."], ["path-like id", name, "."], ["path-like id", name, `${ID}\u0000`]);
    if (name === "callback_url") {
      cases.push(["too long", name, `https://hooks.example.com/${"a".repeat(900_000)}`], ["wrong format", name, "https://hooks.example.com/a\u0001b"], ["wrong format", name, "https://user:secret@hooks.example.com/"]);
      for (const host of ["[2002:7f00:1::]", "[::ffff:0:7f00:1]", "192.0.2.1", "198.51.100.1", "203.0.113.1"]) cases.push(["wrong format", name, `http://${host}/hook`]);
    }
  }
  const valid = Object.fromEntries(Object.entries(properties).filter(([name]) => objectSchemaOf(route).required.includes(name)).map(([name, schema]) => [name, validValue(name, schema)]));
  return cases.map(([mutation, name, value]) => shown({ target: route.operationId, mutation, method: "POST", url: route.path, body: JSON.stringify({ ...valid, [name]: value }), fields: [name] }));
}

/**
 * The valid body the generator breaks, for a route with a body: checked against the route's own
 * schema by the suite, so that a broken generator cannot pass bad inputs off as valid ones.
 *
 * @example
 * validBodyOf(routeOf("CreateLead")!); // { email: "ada@example.com", name: "Ada", … }
 */
export function validBodyOf(route: ConnectorRoute): Record<string, unknown> {
  const { properties, example } = objectSchemaOf(route);
  return example ?? Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, validValue(name, schema)]));
}
