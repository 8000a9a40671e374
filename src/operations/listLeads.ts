import { z } from "zod";
import { connectorError, err, ok, parseInput, type ConnectorError, type Lead_Response, type Result } from "../contract/index.js";
import { MAX_PER_PAGE, type IntercomTransport, type SearchOptions, type SearchQuery } from "../intercom/index.js";
import { defineAction } from "./define-action.js";
import { mapLead } from "./mapping.js";

const LEADS: SearchQuery = { field: "role", operator: "=", value: "lead" };
// Oldest first: a stable order for a cursor walk.
const LEADS_ORDER: NonNullable<SearchOptions["sort"]> = { field: "created_at", order: "ascending" };
const CURSOR_PREFIX = "leads.";
const CURSOR_MAX = 4096;

/**
 * One page of leads and the cursor of the next (null on the last page).
 *
 * @example
 * const page = await listLeadsPage(intercom, { pageSize: 50 });
 * if (page.ok) console.log(page.value.items.length, page.value.nextCursor);
 */
export interface LeadsPage {
  items: Lead_Response[];
  nextCursor: string | null;
}

/** Where a page starts and how long it is. */
export interface LeadsPageRequest {
  /** A `nextCursor` from the previous page; omitted for the first page. */
  cursor?: string;
  /** Leads per page, 1..150 (default 150). */
  pageSize?: number;
}

const PageRequest = z.strictObject({
  cursor: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(CURSOR_MAX, { error: "is not a valid cursor" }).optional(),
  pageSize: z.number({ error: "must be a number" }).int({ error: "must be an integer" }).min(1, { error: "must be at least 1" }).max(MAX_PER_PAGE, { error: `must be at most ${MAX_PER_PAGE}` }).optional(),
});
const CursorBody = z.strictObject({ after: z.string().min(1) });

function invalidCursor(): ConnectorError {
  return connectorError("invalid_input", { field: "cursor", reason: "is not a valid cursor of this list" }, { field: "cursor" });
}

/**
 * Wraps Intercom's `starting_after` as the connector's opaque cursor, so callers never depend on
 * Intercom's format and a cursor from another list is recognised.
 *
 * @example
 * const cursor = encodeLeadsCursor("WzE3MzQ1Mzc0MDAwMDAsIjY3NjJmMCJd");
 * decodeLeadsCursor(cursor); // { ok: true, value: "WzE3MzQ1Mzc0MDAwMDAsIjY3NjJmMCJd" }
 */
export function encodeLeadsCursor(startingAfter: string): string {
  return CURSOR_PREFIX + Buffer.from(JSON.stringify({ after: startingAfter }), "utf8").toString("base64url");
}

/**
 * Reads a cursor made by {@link encodeLeadsCursor}; anything else is `invalid_input` naming
 * `cursor`, never an exception.
 *
 * @example
 * decodeLeadsCursor("garbage"); // { ok: false, error: ConnectorError(invalid_input, field "cursor") }
 */
export function decodeLeadsCursor(cursor: string): Result<string, ConnectorError> {
  if (!cursor.startsWith(CURSOR_PREFIX) || cursor.length > CURSOR_MAX) return err(invalidCursor());
  const encoded = cursor.slice(CURSOR_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return err(invalidCursor());
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return err(invalidCursor());
  }
  const parsed = CursorBody.safeParse(body);
  return parsed.success ? ok(parsed.data.after) : err(invalidCursor());
}

/**
 * One page of leads, for faces that page (HTTP `nextLink`). The cursor is validated before any
 * call; one that Intercom no longer accepts is `invalid_input` too.
 *
 * @example
 * let page = await listLeadsPage(intercom);
 * while (page.ok && page.value.nextCursor !== null) page = await listLeadsPage(intercom, { cursor: page.value.nextCursor });
 */
export async function listLeadsPage(intercom: IntercomTransport, request: LeadsPageRequest = {}): Promise<Result<LeadsPage, ConnectorError>> {
  const checked = parseInput(PageRequest, {
    ...(request.cursor === undefined ? {} : { cursor: request.cursor }),
    ...(request.pageSize === undefined ? {} : { pageSize: request.pageSize }),
  });
  if (!checked.ok) return checked;
  let startingAfter: string | undefined;
  if (checked.value.cursor !== undefined) {
    const decoded = decodeLeadsCursor(checked.value.cursor);
    if (!decoded.ok) return decoded;
    startingAfter = decoded.value;
  }
  const page = await intercom.searchContacts(LEADS, {
    perPage: checked.value.pageSize ?? MAX_PER_PAGE,
    sort: LEADS_ORDER,
    ...(startingAfter === undefined ? {} : { startingAfter }),
  });
  if (!page.ok) {
    // Intercom refusing a well-formed cursor means it is stale or forged: the caller's input.
    return startingAfter !== undefined && page.error.code === "intercom_rejected" ? err(invalidCursor()) : page;
  }
  const next = page.value.nextStartingAfter;
  return ok({ items: page.value.items.map(mapLead), nextCursor: next === null ? null : encodeLeadsCursor(next) });
}

/**
 * Every lead, one search page (150) at a time: memory holds one page whatever the total. A
 * failure mid-way is thrown from the iteration as a ConnectorError.
 */
async function* streamLeads(intercom: IntercomTransport): AsyncGenerator<Lead_Response, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await listLeadsPage(intercom, cursor === undefined ? {} : { cursor });
    if (!page.ok) throw page.error;
    yield* page.value.items;
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

/**
 * `ListLeads` (Listar todos os clientes potenciais): every lead of the workspace as an async
 * iterable (nothing is fetched until iteration starts). Leads created in the last minutes may
 * be missing: Intercom's search lags creations.
 *
 * @example
 * const leads = await listLeads.run(intercom, {});
 * if (leads.ok) for await (const lead of leads.value) console.log(lead.email);
 */
export const listLeads = defineAction({
  id: "ListLeads",
  async execute(intercom): Promise<Result<AsyncIterable<Lead_Response>, ConnectorError>> {
    return ok(streamLeads(intercom));
  },
});
