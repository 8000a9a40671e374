import { ok, type ConnectorError, type Result, type User_Response } from "../contract/index.js";
import { defineAction } from "./define-action.js";
import { mapUser } from "./mapping.js";
import { contactWithRole } from "./roles.js";

/**
 * `GetUser` (Obter usuário): one user by Intercom id. A lead's id is `wrong_role` (404).
 *
 * @example
 * const result = await getUser.run(intercom, { user_id: "6762f0a51bb69f9f2193bb5c" });
 * if (!result.ok && result.error.code === "wrong_role") console.log(result.error.message);
 */
export const getUser = defineAction({
  id: "GetUser",
  async execute(intercom, input): Promise<Result<User_Response, ConnectorError>> {
    const contact = await contactWithRole(intercom, input.user_id, "user", "user_id");
    return contact.ok ? ok(mapUser(contact.value)) : contact;
  },
});
