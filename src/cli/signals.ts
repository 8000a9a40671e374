/**
 * Resolves on the first SIGINT or SIGTERM (and stops listening for them). Listening from the start
 * of a command means a signal that arrives while it is still starting ends it cleanly too.
 *
 * @example
 * const stopped = untilSignal();
 * const running = await start();
 * await stopped;
 * await running.close();
 */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
