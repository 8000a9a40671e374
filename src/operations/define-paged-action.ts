import { z } from "zod";
import {
  connectorError,
  err,
  OPERATIONS,
  ok,
  parseInput,
  type ActionId,
  type ConnectorError,
  type OperationInput,
  type Result,
} from "../contract/index.js";
import type { IntercomTransport } from "../intercom/index.js";
import type { Action } from "./define-action.js";

/**
 * The longest cursor accepted. A cursor carries its action's input, base64url-encoded (4/3 of its
 * JSON), and travels in a `nextLink` URL that Node's HTTP server reads within 16 KB of request
 * line and headers: an action whose input can be long bounds it (SearchContacts: 6,000
 * characters of query, a cursor of about 8,000).
 */
const CURSOR_MAX = 16_384;

/**
 * One page of a paged action and the cursor of the next (null on the last page).
 *
 * @example
 * const page: ActionPage<Lead_Response> = { items: [], nextCursor: null };
 */
export interface ActionPage<Item> {
  items: Item[];
  nextCursor: string | null;
}

/**
 * What one Intercom page gives a paged action: its items, mapped, and Intercom's own cursor of
 * the next page (`starting_after`, a page number as text, a scroll parameter…), null at the end.
 *
 * @example
 * const page: FetchedPage<Lead_Response> = { items: leads, nextAfter: "WzE3MzQ1Mzc0MDAwMDAsIjY3NjJmMCJd" };
 */
export interface FetchedPage<Item> {
  items: Item[];
  nextAfter: string | null;
}

/** Where one page starts and how long it is. */
export interface PageRequest {
  /** Intercom's cursor from the previous page; absent for the first. */
  after?: string;
  /** Items per page, 1..the action's `maxPageSize`. */
  pageSize: number;
}

/**
 * What makes a paged action: its id in the contract (whose output is an array of items), the
 * prefix that marks its cursors, and how to fetch one page from Intercom.
 *
 * @example
 * const spec: PagedActionSpec<"ListLeads", Lead_Response> = { id: "ListLeads", cursorPrefix: "leads", maxPageSize: 150, fetchPage };
 */
export interface PagedActionSpec<Id extends ActionId, Item> {
  readonly id: Id;
  /** Letters only: a cursor of another action is recognised as such and refused. */
  readonly cursorPrefix: string;
  /** The most items Intercom gives in one page of this list. */
  readonly maxPageSize: number;
  /** One Intercom page, with input the contract has validated. */
  fetchPage(intercom: IntercomTransport, input: OperationInput<Id>, request: PageRequest): Promise<Result<FetchedPage<Item>, ConnectorError>>;
}

/**
 * A paged action's pages, for faces that page (HTTP `nextLink`): the cursor is the connector's,
 * opaque, and carries the action's input, so the next page needs nothing else.
 *
 * @example
 * const first = await ACTIONS.ListLeads.paged.page(intercom, {});
 * if (first.ok && first.value.nextCursor !== null) await ACTIONS.ListLeads.paged.page(intercom, {}, { cursor: first.value.nextCursor });
 */
export interface PagedRunner<Id extends ActionId, Item> {
  /**
   * Reads a cursor this action made: its input and where it stands. Anything else is
   * `invalid_input` naming `cursor`, never an exception. Check it before spending budget.
   */
  decodeCursor(cursor: string): Result<{ input: OperationInput<Id>; after: string }, ConnectorError>;
  /** One page: the first for `input`, or the one a cursor names (its input wins). */
  page(intercom: IntercomTransport, input: OperationInput<Id>, options?: { cursor?: string; pageSize?: number }): Promise<Result<ActionPage<Item>, ConnectorError>>;
}

/**
 * An action whose output is a list: run whole, it answers an async iterable that fetches one page
 * at a time (memory holds one page whatever the total); its `paged` runner serves one page.
 *
 * @example
 * const leads = await ACTIONS.ListLeads.run(intercom, {});
 * if (leads.ok) for await (const lead of leads.value) console.log(lead.email);
 */
export interface PagedAction<Id extends ActionId, Item> extends Action<Id, AsyncIterable<Item>> {
  readonly paged: PagedRunner<Id, Item>;
}

const CursorBody = z.strictObject({ after: z.string().min(1), input: z.unknown().optional() });

function invalidCursor(): ConnectorError {
  return connectorError("invalid_input", { field: "cursor", reason: "is not a valid cursor of this list" }, { field: "cursor" });
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/**
 * Builds a paged action from its contract entry and one page fetch. Cursors are
 * `<prefix>.<base64url JSON {after, input?}>`; the input in a cursor is checked by the contract
 * again when read, and one Intercom refuses (stale, or forged) is `invalid_input` naming `cursor`.
 * A failure in the middle of a whole run is thrown from the iteration as the ConnectorError.
 *
 * @example
 * export const listLeads = definePagedAction({
 *   id: "ListLeads", cursorPrefix: "leads", maxPageSize: 150,
 *   async fetchPage(intercom, _input, { after, pageSize }) { … return ok({ items, nextAfter }); },
 * });
 */
export function definePagedAction<Id extends ActionId, Item>(spec: PagedActionSpec<Id, Item>): PagedAction<Id, Item> {
  if (!/^[a-z]+$/i.test(spec.cursorPrefix)) throw new TypeError(`${spec.id}: a cursor prefix is letters only`);
  const definition = OPERATIONS[spec.id];
  const prefix = `${spec.cursorPrefix}.`;

  const encodeCursor = (input: OperationInput<Id>, after: string): string =>
    prefix + Buffer.from(JSON.stringify(isEmptyObject(input) ? { after } : { after, input }), "utf8").toString("base64url");

  const decodeCursor = (cursor: string): Result<{ input: OperationInput<Id>; after: string }, ConnectorError> => {
    if (!cursor.startsWith(prefix) || cursor.length > CURSOR_MAX) return err(invalidCursor());
    const encoded = cursor.slice(prefix.length);
    if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return err(invalidCursor());
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
    } catch {
      return err(invalidCursor());
    }
    const parsed = CursorBody.safeParse(body);
    if (!parsed.success) return err(invalidCursor());
    const input = parseInput(definition.input, parsed.data.input ?? {});
    return input.ok ? ok({ input: input.value as OperationInput<Id>, after: parsed.data.after }) : err(invalidCursor());
  };

  const page: PagedRunner<Id, Item>["page"] = async (intercom, input, options = {}) => {
    const pageSize = options.pageSize ?? spec.maxPageSize;
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > spec.maxPageSize) {
      return err(connectorError("invalid_input", { field: "pageSize", reason: `must be an integer from 1 to ${spec.maxPageSize}` }, { field: "pageSize" }));
    }
    let from = { input, after: undefined as string | undefined };
    if (options.cursor !== undefined) {
      const decoded = decodeCursor(options.cursor);
      if (!decoded.ok) return decoded;
      from = decoded.value;
    }
    const fetched = await spec.fetchPage(intercom, from.input, from.after === undefined ? { pageSize } : { after: from.after, pageSize });
    if (!fetched.ok) {
      // Intercom refusing a well-formed cursor means it is stale or forged: the caller's input.
      return from.after !== undefined && fetched.error.code === "intercom_rejected" ? err(invalidCursor()) : fetched;
    }
    const next = fetched.value.nextAfter;
    return ok({ items: fetched.value.items, nextCursor: next === null ? null : encodeCursor(from.input, next) });
  };

  async function* stream(intercom: IntercomTransport, input: OperationInput<Id>): AsyncGenerator<Item, void, undefined> {
    let cursor: string | undefined;
    do {
      const next = await page(intercom, input, cursor === undefined ? {} : { cursor });
      if (!next.ok) throw next.error;
      yield* next.value.items;
      cursor = next.value.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }

  const execute = async (intercom: IntercomTransport, input: OperationInput<Id>): Promise<Result<AsyncIterable<Item>, ConnectorError>> =>
    ok(stream(intercom, input));

  return Object.freeze({
    id: spec.id,
    definition,
    paged: Object.freeze({ decodeCursor, page }),
    async run(intercom: IntercomTransport, input: unknown): Promise<Result<AsyncIterable<Item>, ConnectorError>> {
      const parsed = parseInput(definition.input, input);
      if (!parsed.ok) return parsed;
      return execute(intercom, parsed.value as OperationInput<Id>);
    },
    execute,
  });
}

/**
 * Whether an action is paged (its output a list served one page at a time).
 *
 * @example
 * if (isPagedAction(ACTIONS[id])) await printArray(result.value);
 */
export function isPagedAction<Id extends ActionId>(action: Action<Id, unknown>): action is PagedAction<Id, unknown> & Action<Id, unknown> {
  return "paged" in action && typeof (action as { paged?: unknown }).paged === "object";
}
