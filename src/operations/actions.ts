import { createLead } from "./createLead.js";
import { createUser } from "./createUser.js";
import { getLead } from "./getLead.js";
import { getUser } from "./getUser.js";
import { listLeads } from "./listLeads.js";

/**
 * The five actions by operation id, for faces that dispatch on the id (HTTP, CLI `call`).
 *
 * @example
 * const result = await ACTIONS.GetUser.run(intercom, { user_id: "6762f0a51bb69f9f2193bb5c" });
 */
export const ACTIONS = {
  CreateUser: createUser,
  CreateLead: createLead,
  ListLeads: listLeads,
  GetLead: getLead,
  GetUser: getUser,
} as const;
