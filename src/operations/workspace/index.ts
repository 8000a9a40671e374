import { listAdmins } from "./listAdmins.js";
import { listTeams } from "./listTeams.js";

/**
 * The workspace area's actions by id.
 *
 * @example
 * const admins = await WORKSPACE_ACTIONS.ListAdmins.run(intercom, {});
 */
export const WORKSPACE_ACTIONS = { ListAdmins: listAdmins, ListTeams: listTeams } as const;
