/**
 * The total time one action may take, whatever Intercom does: every attempt, every retry wait and
 * every body read of every Intercom call the action makes. When it passes, its signal aborts
 * whatever is in flight (undici closes the socket) and the caller gets `intercom_timeout`.
 */
import { connectorError, err, type ConnectorError, type Result } from "../contract/index.js";

/**
 * Seconds a caller is told to wait (`Retry-After`) after a 503 or 504 of the connector's that
 * Intercom gave no wait for: long enough for a restart or a blip to pass, short enough for a flow.
 *
 * @example
 * connectorError("intercom_unavailable", { detail }, { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The default total deadline of one action call, in seconds: Power Automate gives up at 120 s,
 * and a flow wants its answer well before.
 *
 * @example
 * new Deadline(DEFAULT_ACTION_DEADLINE_SECONDS * 1000);
 */
export const DEFAULT_ACTION_DEADLINE_SECONDS = 30;

/** The longest deadline accepted (an hour): longer is no deadline at all for any caller. */
export const MAX_ACTION_DEADLINE_SECONDS = 3600;

/** The deadline of each signal handed down from one (the SDK's and the retry layer's own signals). */
const bySignal = new WeakMap<AbortSignal, Deadline>();

const monotonic = (): number => performance.now();

/**
 * One action call's deadline: an abort signal that fires when the time is up, the time left, and
 * how many attempts the call's Intercom requests made (for the 504's message).
 *
 * @example
 * const deadline = new Deadline(30_000);
 * const answer = await deadline.race(() => getLead.execute(intercom.within(deadline), input));
 */
export class Deadline {
  /** Aborted, with an `AbortError`, when the deadline passes. */
  readonly signal: AbortSignal;
  /** Requests sent to Intercom under this deadline so far (each retry is one more). */
  attempts = 0;
  readonly #at: number;
  readonly #clock: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #controller = new AbortController();

  /**
   * @param ms the time allowed, from now.
   * @param clock milliseconds of a monotonic clock (tests that also fake the retry waits give theirs).
   */
  constructor(
    readonly ms: number,
    clock: () => number = monotonic,
  ) {
    if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError("a deadline must be a positive number of milliseconds");
    this.#clock = clock;
    this.#at = clock() + ms;
    this.signal = this.#controller.signal;
    bySignal.set(this.signal, this);
    this.#timer = setTimeout(() => this.#controller.abort(new DOMException("The action's deadline passed", "AbortError")), ms);
    // A deadline never keeps a process alive on its own.
    this.#timer.unref();
  }

  /**
   * The deadline a signal was handed down from, if any.
   *
   * @example
   * const deadline = Deadline.of(init?.signal);
   */
  static of(signal: AbortSignal | null | undefined): Deadline | undefined {
    return signal == null ? undefined : bySignal.get(signal);
  }

  /**
   * Records that `signal` follows this deadline (it aborts when the deadline does), so that the
   * layer receiving it finds the deadline with {@link Deadline.of}.
   */
  handDown(signal: AbortSignal): void {
    bySignal.set(signal, this);
  }

  /** Milliseconds left (0 once passed). */
  remainingMs(): number {
    return this.signal.aborted ? 0 : Math.max(0, this.#at - this.#clock());
  }

  /** True once the time is up. */
  get expired(): boolean {
    return this.remainingMs() === 0;
  }

  /** Whether a wait of `ms` starting now would end at or past the deadline. */
  wouldPass(ms: number): boolean {
    return ms >= this.remainingMs();
  }

  /** The error a call answers when its deadline passed: what happened, and how many attempts were made. */
  timeoutError(): ConnectorError {
    const attempts = this.attempts === 1 ? "1 attempt" : `${this.attempts} attempts`;
    return connectorError(
      "intercom_timeout",
      { detail: `no answer within the action's deadline of ${formatSeconds(this.ms)} s (${attempts} to reach Intercom); retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds` },
      { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    );
  }

  /**
   * Runs `work` and answers its result, or {@link timeoutError} as soon as the deadline passes if
   * that comes first (the in-flight requests are aborted by the signal then). Stops the timer.
   *
   * @example
   * const result = await new Deadline(2_000).race(() => action.execute(intercom, input));
   */
  async race<T>(work: () => Promise<Result<T, ConnectorError>>): Promise<Result<T, ConnectorError>> {
    let onAbort: (() => void) | undefined;
    const passed = new Promise<Result<T, ConnectorError>>((resolve) => {
      onAbort = () => resolve(err(this.timeoutError()));
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([work(), passed]);
    } finally {
      if (onAbort !== undefined) this.signal.removeEventListener("abort", onAbort);
      this.dispose();
    }
  }

  /** Stops the timer (the call is over); the signal then never aborts. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? String(seconds) : seconds.toFixed(1);
}
