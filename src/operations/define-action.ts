import {
  OPERATIONS,
  parseInput,
  type ActionId,
  type ConnectorError,
  type OperationInput,
  type Result,
} from "../contract/index.js";
import type { IntercomTransport } from "../intercom/index.js";

/**
 * An action ready to run: its contract entry and a `run` that validates before it calls Intercom.
 *
 * @example
 * const result = await ACTIONS.GetLead.run(intercom, JSON.parse(body));
 * reply.status(result.ok ? 200 : result.error.status).send(result.ok ? result.value : result.error);
 */
export interface Action<Id extends ActionId, Output> {
  readonly id: Id;
  /** The contract's entry: summary, input and output schemas. */
  readonly definition: (typeof OPERATIONS)[Id];
  /**
   * Validates `input` against the contract, then runs. Invalid input is an `invalid_input` error
   * naming the field, and nothing is sent to Intercom.
   */
  run(intercom: IntercomTransport, input: unknown): Promise<Result<Output, ConnectorError>>;
  /** Runs with input already parsed by `definition.input` (the runtime parses once, then spends, then executes). */
  execute(intercom: IntercomTransport, input: OperationInput<Id>): Promise<Result<Output, ConnectorError>>;
}

/** What an action is made of: its id in the contract and what it does with valid input. */
export interface ActionSpec<Id extends ActionId, Output> {
  readonly id: Id;
  /** Runs with input the contract has already validated. */
  execute(intercom: IntercomTransport, input: OperationInput<Id>): Promise<Result<Output, ConnectorError>>;
}

/**
 * Builds an action from its contract entry: the input schema comes from the registry, so
 * validation, types and OpenAPI cannot drift apart.
 *
 * @example
 * export const getUser = defineAction({
 *   id: "GetUser",
 *   async execute(intercom, input) { … return ok(mapUser(contact)); },
 * });
 * const result = await getUser.run(intercom, { user_id: "6762f0a51bb69f9f2193bb5c" });
 */
export function defineAction<Id extends ActionId, Output>(spec: ActionSpec<Id, Output>): Action<Id, Output> {
  const definition = OPERATIONS[spec.id];
  return Object.freeze({
    id: spec.id,
    definition,
    async run(intercom: IntercomTransport, input: unknown): Promise<Result<Output, ConnectorError>> {
      const parsed = parseInput(definition.input, input);
      if (!parsed.ok) return parsed;
      return spec.execute(intercom, parsed.value as OperationInput<Id>);
    },
    execute: (intercom: IntercomTransport, input: OperationInput<Id>) => spec.execute(intercom, input),
  });
}
