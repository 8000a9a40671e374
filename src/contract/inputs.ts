import { z } from "zod";
import { CompanyIdField, customAttributesOf, EmailField, HttpsUrlField, IdField, TextField } from "./fields.js";
import { pickedFrom } from "./pickers.js";

/**
 * Input of `CreateUser` (Criar ou atualizar usuário): a user is created, or updated when a user
 * with this email exists. `companies` is the customer's company id to attach.
 *
 * @example
 * CreateUserInput.parse({ email: "ada@example.com", name: "Ada", companies: "acme" });
 */
export const CreateUserInput = z.strictObject({
  email: EmailField,
  name: TextField.optional(),
  phone: TextField.optional(),
  companies: CompanyIdField.meta(pickedFrom("company_ids")).optional(),
  custom_attributes: customAttributesOf("contact").optional(),
});
/** What `CreateUser` takes. */
export type CreateUserInput = z.output<typeof CreateUserInput>;

/**
 * Input of `CreateLead` (Criar um novo cliente potencial). `image_url` becomes the avatar.
 *
 * @example
 * CreateLeadInput.parse({ email: "lead@example.com", image_url: "https://example.com/a.png" });
 */
export const CreateLeadInput = z.strictObject({
  email: EmailField,
  name: TextField.optional(),
  phone: TextField.optional(),
  image_url: HttpsUrlField.optional(),
  companies: CompanyIdField.meta(pickedFrom("company_ids")).optional(),
  custom_attributes: customAttributesOf("contact").optional(),
});
/** What `CreateLead` takes. */
export type CreateLeadInput = z.output<typeof CreateLeadInput>;

/**
 * Input of `ListLeads` (Listar todos os clientes potenciais): nothing.
 *
 * @example
 * ListLeadsInput.parse({});
 */
export const ListLeadsInput = z.strictObject({});
/** What `ListLeads` takes. */
export type ListLeadsInput = z.output<typeof ListLeadsInput>;

/**
 * Input of `GetLead` (Obter o cliente potencial): the lead's Intercom id.
 *
 * @example
 * GetLeadInput.parse({ contact_id: "6762f0a51bb69f9f2193bb5c" });
 */
export const GetLeadInput = z.strictObject({ contact_id: IdField });
/** What `GetLead` takes. */
export type GetLeadInput = z.output<typeof GetLeadInput>;

/**
 * Input of `GetUser` (Obter usuário): the user's Intercom id.
 *
 * @example
 * GetUserInput.parse({ user_id: "6762f0a51bb69f9f2193bb5c" });
 */
export const GetUserInput = z.strictObject({ user_id: IdField });
/** What `GetUser` takes. */
export type GetUserInput = z.output<typeof GetUserInput>;

/**
 * Input of every trigger: nothing (a trigger starts from "now" when enabled).
 *
 * @example
 * TriggerInput.parse({});
 */
export const TriggerInput = z.strictObject({});
/** What a trigger takes. */
export type TriggerInput = z.output<typeof TriggerInput>;
