import { z } from "zod";
import { DataAttribute } from "../../contract/catalogue/data-attributes.js";

// Intercom's answers of the data attributes area, as the operations read them.

/**
 * `GET /data_attributes` (`data_attribute_list`): the whole list at once.
 *
 * @example
 * DataAttributeListAnswer.parse({ type: "list", data: [] });
 */
export const DataAttributeListAnswer = z.object({ type: z.string(), data: z.array(DataAttribute) });
