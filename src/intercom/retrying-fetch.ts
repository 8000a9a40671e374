/**
 * A `fetch` for the official SDK that retries the way Intercom asks: after a 429 it waits for
 * `Retry-After` or `X-RateLimit-Reset`; after a 5xx it backs off exponentially; after a network
 * failure, an attempt timeout or another 5xx it retries reads only (a repeated create could
 * duplicate a lead).
 * The SDK's own retries are turned off so there is one policy, and each attempt has its own timeout.
 * Each attempt is sent by {@link leanFetch} unless the deps name another fetch.
 */
import { Readable, Transform, type TransformCallback } from "node:stream";
import { brotliDecompress, constants as zlib, createBrotliDecompress, createGunzip, createInflate, createInflateRaw, gunzip, inflate, inflateRaw } from "node:zlib";
import type { IntercomClient } from "intercom-client";
import { request, type Dispatcher } from "undici";
import { Deadline } from "./deadline.js";

/** How {@link createRetryingFetch} retries. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** A wait longer than this is not made: the failing response goes back to the caller. */
  maxRetryDelayMs: number;
  /** Milliseconds one attempt may take (until the response headers arrive). */
  attemptTimeoutMs: number;
}

/** Waits `ms` milliseconds, or rejects when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What the retrying fetch is built from; tests replace the clock and the sleep. */
export interface RetryingFetchDeps {
  /** Sends one attempt. Default {@link leanFetch}. */
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
}

const BACKOFF_BASE_MS = 500;

/**
 * Sleeps, abortably.
 *
 * @example
 * await defaultSleep(100);
 */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

// The SDK reports a failure named AbortError as a timeout (IntercomTimeoutError); it would report
// a bare abort reason (its own timer aborts with the string "timeout") as an unknown error.
function abortError(): DOMException {
  return new DOMException("The request timed out", "AbortError");
}

function requestMethod(input: Parameters<typeof fetch>[0], init: RequestInit | undefined): string {
  if (init?.method !== undefined) return init.method.toUpperCase();
  return typeof input === "object" && "method" in input ? input.method.toUpperCase() : "GET";
}

function requestUrl(input: Parameters<typeof fetch>[0]): string {
  if (typeof input === "string") return input;
  return input instanceof URL ? input.href : input.url;
}

/** Requests that can be sent again without creating anything twice. */
function isReplayable(method: string, url: string): boolean {
  if (method === "GET" || method === "HEAD" || method === "PUT" || method === "DELETE") return true;
  return method === "POST" && new URL(url).pathname.endsWith("/search");
}

/**
 * Statuses worth another attempt. A write is repeated only after answers that say it was not
 * processed (429, 503); after a 500 it may have been, and a lead has no key to dedupe it by.
 */
function isRetryableStatus(status: number, replayable: boolean): boolean {
  if (status === 429 || status === 503) return true;
  return replayable && (status === 408 || status >= 500);
}

/**
 * How long to wait before retrying a response: `Retry-After` (seconds or a date) when given;
 * for a 429 otherwise until `X-RateLimit-Reset` (unix seconds); else exponential backoff.
 *
 * @example
 * retryDelayMs(429, new Headers({ "X-RateLimit-Reset": "1700000010" }), 0, 1_700_000_004_000, () => 0); // 6000
 */
export function retryDelayMs(status: number, headers: Headers, attempt: number, nowMs: number, random: () => number): number {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  if (status === 429) {
    const reset = Number(headers.get("x-ratelimit-reset"));
    // A little spread so concurrent callers do not all return in the same millisecond.
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs) + Math.floor(random() * 250);
  }
  return backoffMs(attempt, random);
}

function backoffMs(attempt: number, random: () => number): number {
  return BACKOFF_BASE_MS * 2 ** attempt * (0.8 + 0.4 * random());
}

/**
 * Builds a `fetch` that retries per the policy. Pass it to the SDK with the SDK's `maxRetries: 0`.
 *
 * @example
 * const retryingFetch = createRetryingFetch({ maxRetries: 3, maxRetryDelayMs: 10_000, attemptTimeoutMs: 20_000 });
 * new IntercomClient({ token, fetch: retryingFetch, maxRetries: 0 });
 */
export function createRetryingFetch(policy: RetryPolicy, deps: RetryingFetchDeps = {}): typeof fetch {
  const baseFetch = deps.fetch ?? leanFetch;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;

  return async function retryingFetch(input, init) {
    const method = requestMethod(input, init);
    const replayable = isReplayable(method, requestUrl(input));
    // The SDK's signal carries its overall deadline (and a caller's abort, or an action's deadline).
    const outer = init?.signal ?? undefined;
    const deadline = Deadline.of(outer);
    for (let attempt = 0; ; attempt++) {
      if (deadline !== undefined) deadline.attempts++;
      const attemptTimer = new AbortController();
      const timer = setTimeout(() => attemptTimer.abort(), policy.attemptTimeoutMs);
      // The attempt's signal also follows the outer one (as AbortSignal.any would, for less: no
      // signal more, and no weak references for the garbage collector to trace).
      if (outer !== undefined) {
        if (outer.aborted) attemptTimer.abort(outer.reason);
        else outer.addEventListener("abort", () => attemptTimer.abort(outer.reason), { once: true });
      }
      let response: Response;
      try {
        response = await baseFetch(input, { ...init, signal: attemptTimer.signal });
      } catch (error) {
        if (outer?.aborted === true) throw abortError();
        const backoff = backoffMs(attempt, random);
        // A wait that would end past the action's deadline is not started: the failure stands.
        if (replayable && attempt < policy.maxRetries && deadline?.wouldPass(backoff) !== true) {
          await sleep(backoff, outer);
          continue;
        }
        if (attemptTimer.signal.aborted) throw abortError();
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (!isRetryableStatus(response.status, replayable) || attempt >= policy.maxRetries) return response;
      const delay = retryDelayMs(response.status, response.headers, attempt, now(), random);
      if (delay > policy.maxRetryDelayMs || deadline?.wouldPass(delay) === true) return response;
      // Free the connection before waiting.
      await response.body?.cancel();
      await sleep(delay, outer);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// leanFetch: Node's fetch for the SDK's calls, without the web streams under its Response.

/** Statuses whose response has no body (fetch's "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Methods fetch writes in upper case whatever case they were given in. */
const NORMALIZED_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
/** What Node's fetch adds to a request that does not set it. */
const FETCH_DEFAULT_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ["accept", "*/*"],
  ["accept-language", "*"],
  ["sec-fetch-mode", "cors"],
  ["user-agent", "node"],
  ["accept-encoding", "gzip, deflate"],
];
/** Headers a redirect that turns the request into a GET drops with its body. */
const REQUEST_BODY_HEADERS = ["content-encoding", "content-language", "content-location", "content-type", "content-length"];
/** Headers a redirect to another origin drops. */
const CROSS_ORIGIN_DROPPED_HEADERS = ["authorization", "proxy-authorization", "cookie", "host"];
const MAX_REDIRECTS = 20;
const ZLIB_FLUSH = { flush: zlib.Z_SYNC_FLUSH, finishFlush: zlib.Z_SYNC_FLUSH };
const BROTLI_FLUSH = { flush: zlib.BROTLI_OPERATION_FLUSH, finishFlush: zlib.BROTLI_OPERATION_FLUSH };

type Coding = "gzip" | "deflate" | "br";

/** The codings to undo, last applied first; none when one of them is unknown (fetch then passes the bytes as they came). */
function codingsOf(header: string | null): Coding[] {
  if (header === null) return [];
  const codings: Coding[] = [];
  for (const raw of header.split(",")) {
    const coding = raw.trim().toLowerCase();
    if (coding === "") continue;
    if (coding === "gzip" || coding === "x-gzip") codings.push("gzip");
    else if (coding === "deflate" || coding === "x-deflate") codings.push("deflate");
    else if (coding === "br") codings.push("br");
    else return [];
  }
  return codings.reverse();
}

/** A zlib body starts with a CMF byte whose low nibble is 8; anything else is raw deflate. */
const isZlibWrapped = (bytes: Uint8Array): boolean => bytes.length > 0 && ((bytes[0] ?? 0) & 0x0f) === 8;

function decodeOnce(bytes: Buffer, coding: Coding): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, result: Buffer): void => (error === null ? resolve(result) : reject(error));
    if (coding === "gzip") gunzip(bytes, ZLIB_FLUSH, done);
    else if (coding === "br") brotliDecompress(bytes, BROTLI_FLUSH, done);
    else if (isZlibWrapped(bytes)) inflate(bytes, ZLIB_FLUSH, done);
    else inflateRaw(bytes, ZLIB_FLUSH, done);
  });
}

async function decodeBytes(bytes: Buffer, codings: readonly Coding[]): Promise<Buffer> {
  let decoded = bytes;
  for (const coding of codings) decoded = await decodeOnce(decoded, coding);
  return decoded;
}

/** Inflates zlib-wrapped or raw deflate, whichever the first byte says (as fetch does). */
class InflateEither extends Transform {
  #inner: Transform | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner === null) {
      const inner = isZlibWrapped(chunk) ? createInflate(ZLIB_FLUSH) : createInflateRaw(ZLIB_FLUSH);
      inner.on("data", (data: Buffer) => this.push(data));
      inner.on("error", (error: Error) => this.destroy(error));
      this.#inner = inner;
    }
    this.#inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    if (this.#inner === null) return callback();
    this.#inner.once("end", () => callback());
    this.#inner.end();
  }
}

/** The body as a stream with its codings undone (for `body`, which hands out a stream). */
function decodeStream(body: Readable, codings: readonly Coding[]): Readable {
  let stream = body;
  for (const coding of codings) {
    const decoder = coding === "gzip" ? createGunzip(ZLIB_FLUSH) : coding === "br" ? createBrotliDecompress(BROTLI_FLUSH) : new InflateEither();
    stream.on("error", (error: Error) => decoder.destroy(error));
    stream = stream.pipe(decoder);
  }
  return stream;
}

function withoutBom(bytes: Buffer): string {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.toString("utf8", 3) : bytes.toString("utf8");
}

function responseHeaders(raw: Dispatcher.ResponseData["headers"]): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

/**
 * The `Response` {@link leanFetch} answers: status, headers, `text()`, `json()`, `arrayBuffer()`
 * and `bytes()` read undici's body directly (the SDK only ever calls `text()`); `body`, `blob()`,
 * `formData()` and `clone()` hand over to a real `Response` on the same bytes.
 */
class LeanResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly url: string;
  readonly redirected: boolean;
  readonly type = "basic" as const;
  #body: Readable | null;
  readonly #codings: readonly Coding[];
  #used = false;
  #real: Response | null = null;

  constructor(url: string, redirected: boolean, answer: Dispatcher.ResponseData, hasBody: boolean) {
    this.url = url;
    this.redirected = redirected;
    this.status = answer.statusCode;
    this.statusText = answer.statusText ?? "";
    this.headers = responseHeaders(answer.headers);
    this.#body = hasBody ? answer.body : null;
    if (!hasBody) answer.body.dump().catch(() => undefined);
    this.#codings = hasBody ? codingsOf(this.headers.get("content-encoding")) : [];
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  get bodyUsed(): boolean {
    return this.#real === null ? this.#used : this.#real.bodyUsed;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.#toReal().body;
  }

  async bytes(): Promise<Uint8Array> {
    if (this.#real !== null) return new Uint8Array(await this.#real.arrayBuffer());
    const body = this.#take();
    if (body === null) return new Uint8Array(0);
    const raw = Buffer.from(await (body as unknown as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer());
    return this.#codings.length === 0 ? raw : decodeBytes(raw, this.#codings);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    if (this.#real !== null) return this.#real.arrayBuffer();
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    if (this.#real !== null) return this.#real.text();
    if (this.#codings.length === 0) {
      // undici's own text() decodes UTF-8 and drops a BOM, as fetch's does.
      const body = this.#take();
      return body === null ? "" : (body as unknown as { text(): Promise<string> }).text();
    }
    return withoutBom(Buffer.from(await this.bytes()));
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  blob(): Promise<Blob> {
    return this.#toReal().blob();
  }

  formData(): Promise<FormData> {
    return this.#toReal().formData();
  }

  clone(): Response {
    return this.#toReal().clone();
  }

  #take(): Readable | null {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    const body = this.#body;
    this.#body = null;
    return body;
  }

  /** A real Response on what is left of the body, for the members read less often. */
  #toReal(): Response {
    if (this.#real !== null) return this.#real;
    const init = { status: this.status, statusText: this.statusText, headers: this.headers };
    if (this.#used) {
      // Already read: a Response whose body is used up, as fetch's would be.
      const spent = new Response("", init);
      void spent.text();
      this.#real = spent;
    } else {
      const body = this.#body;
      this.#body = null;
      this.#real = new Response(body === null ? null : (Readable.toWeb(decodeStream(body, this.#codings)) as ReadableStream<Uint8Array>), init);
    }
    return this.#real;
  }
}

/** The request's headers as fetch sends them: the caller's, then fetch's defaults for what they leave out. */
function requestHeaders(init: RequestInit["headers"], body: string | Uint8Array | null): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = init instanceof Headers ? init : new Headers(init);
  given.forEach((value, name) => {
    headers[name] = value;
  });
  for (const [name, value] of FETCH_DEFAULT_HEADERS) if (headers[name] === undefined) headers[name] = value;
  if (typeof body === "string" && headers["content-type"] === undefined) headers["content-type"] = "text/plain;charset=UTF-8";
  return headers;
}

function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

async function sendRequest(url: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | null, signal: AbortSignal | null, redirects: number): Promise<Response> {
  let answer: Dispatcher.ResponseData;
  try {
    answer = await request(url, { method, headers, body, ...(signal === null ? {} : { signal }) });
  } catch (error) {
    // Aborted: fetch rejects with the signal's reason; anything else is its "fetch failed".
    if (signal?.aborted === true) throw signal.reason;
    throw fetchFailed(error);
  }
  const location = answer.headers.location;
  if (REDIRECT_STATUSES.has(answer.statusCode) && typeof location === "string") {
    await answer.body.dump();
    return follow(url, answer.statusCode, location, method, headers, body, signal, redirects);
  }
  const hasBody = method !== "HEAD" && !NULL_BODY_STATUSES.has(answer.statusCode);
  return new LeanResponse(url.href, redirects > 0, answer, hasBody);
}

/** fetch's "follow" redirect: at most 20, a 303 (or a POST's 301/302) as a GET, no credentials to another origin. */
function follow(from: URL, status: number, location: string, method: string, headers: Record<string, string>, body: string | Uint8Array | null, signal: AbortSignal | null, redirects: number): Promise<Response> {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch (error) {
    return Promise.reject(fetchFailed(error));
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") return Promise.reject(fetchFailed(new Error("URL scheme must be a HTTP(S) scheme")));
  if (redirects === MAX_REDIRECTS) return Promise.reject(fetchFailed(new Error("redirect count exceeded")));
  const crossOrigin = next.origin !== from.origin;
  if (crossOrigin && (next.username !== "" || next.password !== "")) return Promise.reject(fetchFailed(new Error('cross origin not allowed for request mode "cors"')));
  let nextMethod = method;
  let nextBody = body;
  const nextHeaders = { ...headers };
  if (((status === 301 || status === 302) && method === "POST") || (status === 303 && method !== "GET" && method !== "HEAD")) {
    nextMethod = "GET";
    nextBody = null;
    for (const name of REQUEST_BODY_HEADERS) delete nextHeaders[name];
  }
  if (crossOrigin) for (const name of CROSS_ORIGIN_DROPPED_HEADERS) delete nextHeaders[name];
  if (next.hash === "" && from.hash !== "") next.hash = from.hash;
  return sendRequest(next, nextMethod, nextHeaders, nextBody, signal, redirects + 1);
}

/**
 * Node's fetch as the SDK uses it, on undici's `request` with the same global dispatcher (the
 * same keep-alive pool, and any dispatcher set with `setGlobalDispatcher`): the same headers
 * (fetch's defaults, `Accept-Encoding: gzip, deflate`, and the bodies decoded), redirects
 * followed as fetch follows them, a network failure rejected as fetch's `TypeError("fetch
 * failed")` and an abort as the signal's reason. What it answers reads its body without the web
 * streams under fetch's `Response`, which cost more CPU than the rest of the call: status and
 * headers, then `text()`. Anything unusual — a `Request` for input, a body that is not a string
 * or bytes, a `redirect` mode other than "follow" — goes to Node's fetch itself.
 *
 * @example
 * new IntercomClient({ token, fetch: leanFetch, maxRetries: 0 });
 */
export const leanFetch: typeof fetch = async (input, init) => {
  const body = init?.body ?? null;
  const plainBody = body === null || typeof body === "string" || body instanceof Uint8Array;
  const plainInput = typeof input === "string" || input instanceof URL;
  if (!plainInput || !plainBody || (init?.redirect !== undefined && init.redirect !== "follow")) return globalThis.fetch(input, init);
  let url: URL;
  try {
    url = new URL(input);
  } catch (error) {
    throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return globalThis.fetch(input, init);
  const given = init?.method ?? "GET";
  const method = NORMALIZED_METHODS.has(given.toUpperCase()) ? given.toUpperCase() : given;
  // An already aborted signal makes undici reject at once, with its reason.
  return sendRequest(url, method, requestHeaders(init?.headers, body), body, init?.signal ?? null, 0);
};

// ---------------------------------------------------------------------------------------------
// leanFetcher: the SDK's request layer (its `fetcher` option), without its per-call overhead.

type SdkOptions = NonNullable<ConstructorParameters<typeof IntercomClient>[0]>;
/** The SDK's `fetcher` option: what its endpoint methods call with a request and read an answer from. */
export type SdkFetcher = NonNullable<SdkOptions["fetcher"]>;
type FetcherArgs = Parameters<SdkFetcher>[0];
type FetcherAnswer = Awaited<ReturnType<SdkFetcher>>;
type RawAnswer = FetcherAnswer["rawResponse"];

/** intercom-client's query strings (`core/url/qs`), arrays repeated, everything encoded. */
function queryString(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [];
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const fullKey = prefix === "" ? key : `${prefix}[${key}]`;
    if (item === undefined) continue;
    if (Array.isArray(item)) {
      for (const element of item as unknown[]) {
        if (element === undefined) continue;
        if (typeof element === "object" && element !== null && !Array.isArray(element)) parts.push(...queryString(element, fullKey));
        else parts.push(`${encodeURIComponent(fullKey)}=${queryValue(element)}`);
      }
    } else if (typeof item === "object" && item !== null) {
      if (Object.keys(item).length > 0) parts.push(...queryString(item, fullKey));
    } else {
      parts.push(`${encodeURIComponent(fullKey)}=${queryValue(item)}`);
    }
  }
  return parts;
}

function queryValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  // The SDK writes anything else as String(value); the operations only send primitives.
  const primitive = value as string | number | boolean | bigint;
  return encodeURIComponent(String(primitive));
}

function requestBodyOf(args: FetcherArgs): unknown {
  const type = args.requestType ?? "other";
  if (type === "form") return queryString(args.body).join("&");
  return type.includes("json") ? JSON.stringify(args.body) : args.body;
}

async function requestHeadersOf(args: FetcherArgs): Promise<Headers> {
  const headers = new Headers();
  headers.set("Accept", args.responseType === "json" ? "application/json" : args.responseType === "text" ? "text/plain" : "*/*");
  if (args.body !== undefined && args.contentType != null) headers.set("Content-Type", args.contentType);
  if (args.headers == null) return headers;
  const metadata = { endpointMetadata: args.endpointMetadata ?? {} };
  for (const [name, supplied] of Object.entries(args.headers)) {
    // Strings are the usual; the SDK also takes suppliers, called with the endpoint's metadata.
    const value: unknown = typeof supplied === "function" ? await supplied(metadata) : supplied;
    if (typeof value === "string") headers.set(name, value);
    else if (value !== null && value !== undefined) {
      const primitive = value as number | boolean | bigint;
      headers.set(name, String(primitive));
    }
  }
  return headers;
}

function rawAnswerOf(response: Response): RawAnswer {
  return { headers: response.headers, redirected: response.redirected, status: response.status, statusText: response.statusText, type: response.type, url: response.url };
}

const ABORTED_RAW: () => RawAnswer = () => ({ headers: new Headers(), redirected: false, status: 499, statusText: "Client Closed Request", type: "error", url: "" });
const UNKNOWN_RAW: () => RawAnswer = () => ({ headers: new Headers(), redirected: false, status: 0, statusText: "Unknown Error", type: "error", url: "" });

/** The SDK's `getResponseBody`: a JSON answer parsed, or the SDK's "non-json" value as the body. */
async function responseBodyOf(response: Response, responseType: FetcherArgs["responseType"]): Promise<unknown> {
  switch (responseType) {
    case "binary-response": {
      const binary: Record<string, unknown> = {
        stream: () => response.body,
        arrayBuffer: response.arrayBuffer.bind(response),
        blob: response.blob.bind(response),
      };
      Object.defineProperty(binary, "bodyUsed", { get: () => response.bodyUsed, enumerable: true });
      if ("bytes" in response && typeof response.bytes === "function") binary.bytes = (response.bytes as () => Promise<Uint8Array>).bind(response);
      return binary;
    }
    case "blob":
      return response.blob();
    case "arrayBuffer":
      return response.arrayBuffer();
    case "sse":
    case "streaming":
      return response.body ?? { ok: false, error: { reason: "body-is-null", statusCode: response.status } };
    case "text":
      return response.text();
    default:
      break;
  }
  const text = await response.text();
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { ok: false, error: { reason: "non-json", statusCode: response.status, rawBody: text } };
  }
}

/** The SDK's `getErrorResponseBody`: JSON by content type, else text. */
async function errorBodyOf(response: Response): Promise<unknown> {
  let contentType = response.headers.get("Content-Type")?.toLowerCase();
  if (contentType === undefined || contentType.length === 0) return responseBodyOf(response, undefined);
  if (contentType.includes(";")) contentType = contentType.split(";")[0]?.trim() ?? "";
  const json =
    ["application/hal+json", "application/json", "application/ld+json", "application/problem+json", "application/vnd.api+json", "text/json"].includes(contentType) ||
    (contentType.startsWith("application/vnd.") && contentType.endsWith("+json"));
  const text = await response.text();
  if (!json) return text;
  return text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
}

/** The SDK's own retry loop (`requestWithRetries`), for a request that asks for retries; the transport asks for none. */
async function withSdkRetries(send: () => Promise<Response>, maxRetries: number): Promise<Response> {
  let response = await send();
  for (let retry = 0; retry < maxRetries; ++retry) {
    if (!([408, 429].includes(response.status) || response.status >= 500)) break;
    await new Promise((resolve) => setTimeout(resolve, sdkRetryDelayMs(response, retry)));
    response = await send();
  }
  return response;
}

function sdkRetryDelayMs(response: Response, retry: number): number {
  const maxDelay = 60_000;
  const retryAfter = response.headers.get("Retry-After");
  if (retryAfter !== null && retryAfter !== "") {
    const seconds = parseInt(retryAfter, 10);
    if (!Number.isNaN(seconds) && seconds > 0) return Math.min(seconds * 1000, maxDelay);
    const date = new Date(retryAfter);
    if (!Number.isNaN(date.getTime())) {
      const delay = date.getTime() - Date.now();
      if (delay > 0) return Math.min(Math.max(delay, 0), maxDelay);
    }
  }
  const reset = response.headers.get("X-RateLimit-Reset");
  if (reset !== null && reset !== "") {
    const resetTime = parseInt(reset, 10);
    if (!Number.isNaN(resetTime)) {
      const delay = resetTime * 1000 - Date.now();
      if (delay > 0) return Math.min(delay, maxDelay) * (1 + Math.random() * 0.2);
    }
  }
  return Math.min(1000 * 2 ** retry, maxDelay) * (1 + (Math.random() - 0.5) * 0.2);
}

/**
 * The SDK's request layer (intercom-client's `fetcher` option) as its own `core.fetcher` is, for
 * what it answers, leaner: the same URL and query string, body, headers (`Accept` by response
 * type, `Content-Type` with a body, the endpoint's headers and their suppliers), timeout (an abort
 * with the reason "timeout" until the response headers arrive) and caller's abort signal, the
 * same answers and failures (`status-code` with the error body read by content type, `non-json`,
 * `timeout` for an `AbortError`, `unknown` with the message) — without the generator-based
 * awaits per header, the extra signals and the logger lookup that cost each call more CPU than
 * the request itself. It logs nothing: the transport leaves the SDK's logging off, as it is by
 * default. `args.fetchFn` (the retrying fetch) sends the request.
 *
 * @example
 * new IntercomClient({ token, fetch: createRetryingFetch(policy), fetcher: leanFetcher, maxRetries: 0 });
 */
export const leanFetcher = ((args: FetcherArgs) => fetchAnswer(args)) as SdkFetcher;

async function fetchAnswer(args: FetcherArgs): Promise<FetcherAnswer> {
  const query = queryString(args.queryParameters).join("&");
  const url = query === "" ? args.url : `${args.url}?${query}`;
  const body = requestBodyOf(args) as RequestInit["body"];
  const fetchFn = args.fetchFn ?? globalThis.fetch;
  const headers = await requestHeadersOf(args);
  const stopFollowing: Array<() => void> = [];
  try {
    return await answerOf(args, headers, url, body, fetchFn, stopFollowing);
  } finally {
    for (const stop of stopFollowing) stop();
  }
}

async function answerOf(args: FetcherArgs, headers: Awaited<ReturnType<typeof requestHeadersOf>>, url: string, body: RequestInit["body"], fetchFn: typeof fetch, stopFollowing: Array<() => void>): Promise<FetcherAnswer> {
  const sendSdkRequest = async (): Promise<Response> => {
    // One signal for the SDK's timeout, which a caller's signal also aborts.
    const controller = new AbortController();
    const timer = args.timeoutMs == null ? undefined : setTimeout(() => controller.abort("timeout"), args.timeoutMs);
    const callerSignal = args.abortSignal;
    const followCaller = (): void => controller.abort(callerSignal?.reason);
    stopFollowing.push(() => callerSignal?.removeEventListener("abort", followCaller));
    if (callerSignal != null) {
      // The retry layer reads an action's deadline from the signal it is given.
      Deadline.of(callerSignal)?.handDown(controller.signal);
      if (callerSignal.aborted) controller.abort(callerSignal.reason);
      // Removed by hand once the answer is read (the body too: a deadline passing then still cuts
      // it): the `signal` option of addEventListener would keep the caller's signal, and the
      // deadline behind it, alive for as long as this one lives.
      else callerSignal.addEventListener("abort", followCaller, { once: true });
    }
    try {
      return await fetchFn(url, {
        method: args.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
        ...(args.withCredentials === true ? { credentials: "include" as const } : {}),
        ...(args.duplex === undefined ? {} : { duplex: args.duplex }),
      });
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
  try {
    const response = args.maxRetries !== undefined && args.maxRetries > 0 ? await withSdkRetries(sendSdkRequest, args.maxRetries) : await sendSdkRequest();
    if (response.status >= 200 && response.status < 400) {
      return { ok: true, body: await responseBodyOf(response, args.responseType), headers: response.headers, rawResponse: rawAnswerOf(response) };
    }
    return { ok: false, error: { reason: "status-code", statusCode: response.status, body: await errorBodyOf(response) }, rawResponse: rawAnswerOf(response) };
  } catch (error) {
    if (args.abortSignal?.aborted === true) return { ok: false, error: { reason: "unknown", errorMessage: "The user aborted a request" }, rawResponse: ABORTED_RAW() };
    if (error instanceof Error && error.name === "AbortError") return { ok: false, error: { reason: "timeout" }, rawResponse: ABORTED_RAW() };
    if (error instanceof Error) return { ok: false, error: { reason: "unknown", errorMessage: error.message }, rawResponse: UNKNOWN_RAW() };
    return { ok: false, error: { reason: "unknown", errorMessage: JSON.stringify(error) }, rawResponse: UNKNOWN_RAW() };
  }
}
