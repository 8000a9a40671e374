import type { TriggerId } from "../contract/index.js";
import type { TriggerDefinition } from "./define-trigger.js";
import { trigNewConversation } from "./trigNewConversation.js";
import { trigNewLead } from "./trigNewLead.js";
import { trigNewUser } from "./trigNewUser.js";
import { trigUpdateUser } from "./trigUpdateUser.js";

/**
 * The four triggers by id.
 *
 * @example
 * TRIGGERS.TrigNewLead.id; // "TrigNewLead"
 */
export const TRIGGERS: Readonly<Record<TriggerId, TriggerDefinition<never>>> = {
  TrigNewLead: trigNewLead as TriggerDefinition<never>,
  TrigNewUser: trigNewUser as TriggerDefinition<never>,
  TrigUpdateUser: trigUpdateUser as TriggerDefinition<never>,
  TrigNewConversation: trigNewConversation as TriggerDefinition<never>,
};
