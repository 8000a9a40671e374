import type { z } from "zod";
import { CATALOGUE_OPERATIONS } from "./catalogue/index.js";
import { defineOperation, type OperationKind } from "./define-operation.js";
import { CreateLeadInput, CreateUserInput, GetLeadInput, GetUserInput, ListLeadsInput, TriggerInput } from "./inputs.js";
import {
  Lead_Response,
  ListLeads_Response,
  TrigConversation_Response,
  TrigLead_Response,
  TrigUser_Response,
  User_Response,
} from "./outputs.js";

/**
 * The contract's operations by id: the seed's five actions and four triggers (spec/operations.md),
 * then the catalogue's (src/contract/catalogue/: one file per area).
 *
 * @example
 * const { input, output } = OPERATIONS.CreateUser;
 * input.safeParse({ email: "ada@example.com" }).success; // true
 */
export const OPERATIONS = {
  CreateUser: defineOperation({
    id: "CreateUser",
    kind: "action",
    summary: "Create or update a user",
    seedName: "Criar ou atualizar usuário",
    description: "Creates a user in your Intercom workspace. A user found by email is updated.",
    input: CreateUserInput,
    output: User_Response,
    outputName: "User_Response",
  }),
  CreateLead: defineOperation({
    id: "CreateLead",
    kind: "action",
    summary: "Create a new lead",
    seedName: "Criar um novo cliente potencial",
    description: "Creates a new lead in your Intercom workspace.",
    input: CreateLeadInput,
    output: Lead_Response,
    outputName: "Lead_Response",
  }),
  ListLeads: defineOperation({
    id: "ListLeads",
    kind: "action",
    summary: "List all leads",
    seedName: "Listar todos os clientes potenciais",
    description: "Returns every lead of your Intercom workspace.",
    input: ListLeadsInput,
    output: ListLeads_Response,
    outputName: "ListLeads_Response",
  }),
  GetLead: defineOperation({
    id: "GetLead",
    kind: "action",
    summary: "Get a lead",
    seedName: "Obter o cliente potencial",
    description: "Given the id of an existing lead, returns everything about that lead.",
    input: GetLeadInput,
    output: Lead_Response,
    outputName: "Lead_Response",
  }),
  GetUser: defineOperation({
    id: "GetUser",
    kind: "action",
    summary: "Get a user",
    seedName: "Obter usuário",
    description: "Given the id of an existing user, returns everything about that user.",
    input: GetUserInput,
    output: User_Response,
    outputName: "User_Response",
  }),
  TrigNewLead: defineOperation({
    id: "TrigNewLead",
    kind: "trigger",
    summary: "When a lead is created",
    seedName: "Quando um cliente potencial é criado",
    description: "Fires once for each new lead.",
    input: TriggerInput,
    output: TrigLead_Response,
    outputName: "TrigLead_Response",
  }),
  TrigNewUser: defineOperation({
    id: "TrigNewUser",
    kind: "trigger",
    summary: "When a user is created",
    seedName: "Quando um usuário é criado",
    description: "Fires once for each new user.",
    input: TriggerInput,
    output: TrigUser_Response,
    outputName: "TrigUser_Response",
  }),
  TrigUpdateUser: defineOperation({
    id: "TrigUpdateUser",
    kind: "trigger",
    summary: "When a user is updated",
    seedName: "Quando um usuário é atualizado",
    description: "Fires once for each change of an existing user.",
    input: TriggerInput,
    output: TrigUser_Response,
    outputName: "TrigUser_Response",
  }),
  TrigNewConversation: defineOperation({
    id: "TrigNewConversation",
    kind: "trigger",
    summary: "When a new conversation is started",
    seedName: "Quando uma nova conversa é iniciada",
    description: "Fires once for each conversation a user or lead starts.",
    input: TriggerInput,
    output: TrigConversation_Response,
    outputName: "TrigConversation_Response",
  }),
  ...CATALOGUE_OPERATIONS,
} as const;

/** The id of any operation. */
export type OperationId = keyof typeof OPERATIONS;

/** The ids of the operations of one kind. */
export type OperationIdOfKind<K extends OperationKind> = {
  [Id in OperationId]: (typeof OPERATIONS)[Id]["kind"] extends K ? Id : never;
}[OperationId];

/** The id of an action. */
export type ActionId = OperationIdOfKind<"action">;
/** The id of a trigger. */
export type TriggerId = OperationIdOfKind<"trigger">;

/** What an operation takes, after validation. */
export type OperationInput<Id extends OperationId> = z.output<(typeof OPERATIONS)[Id]["input"]>;
/** What an operation returns (an action) or emits (a trigger). */
export type OperationOutput<Id extends OperationId> = z.output<(typeof OPERATIONS)[Id]["output"]>;

/**
 * The ids of the operations of one kind, in the contract's order.
 *
 * @example
 * operationIds("action"); // ["CreateUser", "CreateLead", "ListLeads", "GetLead", "GetUser"]
 */
export function operationIds<K extends OperationKind>(kind: K): Array<OperationIdOfKind<K>> {
  return (Object.keys(OPERATIONS) as OperationId[]).filter((id): id is OperationIdOfKind<K> => OPERATIONS[id].kind === kind);
}
