/**
 * A `fetch` for the official SDK that retries the way Intercom asks: after a 429 it waits for
 * `Retry-After` or `X-RateLimit-Reset`; after a 5xx it backs off exponentially; after a network
 * failure, an attempt timeout or another 5xx it retries reads only (a repeated create could
 * duplicate a lead).
 * The SDK's own retries are turned off so there is one policy, and each attempt has its own timeout.
 */

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
  const baseFetch = deps.fetch ?? globalThis.fetch;
  const sleep = deps.sleep ?? defaultSleep;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;

  return async (input, init) => {
    const method = requestMethod(input, init);
    const replayable = isReplayable(method, requestUrl(input));
    // The SDK's signal carries its overall deadline (and a caller's abort).
    const outer = init?.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      const attemptTimer = new AbortController();
      const timer = setTimeout(() => attemptTimer.abort(), policy.attemptTimeoutMs);
      const signal = outer === undefined ? attemptTimer.signal : AbortSignal.any([outer, attemptTimer.signal]);
      let response: Response;
      try {
        response = await baseFetch(input, { ...init, signal });
      } catch (error) {
        if (outer?.aborted === true) throw abortError();
        if (replayable && attempt < policy.maxRetries) {
          await sleep(backoffMs(attempt, random), outer);
          continue;
        }
        if (attemptTimer.signal.aborted) throw abortError();
        throw error;
      } finally {
        clearTimeout(timer);
      }
      if (!isRetryableStatus(response.status, replayable) || attempt >= policy.maxRetries) return response;
      const delay = retryDelayMs(response.status, response.headers, attempt, now(), random);
      if (delay > policy.maxRetryDelayMs) return response;
      // Free the connection before waiting.
      await response.body?.cancel();
      await sleep(delay, outer);
    }
  };
}
