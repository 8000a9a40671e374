import { z } from "zod";
import { Admin, Team } from "../../contract/catalogue/workspace.js";

// Intercom's answers of the workspace area, as the operations read them.

/**
 * `GET /admins` (`admin_list`); the description lets an entry be null.
 *
 * @example
 * AdminListAnswer.parse({ type: "admin.list", admins: [] });
 */
export const AdminListAnswer = z.object({ type: z.string(), admins: z.array(Admin.nullable()) });

/**
 * `GET /teams` (`team_list`).
 *
 * @example
 * TeamListAnswer.parse({ type: "team.list", teams: [] });
 */
export const TeamListAnswer = z.object({ type: z.string(), teams: z.array(Team) });
