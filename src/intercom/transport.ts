import { IntercomClient, IntercomError, IntercomTimeoutError } from "intercom-client";
import type { z } from "zod";
import { connectorError, err, ok, type ConnectorError, type Result } from "../contract/index.js";
import { DEFAULT_INTERCOM_VERSION, resolveBaseUrl, type IntercomConnection } from "./connection.js";
import type { Deadline } from "./deadline.js";
import { errorListOf, toConnectorError, type CallContext } from "./errors.js";
import { confineToBase, pathIdRefusal } from "./path-ids.js";
import { createRetryingFetch, leanFetcher, type RetryingFetchDeps } from "./retrying-fetch.js";
import {
  IntercomCompany,
  IntercomCompanyLookup,
  IntercomCompanyPage,
  IntercomContact,
  IntercomContactList,
  IntercomConversation,
  IntercomConversationList,
  type IntercomTag,
  IntercomTagList,
} from "./wire.js";

/**
 * The largest page Intercom serves.
 *
 * @example
 * await intercom.searchContacts(query, { perPage: MAX_PER_PAGE });
 */
export const MAX_PER_PAGE = 150;

/** A contact's role in API 2.x. */
export type ContactRole = "user" | "lead";

/** The contact attributes the operations write. */
export interface ContactFields {
  email?: string;
  name?: string;
  phone?: string;
  /** An image URL (Intercom's `avatar` on write). */
  avatar?: string;
  /** Values by custom data attribute name, checked against the workspace's first. */
  custom_attributes?: Record<string, unknown>;
}

/**
 * Intercom refused a create because a contact with the same identity exists; this is its id.
 *
 * @example
 * const created = await intercom.createContact("user", { email });
 * if (!created.ok && !isConnectorError(created.error)) await intercom.updateContact(created.error.contactId, { name });
 */
export interface ContactExists {
  readonly kind: "contact_exists";
  readonly contactId: string;
}

/**
 * A filter of Intercom's search language (`single_filter_search_request` or a nested group).
 *
 * @example
 * const usersByEmail: SearchQuery = { operator: "AND", value: [{ field: "role", operator: "=", value: "user" }, { field: "email", operator: "=", value: "ada@example.com" }] };
 */
export type SearchQuery =
  | { field: string; operator: "=" | "!=" | "IN" | "NIN" | "<" | ">" | "~" | "!~" | "^" | "$"; value: string | number | boolean | null | Array<string | number> }
  | { operator: "AND" | "OR"; value: SearchQuery[] };

/** Paging and order of a search. */
export interface SearchOptions {
  /** Items per page, 1..150 (Intercom's default is 50). */
  perPage?: number;
  /** Intercom's cursor from the previous page's `pages.next.starting_after`. */
  startingAfter?: string;
  sort?: { field: string; order: "ascending" | "descending" };
}

/** One page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  /** The cursor of the next page, or null on the last page. */
  nextStartingAfter: string | null;
  totalCount: number | null;
  /** Intercom's time when it answered (unix seconds, from its `Date` header), when it sent one. */
  serverTime: number | null;
}

/**
 * The Intercom calls the operations need, and nothing else. Every call answers a {@link Result}:
 * what Intercom refuses is a {@link ConnectorError} with a stable code, never an exception.
 *
 * @example
 * const contact = await intercom.getContact(id);
 * if (!contact.ok && contact.error.code === "not_found") console.log(contact.error.message);
 */
export interface IntercomTransport {
  /** `POST /contacts`. A 409 that names the existing contact is a {@link ContactExists}. */
  createContact(role: ContactRole, fields: ContactFields): Promise<Result<IntercomContact, ConnectorError | ContactExists>>;
  /** `PUT /contacts/{id}`. */
  updateContact(contactId: string, fields: ContactFields): Promise<Result<IntercomContact, ConnectorError>>;
  /** `GET /contacts/{id}`; an unknown id is `not_found`. */
  getContact(contactId: string): Promise<Result<IntercomContact, ConnectorError>>;
  /** `POST /contacts/search`, one page. */
  searchContacts(query: SearchQuery, options?: SearchOptions): Promise<Result<Page<IntercomContact>, ConnectorError>>;
  /** `GET /contacts`, one page. */
  listContacts(options?: Omit<SearchOptions, "sort">): Promise<Result<Page<IntercomContact>, ConnectorError>>;
  /** `GET /companies?company_id=`: the company with this customer-defined id, or null. */
  findCompanyByCompanyId(companyId: string): Promise<Result<IntercomCompany | null, ConnectorError>>;
  /** `GET /companies/{id}` by Intercom's id; an unknown id is `not_found`. */
  getCompany(id: string): Promise<Result<IntercomCompany, ConnectorError>>;
  /** `POST /contacts/{id}/companies`: attaches a company (by Intercom's id) to a contact. */
  attachCompanyToContact(contactId: string, companyId: string): Promise<Result<IntercomCompany, ConnectorError>>;
  /** `GET /contacts/{id}/companies`, every page: for contacts with more companies than embedded. */
  listContactCompanies(contactId: string): Promise<Result<IntercomCompany[], ConnectorError>>;
  /** `GET /contacts/{id}/tags`: for contacts with more tags than embedded. */
  listContactTags(contactId: string): Promise<Result<IntercomTag[], ConnectorError>>;
  /** `GET /tags`: every tag of the workspace with its name. */
  listTags(): Promise<Result<IntercomTag[], ConnectorError>>;
  /** `POST /conversations/search`, one page. */
  searchConversations(query: SearchQuery, options?: SearchOptions): Promise<Result<Page<IntercomConversation>, ConnectorError>>;
  /** `GET /conversations/{id}`; an unknown id is `not_found`. */
  getConversation(conversationId: string): Promise<Result<IntercomConversation, ConnectorError>>;
  /**
   * Any other call of the official SDK, under this transport's rules: path ids refused before
   * anything is sent, the deadline's signal passed, failures mapped to ConnectorErrors (a 404 is
   * `not_found` of `notFound`'s resource, when given), the token scrubbed from every text, and the
   * answer checked against `answer` (anything else is `intercom_error`). Catalogue operations call
   * Intercom through it, so adding one needs no new transport method.
   *
   * @example
   * const tags = await intercom.request({ what: "GET /tags", answer: IntercomTagList, send: (sdk, options) => sdk.tags.list(options) });
   */
  request<S extends z.ZodType>(call: SdkRequest<S>): Promise<Result<z.output<S>, ConnectorError>>;
  /**
   * One raw call of any API path (SendRequest), through the SDK's request layer with the same
   * token, version, retries, deadline and base-URL confinement. Intercom's answer, 4xx included,
   * is a value `{status, body}`; what the connection's rules own are errors: 401, 429 and 5xx
   * after the retries, timeouts, a failed connection. The caller checks the path first (the
   * confinement refuses `.`/`..` segments and other origins again, as a last line).
   *
   * @example
   * const answer = await intercom.raw({ method: "GET", path: "/me" });
   * if (answer.ok) console.log(answer.value.status, answer.value.body);
   */
  raw(call: RawRequest): Promise<Result<RawAnswer, ConnectorError>>;
  /**
   * A per-connection memo of an answer that rarely changes (the workspace's data attributes):
   * `load`'s success is kept under `key` for `maxAgeMs` (on a monotonic clock), shared by every
   * view of this connection's transport; `refresh` loads it again now. Failures are not kept.
   * `fresh` says whether this call loaded it, so a caller that finds it stale can refresh once.
   *
   * @example
   * const attributes = await intercom.remembered("data-attributes:contact", { maxAgeMs: 300_000 }, (bound) => fetchDataAttributes(bound, { model: "contact" }));
   */
  remembered<T>(key: string, options: { maxAgeMs: number; refresh?: boolean }, load: (intercom: IntercomTransport) => Promise<Result<T, ConnectorError>>): Promise<Result<Remembered<T>, ConnectorError>>;
  /**
   * The same transport with every call bound by an action's {@link Deadline}: no retry wait
   * that would end past it, the request in flight aborted when it passes, and `intercom_timeout`
   * (with the attempts made) answered then.
   */
  within(deadline: Deadline): IntercomTransport;
}

/**
 * A remembered answer ({@link IntercomTransport.remembered}) and whether this call loaded it.
 *
 * @example
 * const { value, fresh }: Remembered<number> = { value: 1, fresh: true };
 */
export interface Remembered<T> {
  readonly value: T;
  readonly fresh: boolean;
}

/**
 * The SDK's per-request options as the transport passes them (the deadline's abort signal).
 *
 * @example
 * const send = (sdk: IntercomClient, options: SdkRequestOptions) => sdk.tags.list(options);
 */
export type SdkRequestOptions = { abortSignal: AbortSignal } | undefined;

/**
 * One call of the official SDK for {@link IntercomTransport.request}.
 *
 * @example
 * const call: SdkRequest<typeof IntercomTag> = {
 *   what: "GET /tags/{id}", answer: IntercomTag, pathIds: [tagId], notFound: { resource: "tag", id: tagId },
 *   send: (sdk, options) => sdk.tags.find({ tag_id: tagId }, options),
 * };
 */
export interface SdkRequest<S extends z.ZodType> {
  /** The method and path template, for error messages (`GET /tags/{id}`). */
  readonly what: string;
  /** The shape the answer must have. */
  readonly answer: S;
  /** Ids that go into the path: each must be an Intercom id, else `invalid_input` and no call. */
  readonly pathIds?: readonly string[];
  /** What a 404 means. */
  readonly notFound?: { resource: string; id: string };
  /** Makes the call; its resolved value is the answer's body. */
  send(sdk: IntercomClient, options: SdkRequestOptions): Promise<unknown>;
}

/**
 * A raw call for {@link IntercomTransport.raw}: `path` starts with `/` and is under the base URL.
 *
 * @example
 * const call: RawRequest = { method: "GET", path: "/tags", query: { per_page: 5 } };
 */
export interface RawRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>>;
  /** Sent as JSON when present. */
  readonly body?: unknown;
}

/**
 * What Intercom answered a raw call: its status and its body (parsed JSON, the text when not
 * JSON, null when empty).
 *
 * @example
 * const answer: RawAnswer = { status: 202, body: null };
 */
export interface RawAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Statuses of a raw call that stay errors: the connection's token, its rate limit, Intercom down. */
function rawStatusIsError(status: number): boolean {
  return status === 401 || status === 429 || status >= 500;
}

const DEFAULTS = { timeoutSeconds: 20, maxRetries: 3, maxRetryDelaySeconds: 10 } as const;
const CONFLICT_ID = /already exists with id=([^\s,;.]+)/;
const CONTACT_COMPANIES_PER_PAGE = 50;

/**
 * Builds the transport for a connection on the official SDK: region or base URL,
 * `Intercom-Version` (2.14 unless set), per-attempt timeouts and one retry policy.
 *
 * @example
 * const intercom = createIntercomTransport({ accessToken: process.env.INTERCOM_ACCESS_TOKEN ?? "", region: "eu" });
 * const contact = await intercom.getContact("6762f0a51bb69f9f2193bb5c");
 * if (contact.ok) console.log(contact.value.role);
 */
export function createIntercomTransport(connection: IntercomConnection, deps: RetryingFetchDeps = {}): IntercomTransport {
  return new SdkTransport(buildShared(connection, deps));
}

/** Checks an answer against the shape the connector reads; anything else is `intercom_error`. */
function parseAnswer<S extends z.ZodType>(what: string, schema: S, body: unknown): Result<z.output<S>, ConnectorError> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const path = issue === undefined ? "" : issue.path.map(String).join(".");
  const detail = `${what} answered an unexpected ${path === "" ? "body" : path}${issue === undefined ? "" : ` (${issue.message})`}`;
  return err(connectorError("intercom_error", { detail }));
}

/** What every view of one connection's transport shares (a view per deadline costs one object). */
interface SdkShared {
  readonly sdk: IntercomClient;
  /** Only used to scrub the token from any text that leaves. */
  readonly secret: string;
  readonly timeoutSeconds: number;
  /** What a raw call needs that the SDK keeps to itself. */
  readonly baseUrl: string;
  readonly version: string;
  readonly fetch: typeof fetch;
  readonly sdkTimeoutMs: number;
  /** {@link IntercomTransport.remembered}'s answers by key, with when (performance.now()) they were loaded. */
  readonly memo: Map<string, { value: unknown; loadedAt: number }>;
}

function buildShared(connection: IntercomConnection, deps: RetryingFetchDeps): SdkShared {
  const timeoutSeconds = connection.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
  const maxRetries = connection.maxRetries ?? DEFAULTS.maxRetries;
  const maxRetryDelaySeconds = connection.maxRetryDelaySeconds ?? DEFAULTS.maxRetryDelaySeconds;
  const secret = connection.accessToken;
  const baseUrl = resolveBaseUrl(connection);
  const version = connection.version ?? DEFAULT_INTERCOM_VERSION;
  const sdkTimeoutSeconds = (timeoutSeconds + maxRetryDelaySeconds) * (maxRetries + 1);
  // Every request stays under the base URL, whatever ids went into its path.
  const confined = confineToBase(
    baseUrl,
    createRetryingFetch({ maxRetries, maxRetryDelayMs: maxRetryDelaySeconds * 1000, attemptTimeoutMs: timeoutSeconds * 1000 }, deps),
  );
  return {
    secret,
    timeoutSeconds,
    baseUrl,
    version,
    fetch: confined,
    sdkTimeoutMs: sdkTimeoutSeconds * 1000,
    memo: new Map(),
    sdk: new IntercomClient({
      // A supplier, so the SDK's options hold a function rather than the token itself.
      token: () => secret,
      baseUrl,
      version,
      // One retry policy, in the fetch wrapper; the SDK's deadline covers every attempt and wait.
      maxRetries: 0,
      timeoutInSeconds: sdkTimeoutSeconds,
      fetch: confined,
      // The SDK's request layer, the same requests and answers for less CPU per call (its logging stays off).
      fetcher: leanFetcher,
    }),
  };
}

class SdkTransport implements IntercomTransport {
  // True private fields: neither util.inspect nor JSON.stringify shows them, so logging a
  // transport cannot leak the token.
  readonly #shared: SdkShared;
  readonly #sdk: IntercomClient;
  readonly #secret: string;
  readonly #deadline: Deadline | undefined;
  /** The SDK's request options of every call: the deadline's signal, when there is one. */
  readonly #options: { abortSignal: AbortSignal } | undefined;

  constructor(shared: SdkShared, deadline?: Deadline) {
    this.#shared = shared;
    this.#sdk = shared.sdk;
    this.#secret = shared.secret;
    this.#deadline = deadline;
    this.#options = deadline === undefined ? undefined : { abortSignal: deadline.signal };
  }

  within(deadline: Deadline): IntercomTransport {
    return new SdkTransport(this.#shared, deadline);
  }

  async remembered<T>(key: string, options: { maxAgeMs: number; refresh?: boolean }, load: (intercom: IntercomTransport) => Promise<Result<T, ConnectorError>>): Promise<Result<Remembered<T>, ConnectorError>> {
    const memo = this.#shared.memo;
    const known = memo.get(key);
    if (known !== undefined && options.refresh !== true && performance.now() - known.loadedAt < options.maxAgeMs) return ok({ value: known.value as T, fresh: false });
    const loaded = await load(this);
    if (!loaded.ok) return loaded;
    memo.set(key, { value: loaded.value, loadedAt: performance.now() });
    return ok({ value: loaded.value, fresh: true });
  }

  /** What a failed call answers: past the deadline, `intercom_timeout` whatever the SDK made of the abort. */
  #failure(error: unknown, context: CallContext): ConnectorError {
    const deadline = this.#deadline;
    if (deadline?.expired === true) return deadline.timeoutError();
    return toConnectorError(error, context, this.#secret, { attemptTimeoutSeconds: this.#shared.timeoutSeconds, ...(deadline === undefined ? {} : { attempts: deadline.attempts }) });
  }

  private async call<S extends z.ZodType>(what: string, schema: S, context: CallContext, send: () => Promise<unknown>): Promise<Result<z.output<S>, ConnectorError>> {
    let body: unknown;
    try {
      body = await send();
    } catch (error) {
      return err(this.#failure(error, context));
    }
    return parseAnswer(what, schema, body);
  }

  async request<S extends z.ZodType>(call: SdkRequest<S>): Promise<Result<z.output<S>, ConnectorError>> {
    const refused = pathIdRefusal(...(call.pathIds ?? []));
    if (refused !== null) return refused;
    return this.call(call.what, call.answer, call.notFound === undefined ? {} : { notFound: call.notFound }, () => call.send(this.#sdk, this.#options));
  }

  async raw(call: RawRequest): Promise<Result<RawAnswer, ConnectorError>> {
    const shared = this.#shared;
    const answer = await leanFetcher({
      url: `${shared.baseUrl.replace(/\/+$/, "")}${call.path}`,
      method: call.method,
      headers: { Authorization: `Bearer ${this.#secret}`, "Intercom-Version": shared.version, Accept: "application/json" },
      ...(call.query === undefined ? {} : { queryParameters: call.query }),
      ...(call.body === undefined ? {} : { body: call.body, contentType: "application/json", requestType: "json" as const }),
      responseType: "json",
      timeoutMs: shared.sdkTimeoutMs,
      maxRetries: 0,
      ...(this.#options === undefined ? {} : { abortSignal: this.#options.abortSignal }),
      fetchFn: shared.fetch,
    });
    if (answer.ok) return ok({ status: answer.rawResponse.status, body: answer.body ?? null });
    const failure = answer.error;
    switch (failure.reason) {
      case "status-code":
      case "non-json": {
        const body = failure.reason === "status-code" ? failure.body : failure.rawBody;
        if (!rawStatusIsError(failure.statusCode)) return ok({ status: failure.statusCode, body: body ?? null });
        return err(this.#failure(new IntercomError({ statusCode: failure.statusCode, body, rawResponse: answer.rawResponse }), {}));
      }
      case "body-is-null":
        return ok({ status: answer.rawResponse.status, body: null });
      case "timeout":
        return err(this.#failure(new IntercomTimeoutError(`${call.method} timed out`), {}));
      default:
        return err(this.#failure(new IntercomError({ message: failure.errorMessage }), {}));
    }
  }

  async createContact(role: ContactRole, fields: ContactFields): Promise<Result<IntercomContact, ConnectorError | ContactExists>> {
    let body: unknown;
    try {
      body = await this.#sdk.contacts.create({ role, ...fields }, this.#options);
    } catch (error) {
      if (error instanceof IntercomError && error.statusCode === 409) {
        const id = CONFLICT_ID.exec(errorListOf(error.body).first?.message ?? "")?.[1];
        if (id !== undefined) return err({ kind: "contact_exists", contactId: id });
      }
      return err(this.#failure(error, {}));
    }
    return parseAnswer("POST /contacts", IntercomContact, body);
  }

  async updateContact(contactId: string, fields: ContactFields): Promise<Result<IntercomContact, ConnectorError>> {
    return pathIdRefusal(contactId) ?? this.call("PUT /contacts/{id}", IntercomContact, { notFound: { resource: "contact", id: contactId } }, () =>
      this.#sdk.contacts.update({ contact_id: contactId, ...fields }, this.#options),
    );
  }

  async getContact(contactId: string): Promise<Result<IntercomContact, ConnectorError>> {
    return pathIdRefusal(contactId) ?? this.call("GET /contacts/{id}", IntercomContact, { notFound: { resource: "contact", id: contactId } }, () =>
      this.#sdk.contacts.find({ contact_id: contactId }, this.#options),
    );
  }

  async searchContacts(query: SearchQuery, options: SearchOptions = {}): Promise<Result<Page<IntercomContact>, ConnectorError>> {
    let serverTime: number | null = null;
    const list = await this.call("POST /contacts/search", IntercomContactList, {}, async () => {
      // The SDK's request type lacks `sort` and boolean values; the API takes both.
      const page = await this.#sdk.contacts.search(searchBody(query, options) as never, this.#options);
      serverTime = dateHeaderSeconds(page.rawResponse.headers);
      return page.response;
    });
    return list.ok ? ok({ ...pageOf(list.value.data, list.value), serverTime }) : list;
  }

  async listContacts(options: Omit<SearchOptions, "sort"> = {}): Promise<Result<Page<IntercomContact>, ConnectorError>> {
    const list = await this.call("GET /contacts", IntercomContactList, {}, async () => {
      const page = await this.#sdk.contacts.list({
        ...(options.perPage === undefined ? {} : { per_page: options.perPage }),
        ...(options.startingAfter === undefined ? {} : { starting_after: options.startingAfter }),
      }, this.#options);
      return page.response;
    });
    return list.ok ? ok(pageOf(list.value.data, list.value)) : list;
  }

  async findCompanyByCompanyId(companyId: string): Promise<Result<IntercomCompany | null, ConnectorError>> {
    const found = await this.call("GET /companies?company_id=", IntercomCompanyLookup, { notFound: { resource: "company", id: companyId } }, () =>
      this.#sdk.companies.retrieve({ company_id: companyId }, this.#options),
    );
    if (!found.ok) return found.error.code === "not_found" ? ok(null) : found;
    const lookup = found.value;
    if (lookup.type === "company") return ok(lookup.company_id === companyId ? lookup : null);
    return ok(lookup.data.find((company) => company.company_id === companyId) ?? null);
  }

  async getCompany(id: string): Promise<Result<IntercomCompany, ConnectorError>> {
    return pathIdRefusal(id) ?? this.call("GET /companies/{id}", IntercomCompany, { notFound: { resource: "company", id } }, () => this.#sdk.companies.find({ company_id: id }, this.#options));
  }

  async attachCompanyToContact(contactId: string, companyId: string): Promise<Result<IntercomCompany, ConnectorError>> {
    return pathIdRefusal(contactId, companyId) ?? this.call("POST /contacts/{id}/companies", IntercomCompany, { notFound: { resource: "contact", id: contactId } }, () =>
      this.#sdk.companies.attachContact({ contact_id: contactId, id: companyId }, this.#options),
    );
  }

  async listContactCompanies(contactId: string): Promise<Result<IntercomCompany[], ConnectorError>> {
    const refused = pathIdRefusal(contactId);
    if (refused !== null) return refused;
    const companies: IntercomCompany[] = [];
    for (let page = 1; ; page++) {
      const answer = await this.call("GET /contacts/{id}/companies", IntercomCompanyPage, { notFound: { resource: "contact", id: contactId } }, async () => {
        const pager = await this.#sdk.contacts.listAttachedCompanies({ contact_id: contactId, page, per_page: CONTACT_COMPANIES_PER_PAGE }, this.#options);
        return pager.response;
      });
      if (!answer.ok) return answer;
      const items = answer.value.companies ?? [];
      companies.push(...items);
      const totalPages = answer.value.pages?.total_pages ?? page;
      if (items.length === 0 || page >= totalPages) return ok(companies);
    }
  }

  async listContactTags(contactId: string): Promise<Result<IntercomTag[], ConnectorError>> {
    const refused = pathIdRefusal(contactId);
    if (refused !== null) return refused;
    const list = await this.call("GET /contacts/{id}/tags", IntercomTagList, { notFound: { resource: "contact", id: contactId } }, () =>
      this.#sdk.contacts.listAttachedTags({ contact_id: contactId }, this.#options),
    );
    return list.ok ? ok(list.value.data) : list;
  }

  async listTags(): Promise<Result<IntercomTag[], ConnectorError>> {
    const list = await this.call("GET /tags", IntercomTagList, {}, () => this.#sdk.tags.list(this.#options));
    return list.ok ? ok(list.value.data) : list;
  }

  async searchConversations(query: SearchQuery, options: SearchOptions = {}): Promise<Result<Page<IntercomConversation>, ConnectorError>> {
    let serverTime: number | null = null;
    const list = await this.call("POST /conversations/search", IntercomConversationList, {}, async () => {
      const page = await this.#sdk.conversations.search(searchBody(query, options) as never, this.#options);
      serverTime = dateHeaderSeconds(page.rawResponse.headers);
      return page.response;
    });
    return list.ok ? ok({ ...pageOf(list.value.conversations, list.value), serverTime }) : list;
  }

  async getConversation(conversationId: string): Promise<Result<IntercomConversation, ConnectorError>> {
    return pathIdRefusal(conversationId) ?? this.call("GET /conversations/{id}", IntercomConversation, { notFound: { resource: "conversation", id: conversationId } }, () =>
      this.#sdk.conversations.find({ conversation_id: conversationId }, this.#options),
    );
  }
}

/** Intercom's clock from its `Date` header (whole seconds), or null. */
function dateHeaderSeconds(headers: Headers): number | null {
  const value = headers.get("date");
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
}

function searchBody(query: SearchQuery, options: SearchOptions): Record<string, unknown> {
  const pagination = {
    ...(options.perPage === undefined ? {} : { per_page: options.perPage }),
    ...(options.startingAfter === undefined ? {} : { starting_after: options.startingAfter }),
  };
  return {
    query,
    ...(Object.keys(pagination).length === 0 ? {} : { pagination }),
    ...(options.sort === undefined ? {} : { sort: options.sort }),
  };
}

function pageOf<T>(items: T[], list: { total_count?: number | null | undefined; pages?: { next?: { starting_after?: string | null | undefined } | null | undefined } | null | undefined }): Page<T> {
  const next = list.pages?.next?.starting_after;
  return { items, nextStartingAfter: next === undefined || next === null || next === "" ? null : next, totalCount: list.total_count ?? null, serverTime: null };
}
