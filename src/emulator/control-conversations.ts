import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { defineConversationAttribute, listConversationAttributes } from "./attributes/conversation.js";
import { IntercomApiError } from "./errors.js";
import { rateConversation } from "./routes/conversation-actions.js";
import { serializeConversation } from "./routes/conversation-serialize.js";
import type { EmulatorState } from "./state.js";
import { parseBody } from "./validate.js";
import type { Workspace } from "./workspace.js";

const ratingBody = z.strictObject({
  rating: z.number().int().min(1).max(5),
  remark: z.string().min(1).max(1_000).optional(),
  /** The rating contact; the conversation's first contact when left out. */
  contact_id: z.string().min(1).optional(),
});
const attributeBody = z
  .strictObject({
    name: z.string().regex(/^[\p{L}\p{N}_\- ]{1,190}$/u, "must be letters, digits, spaces, hyphens or underscores"),
    data_type: z.enum(["string", "integer", "date", "list"]),
    options: z.array(z.string().min(1)).min(1).max(200).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.data_type === "list" && body.options === undefined) ctx.addIssue({ code: "custom", path: ["options"], message: "a list needs options" });
    if (body.data_type !== "list" && body.options !== undefined) ctx.addIssue({ code: "custom", path: ["options"], message: "only a list has options" });
  });

/**
 * Control routes for what Intercom's REST API cannot do to a conversation: a contact rating it
 * (the Messenger does that), and defining conversation data attributes (Intercom's settings do).
 * `POST /_emulator/workspaces/{id}/conversations/{conversation_id}/rating` `{rating, remark?,
 * contact_id?}` and `GET`/`POST /_emulator/workspaces/{id}/conversation_attributes`
 * `{name, data_type: string|integer|date|list, options?}`.
 *
 * @example
 * registerConversationControlRoutes(app, state);
 * // curl -X POST localhost:4010/_emulator/workspaces/ws1/conversations/1001/rating -d '{"rating":5}'
 */
export function registerConversationControlRoutes(app: FastifyInstance, state: EmulatorState): void {
  const workspaceOf = (id: string): Workspace => {
    const ws = state.byId(id);
    if (ws === undefined) throw new IntercomApiError(404, "not_found", `No workspace ${id}`, { field: "workspace_id" });
    return ws;
  };

  app.post<{ Params: { id: string; conversation_id: string } }>("/_emulator/workspaces/:id/conversations/:conversation_id/rating", async (request) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(ratingBody, request.body);
    const conversation = ws.conversations.get(request.params.conversation_id);
    if (conversation === undefined) throw new IntercomApiError(404, "not_found", "No such conversation", { field: "conversation_id" });
    const contactId = body.contact_id ?? conversation.contact_ids[0];
    const contact = contactId === undefined ? undefined : ws.contacts.get(contactId);
    if (contact === undefined || !conversation.contact_ids.includes(contact.id)) {
      throw new IntercomApiError(400, "parameter_invalid", "The contact is not part of this conversation", { field: "contact_id" });
    }
    return serializeConversation(ws, rateConversation(ws, conversation, contact, body.rating, body.remark ?? null));
  });

  app.get<{ Params: { id: string } }>("/_emulator/workspaces/:id/conversation_attributes", async (request) => ({
    attributes: listConversationAttributes(workspaceOf(request.params.id)),
  }));

  app.post<{ Params: { id: string } }>("/_emulator/workspaces/:id/conversation_attributes", async (request, reply) => {
    const ws = workspaceOf(request.params.id);
    const body = parseBody(attributeBody, request.body);
    const attribute = defineConversationAttribute(ws, { name: body.name, data_type: body.data_type, options: body.options ?? null });
    return reply.status(201).send(attribute);
  });
}
