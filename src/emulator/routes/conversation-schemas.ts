import { z } from "zod";

/**
 * A required enum, literal or union whose absence parseBody reports as `parameter_not_found`:
 * zod reports a missing one as an invalid value, not as a missing field.
 *
 * @example
 * const body = z.strictObject({ type: present(z.enum(["admin", "team"])) });
 */
export function present<T extends z.ZodType>(schema: T): z.ZodPipe<z.ZodAny, T> {
  return z
    .any()
    .superRefine((value, ctx) => {
      if (value === undefined) ctx.addIssue({ code: "invalid_type", expected: "nonoptional", input: value, message: "Required" });
    })
    .pipe(schema);
}

/** An admin id: strings in the description, numbers in some of its examples and in the SDK's `from`. */
export const adminId = present(z.union([z.string().regex(/^\d+$/, "must be an admin id"), z.number().int().nonnegative()]).transform(String));
