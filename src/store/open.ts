import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StoreError } from "./errors.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import type { Store, StoreOptions } from "./store.js";

/**
 * Where the store lives when `DATABASE_URL` is not set (relative to the working directory).
 *
 * @example
 * parseDatabaseUrl(undefined).kind; // "sqlite", at DEFAULT_SQLITE_PATH
 */
export const DEFAULT_SQLITE_PATH = "./data/connector.db";

/**
 * Which database a `DATABASE_URL` names.
 *
 * @example
 * const location: DatabaseLocation = { kind: "sqlite", path: "/var/lib/connector/connector.db" };
 */
export type DatabaseLocation = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

/**
 * Reads a `DATABASE_URL`: `sqlite:///abs/file.db`, `sqlite:rel/file.db`, `file:///abs/file.db`,
 * `file:rel/file.db`, a plain path, or `:memory:` is SQLite; `postgres://` or `postgresql://` is
 * PostgreSQL; empty or absent is `./data/connector.db`. Other schemes are refused.
 *
 * @example
 * parseDatabaseUrl("sqlite:///srv/connector.db"); // { kind: "sqlite", path: "/srv/connector.db" }
 * parseDatabaseUrl(undefined); // { kind: "sqlite", path: "./data/connector.db" }
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseLocation {
  const value = url?.trim() ?? "";
  if (value === "") return { kind: "sqlite", path: DEFAULT_SQLITE_PATH };
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: "postgres", url: value };
  if (/^sqlite:/i.test(value)) return { kind: "sqlite", path: sqlitePath(value.slice("sqlite:".length), value) };
  if (/^file:\/\//i.test(value)) return { kind: "sqlite", path: fileURLToPath(value) };
  if (/^file:/i.test(value)) return { kind: "sqlite", path: sqlitePath(value.slice("file:".length), value) };
  // A scheme of two letters or more (one letter is a Windows drive: C:\data\x.db).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value);
  if (scheme !== null && value !== ":memory:") {
    throw new StoreError("unsupported_database", `DATABASE_URL scheme "${scheme[1]}:" is not supported: use sqlite:, file:, a path, or postgres://`);
  }
  return { kind: "sqlite", path: value };
}

/** `sqlite:///abs` → `/abs`; `sqlite://rel` and `sqlite:rel` → `rel`. */
function sqlitePath(rest: string, url: string): string {
  const path = rest.startsWith("//") ? rest.slice(2) : rest;
  const withoutQuery = path.split("?")[0] ?? "";
  if (withoutQuery === "") throw new StoreError("invalid_argument", `DATABASE_URL "${url}" names no file`);
  return decodeURIComponent(withoutQuery);
}

/**
 * Opens the store a `DATABASE_URL` names, migrated unless `migrate: false`: a `SqliteStore` (the
 * file's directory is created; the file, its `-wal` and `-shm` are 0600) or, for `postgres://` and `postgresql://`, a `PostgresStore` (the
 * URL's optional `schema` parameter is created if missing; `max` sizes the pool).
 *
 * @example
 * const store = await openStore(process.env.DATABASE_URL, { secretKey });
 * const shared = await openStore("postgres://connector@db:5432/connector?schema=intercom", { secretKey });
 */
export async function openStore(url: string | undefined, options: StoreOptions): Promise<Store> {
  const location = parseDatabaseUrl(url);
  if (location.kind === "postgres") return PostgresStore.open(location.url, options);
  // Folders made here are the owner's only; existing ones are left as they are (their files are 0600).
  if (location.path !== ":memory:") mkdirSync(dirname(resolve(location.path)), { recursive: true, mode: 0o700 });
  return SqliteStore.open(location.path, options);
}
