import type { FastifyInstance } from "fastify";
import type { ConversationRecord } from "../model.js";
import type { Workspace } from "../workspace.js";

/** A conversation as Intercom 2.14 answers it. */
export function serializeConversation(_workspace: Workspace, c: ConversationRecord): Record<string, unknown> {
  return { type: "conversation", id: c.id };
}

/** Registers the conversation routes and `POST /messages`. */
export function registerConversationRoutes(_app: FastifyInstance): void {}
