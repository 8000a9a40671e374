import type { ActionId } from "../contract/index.js";
import { CATALOGUE_ACTIONS } from "./catalogue.js";
import { createLead } from "./createLead.js";
import { createUser } from "./createUser.js";
import type { Action } from "./define-action.js";
import { getLead } from "./getLead.js";
import { getUser } from "./getUser.js";
import { listLeads } from "./listLeads.js";

/**
 * Every action by operation id (the seed's five, then the catalogue's), for faces that dispatch
 * on the id (the runtime, HTTP, CLI `call`). The check below fails to compile when a contract
 * action has no implementation here.
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
  ...CATALOGUE_ACTIONS,
} as const satisfies { readonly [Id in ActionId]: Action<Id, unknown> };
