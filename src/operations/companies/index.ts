import { attachContactToCompany, detachContactFromCompany } from "./contactCompany.js";
import { createOrUpdateCompany } from "./createOrUpdateCompany.js";
import { findCompany } from "./findCompany.js";
import { getCompany } from "./getCompany.js";
import { listCompanies } from "./listCompanies.js";

/**
 * The companies area's actions by id, spread into `CATALOGUE_ACTIONS`.
 *
 * @example
 * await COMPANY_ACTIONS.GetCompany.run(intercom, { id: "6762f0761bb69f9f2193bae2" });
 */
export const COMPANY_ACTIONS = {
  CreateOrUpdateCompany: createOrUpdateCompany,
  GetCompany: getCompany,
  FindCompany: findCompany,
  ListCompanies: listCompanies,
  AttachContactToCompany: attachContactToCompany,
  DetachContactFromCompany: detachContactFromCompany,
} as const;
