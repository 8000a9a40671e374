import type { z } from "zod";

/**
 * Whether an operation is called (action) or polled/subscribed to (trigger).
 *
 * @example
 * const kind: OperationKind = "action";
 */
export type OperationKind = "action" | "trigger";

/**
 * One operation of the contract: the single source for validation, types and OpenAPI.
 *
 * @example
 * const { summary, input } = OPERATIONS.GetLead satisfies OperationDefinition;
 */
export interface OperationDefinition<
  Id extends string = string,
  Kind extends OperationKind = OperationKind,
  Input extends z.ZodType = z.ZodType,
  Output extends z.ZodType = z.ZodType,
> {
  /** The original connector's operation id. */
  readonly id: Id;
  readonly kind: Kind;
  /** English summary. */
  readonly summary: string;
  /** The seed's (Portuguese) name of the operation; empty for operations the seed did not have. */
  readonly seedName: string;
  /** English description. */
  readonly description: string;
  readonly input: Input;
  /** What the action returns, or what each trigger event carries. */
  readonly output: Output;
  /** The name of the output shape in the seed (`User_Response`, ...). */
  readonly outputName: string;
}

/**
 * Freezes one operation's contract entry; every catalogue file builds its entries with it.
 *
 * @example
 * export const CONTACT_OPERATIONS = {
 *   DeleteContact: defineOperation({ id: "DeleteContact", kind: "action", summary: "Delete a contact", seedName: "", description: "…", input, output, outputName: "DeletedContact" }),
 * } as const;
 */
export function defineOperation<Id extends string, Kind extends OperationKind, Input extends z.ZodType, Output extends z.ZodType>(
  definition: OperationDefinition<Id, Kind, Input, Output>,
): OperationDefinition<Id, Kind, Input, Output> {
  return Object.freeze(definition);
}

