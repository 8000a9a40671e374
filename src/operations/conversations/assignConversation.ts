import type { Conversation } from "../../contract/catalogue/conversations.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { requestConversation, type MissingRule } from "./wire.js";

/**
 * `AssignConversation`: `POST /conversations/{id}/parts` with `message_type: assignment`, to an
 * admin or a team (`assignee_id` `0` unassigns that side), with an optional message the contact
 * sees; a closed or snoozed conversation reopens. Each call adds an assignment part.
 *
 * @example
 * const assigned = await assignConversation.run(intercom, { conversation_id: "1001", admin_id: "991200", assignee_type: "team", assignee_id: "814865" });
 * if (assigned.ok) console.log(assigned.value.team_assignee_id);
 */
export const assignConversation = defineAction({
  id: "AssignConversation",
  execute(intercom, input): Promise<Result<Conversation, ConnectorError>> {
    const { conversation_id, admin_id, assignee_type, assignee_id, body } = input;
    const rules: MissingRule[] =
      assignee_type === "team"
        ? [
            { code: "team_not_found", resource: "team", id: assignee_id, field: "assignee_id" },
            { code: "admin_not_found", resource: "admin", id: admin_id, field: "admin_id" },
          ]
        : // Intercom's 404 does not say which admin: the one acting or the assignee.
          [{ code: "admin_not_found", resource: "admin", id: `${admin_id} or ${assignee_id}` }];
    return requestConversation(intercom, "POST /conversations/{id}/parts", conversation_id, rules, (sdk, options) =>
      sdk.conversations.manage(
        { conversation_id, body: { message_type: "assignment", type: assignee_type, admin_id, assignee_id, ...(body === undefined ? {} : { body }) } },
        options,
      ),
    );
  },
});
