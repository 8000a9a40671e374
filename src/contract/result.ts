/**
 * Expected failures are values, bugs throw: an operation returns a {@link Result} for what can go
 * wrong in normal use (bad input, unknown id, Intercom unavailable) and throws only on bugs.
 */

/** A success carrying its value. */
export interface Ok<T> {
  readonly ok: true;
  readonly value: T;
}

/** A failure carrying its error. */
export interface Err<E> {
  readonly ok: false;
  readonly error: E;
}

/**
 * Either a value or an error; test `ok` to tell which.
 *
 * @example
 * const r: Result<number, ConnectorError> = ok(1);
 * console.log(r.ok ? r.value : r.error.code);
 */
export type Result<T, E> = Ok<T> | Err<E>;

/**
 * Wraps a value as a success.
 *
 * @example
 * const r = ok(42);
 * if (r.ok) console.log(r.value); // 42
 */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/**
 * Wraps an error as a failure.
 *
 * @example
 * const r = err(new ConnectorError("not_found", { resource: "contact", id: "1" }));
 * if (!r.ok) console.log(r.error.code); // "not_found"
 */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/**
 * The value of a success, or throws the failure's error (for callers that prefer exceptions,
 * such as the library face).
 *
 * @example
 * const user = unwrap(await getUser.run(transport, { user_id: "abc" }));
 */
export function unwrap<T, E extends Error>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw result.error;
}
