import { err, isConnectorError, ok, unwrap, type ActionId, type ConnectorError, type Result } from "../../contract/index.js";
import type { IntercomTransport } from "../../intercom/index.js";
import { defineConversationAttribute } from "../../emulator/attributes/conversation.js";
import { defineCustomAttribute } from "../../emulator/attributes/custom.js";
import { ticketsOf } from "../../emulator/ticket-store.js";
import { createTicket as storeTicket } from "../../emulator/ticket-writes.js";
import type { ConnectedEmulator } from "../../intercom/testing/emulator.js";
import { ACTIONS } from "../actions.js";

// How many Intercom calls each action spends in a typical case, and the fewest it could: the
// table of BENCHMARKS.md (`npm run bench:connector`) and a test that keeps each at its fewest.

/** The ids a scenario's setup made, for its measured call to name. */
export interface Fixture {
  leadId: string;
  userId: string;
  /** Intercom's id of the company `acme` (company_id "acme"), attached to the user. */
  companyId: string;
  tagId: string;
  /** A conversation the user started, and the admin who acts on it (the token's owner). */
  conversationId: string;
  adminId: string;
  /** A ticket type with the built-in attributes, and a ticket of it for the user (made in the emulator: no call, nothing remembered). */
  ticketTypeId: string;
  ticketId: string;
}

/**
 * One measured call: the action, its case, its input (from the fixture), and the fewest Intercom
 * calls it could take with why.
 *
 * @example
 * const scenario: CallScenario = { id: "GetUser", case: "by id", fewest: 1, why: "GET /contacts/{id}", input: (f) => ({ user_id: f.userId }) };
 */
export interface CallScenario {
  readonly id: ActionId;
  readonly case: string;
  readonly fewest: number;
  readonly why: string;
  /** Runs before the measured call (its calls are not counted). */
  readonly before?: (c: ConnectedEmulator, f: Fixture) => Promise<void>;
  readonly input: (f: Fixture) => unknown;
}

/**
 * Runs an action to the end (a stream drained), throwing on a failure.
 *
 * @example
 * const user = await runAction(c, "GetUser", { user_id: fixture.userId });
 */
export async function runAction(c: ConnectedEmulator, id: ActionId, input: unknown): Promise<unknown> {
  return unwrap(await tryAction(c.intercom, id, input));
}

/**
 * Runs an action on a transport and answers its result, a stream drained (its first failure
 * thrown as the error it carries).
 *
 * @example
 * const result = await tryAction(c.transport({ maxRetries: 0 }), "GetUser", { user_id });
 */
export async function tryAction(intercom: IntercomTransport, id: ActionId, input: unknown): Promise<Result<unknown, ConnectorError>> {
  const action = ACTIONS[id] as unknown as { run(intercom: IntercomTransport, input: unknown): Promise<Result<unknown, ConnectorError>> };
  const result = await action.run(intercom, input);
  if (!result.ok) return result;
  const value = result.value;
  if (typeof value === "object" && value !== null && Symbol.asyncIterator in value) {
    const items: unknown[] = [];
    try {
      for await (const item of value as AsyncIterable<unknown>) items.push(item);
    } catch (error) {
      if (isConnectorError(error)) return err(error);
      throw error;
    }
    return ok(items);
  }
  return result;
}

/**
 * A workspace with a lead, a user of company `acme`, a tag `vip` and the contact data attributes
 * `plan` and `seats`, made through the actions themselves.
 *
 * @example
 * const fixture = await makeFixture(c);
 */
export async function makeFixture(c: ConnectedEmulator): Promise<Fixture> {
  defineCustomAttribute(c.em.workspace, { name: "plan", model: "contact", data_type: "string" });
  defineCustomAttribute(c.em.workspace, { name: "seats", model: "contact", data_type: "integer" });
  const company = (await runAction(c, "CreateOrUpdateCompany", { company_id: "acme", name: "Acme" })) as { id: string };
  const user = (await runAction(c, "CreateUser", { email: "ada@example.com", name: "Ada", companies: "acme" })) as { id: string };
  const lead = (await runAction(c, "CreateLead", { email: "lead@example.com" })) as { id: string };
  const tag = (await runAction(c, "CreateTag", { name: "vip" })) as { id: string };
  const message = (await runAction(c, "CreateConversation", { contact_id: user.id, body: "My invoice is wrong" })) as { conversation_id: string };
  defineConversationAttribute(c.em.workspace, { name: "issue_type", data_type: "string", options: null });
  const ws = c.em.workspace;
  const ticketType = ticketsOf(ws).createType({ name: "Billing issue" });
  const owner = ws.admins.get(ws.ownerAdminId);
  const userRecord = ws.contacts.get(user.id);
  if (owner === undefined || userRecord === undefined) throw new Error("fixture: no owner or user");
  const ticket = storeTicket(ws, { type: ticketType, contacts: [userRecord], attributes: {}, companyId: null, createdAt: ws.clock.now(), admin: null, team: null, linkedConversationId: null, author: owner });
  return {
    leadId: lead.id, userId: user.id, companyId: company.id, tagId: tag.id, conversationId: message.conversation_id, adminId: ws.ownerAdminId, ticketTypeId: ticketType.id, ticketId: ticket.id,
  };
}

/**
 * Every scenario, in the catalogue's order.
 *
 * @example
 * for (const scenario of CALL_SCENARIOS) console.log(scenario.id, scenario.fewest);
 */
export const CALL_SCENARIOS: readonly CallScenario[] = [
  { id: "CreateUser", case: "new email", fewest: 1, why: "POST /contacts", input: () => ({ email: "new@example.com" }) },
  { id: "CreateUser", case: "existing email", fewest: 2, why: "POST /contacts answers 409 naming the user; PUT /contacts/{id}", input: () => ({ email: "ada@example.com", name: "Ada L" }) },
  { id: "CreateUser", case: "new email, with a company", fewest: 3, why: "GET /companies?company_id=, POST /contacts, POST /contacts/{id}/companies", input: () => ({ email: "new@example.com", companies: "acme" }) },
  { id: "CreateUser", case: "new email, with custom attributes (first write of the connection)", fewest: 2, why: "GET /data_attributes (then remembered 5 min), POST /contacts", input: () => ({ email: "new@example.com", custom_attributes: { plan: "pro" } }) },
  {
    id: "CreateUser",
    case: "new email, with custom attributes (data attributes remembered)",
    fewest: 1,
    why: "POST /contacts",
    before: async (c) => void (await runAction(c, "CreateUser", { email: "earlier@example.com", custom_attributes: { seats: 1 } })),
    input: () => ({ email: "new@example.com", custom_attributes: { plan: "pro" } }),
  },
  { id: "CreateLead", case: "new lead", fewest: 1, why: "POST /contacts", input: () => ({ email: "new-lead@example.com" }) },
  { id: "ListLeads", case: "one page of leads", fewest: 1, why: "POST /contacts/search (role = lead)", input: () => ({}) },
  { id: "GetLead", case: "by id", fewest: 1, why: "GET /contacts/{id}", input: (f) => ({ contact_id: f.leadId }) },
  { id: "GetUser", case: "by id", fewest: 1, why: "GET /contacts/{id}", input: (f) => ({ user_id: f.userId }) },
  { id: "UpdateContact", case: "one attribute", fewest: 1, why: "PUT /contacts/{id}", input: (f) => ({ contact_id: f.userId, name: "Ada Lovelace" }) },
  { id: "DeleteContact", case: "by id", fewest: 1, why: "DELETE /contacts/{id}", input: (f) => ({ contact_id: f.leadId }) },
  { id: "ArchiveContact", case: "by id", fewest: 1, why: "POST /contacts/{id}/archive", input: (f) => ({ contact_id: f.leadId }) },
  {
    id: "UnarchiveContact",
    case: "an archived contact",
    fewest: 1,
    why: "POST /contacts/{id}/unarchive",
    before: async (c, f) => void (await runAction(c, "ArchiveContact", { contact_id: f.leadId })),
    input: (f) => ({ contact_id: f.leadId }),
  },
  {
    id: "FindContactByExternalId",
    case: "a user with an external id",
    fewest: 1,
    why: "GET /contacts/find_by_external_id/{id}",
    before: async (c, f) => void (await runAction(c, "UpdateContact", { contact_id: f.userId, external_id: "crm-42" })),
    input: () => ({ external_id: "crm-42" }),
  },
  { id: "FindContactByEmail", case: "an existing user", fewest: 1, why: "POST /contacts/search (email =)", input: () => ({ email: "ada@example.com" }) },
  { id: "ConvertLead", case: "a lead into a user", fewest: 1, why: "POST /contacts/merge", input: (f) => ({ from: f.leadId, into: f.userId }) },
  { id: "SearchContacts", case: "one page of matches", fewest: 1, why: "POST /contacts/search", input: () => ({ query: { field: "email", operator: "~", value: "example.com" } }) },
  { id: "ListUsers", case: "one page of users", fewest: 1, why: "POST /contacts/search (role = user)", input: () => ({}) },
  { id: "CreateOrUpdateCompany", case: "by company_id", fewest: 1, why: "POST /companies", input: () => ({ company_id: "globex", name: "Globex" }) },
  { id: "GetCompany", case: "by Intercom id", fewest: 1, why: "GET /companies/{id}", input: (f) => ({ id: f.companyId }) },
  { id: "FindCompany", case: "by company_id", fewest: 1, why: "GET /companies?company_id=", input: () => ({ company_id: "acme" }) },
  { id: "ListCompanies", case: "every company (one page)", fewest: 2, why: "GET /companies/scroll, then the empty page that ends the scroll", input: () => ({}) },
  {
    id: "AttachContactToCompany",
    case: "a company of the workspace",
    fewest: 1,
    why: "POST /contacts/{id}/companies",
    input: (f) => ({ contact_id: f.leadId, id: f.companyId }),
  },
  { id: "DetachContactFromCompany", case: "an attached company", fewest: 1, why: "DELETE /contacts/{id}/companies/{company_id}", input: (f) => ({ contact_id: f.userId, id: f.companyId }) },
  { id: "ListTags", case: "every tag", fewest: 1, why: "GET /tags (not paged)", input: () => ({}) },
  { id: "CreateTag", case: "a new name", fewest: 1, why: "POST /tags", input: () => ({ name: "churn-risk" }) },
  { id: "TagContact", case: "by ids", fewest: 1, why: "POST /contacts/{id}/tags", input: (f) => ({ contact_id: f.userId, tag_id: f.tagId }) },
  {
    id: "UntagContact",
    case: "a tagged contact",
    fewest: 1,
    why: "DELETE /contacts/{id}/tags/{tag_id}",
    before: async (c, f) => void (await runAction(c, "TagContact", { contact_id: f.userId, tag_id: f.tagId })),
    input: (f) => ({ contact_id: f.userId, tag_id: f.tagId }),
  },
  { id: "TagCompany", case: "by tag name", fewest: 1, why: "POST /tags (with companies)", input: (f) => ({ name: "vip", id: f.companyId }) },
  {
    id: "UntagCompany",
    case: "a tagged company",
    fewest: 1,
    why: "POST /tags (with companies, untag: true)",
    before: async (c, f) => void (await runAction(c, "TagCompany", { name: "vip", id: f.companyId })),
    input: (f) => ({ name: "vip", id: f.companyId }),
  },
  { id: "AddNoteToContact", case: "plain text", fewest: 1, why: "POST /contacts/{id}/notes", input: (f) => ({ contact_id: f.userId, body: "Called about the renewal" }) },
  { id: "ListNotes", case: "one page of notes", fewest: 1, why: "GET /contacts/{id}/notes", input: (f) => ({ contact_id: f.userId }) },
  { id: "SubmitEvent", case: "with metadata", fewest: 1, why: "POST /events", input: () => ({ event_name: "invited-friend", email: "ada@example.com", metadata: { invitee: "grace@example.com" } }) },
  { id: "ListAdmins", case: "every admin", fewest: 1, why: "GET /admins (not paged)", input: () => ({}) },
  { id: "ListTeams", case: "every team", fewest: 1, why: "GET /teams (not paged)", input: () => ({}) },
  { id: "ListDataAttributes", case: "contact attributes", fewest: 1, why: "GET /data_attributes (not paged)", input: () => ({ model: "contact" }) },
  { id: "CreateDataAttribute", case: "a new attribute", fewest: 1, why: "POST /data_attributes", input: () => ({ name: "region_code", model: "contact", data_type: "string" }) },
  { id: "SendRequest", case: "GET /me", fewest: 1, why: "the request itself", input: () => ({ method: "GET", path: "/me" }) },
  { id: "GetConversation", case: "by id, with its parts", fewest: 1, why: "GET /conversations/{id}", input: (f) => ({ conversation_id: f.conversationId }) },
  { id: "ReplyToConversation", case: "an admin's comment", fewest: 1, why: "POST /conversations/{id}/reply", input: (f) => ({ conversation_id: f.conversationId, admin_id: f.adminId, body: "On it" }) },
  { id: "AssignConversation", case: "to an admin", fewest: 1, why: "POST /conversations/{id}/parts (assignment)", input: (f) => ({ conversation_id: f.conversationId, admin_id: f.adminId, assignee_type: "admin", assignee_id: f.adminId }) },
  { id: "CloseConversation", case: "with a message", fewest: 1, why: "POST /conversations/{id}/parts (close)", input: (f) => ({ conversation_id: f.conversationId, admin_id: f.adminId, body: "Solved" }) },
  {
    id: "OpenConversation",
    case: "a closed conversation",
    fewest: 1,
    why: "POST /conversations/{id}/parts (open)",
    before: async (c, f) => void (await runAction(c, "CloseConversation", { conversation_id: f.conversationId, admin_id: f.adminId })),
    input: (f) => ({ conversation_id: f.conversationId, admin_id: f.adminId }),
  },
  {
    id: "SnoozeConversation",
    case: "for a day",
    fewest: 1,
    why: "POST /conversations/{id}/parts (snoozed)",
    input: (f) => ({ conversation_id: f.conversationId, admin_id: f.adminId, snoozed_until: Math.floor(Date.now() / 1000) + 86_400 }),
  },
  { id: "TagConversation", case: "by ids", fewest: 1, why: "POST /conversations/{id}/tags", input: (f) => ({ conversation_id: f.conversationId, tag_id: f.tagId, admin_id: f.adminId }) },
  {
    id: "UntagConversation",
    case: "a tagged conversation",
    fewest: 1,
    why: "DELETE /conversations/{id}/tags/{tag_id}",
    before: async (c, f) => void (await runAction(c, "TagConversation", { conversation_id: f.conversationId, tag_id: f.tagId, admin_id: f.adminId })),
    input: (f) => ({ conversation_id: f.conversationId, tag_id: f.tagId, admin_id: f.adminId }),
  },
  { id: "SetConversationAttributes", case: "one attribute", fewest: 1, why: "PUT /conversations/{id}", input: (f) => ({ conversation_id: f.conversationId, custom_attributes: { issue_type: "Billing" } }) },
  { id: "CreateConversation", case: "as a user", fewest: 1, why: "POST /conversations", input: (f) => ({ contact_id: f.userId, body: "Another question" }) },
  { id: "SendMessage", case: "in-app to a user", fewest: 1, why: "POST /messages", input: (f) => ({ admin_id: f.adminId, contact_id: f.userId, contact_role: "user", message_type: "inapp", body: "Welcome" }) },
  { id: "SearchConversations", case: "one page of matches", fewest: 1, why: "POST /conversations/search", input: () => ({ query: { field: "state", operator: "=", value: "open" } }) },
  { id: "ListTicketTypes", case: "every ticket type", fewest: 1, why: "GET /ticket_types (not paged)", input: () => ({}) },
  {
    id: "CreateTicket",
    case: "first of its type for the connection",
    fewest: 2,
    why: "GET /ticket_types/{id} (then remembered 5 min), POST /tickets",
    input: (f) => ({ ticket_type_id: f.ticketTypeId, contact_id: f.userId, ticket_attributes: { _default_title_: "Invoice is wrong" } }),
  },
  {
    id: "CreateTicket",
    case: "ticket type remembered",
    fewest: 1,
    why: "POST /tickets",
    before: async (c, f) => void (await runAction(c, "CreateTicket", { ticket_type_id: f.ticketTypeId, contact_id: f.userId })),
    input: (f) => ({ ticket_type_id: f.ticketTypeId, contact_id: f.userId, ticket_attributes: { _default_title_: "Invoice is wrong" } }),
  },
  { id: "GetTicket", case: "by id", fewest: 1, why: "GET /tickets/{id}", input: (f) => ({ ticket_id: f.ticketId }) },
  { id: "UpdateTicket", case: "assign to an admin", fewest: 1, why: "PUT /tickets/{id}", input: (f) => ({ ticket_id: f.ticketId, assignee_id: f.adminId, admin_id: f.adminId }) },
  {
    id: "UpdateTicket",
    case: "state by category",
    fewest: 2,
    why: "GET /tickets/{id} (its type's states), PUT /tickets/{id}",
    input: (f) => ({ ticket_id: f.ticketId, state: "in_progress" }),
  },
  { id: "ReplyToTicket", case: "an admin's note", fewest: 1, why: "POST /tickets/{id}/reply", input: (f) => ({ ticket_id: f.ticketId, admin_id: f.adminId, message_type: "note", body: "Refund approved" }) },
  { id: "SearchTickets", case: "one page of matches", fewest: 1, why: "POST /tickets/search", input: () => ({ query: { field: "state", operator: "=", value: "submitted" } }) },
];
