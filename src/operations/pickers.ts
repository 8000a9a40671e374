import type { DataAttribute } from "../contract/catalogue/data-attributes.js";
import { ok, type ConnectorError, type Result } from "../contract/index.js";
import type { CustomAttributeSchema, PickerId, PickerItem } from "../contract/pickers.js";
import type { IntercomTransport } from "../intercom/index.js";
import { WireCompany } from "./companies/wire.js";
import { fetchDataAttributes } from "./data-attributes/listDataAttributes.js";
import { WireTagList } from "./tags/wire.js";
import { WireTicketTypeList } from "./tickets/wire.js";
import { AdminListAnswer, TeamListAnswer } from "./workspace/wire.js";
import { z } from "zod";

// What each picker asks Intercom (one call each) and how an item becomes a candidate. A picker
// is for a person choosing in a form: the first page is enough, and a field still takes any
// value typed in.

/** Companies a picker offers: one page of Intercom's list. */
export const PICKER_COMPANIES = 50;

const CompanyListAnswer = z.looseObject({ data: z.array(WireCompany) });

async function tags(intercom: IntercomTransport): Promise<Result<Array<{ id: string; name: string }>, ConnectorError>> {
  const list = await intercom.request({ what: "GET /tags", answer: WireTagList, send: (sdk, options) => sdk.tags.list(options) });
  return list.ok ? ok(list.value.data.map((tag) => ({ id: tag.id, name: tag.name }))) : list;
}

async function companies(intercom: IntercomTransport): Promise<Result<WireCompany[], ConnectorError>> {
  const list = await intercom.request({
    what: "POST /companies/list",
    answer: CompanyListAnswer,
    send: async (sdk, options) => (await sdk.companies.list({ page: 1, per_page: PICKER_COMPANIES, order: "desc" }, options)).response,
  });
  return list.ok ? ok(list.value.data) : list;
}

async function attributes(intercom: IntercomTransport, model: "contact" | "company"): Promise<Result<PickerItem[], ConnectorError>> {
  const list = await fetchDataAttributes(intercom, { model });
  if (!list.ok) return list;
  return ok(list.value.filter((attribute) => attribute.archived !== true).map((attribute) => ({ id: attribute.full_name ?? attribute.name, title: attribute.label ?? attribute.name })));
}

/**
 * Each picker's candidates, from one Intercom call.
 *
 * @example
 * const candidates = await PICKER_SOURCES.tags(intercom); // ok([{ id: "17", title: "vip" }])
 */
export const PICKER_SOURCES: Readonly<Record<PickerId, (intercom: IntercomTransport) => Promise<Result<PickerItem[], ConnectorError>>>> = {
  async tags(intercom) {
    const list = await tags(intercom);
    return list.ok ? ok(list.value.map((tag) => ({ id: tag.id, title: tag.name }))) : list;
  },
  async tag_names(intercom) {
    const list = await tags(intercom);
    return list.ok ? ok(list.value.map((tag) => ({ id: tag.name, title: tag.name }))) : list;
  },
  async companies(intercom) {
    const list = await companies(intercom);
    return list.ok ? ok(list.value.map((company) => ({ id: company.id, title: company.name ?? company.company_id ?? company.id }))) : list;
  },
  async company_ids(intercom) {
    const list = await companies(intercom);
    if (!list.ok) return list;
    return ok(list.value.flatMap((company) => (company.company_id === undefined || company.company_id === null ? [] : [{ id: company.company_id, title: company.name ?? company.company_id }])));
  },
  async admins(intercom) {
    const list = await intercom.request({ what: "GET /admins", answer: AdminListAnswer, send: (sdk, options) => sdk.admins.list(options) });
    if (!list.ok) return list;
    return ok(list.value.admins.flatMap((admin) => (admin === null ? [] : [{ id: admin.id, title: admin.name === "" ? admin.email : `${admin.name} (${admin.email})` }])));
  },
  async teams(intercom) {
    const list = await intercom.request({ what: "GET /teams", answer: TeamListAnswer, send: (sdk, options) => sdk.teams.list(options) });
    return list.ok ? ok(list.value.teams.map((team) => ({ id: team.id, title: team.name }))) : list;
  },
  async ticket_types(intercom) {
    const list = await intercom.request({ what: "GET /ticket_types", answer: WireTicketTypeList, send: (sdk, options) => sdk.ticketTypes.list(options) });
    return list.ok ? ok(list.value.data.filter((type) => type.archived !== true).map((type) => ({ id: type.id, title: type.name }))) : list;
  },
  contact_attributes: (intercom) => attributes(intercom, "contact"),
  company_attributes: (intercom) => attributes(intercom, "company"),
};

/** One custom attribute as a JSON Schema property of its type, labelled for a form. */
function propertyOf(attribute: DataAttribute): Record<string, unknown> {
  const label = attribute.label ?? attribute.name;
  const described = attribute.description === undefined || attribute.description === "" ? label : attribute.description;
  const base = { title: label, description: described };
  if (attribute.options !== undefined && attribute.options.length > 0) return { ...base, type: "string", enum: attribute.options };
  switch (attribute.data_type) {
    case "integer":
      return { ...base, type: "integer" };
    case "float":
      return { ...base, type: "number" };
    case "boolean":
      return { ...base, type: "boolean" };
    case "date":
    case "datetime":
      return { ...base, type: "integer", minimum: 0, description: `${described} (a date, Unix seconds)` };
    default:
      return { ...base, type: "string", maxLength: 255 };
  }
}

/**
 * The JSON Schema of a model's custom attributes: one property per live, API-writable custom
 * data attribute, of its type (from one `GET /data_attributes`).
 *
 * @example
 * const described = await customAttributeSchema(intercom, "contact");
 * if (described.ok) Object.keys(described.value.schema.properties); // ["plan", "seats"]
 */
export async function customAttributeSchema(intercom: IntercomTransport, model: "contact" | "company"): Promise<Result<CustomAttributeSchema, ConnectorError>> {
  const list = await fetchDataAttributes(intercom, { model });
  if (!list.ok) return list;
  const writable = list.value.filter((attribute) => attribute.custom === true && attribute.archived !== true && attribute.api_writable !== false);
  return ok({ model, schema: { type: "object", properties: Object.fromEntries(writable.map((attribute) => [attribute.name, propertyOf(attribute)])) } });
}
