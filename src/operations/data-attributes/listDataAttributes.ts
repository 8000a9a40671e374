import type { DataAttribute } from "../../contract/catalogue/data-attributes.js";
import { ok, type ConnectorError, type Result } from "../../contract/index.js";
import type { IntercomTransport } from "../../intercom/index.js";
import { definePagedAction } from "../define-paged-action.js";
import { WHOLE_LIST } from "../workspace/whole-list.js";
import { DataAttributeListAnswer } from "./wire.js";

/**
 * `GET /data_attributes` with its filters, for ListDataAttributes and CreateDataAttribute's
 * look-up of an attribute that already exists.
 *
 * @example
 * const attributes = await fetchDataAttributes(intercom, { model: "contact" });
 */
export async function fetchDataAttributes(
  intercom: IntercomTransport,
  filter: { model?: "contact" | "company" | "conversation" | undefined; include_archived?: boolean | undefined },
): Promise<Result<DataAttribute[], ConnectorError>> {
  const list = await intercom.request({
    what: "GET /data_attributes",
    answer: DataAttributeListAnswer,
    send: (sdk, options) =>
      sdk.dataAttributes.list({
        ...(filter.model === undefined ? {} : { model: filter.model }),
        ...(filter.include_archived === undefined ? {} : { include_archived: filter.include_archived }),
      }, options),
  });
  return list.ok ? ok(list.value.data) : list;
}

/**
 * `ListDataAttributes`: the data attributes of one model or all, standard then custom, from one
 * `GET /data_attributes` (Intercom does not page it); archived ones only with `include_archived`.
 *
 * @example
 * const attributes = await listDataAttributes.run(intercom, { model: "contact" });
 * if (attributes.ok) for await (const a of attributes.value) console.log(a.name, a.data_type);
 */
export const listDataAttributes = definePagedAction({
  id: "ListDataAttributes",
  cursorPrefix: "attributes",
  // Intercom answers the whole list at once: no page size is sent.
  maxPageSize: WHOLE_LIST,
  async fetchPage(intercom, input) {
    const list = await fetchDataAttributes(intercom, input);
    return list.ok ? ok({ items: list.value, nextAfter: null }) : list;
  },
});
