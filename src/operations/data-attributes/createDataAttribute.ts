import { DataAttribute } from "../../contract/catalogue/data-attributes.js";
import { ok, type ConnectorError, type OperationInput, type Result } from "../../contract/index.js";
import { defineAction } from "../define-action.js";
import { fetchDataAttributes } from "./listDataAttributes.js";

/** Intercom's 400 for a name the workspace already has ("You already have 'plan' in your people data…"). */
const ALREADY_EXISTS = /already have '/i;

/** What Intercom answers for each type asked for: a datetime is a date, a list a string with options. */
const ANSWERED_TYPE: Readonly<Record<OperationInput<"CreateDataAttribute">["data_type"], string>> = {
  string: "string", integer: "integer", float: "float", boolean: "boolean", date: "date", datetime: "date", options: "string",
};

/**
 * `CreateDataAttribute`: `POST /data_attributes`. Safe to retry: when Intercom answers that the
 * name exists and the existing attribute is the same (model, type, options), that attribute is
 * returned (one more `GET /data_attributes`); any other clash stays Intercom's 400
 * (`intercom_rejected`, its message naming the name).
 *
 * @example
 * const created = await createDataAttribute.run(intercom, { name: "plan", model: "contact", data_type: "options", options: ["free", "pro"] });
 * if (created.ok) console.log(created.value.full_name); // "custom_attributes.plan"
 */
export const createDataAttribute = defineAction({
  id: "CreateDataAttribute",
  async execute(intercom, input): Promise<Result<DataAttribute, ConnectorError>> {
    const { options, ...rest } = input;
    const body = { ...rest, ...(options === undefined ? {} : { options: options.map((value) => ({ value })) }) };
    const created = await intercom.request({
      what: "POST /data_attributes",
      answer: DataAttribute,
      // The SDK's request type lacks name, model and description; the API takes them.
      send: (sdk, requestOptions) => sdk.dataAttributes.create(body as never, requestOptions),
    });
    if (created.ok || created.error.code !== "intercom_rejected" || !ALREADY_EXISTS.test(created.error.message)) return created;
    const existing = await fetchDataAttributes(intercom, { model: input.model });
    if (!existing.ok) return created;
    const same = existing.value.find(
      (a) => a.custom === true && a.name === input.name && a.data_type === ANSWERED_TYPE[input.data_type] && sameOptions(a.options, options),
    );
    return same === undefined ? created : ok(same);
  },
});

function sameOptions(have: readonly string[] | undefined, want: readonly string[] | undefined): boolean {
  if (want === undefined) return have === undefined || have.length === 0;
  return have !== undefined && have.length === new Set(want).size && want.every((value) => have.includes(value));
}
