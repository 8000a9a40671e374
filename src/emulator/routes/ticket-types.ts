import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IntercomApiError } from "../errors.js";
import { TICKET_ATTRIBUTE_TYPES, TICKET_CATEGORIES, type TicketTypeAttributeRecord, type TicketTypeRecord } from "../ticket-model.js";
import { serializeTicketAttribute, serializeTicketType } from "../ticket-serialize.js";
import { listOptions, ticketsOf } from "../ticket-store.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";

const name = z.string().trim().min(1).max(255);
const createTypeBody = z.strictObject({
  name,
  description: z.string().max(255).optional(),
  category: z.enum(TICKET_CATEGORIES).optional(),
  icon: z.string().min(1).max(32).optional(),
  is_internal: z.boolean().optional(),
});
const updateTypeBody = z.strictObject({
  name: name.optional(),
  description: z.string().max(255).optional(),
  category: z.enum(TICKET_CATEGORIES).optional(),
  icon: z.string().min(1).max(32).optional(),
  archived: z.boolean().optional(),
  is_internal: z.boolean().optional(),
});
const flags = {
  required_to_create: z.boolean().optional(),
  required_to_create_for_contacts: z.boolean().optional(),
  visible_on_create: z.boolean().optional(),
  visible_to_contacts: z.boolean().optional(),
  multiline: z.boolean().optional(),
  list_items: z.string().optional(),
  allow_multiple_values: z.boolean().optional(),
};
const createAttributeBody = z.strictObject({ name, description: z.string(), data_type: z.enum(TICKET_ATTRIBUTE_TYPES), ...flags });
const updateAttributeBody = z.strictObject({ name: name.optional(), description: z.string().optional(), archived: z.boolean().optional(), ...flags });

/**
 * The ticket type with this id, or a 404 `not_found` (the description documents none for it;
 * this is Intercom's usual answer for an unknown id).
 *
 * @example
 * const type = requireTicketType(workspace, "1");
 */
export function requireTicketType(ws: Workspace, id: string, field?: string): TicketTypeRecord {
  const type = ticketsOf(ws).types.get(id);
  if (type === undefined) throw new IntercomApiError(404, "not_found", "Ticket type not found", field === undefined ? {} : { field });
  return type;
}

/** `list_items` ("Low,Medium,High") as labels; a list attribute needs at least one. */
function listLabels(raw: string | undefined): string[] {
  return (raw ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/** Attribute names are unique within a ticket type (our rule and wording: Intercom documents none). */
function checkNameFree(ws: Workspace, type: TicketTypeRecord, attributeName: string, exceptId?: string): void {
  const clash = ticketsOf(ws).attributeByName(type, attributeName);
  if (clash !== undefined && clash.id !== exceptId) {
    throw new IntercomApiError(400, "parameter_invalid", `The ticket type already has an attribute named '${attributeName}'`, { field: "name" });
  }
}

function updateAttribute(ws: Workspace, type: TicketTypeRecord, attribute: TicketTypeAttributeRecord, body: z.output<typeof updateAttributeBody>): void {
  if (attribute.default && (body.name !== undefined || body.archived !== undefined)) {
    throw new IntercomApiError(400, "parameter_invalid", "The default title and description attributes cannot be renamed or archived", { field: body.name === undefined ? "archived" : "name" });
  }
  if (body.name !== undefined) checkNameFree(ws, type, body.name, attribute.id);
  let options = attribute.list_options;
  if (body.list_items !== undefined) {
    if (attribute.data_type !== "list") throw new IntercomApiError(400, "parameter_invalid", "list_items only applies to list attributes", { field: "list_items" });
    const labels = listLabels(body.list_items);
    if (labels.length === 0) throw new IntercomApiError(400, "parameter_invalid", "list_items must name at least one item", { field: "list_items" });
    // Options keep their ids (tickets store them); labels no longer listed are archived, new ones added.
    const kept = (options ?? []).map((o) => ({ ...o, archived: !labels.includes(o.label) }));
    options = [...kept, ...listOptions(attribute.id, labels.filter((l) => !kept.some((o) => o.label === l)), kept.length)];
  }
  const next: TicketTypeAttributeRecord = {
    ...attribute,
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.archived === undefined ? {} : { archived: body.archived }),
    ...(body.required_to_create === undefined ? {} : { required_to_create: body.required_to_create }),
    ...(body.required_to_create_for_contacts === undefined ? {} : { required_to_create_for_contacts: body.required_to_create_for_contacts }),
    ...(body.visible_on_create === undefined ? {} : { visible_on_create: body.visible_on_create }),
    ...(body.visible_to_contacts === undefined ? {} : { visible_to_contacts: body.visible_to_contacts }),
    ...(body.multiline === undefined || attribute.data_type !== "string" ? {} : { multiline: body.multiline }),
    ...(body.allow_multiple_values === undefined || attribute.data_type !== "files" ? {} : { allow_multiple_values: body.allow_multiple_values }),
    list_options: options,
    updated_at: ws.clock.now(),
  };
  ticketsOf(ws).attributes.set(attribute.id, next);
}

/**
 * Registers the ticket type routes: `GET/POST /ticket_types`, `GET/PUT /ticket_types/{id}`,
 * `POST /ticket_types/{id}/attributes`, `PUT /ticket_types/{id}/attributes/{attribute_id}` and
 * `GET /ticket_states`.
 *
 * @example
 * registerTicketTypeRoutes(app);
 */
export function registerTicketTypeRoutes(app: FastifyInstance): void {
  app.get("/ticket_types", async (request) => {
    const ws = request.workspace;
    return { type: "list", data: [...ticketsOf(ws).types.values()].map((t) => serializeTicketType(ws, t)) };
  });

  app.post("/ticket_types", async (request) => {
    const ws = request.workspace;
    const body = parseBody(createTypeBody, request.body);
    const type = ticketsOf(ws).createType(body);
    return serializeTicketType(ws, type);
  });

  app.get<{ Params: { ticket_type_id: string } }>("/ticket_types/:ticket_type_id", async (request) => {
    const ws = request.workspace;
    return serializeTicketType(ws, requireTicketType(ws, request.params.ticket_type_id));
  });

  app.put<{ Params: { ticket_type_id: string } }>("/ticket_types/:ticket_type_id", async (request) => {
    const ws = request.workspace;
    const type = requireTicketType(ws, request.params.ticket_type_id);
    const body = parseBody(updateTypeBody, request.body);
    Object.assign(type, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.category === undefined ? {} : { category: body.category }),
      ...(body.icon === undefined ? {} : { icon: body.icon }),
      ...(body.archived === undefined ? {} : { archived: body.archived }),
      ...(body.is_internal === undefined ? {} : { is_internal: body.is_internal }),
      updated_at: ws.clock.now(),
    });
    return serializeTicketType(ws, type);
  });

  app.post<{ Params: { ticket_type_id: string } }>("/ticket_types/:ticket_type_id/attributes", async (request) => {
    const ws = request.workspace;
    const type = requireTicketType(ws, request.params.ticket_type_id);
    const body = parseBody(createAttributeBody, request.body);
    checkNameFree(ws, type, body.name);
    const labels = listLabels(body.list_items);
    if (body.data_type === "list" && labels.length === 0) {
      throw new IntercomApiError(400, "parameter_invalid", "list_items must name at least one item of a list attribute", { field: "list_items" });
    }
    const attribute = ticketsOf(ws).addAttribute(type, { ...body, list_items: labels });
    return serializeTicketAttribute(ws, attribute);
  });

  app.put<{ Params: { ticket_type_id: string; attribute_id: string } }>("/ticket_types/:ticket_type_id/attributes/:attribute_id", async (request) => {
    const ws = request.workspace;
    const type = requireTicketType(ws, request.params.ticket_type_id);
    const attribute = ticketsOf(ws).attributes.get(request.params.attribute_id);
    if (attribute === undefined || attribute.ticket_type_id !== type.id) throw new IntercomApiError(404, "not_found", "Ticket type attribute not found");
    updateAttribute(ws, type, attribute, parseBody(updateAttributeBody, request.body));
    return serializeTicketAttribute(ws, ticketsOf(ws).attributes.get(attribute.id) ?? attribute);
  });

  app.get("/ticket_states", async (request) => {
    const ws = request.workspace;
    const store = ticketsOf(ws);
    store.defaultStateIds();
    const types = [...store.types.values()];
    return {
      type: "list",
      data: [...store.states.values()].map((s) => ({
        type: "ticket_state",
        id: s.id,
        category: s.category,
        internal_label: s.internal_label,
        external_label: s.external_label,
        ticket_types: {
          type: "list",
          data: types.filter((t) => t.state_ids.includes(s.id)).map((t) => ({
            type: "ticket_type", id: t.id, name: t.name, description: t.description, icon: t.icon, archived: t.archived, is_internal: t.is_internal, category: t.category,
          })),
        },
        archived: s.archived,
      })),
    };
  });
}
