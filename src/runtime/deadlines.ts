import type { ConnectorError, Result } from "../contract/index.js";
import { Deadline, DEFAULT_ACTION_DEADLINE_SECONDS, MAX_ACTION_DEADLINE_SECONDS, type IntercomTransport } from "../intercom/index.js";

/**
 * Checks an action deadline in seconds (default 30) and answers it in milliseconds; a `RangeError`
 * naming the option for anything but a number in (0, 3600].
 *
 * @example
 * actionDeadlineMs(undefined); // 30000
 */
export function actionDeadlineMs(seconds: number | undefined): number {
  const value = seconds ?? DEFAULT_ACTION_DEADLINE_SECONDS;
  if (!(value > 0 && value <= MAX_ACTION_DEADLINE_SECONDS)) throw new RangeError(`actionDeadlineSeconds must be more than 0 and at most ${MAX_ACTION_DEADLINE_SECONDS}`);
  return value * 1000;
}

/**
 * Runs `work` on the transport bound by a fresh deadline of `ms`: its answer, or `intercom_timeout`
 * as soon as the deadline passes (the request in flight aborted).
 *
 * @example
 * const lead = await withinDeadline(30_000, intercom, (bound) => getLead.execute(bound, input));
 */
export function withinDeadline<T>(ms: number, intercom: IntercomTransport, work: (bound: IntercomTransport) => Promise<Result<T, ConnectorError>>): Promise<Result<T, ConnectorError>> {
  const deadline = new Deadline(ms);
  return deadline.race(() => work(intercom.within(deadline)));
}

/**
 * The transport with each of its calls bound by its own deadline of `ms`: for a stream
 * (`ListLeads` in the library), where each page must come in time but the whole may take long.
 *
 * @example
 * const leads = await listLeads.execute(eachCallWithin(intercom, 30_000), {});
 */
export function eachCallWithin(intercom: IntercomTransport, ms: number): IntercomTransport {
  return new Proxy(intercom, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || property === "within") return value;
      return (...args: unknown[]) =>
        withinDeadline(ms, target, (bound) => (Reflect.get(bound, property) as (...a: unknown[]) => Promise<Result<unknown, ConnectorError>>).apply(bound, args));
    },
  });
}
