import pg, { DatabaseError, type PoolClient } from "pg";
import { StoreError } from "../errors.js";

/**
 * A pool of connections to one PostgreSQL database (node-postgres'), every connection on the
 * store's schema.
 *
 * @example
 * const pool: PostgresPool = openPostgresPool(parsePostgresUrl("postgres://db/connector"));
 */
export type PostgresPool = pg.Pool;

/**
 * What runs a query: the pool (each query on any free connection, autocommitted) or one
 * checked-out connection (inside a transaction).
 *
 * @example
 * async function count(db: Queryable): Promise<number> { return (await db.query("SELECT 1")).rowCount ?? 0; }
 */
export type Queryable = pg.Pool | PoolClient;

/**
 * How many connections a store's pool opens at most, unless the URL's `max` says otherwise.
 *
 * @example
 * parsePostgresUrl("postgres://db/c").max === DEFAULT_POOL_MAX; // true
 */
export const DEFAULT_POOL_MAX = 10;

/** A schema name we accept: lower-case, unquoted-identifier safe, within PostgreSQL's 63 bytes. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A PostgreSQL `DATABASE_URL` taken apart: what node-postgres gets, and the store's own
 * parameters (`schema`, `max`) that it must not see.
 *
 * @example
 * const location: PostgresLocation = { connectionString: "postgres://db/c", schema: "tenant_a", max: 10, options: null };
 */
export interface PostgresLocation {
  /** The URL without `schema`, `max` and `options`. */
  connectionString: string;
  /** The schema every connection works in (`search_path`), created if missing; `null`: the server's default. */
  schema: string | null;
  max: number;
  /** The URL's own `options` (server settings), kept so that `schema` adds to them. */
  options: string | null;
}

/**
 * Reads a `postgres://` or `postgresql://` URL. The optional query parameters `schema` (a name
 * matching `[a-z_][a-z0-9_]{0,62}`, not starting with `pg_`) and `max` (pool size, default
 * {@link DEFAULT_POOL_MAX}) are the store's; the rest (`sslmode`, `application_name`…) go to the
 * driver. Throws `StoreError` `invalid_argument` for a bad value, never echoing the URL (it may
 * hold a password).
 *
 * @example
 * parsePostgresUrl("postgres://u@db:5432/c?schema=tenant_a&sslmode=require");
 * // { connectionString: "postgres://u@db:5432/c?sslmode=require", schema: "tenant_a", max: 10, options: null }
 */
export function parsePostgresUrl(url: string): PostgresLocation {
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new StoreError("invalid_argument", "a PostgreSQL URL starts with postgres:// or postgresql://");
  // The query string is edited on its own: the authority (user, password, hosts) stays byte for byte.
  const queryStart = url.indexOf("?");
  const base = queryStart === -1 ? url : url.slice(0, queryStart);
  const params = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));

  const schema = params.get("schema");
  if (schema !== null && (!SCHEMA_NAME.test(schema) || schema.startsWith("pg_"))) {
    throw new StoreError("invalid_argument", `DATABASE_URL schema "${schema}" is not a valid schema name: use [a-z_][a-z0-9_]{0,62}, not starting with pg_`);
  }
  const maxText = params.get("max");
  const max = maxText === null ? DEFAULT_POOL_MAX : Number(maxText);
  if (!Number.isSafeInteger(max) || max <= 0) throw new StoreError("invalid_argument", "DATABASE_URL max (the pool size) must be a positive integer");
  const options = params.get("options");
  for (const name of ["schema", "max", "options"]) params.delete(name);

  const rest = params.toString();
  return { connectionString: rest === "" ? base : `${base}?${rest}`, schema, max, options };
}

/** PostgreSQL's type id of BIGINT (int8), which node-postgres returns as a string by default. */
const INT8_OID = 20;

/**
 * Opens a pool on `location`. BIGINT columns (epoch milliseconds, outbox ids, counts) come back as
 * numbers: the parser is set on this pool only, so other users of `pg` in the process keep theirs.
 * With a schema, every connection starts with `search_path` set to it, as the `options` startup
 * parameter (behind a pooler such as PgBouncer, the pooler must accept that parameter).
 *
 * @example
 * const pool = openPostgresPool(parsePostgresUrl("postgres://postgres@127.0.0.1/test?schema=icc"));
 * await pool.end();
 */
export function openPostgresPool(location: PostgresLocation): PostgresPool {
  const types = new pg.TypeOverrides();
  // Every BIGINT the store reads is far below 2^53 (milliseconds until year 287396, row counts).
  types.setTypeParser(INT8_OID, (text: string) => Number(text));
  const options = [location.options, location.schema === null ? null : `-c search_path=${location.schema}`].filter((o) => o !== null).join(" ");
  const pool = new pg.Pool({
    connectionString: location.connectionString,
    max: location.max,
    types,
    ...(options === "" ? {} : { options }),
  });
  // An idle connection the server drops (restart, idle timeout) is reported here and removed from
  // the pool; the next query opens a new one. Unhandled, the event would kill the process.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * Creates `schema` unless it exists. Concurrent first starts queue on an advisory lock on the
 * name, so they do not race on the catalog; an existing schema needs no CREATE privilege.
 *
 * @example
 * await ensureSchema(pool, "tenant_a");
 */
export async function ensureSchema(pool: PostgresPool, schema: string): Promise<void> {
  const exists = async (db: Queryable): Promise<boolean> => ((await db.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount ?? 0) > 0;
  if (await exists(pool)) return;
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`intercom-connector:schema:${schema}`]);
    // The name was validated, and quoting keeps it exactly as given.
    if (!(await exists(client))) await client.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
  });
}

/**
 * Runs `fn` in a transaction on one connection of the pool: committed if `fn` resolves, rolled
 * back if it throws. The connection always goes back to the pool, or is destroyed when it broke
 * (a failed ROLLBACK) so that no later caller inherits a half-open transaction.
 *
 * @example
 * const id = await transaction(pool, async (client) => (await client.query("INSERT ... RETURNING id")).rows[0]);
 */
export async function transaction<T>(pool: PostgresPool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Whether `error` is PostgreSQL's error with SQLSTATE `code` (e.g. `23505`, unique violation).
 *
 * @example
 * if (hasSqlState(error, UNIQUE_VIOLATION)) throw new StoreError("invalid_argument", "taken");
 */
export function hasSqlState(error: unknown, code: string): boolean {
  return error instanceof DatabaseError && error.code === code;
}

/**
 * SQLSTATE of a unique or primary key violation.
 *
 * @example
 * hasSqlState(error, UNIQUE_VIOLATION);
 */
export const UNIQUE_VIOLATION = "23505";

/**
 * SQLSTATE of a foreign key violation (the referenced row does not exist).
 *
 * @example
 * hasSqlState(error, FOREIGN_KEY_VIOLATION);
 */
export const FOREIGN_KEY_VIOLATION = "23503";
