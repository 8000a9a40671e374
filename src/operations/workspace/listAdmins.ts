import { ok } from "../../contract/index.js";
import type { Admin } from "../../contract/catalogue/workspace.js";
import { definePagedAction } from "../define-paged-action.js";
import { WHOLE_LIST } from "./whole-list.js";
import { AdminListAnswer } from "./wire.js";

/**
 * `ListAdmins`: every admin of the workspace, from one `GET /admins` (Intercom does not page it).
 *
 * @example
 * const admins = await listAdmins.run(intercom, {});
 * if (admins.ok) for await (const admin of admins.value) console.log(admin.id, admin.email);
 */
export const listAdmins = definePagedAction({
  id: "ListAdmins",
  cursorPrefix: "admins",
  // Intercom answers the whole list at once: no page size is sent.
  maxPageSize: WHOLE_LIST,
  async fetchPage(intercom) {
    const list = await intercom.request({ what: "GET /admins", answer: AdminListAnswer, send: (sdk, options) => sdk.admins.list(options) });
    if (!list.ok) return list;
    return ok({ items: list.value.admins.filter((admin): admin is Admin => admin !== null), nextAfter: null });
  },
});
