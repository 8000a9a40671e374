import { Command, Option } from "commander";
import { isConnectorError, operationIds, type TriggerId } from "../contract/index.js";
import type { TriggerEvent } from "../connector/index.js";
import { commandSettings, usageError } from "./command-settings.js";
import { addConnectorFlags } from "./connector-flags.js";
import { watchSubscriptionKey } from "./env-connection.js";
import { parsePositiveInteger } from "./options.js";
import { isBrokenPipe, writeAllSync } from "./output.js";
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
 * restart with the same state goes on where the last run stopped. Each batch is written with one
 * synchronous write and acknowledged right after: a SIGKILL between the two is the only way a
 * line can be printed twice (that batch, on the next run); nothing is ever lost. SIGINT and
 * SIGTERM stop it cleanly (exit 0), as does stdout closing (`… | head`).
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
    const session = await openSession(settings);
    try {
      const key = watchSubscriptionKey(session.connectionId, triggerId);
      const known = await session.store.getSetting(key);
      const resume = known !== null && (await session.store.getSubscription(known)) !== null ? known : undefined;
      const stdoutClosed = new AbortController();
      let baselineTold = false;
      const handle = await session.client.subscribeBatches(
        triggerId,
        (events) => {
          try {
            writeAllSync(1, ndjson(events));
          } catch (error) {
            // Not acknowledged: the batch stays pending for the next run.
            if (isBrokenPipe(error)) stdoutClosed.abort();
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
            if (isBrokenPipe(error)) return;
            status(isConnectorError(error) ? `warning ${error.code}: ${error.message} (retrying)` : `warning: ${error instanceof Error ? error.message : String(error)} (retrying)`);
          },
        },
      );
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

/** One status line for the human on stderr (stdout carries only events). */
function status(line: string): void {
  try {
    writeAllSync(2, `${line.replace(/\s*\n\s*/g, " ")}\n`);
  } catch {
    // stderr gone: nothing to tell anyone.
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
