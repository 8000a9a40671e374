import type { FastifyInstance } from "fastify";
import type { ContactRecord, ConversationRecord } from "../model.js";
import { cursorPages } from "../pagination.js";
import { CONTACT_SEARCH } from "../search/contact-fields.js";
import { CONVERSATION_SEARCH } from "../search/conversation-fields.js";
import { decodeSearchCursor, encodeSearchCursor } from "../search/cursor.js";
import type { DelayedIndex } from "../search/delayed-index.js";
import { SearchEngine } from "../search/engine.js";
import type { ReadEnv, SearchCatalog } from "../search/fields.js";
import { compileQuery } from "../search/predicate.js";
import { parseSearchRequest } from "../search/query.js";
import { contactListJson, JSON_TYPE, serializeContact } from "../serialize.js";
import type { Workspace } from "../workspace.js";
import { serializeConversation } from "./conversations.js";

/** One engine (with its sorted indexes) per search index, made at a workspace's first search. */
const contactEngines = new WeakMap<DelayedIndex<ContactRecord>, SearchEngine<ContactRecord>>();
const conversationEngines = new WeakMap<DelayedIndex<ConversationRecord>, SearchEngine<ConversationRecord>>();

function engineFor<T extends { id: string }>(engines: WeakMap<DelayedIndex<T>, SearchEngine<T>>, source: DelayedIndex<T>): SearchEngine<T> {
  let engine = engines.get(source);
  if (engine === undefined) {
    engine = new SearchEngine(source);
    engines.set(source, engine);
  }
  return engine;
}

/** Search answers conversations as list items: without their parts. */
function asListItem(ws: Workspace, c: ConversationRecord): Record<string, unknown> {
  return serializeConversation(ws, c, { parts: false });
}

/** What one search endpoint searches: its catalog, its index and engine, and how it answers a record. */
export interface SearchSpec<T extends { id: string }> {
  catalog: SearchCatalog<T>;
  source: DelayedIndex<T>;
  engine: SearchEngine<T>;
  serialize: (workspace: Workspace, doc: T) => Record<string, unknown>;
}

/**
 * Runs one search request: checks the body, reads the cursor, finds the page among what search
 * sees at the workspace's time, and serializes it as indexed (search may lag the records).
 *
 * @example
 * const page = runSearch(ws, request.body, { catalog, source, engine, serialize });
 */
export function runSearch<T extends { id: string }>(ws: Workspace, body: unknown, spec: SearchSpec<T>): { docs: T[]; items: () => Array<Record<string, unknown>>; total: number; pages: Record<string, unknown> } {
  const now = ws.clock.now();
  const request = parseSearchRequest(body, spec.catalog, () => spec.source.visible(now).values());
  const { field, descending } = request.sort;
  const scope = `${ws.id}/${spec.catalog.resource}/${field.name}/${descending ? "desc" : "asc"}`;
  const cursor = request.startingAfter === null ? null : decodeSearchCursor(scope, request.startingAfter);
  const serialized = new Map<T, Record<string, unknown>>();
  const serialize = (doc: T): Record<string, unknown> => {
    let out = serialized.get(doc);
    if (out === undefined) {
      out = spec.serialize(ws, doc);
      serialized.set(doc, out);
    }
    return out;
  };
  const env: ReadEnv<T> = { serialized: serialize };
  const result = spec.engine.search({
    now,
    query: compileQuery(request.query, env, ws.timezone),
    sort: request.sort,
    env,
    perPage: request.perPage,
    after: cursor === null ? null : { v: cursor.v, id: cursor.id },
  });
  const served = cursor?.n ?? 0;
  const next = result.next === null ? null : encodeSearchCursor(scope, { v: result.next.v, id: result.next.id, n: served + result.items.length });
  return {
    docs: result.items,
    items: () => result.items.map(serialize),
    total: result.total,
    pages: cursorPages({ served, perPage: request.perPage, total: result.total, nextCursor: next }),
  };
}

/**
 * Registers `POST /contacts/search` and `POST /conversations/search`: Intercom's query language
 * (filters, AND/OR groups, day-truncated dates in the workspace's time zone), sorting, and cursor
 * pages over what the search index shows after its delay.
 *
 * @example
 * registerSearchRoutes(app);
 * // POST /contacts/search {"query":{"field":"created_at","operator":">","value":1577869200}}
 */
export function registerSearchRoutes(app: FastifyInstance): void {
  app.post("/contacts/search", async (request, reply) => {
    const ws = request.workspace;
    const source = ws.contactSearch;
    const page = runSearch(ws, request.body, { catalog: CONTACT_SEARCH, source, engine: engineFor(contactEngines, source), serialize: serializeContact });
    return reply.type(JSON_TYPE).send(contactListJson(ws, page.docs, page.total, page.pages));
  });

  app.post("/conversations/search", async (request) => {
    const ws = request.workspace;
    const source = ws.conversationSearch;
    const page = runSearch(ws, request.body, { catalog: CONVERSATION_SEARCH, source, engine: engineFor(conversationEngines, source), serialize: asListItem });
    return { type: "conversation.list", conversations: page.items(), total_count: page.total, pages: page.pages };
  });
}
