import { Command, Option } from "commander";
import { isConnectorError, operationIds, type TriggerId } from "../contract/index.js";
import type { TriggerEvent } from "../connector/index.js";
import { commandSettings, usageError } from "./command-settings.js";
import { addConnectorFlags } from "./connector-flags.js";
import { watchSubscriptionKey } from "./env-connection.js";
import { parsePositiveInteger } from "./options.js";
import { OutputError, writeStderr, writeStdout } from "./output.js";
import { openSession } from "./session.js";
import type { ConnectorFlags } from "./settings.js";
import { untilSignal } from "./signals.js";

const TRIGGER_IDS: readonly TriggerId[] = operationIds("trigger");

/**
 * Tells whether a command-line word is a trigger id.
 *
 * @example
 * isTriggerId("TrigNewLead"); // true
 */
export function isTriggerId(value: string): value is TriggerId {
  return (TRIGGER_IDS as readonly string[]).includes(value);
}

/**
 * A batch of events as NDJSON: one trigger response object per line.
 *
 * @example
 * ndjson([{ id: 1, dedupeKey: "a", payload: lead }]); // '{"id":"a",…}\n'
 */
export function ndjson(events: ReadonlyArray<TriggerEvent<TriggerId>>): string {
  return events.map((event) => `${JSON.stringify(event.payload)}\n`).join("");
}

/**
 * The `watch` command: prints each event of a trigger as one JSON line on stdout, as events come.
 * Its subscription is kept in the store (under `--state`, keyed by connection and trigger), so a
 * restart with the same state goes on where the last run stopped. Each batch is acknowledged once
 * its write is out (handed to the OS): a SIGKILL between the two is the only way a line can be
 * printed twice (that batch, on the next run); nothing is ever lost. SIGINT and SIGTERM stop it
 * cleanly (exit 0) once the events being handed over are written out, however slowly the reader
 * reads; a second SIGINT or SIGTERM ends it at once (what was not acknowledged comes next time).
 * stdout closing (`… | head`) stops it quietly with exit 0.
 *
 * @example
 * program.addCommand(watchCommand());
 * // INTERCOM_ACCESS_TOKEN=… intercom-connector watch TrigNewLead --interval 30 --state ./watch-state
 */
export function watchCommand(): Command {
  return addConnectorFlags(
    new Command("watch")
      .description("Print each event of a trigger as one JSON line (NDJSON) as it comes")
      .argument("<triggerId>", `the trigger: ${TRIGGER_IDS.join(", ")}`)
      .addOption(new Option("--interval <seconds>", "seconds between polls (env POLL_INTERVAL_SECONDS; default 120)").argParser(parsePositiveInteger)),
  ).action(async (triggerId: string, options: ConnectorFlags, command: Command) => {
    if (!isTriggerId(triggerId)) usageError(command, `unknown trigger '${triggerId}'; valid trigger ids: ${TRIGGER_IDS.join(", ")}`);
    const settings = commandSettings(command, options);
    const signalled = untilSignal();
    const session = await openSession(settings, { retention: true });
    try {
      const key = watchSubscriptionKey(session.connectionId, triggerId);
      const known = await session.store.getSetting(key);
      const resume = known !== null && (await session.store.getSubscription(known)) !== null ? known : undefined;
      const stdoutClosed = new AbortController();
      let baselineTold = false;
      const subscribed = await session.client.subscribeBatches(
        triggerId,
        async (events) => {
          try {
            await writeStdout(ndjson(events));
          } catch (error) {
            // Not acknowledged: the batch stays pending for the next run.
            if (error instanceof OutputError && error.readerGone) stdoutClosed.abort();
            throw error;
          }
        },
        {
          ...(resume === undefined ? {} : { subscriptionId: resume }),
          signal: stdoutClosed.signal,
          onPoll: (report) => {
            if (report.ok && report.value.baseline && !baselineTold) {
              baselineTold = true;
              status("baseline recorded: events from now on follow");
            }
          },
          onError: (error) => {
            if (error instanceof OutputError && error.readerGone) return;
            status(isConnectorError(error) ? `warning ${error.code}: ${error.message} (retrying)` : `warning: ${error instanceof Error ? error.message : String(error)} (retrying)`);
          },
        },
      );
      if (!subscribed.ok) throw subscribed.error;
      const handle = subscribed.value;
      if (resume === undefined) await session.store.setSetting(key, handle.subscriptionId);
      status(resume === undefined
        ? `watching ${triggerId}: new subscription ${handle.subscriptionId}, every ${settings.pollIntervalSeconds} s; the first poll records what exists`
        : `watching ${triggerId}: resuming subscription ${handle.subscriptionId}, every ${settings.pollIntervalSeconds} s`);
      await Promise.race([signalled, aborted(stdoutClosed.signal)]);
      await handle.stop();
    } finally {
      await session.close();
    }
  });
}

/** One status line for the human on stderr (stdout carries only events); stderr gone: nobody to tell. */
function status(line: string): void {
  void writeStderr(`${line.replace(/\s*\n\s*/g, " ")}\n`);
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
