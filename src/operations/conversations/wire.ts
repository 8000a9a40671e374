import { IntercomError, type IntercomClient } from "intercom-client";
import { z } from "zod";
import { Conversation } from "../../contract/catalogue/conversations.js";
import { connectorError, err, ok, type ConnectorError, type Result } from "../../contract/index.js";
import { errorListOf, type IntercomTransport, type SdkRequestOptions } from "../../intercom/index.js";

// Intercom's conversation answers as the conversations area reads them, and how its 404s name
// what is missing: one call may refer to a conversation, an admin, a team, a tag and a contact,
// and Intercom tells them apart by the error's code or message only.

const MISSING = Symbol("missing");

/** A 404 about something other than the conversation: what it names, and the input field. */
export interface Missing {
  readonly [MISSING]: true;
  readonly resource: string;
  readonly id: string;
  readonly field: string | undefined;
}

/** How to read a 404 of one call: by Intercom's error code, or by a word of its message. */
export interface MissingRule {
  code?: string;
  message?: RegExp;
  resource: string;
  id: string;
  field?: string;
}

/**
 * An answer schema that also takes the {@link Missing} marker {@link sendNaming} returns.
 *
 * @example
 * const answer = orMissing(Conversation);
 */
export function orMissing<S extends z.ZodType>(schema: S): z.ZodUnion<[S, z.ZodCustom<Missing>]> {
  return z.union([schema, z.custom<Missing>((value) => typeof value === "object" && value !== null && MISSING in value)]);
}

/**
 * Runs an SDK call; an Intercom 404 that a rule recognises becomes a {@link Missing} marker
 * instead of an error (any other failure is thrown on, for the transport's error mapping).
 *
 * @example
 * send: (sdk, options) => sendNaming(() => sdk.conversations.manage(request, options), [{ code: "admin_not_found", resource: "admin", id, field: "admin_id" }]),
 */
export async function sendNaming(send: () => Promise<unknown>, rules: readonly MissingRule[]): Promise<unknown> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof IntercomError) || error.statusCode !== 404) throw error;
    const first = errorListOf(error.body).first;
    const rule = rules.find((r) => (r.code === undefined || r.code === first?.code) && (r.message === undefined || r.message.test(first?.message ?? "")));
    if (rule === undefined) throw error;
    const missing: Missing = { [MISSING]: true, resource: rule.resource, id: rule.id, field: rule.field };
    return missing;
  }
}

/**
 * Whether an answer is the {@link Missing} marker.
 *
 * @example
 * if (isMissing(answer.value)) return err(missingError(answer.value));
 */
export function isMissing(value: unknown): value is Missing {
  return typeof value === "object" && value !== null && MISSING in value;
}

/**
 * The `not_found` error a {@link Missing} marker stands for, naming its field.
 *
 * @example
 * missingError(marker).toJSON(); // { code: "not_found", message: "No admin with id 42", field: "admin_id", … }
 */
export function missingError(missing: Missing): ConnectorError {
  return connectorError("not_found", { resource: missing.resource, id: missing.id }, missing.field === undefined ? {} : { field: missing.field });
}

/** A conversation answer, or the marker of what else was missing. */
export const ConversationOrMissing = orMissing(Conversation);

/** The rule for Intercom's `admin_not_found` about the acting admin. */
export function adminRule(adminId: string): MissingRule {
  return { code: "admin_not_found", resource: "admin", id: adminId, field: "admin_id" };
}

/**
 * `POST /conversations/search` (`conversation_list`): one page, its items the contract's
 * {@link Conversation}, Intercom's `starting_after` for the next.
 *
 * @example
 * ConversationSearchAnswer.parse({ type: "conversation.list", conversations: [], total_count: 0, pages: { type: "pages" } });
 */
export const ConversationSearchAnswer = z.looseObject({
  type: z.string().nullish(),
  conversations: z.array(Conversation),
  total_count: z.number().nullish(),
  pages: z.looseObject({ next: z.looseObject({ starting_after: z.string().nullish() }).nullish() }).nullish(),
});

/**
 * One call answering a conversation, through the transport's rules: the conversation id checked
 * as a path id, Intercom's 404 about the conversation `not_found` naming it, and the 404s the
 * rules recognise `not_found` naming their own resource and field.
 *
 * @example
 * const closed = await requestConversation(intercom, "POST /conversations/{id}/parts", id, [adminRule(adminId)], (sdk, options) => sdk.conversations.manage(request, options));
 */
export async function requestConversation(
  intercom: IntercomTransport,
  what: string,
  conversationId: string,
  rules: readonly MissingRule[],
  send: (sdk: IntercomClient, options: SdkRequestOptions) => Promise<unknown>,
): Promise<Result<Conversation, ConnectorError>> {
  const answer = await intercom.request({
    what,
    answer: ConversationOrMissing,
    pathIds: [conversationId],
    notFound: { resource: "conversation", id: conversationId },
    send: (sdk, options) => sendNaming(() => send(sdk, options), rules),
  });
  if (!answer.ok) return answer;
  return isMissing(answer.value) ? err(missingError(answer.value)) : ok(answer.value);
}
