/**
 * Why a store operation failed, in words callers can branch on.
 *
 * @example
 * const code: StoreErrorCode = "not_found";
 */
export type StoreErrorCode =
  | "not_found"
  | "invalid_argument"
  | "unsupported_database"
  | "schema_too_new"
  | "decryption_failed"
  | "invalid_secret_key"
  | "wrong_secret_key";

/**
 * A store failure with a stable code, for the faces to map (`not_found` to 404, the rest to 500
 * or a startup message). Database driver errors that are bugs or outages are not wrapped.
 *
 * @example
 * throw new StoreError("unsupported_database", `DATABASE_URL scheme "mysql:" is not supported`);
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
  }
}

/**
 * Whether `error` is a `StoreError`, optionally with a given code.
 *
 * @example
 * if (isStoreError(error, "not_found")) return reply.code(404).send();
 */
export function isStoreError(error: unknown, code?: StoreErrorCode): error is StoreError {
  return error instanceof StoreError && (code === undefined || error.code === code);
}
