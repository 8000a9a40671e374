import { createDataAttribute } from "./createDataAttribute.js";
import { listDataAttributes } from "./listDataAttributes.js";

/**
 * The data attributes area's actions by id.
 *
 * @example
 * const attributes = await DATA_ATTRIBUTE_ACTIONS.ListDataAttributes.run(intercom, { model: "company" });
 */
export const DATA_ATTRIBUTE_ACTIONS = { ListDataAttributes: listDataAttributes, CreateDataAttribute: createDataAttribute } as const;
