import type { ConnectorError, Result } from "../contract/index.js";
import type { OutboxEvent } from "../store/index.js";
import type { PollReport, TriggerEngine } from "../triggers/index.js";
import type { SubscriptionErrorHandler, SubscriptionHandle } from "./types.js";

/**
 * Marks an error thrown by the caller's handler, to tell it from a failed poll.
 *
 * @example
 * try { await handler(payload); } catch (error) { throw new ConsumerFailure(error); }
 */
export class ConsumerFailure extends Error {
  constructor(readonly original: unknown) {
    super("the subscription's handler threw");
    this.name = "ConsumerFailure";
  }
}

/**
 * What a subscription loop needs.
 *
 * @example
 * const options: SubscriptionLoopOptions = { engine, subscriptionId, consume, onError: () => {}, retryDelayMs: 1_000 };
 */
export interface SubscriptionLoopOptions {
  engine: TriggerEngine;
  subscriptionId: string;
  /** Takes a batch; throws a {@link ConsumerFailure} when the caller's handler failed. */
  consume: (events: readonly OutboxEvent[]) => Promise<void>;
  onError: SubscriptionErrorHandler;
  onPoll?: ((report: Result<PollReport, ConnectorError>) => void) | undefined;
  /** How long to wait after a round that threw before trying again (the poll interval). */
  retryDelayMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * A started loop: its handle, and a promise that settles (never rejects) when it has ended.
 *
 * @example
 * const loop: SubscriptionLoop = startSubscriptionLoop(options);
 * void loop.done.then(() => console.log("ended"));
 */
export interface SubscriptionLoop extends SubscriptionHandle {
  readonly done: Promise<void>;
}

/**
 * Runs `TriggerEngine.run` for a subscription in the background until stopped. A round that throws
 * (the handler failed, the store or the transport threw) is reported and retried after
 * `retryDelayMs`: the engine's `run` hands over what is still pending first, so a failed event is
 * offered again, in order.
 *
 * @example
 * const loop = startSubscriptionLoop({ engine, subscriptionId, consume, onError: console.warn, retryDelayMs: 120_000 });
 * await loop.stop();
 */
export function startSubscriptionLoop(options: SubscriptionLoopOptions): SubscriptionLoop {
  const { engine, subscriptionId, consume, onPoll, retryDelayMs } = options;
  const controller = new AbortController();
  const external = options.signal;
  const onAbort = (): void => controller.abort();
  if (external?.aborted === true) controller.abort();
  else external?.addEventListener("abort", onAbort, { once: true });

  const report = (error: unknown, phase: "poll" | "deliver"): void => {
    try {
      options.onError(error, phase);
    } catch {
      // A throwing error handler must not end the subscription.
    }
  };
  const signal = controller.signal;
  const done = (async () => {
    while (!signal.aborted) {
      try {
        await engine.run(subscriptionId, consume, {
          signal,
          onPoll: (result) => {
            if (!result.ok) report(result.error, "poll");
            onPoll?.(result);
          },
        });
      } catch (error) {
        if (error instanceof ConsumerFailure) report(error.original, "deliver");
        else report(error, "poll");
        await sleep(retryDelayMs, signal);
      }
    }
  })().finally(() => external?.removeEventListener("abort", onAbort));

  return {
    subscriptionId,
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/** Waits `ms`, or less if `signal` aborts; never rejects. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const finish = (): void => {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    signal.addEventListener("abort", finish, { once: true });
  });
}
