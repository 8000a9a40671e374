import { IntercomApiError } from "./errors.js";

/** The largest page Intercom serves. */
export const MAX_PER_PAGE = 150;
/** The page size when none is asked for. */
export const DEFAULT_PER_PAGE = 50;

/**
 * Reads `per_page` (a query string or a JSON body value): an integer from 1 to 150.
 *
 * @example
 * parsePerPage("20", "per_page"); // 20
 */
export function parsePerPage(raw: unknown, field: string): number {
  if (raw === undefined || raw === null || raw === "") return DEFAULT_PER_PAGE;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PER_PAGE) {
    throw new IntercomApiError(400, "parameter_invalid", `${field} must be an integer between 1 and ${MAX_PER_PAGE}`, { field });
  }
  return n;
}

/** A position in a list ordered by (sort value, id). */
export interface CursorPosition {
  /** The sort value of the last item served. */
  v: number | string | boolean | null;
  /** The id of the last item served. */
  id: string;
  /** How many items were served before (for `pages.page`). */
  n: number;
}

/**
 * Encodes a list position as an opaque `starting_after` string.
 *
 * @example
 * const cursor = encodeCursor({ v: 10, id: "a", n: 50 });
 * decodeCursor(cursor, "starting_after").id; // "a"
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

/** Decodes a `starting_after` value; a malformed one is a 400 naming `field`. */
export function decodeCursor(raw: unknown, field: string): CursorPosition {
  const invalid = new IntercomApiError(400, "parameter_invalid", `${field} is not a valid cursor`, { field });
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  if (typeof parsed !== "object" || parsed === null) throw invalid;
  const p = parsed as Record<string, unknown>;
  const v = p.v;
  const okValue = v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean";
  if (!okValue || typeof p.id !== "string" || typeof p.n !== "number" || !Number.isInteger(p.n) || p.n < 0) throw invalid;
  return { v: v, id: p.id, n: p.n };
}

/**
 * The `pages` object of a cursor-paged list (`cursor_pages`), with `next` when more follow.
 *
 * @example
 * cursorPages({ served: 0, perPage: 50, total: 120, nextCursor: "abc" });
 */
export function cursorPages(args: { served: number; perPage: number; total: number; nextCursor: string | null }): Record<string, unknown> {
  const pages: Record<string, unknown> = {
    type: "pages",
    page: Math.floor(args.served / args.perPage) + 1,
    per_page: args.perPage,
    total_pages: Math.ceil(args.total / args.perPage),
  };
  if (args.nextCursor !== null) pages.next = { per_page: args.perPage, starting_after: args.nextCursor };
  return pages;
}
