import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { defineCustomAttribute } from "../attributes/custom.js";
import { standardAttributes } from "../attributes/standard.js";
import { IntercomApiError } from "../errors.js";
import type { DataAttributeRecord, DataAttributeType } from "../model.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";

const DATA_TYPES = ["string", "integer", "float", "boolean", "datetime", "date", "options"] as const satisfies readonly DataAttributeType[];
const optionsList = z.array(z.strictObject({ value: z.string().min(1) }));
const createBody = z.strictObject({
  name: z.string().min(1).max(255),
  model: z.unknown(),
  data_type: z.unknown(),
  description: z.string().max(255).optional(),
  options: z.unknown().optional(),
  messenger_writable: z.boolean().optional(),
});
const updateBody = z.strictObject({
  archived: z.boolean().optional(),
  description: z.string().max(255).optional(),
  messenger_writable: z.boolean().optional(),
  options: z.unknown().optional(),
});

/** A list's options from `[{ value }]`, or Intercom's "Options isn't an array". */
function parseOptions(raw: unknown): string[] {
  const parsed = optionsList.safeParse(raw);
  if (!parsed.success) throw new IntercomApiError(400, "parameter_invalid", "Options isn't an array", { field: "options" });
  return parsed.data.map((o) => o.value);
}

/**
 * A data attribute as the 2.14 `data_attribute` schema has it; the fields that are only for
 * custom attributes (id, admin, times, options) are left out of standard ones.
 *
 * @example
 * serializeDataAttribute(attribute);
 */
export function serializeDataAttribute(a: DataAttributeRecord): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "data_attribute" };
  if (a.id !== null) body.id = a.id;
  Object.assign(body, { name: a.name, full_name: a.full_name, label: a.label });
  if (a.description !== "") body.description = a.description;
  body.data_type = a.data_type;
  if (a.options !== null) body.options = a.options;
  Object.assign(body, { api_writable: a.api_writable, ui_writable: a.ui_writable, messenger_writable: a.messenger_writable, custom: a.custom, archived: a.archived });
  if (a.admin_id !== null) body.admin_id = a.admin_id;
  if (a.created_at !== null) body.created_at = a.created_at;
  if (a.updated_at !== null) body.updated_at = a.updated_at;
  body.model = a.model;
  return body;
}

/** Standard then custom attributes of the models asked for. */
function listed(ws: Workspace, model: string | undefined, includeArchived: boolean): DataAttributeRecord[] {
  // Conversation attributes are not emulated: the list for that model is empty.
  const models: Array<"contact" | "company"> = model === undefined ? ["contact", "company"] : model === "contact" || model === "company" ? [model] : [];
  return models.flatMap((m) => [
    ...standardAttributes(m),
    ...[...ws.dataAttributes.values()].filter((a) => a.model === m && (includeArchived || !a.archived)),
  ]);
}

function parseFlag(raw: string | undefined, field: string): boolean {
  if (raw === undefined || raw === "" || raw === "false") return false;
  if (raw === "true") return true;
  throw new IntercomApiError(400, "parameter_invalid", `${field} must be true or false`, { field });
}

/**
 * Registers `GET /data_attributes` (`model`, `include_archived`), `POST /data_attributes` and
 * `PUT /data_attributes/{id}` (description, options, messenger_writable, archived; the type never
 * changes).
 *
 * @example
 * registerDataAttributeRoutes(app);
 */
export function registerDataAttributeRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { model?: string; include_archived?: string } }>("/data_attributes", async (request) => {
    const { model } = request.query;
    if (model !== undefined && !["contact", "company", "conversation"].includes(model)) {
      throw new IntercomApiError(400, "parameter_invalid", "model must be one of contact, company or conversation", { field: "model" });
    }
    const includeArchived = parseFlag(request.query.include_archived, "include_archived");
    return { type: "list", data: listed(request.workspace, model, includeArchived).map(serializeDataAttribute) };
  });

  app.post("/data_attributes", async (request) => {
    const ws = request.workspace;
    const raw = request.body;
    // The model is checked first: the description answers a body without one so, name or not.
    const model = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).model : undefined;
    if (model !== "contact" && model !== "company") {
      throw new IntercomApiError(400, "parameter_invalid", "The Data Attribute model field must be either contact or company", { field: "model" });
    }
    const body = parseBody(createBody, raw);
    const dataType = DATA_TYPES.find((t) => t === body.data_type);
    if (dataType === undefined) throw new IntercomApiError(400, "parameter_invalid", "Data Type isn't an option", { field: "data_type" });
    const options = dataType === "options" ? (body.options === undefined ? [] : parseOptions(body.options)) : undefined;
    return serializeDataAttribute(
      defineCustomAttribute(ws, { name: body.name, model, data_type: dataType, description: body.description, options, messenger_writable: body.messenger_writable }),
    );
  });

  app.put<{ Params: { data_attribute_id: string } }>("/data_attributes/:data_attribute_id", async (request) => {
    const ws = request.workspace;
    const id = /^\d+$/.test(request.params.data_attribute_id) ? Number(request.params.data_attribute_id) : Number.NaN;
    const attribute = ws.dataAttributes.get(id);
    if (attribute === undefined) throw new IntercomApiError(404, "field_not_found", "We couldn't find that data attribute to update");
    const body = parseBody(updateBody, request.body);
    const next: DataAttributeRecord = { ...attribute, updated_at: ws.clock.now() };
    if (body.options !== undefined) {
      if (attribute.options === null) throw new IntercomApiError(400, "parameter_invalid", "Options can only be set on a list attribute", { field: "options" });
      const options = parseOptions(body.options);
      if (options.length < 2) throw new IntercomApiError(400, "parameter_invalid", "You must have at least two options on a list type data attribute", { field: "options" });
      next.options = options;
    }
    if (body.description !== undefined) next.description = body.description;
    if (body.messenger_writable !== undefined) next.messenger_writable = body.messenger_writable;
    if (body.archived !== undefined) next.archived = body.archived;
    ws.dataAttributes.set(id, next);
    return serializeDataAttribute(next);
  });
}
