import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { OpenAPIBackend, type Document } from "openapi-backend";
import { parse } from "yaml";

/** Intercom's official OpenAPI description of API 2.14, vendored from ../shared/intercom-openapi. */
export const OPENAPI_PATH = fileURLToPath(new URL("../../../vendor/intercom-openapi/api.intercom.io.2.14.yaml", import.meta.url));

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** One answer that does not match the description. */
export interface Violation {
  method: string;
  path: string;
  status: number;
  operationId: string | null;
  errors: string;
}

let loaded: Promise<OpenApiValidator> | undefined;

/**
 * Rewrites `nullable` on schemas without a `type` (the description has them, e.g. a conversation's
 * `ai_agent` and a part's `assigned_to` beside a `$ref`, `content_sources_list` with `false`):
 * Ajv refuses to compile those, which made every conversation answer fail. `true` becomes
 * `anyOf: [schema, { type: "null" }]`; `false` says nothing and goes.
 */
function allowNullWithoutType(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(allowNullWithoutType);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = allowNullWithoutType(value);
  if (typeof out.nullable !== "boolean" || out.type !== undefined) return out;
  const { nullable, description, ...schema } = out;
  if (!nullable) return { ...schema, ...(description === undefined ? {} : { description }) };
  return { ...(description === undefined ? {} : { description }), anyOf: [schema, { type: "null" }] };
}

/**
 * The description types a company's `custom_attributes` values as strings, while its own
 * examples carry `paid_subscriber: true` and `monthly_spend: 155.5` and Intercom stores each
 * value with its data attribute's type; so any JSON value is accepted there.
 */
function allowTypedCompanyAttributes(schemas: Record<string, unknown>): void {
  const company = schemas.company as { properties?: { custom_attributes?: { additionalProperties?: unknown } } } | undefined;
  const attributes = company?.properties?.custom_attributes;
  if (attributes === undefined) throw new Error("openapi: the company schema has no custom_attributes");
  attributes.additionalProperties = {};
}

/**
 * `GET /events` without `summary=true` answers Intercom's `event.list` (its documented list
 * answer, the description's `data_event_list` schema and the SDK's `DataEventList`), though the
 * description's path names only `data_event_summary`; such answers are checked against
 * `data_event_list`, inlined here. Metadata values may be what the description's own table of
 * metadata types lists (numbers, rich links, amounts), not strings only.
 */
function eventListSchema(schemas: Record<string, unknown>): object {
  const list = schemas.data_event_list as { properties: Record<string, unknown> };
  const event = schemas.data_event as { properties: Record<string, unknown> };
  const inlineEvent = { ...event, properties: { ...event.properties, metadata: { type: "object" } } };
  return { ...list, properties: { ...list.properties, events: { type: "array", items: inlineEvent } } };
}

/**
 * Validates the emulator's answers against the schemas of Intercom's 2.14 description, using
 * openapi-backend (Ajv underneath). A status the operation does not document is checked against
 * the description's `error` schema when it is 4xx/5xx and reported otherwise.
 *
 * @example
 * const validator = await OpenApiValidator.load();
 * validator.check("GET", "/me", 200, body); // null when valid
 */
export class OpenApiValidator {
  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly errorSchema: (data: unknown) => boolean,
    private readonly errorSchemaErrors: () => unknown,
    private readonly eventList: ((data: unknown) => boolean) & { errors?: unknown },
  ) {}

  /** Loads and compiles the description once per process. */
  static load(): Promise<OpenApiValidator> {
    loaded ??= (async () => {
      const document = allowNullWithoutType(parse(readFileSync(OPENAPI_PATH, "utf8"))) as Document & { components: { schemas: Record<string, unknown> } };
      allowTypedCompanyAttributes(document.components.schemas);
      const customizeAjv = (ajv: Ajv): Ajv => {
        addFormats(ajv);
        // Intercom's own examples put relative URLs ("/contacts/1/tags") in fields marked `uri`.
        ajv.addFormat("uri", { type: "string", validate: (s: string) => s.length > 0 && !/\s/.test(s) });
        return ajv;
      };
      const api = new OpenAPIBackend({
        definition: document,
        quick: true,
        ajvOpts: { strict: false, logger: false },
        customizeAjv: customizeAjv,
      });
      await api.init();
      const ajv = customizeAjv(new Ajv({ strict: false, logger: false }));
      const validateError = ajv.compile(document.components.schemas.error as object);
      const validateEventList = ajv.compile(eventListSchema(document.components.schemas));
      return new OpenApiValidator(api, (d) => validateError(d), () => validateError.errors, validateEventList);
    })();
    return loaded;
  }

  /** Checks one answer; returns a violation, or null when it matches the description. */
  check(method: string, path: string, status: number, body: unknown): Violation | null {
    const operation = this.api.router.matchOperation({ method: method.toLowerCase(), path, headers: {} });
    const base = { method, path, status, operationId: operation?.operationId ?? null };
    if (operation === undefined) return { ...base, errors: "no operation in the description matches this path" };
    const documented = operation.responses?.[String(status)] !== undefined;
    if (!documented) {
      if (status >= 400) {
        return this.errorSchema(body) ? null : { ...base, errors: JSON.stringify(this.errorSchemaErrors()) };
      }
      return { ...base, errors: `status ${status} is not documented for ${operation.operationId ?? "?"}` };
    }
    if (operation.operationId === "lisDataEvents" && status === 200 && (body as { type?: unknown } | null)?.type === "event.list") {
      return this.eventList(body) ? null : { ...base, errors: JSON.stringify(this.eventList.errors) };
    }
    const result = this.api.validator.validateResponse(body, operation, status);
    if (result.errors === null || result.errors === undefined || result.errors.length === 0) return null;
    return { ...base, errors: JSON.stringify(result.errors.slice(0, 5)) };
  }
}
