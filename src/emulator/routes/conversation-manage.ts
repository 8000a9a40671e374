import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { checkConversationAttributes } from "../attributes/conversation.js";
import { IntercomApiError } from "../errors.js";
import type { ConversationRecord, TagRecord } from "../model.js";
import { parseBody } from "../validate.js";
import type { Workspace } from "../workspace.js";
import { requireAdmin } from "./admins.js";
import {
  assignConversation,
  closeConversation,
  openConversation,
  snoozeConversation,
  tagConversation,
  untagConversation,
  updateConversation,
  type Assignee,
  type ConversationTagApplication,
} from "./conversation-actions.js";
import { adminHtml } from "./conversation-records.js";
import { adminId, present } from "./conversation-schemas.js";
import { serializeConversation } from "./conversation-serialize.js";
import { requireTeam } from "./teams.js";

const messageType = z.object({ message_type: present(z.enum(["close", "snoozed", "open", "assignment"])) });
// The description's manage requests are not closed objects; `type` is sent by some SDK calls
// even where its schema has none (open, snooze), so it is taken there when it says admin.
const closeBody = z.object({ message_type: z.literal("close"), type: present(z.literal("admin")), admin_id: adminId, body: z.string().optional() });
const snoozeBody = z.object({ message_type: z.literal("snoozed"), type: z.literal("admin").optional(), admin_id: adminId, snoozed_until: present(z.number().int().nonnegative()) });
const openBody = z.object({ message_type: z.literal("open"), type: z.literal("admin").optional(), admin_id: adminId });
const assigneeId = present(z.union([z.string().regex(/^\d+$/, "must be an admin or team id"), z.number().int().nonnegative()]).transform(String));
const assignBody = z.object({ message_type: z.literal("assignment"), type: present(z.enum(["admin", "team"])), admin_id: adminId, assignee_id: assigneeId, body: z.string().optional() });

const updateBody = z.strictObject({
  read: z.boolean().optional(),
  title: z.string().max(255).optional(),
  custom_attributes: z.record(z.string(), z.unknown()).optional(),
  company_id: z.string().nullable().optional(),
});
const tagBody = z.object({ id: present(z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String)), admin_id: adminId });
const untagBody = z.object({ admin_id: adminId });

type WithId = { Params: { conversation_id: string }; Querystring: { display_as?: string } };

function requireConversation(ws: Workspace, id: string, message = "Resource Not Found"): ConversationRecord {
  const conversation = ws.conversations.get(id);
  if (conversation === undefined) throw new IntercomApiError(404, "not_found", message);
  return conversation;
}

function requireTagForConversation(ws: Workspace, id: string): TagRecord {
  const tag = ws.tags.get(id);
  if (tag === undefined) throw new IntercomApiError(404, "tag_not_found", "Tag not found");
  return tag;
}

/** A message sent with an action: none when absent or blank. */
function messageBody(body: string | undefined): string | null {
  return body === undefined || body.trim() === "" ? null : adminHtml(body);
}

function plaintext(query: { display_as?: string }): boolean {
  return query.display_as === "plaintext";
}

/** The `tag` answer of a tagging call: the tag with how it was applied (when it was). */
function appliedTag(tag: TagRecord, applied: ConversationTagApplication | null): Record<string, unknown> {
  const body: Record<string, unknown> = { type: "tag", id: tag.id, name: tag.name };
  if (applied !== null) {
    body.applied_at = applied.applied_at;
    body.applied_by = applied.applied_by === null ? null : { type: "admin", id: applied.applied_by };
  }
  return body;
}

/** Runs one `POST /conversations/{id}/parts` request; everything is checked before anything changes. */
function manage(ws: Workspace, id: string, raw: unknown): ConversationRecord {
  const kind = parseBody(messageType, raw).message_type;
  switch (kind) {
    case "close": {
      const body = parseBody(closeBody, raw);
      const conversation = requireConversation(ws, id);
      const admin = requireAdmin(ws, body.admin_id);
      // Closing what is closed adds nothing (no part, no webhook).
      return conversation.state === "closed" ? conversation : closeConversation(ws, conversation, admin, messageBody(body.body));
    }
    case "snoozed": {
      const body = parseBody(snoozeBody, raw);
      if (body.snoozed_until <= ws.clock.now()) {
        throw new IntercomApiError(400, "parameter_invalid", "snoozed_until must be in the future", { field: "snoozed_until" });
      }
      const conversation = requireConversation(ws, id);
      return snoozeConversation(ws, conversation, requireAdmin(ws, body.admin_id), body.snoozed_until);
    }
    case "open": {
      const body = parseBody(openBody, raw);
      const conversation = requireConversation(ws, id);
      const admin = requireAdmin(ws, body.admin_id);
      return conversation.state === "open" ? conversation : openConversation(ws, conversation, admin);
    }
    case "assignment": {
      const body = parseBody(assignBody, raw);
      const conversation = requireConversation(ws, id);
      const admin = requireAdmin(ws, body.admin_id);
      // Assignee `0` unassigns that side.
      const unassign = body.assignee_id === "0";
      const to: Assignee =
        body.type === "admin"
          ? { type: "admin", admin: unassign ? null : requireAdmin(ws, body.assignee_id) }
          : { type: "team", team: unassign ? null : requireTeam(ws, body.assignee_id) };
      return assignConversation(ws, conversation, admin, to, messageBody(body.body));
    }
  }
}

/**
 * Registers what an admin does to a conversation besides replying: `POST
 * /conversations/{id}/parts` (close, snoozed, open, assignment), `PUT /conversations/{id}`
 * (read, title, custom attributes) and `POST`/`DELETE /conversations/{id}/tags`.
 *
 * @example
 * registerConversationManageRoutes(app);
 */
export function registerConversationManageRoutes(app: FastifyInstance): void {
  app.post<WithId>("/conversations/:conversation_id/parts", async (request) => {
    const ws = request.workspace;
    const conversation = manage(ws, request.params.conversation_id, request.body);
    return serializeConversation(ws, conversation, { plaintext: plaintext(request.query) });
  });

  app.put<WithId>("/conversations/:conversation_id", async (request) => {
    const ws = request.workspace;
    const body = parseBody(updateBody, request.body);
    if (body.company_id !== undefined) {
      throw new IntercomApiError(400, "parameter_invalid", "The emulator does not associate companies with conversations", { field: "company_id" });
    }
    const conversation = requireConversation(ws, request.params.conversation_id);
    const attributes = body.custom_attributes === undefined ? undefined : checkConversationAttributes(ws, body.custom_attributes);
    const next = updateConversation(ws, conversation, {
      ...(body.read === undefined ? {} : { read: body.read }),
      ...(body.title === undefined ? {} : { title: body.title }),
      ...(attributes === undefined ? {} : { custom_attributes: attributes }),
    });
    return serializeConversation(ws, next, { plaintext: plaintext(request.query) });
  });

  app.post<WithId>("/conversations/:conversation_id/tags", async (request) => {
    const ws = request.workspace;
    const body = parseBody(tagBody, request.body);
    const conversation = requireConversation(ws, request.params.conversation_id, "Conversation not found");
    const tag = requireTagForConversation(ws, body.id);
    const admin = requireAdmin(ws, body.admin_id);
    return appliedTag(tag, tagConversation(ws, conversation, tag, admin));
  });

  app.delete<{ Params: { conversation_id: string; tag_id: string } }>("/conversations/:conversation_id/tags/:tag_id", async (request) => {
    const ws = request.workspace;
    const body = parseBody(untagBody, request.body ?? {});
    const conversation = requireConversation(ws, request.params.conversation_id, "Conversation not found");
    const tag = requireTagForConversation(ws, request.params.tag_id);
    requireAdmin(ws, body.admin_id);
    return appliedTag(tag, untagConversation(ws, conversation, tag));
  });
}
