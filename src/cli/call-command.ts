import { Command, Option } from "commander";
import { operationIds, type ActionId } from "../contract/index.js";
import { ACTIONS, isPagedAction } from "../operations/index.js";
import { validateInput } from "../runtime/index.js";
import { commandSettings, usageError } from "./command-settings.js";
import { addConnectorFlags } from "./connector-flags.js";
import { OutputError, reportFailure, writeStdout } from "./output.js";
import { openSession } from "./session.js";
import type { ConnectorFlags } from "./settings.js";

const ACTION_IDS: readonly ActionId[] = operationIds("action");
/** Output is written in chunks of about this many bytes. */
const CHUNK = 64 * 1024;

/**
 * Reads `--input`: JSON text (an object for every action). Not JSON is a usage error.
 *
 * @example
 * parseJsonInput('{"email":"ada@example.com"}'); // { ok: true, value: { email: "ada@example.com" } }
 */
export function parseJsonInput(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Tells whether a command-line word is an action id.
 *
 * @example
 * isActionId("GetUser"); // true
 */
export function isActionId(value: string): value is ActionId {
  return (ACTION_IDS as readonly string[]).includes(value);
}

/**
 * The `call` command: runs one action and prints its result as JSON on stdout. A paged action (`ListLeads`, …) prints
 * a JSON array streamed one lead per line (`[`, then `{…},` lines, then `]`), so memory stays
 * flat and the output is still one JSON document; a failure mid-way leaves the array unclosed.
 * A failure prints one line on stderr, `error <code>: <message>`, and exits 2 for invalid input,
 * 1 otherwise. A reader that closes the pipe early (`… | head`) stops the listing: exit 0, nothing
 * on stderr.
 *
 * @example
 * program.addCommand(callCommand());
 * // INTERCOM_ACCESS_TOKEN=… intercom-connector call CreateLead --input '{"email":"ada@example.com"}'
 */
export function callCommand(): Command {
  return addConnectorFlags(
    new Command("call")
      .description("Run one action and print its result as JSON")
      .argument("<operationId>", `the action: ${ACTION_IDS.join(", ")}`)
      .addOption(new Option("--input <json>", "the action's input as a JSON object").default("{}")),
  ).action(async (operationId: string, options: ConnectorFlags & { input: string }, command: Command) => {
    if (!isActionId(operationId)) usageError(command, `unknown operation '${operationId}'; valid operation ids: ${ACTION_IDS.join(", ")}`);
    const json = parseJsonInput(options.input);
    if (!json.ok) usageError(command, `--input is not valid JSON (${json.reason})`);
    // Parsed once, before the store is opened: invalid input leaves nothing behind and calls nobody.
    const input = validateInput(operationId, json.value);
    if (!input.ok) throw reportFailure(input.error);
    const settings = commandSettings(command, options);

    const session = await openSession(settings);
    try {
      const result = await session.client.run(operationId, input.value);
      if (!result.ok) throw reportFailure(result.error);
      if (isPagedAction(ACTIONS[operationId])) await printArray(result.value as AsyncIterable<unknown>);
      else await writeStdout(`${JSON.stringify(result.value)}\n`);
    } finally {
      await session.close();
    }
  });
}

/**
 * Streams items as a JSON array, one item per line; a failure is reported after what was written.
 * Each chunk is awaited until it is out, so a slow reader slows the listing instead of the
 * process holding what the pipe has not taken.
 */
async function printArray(items: AsyncIterable<unknown>): Promise<void> {
  let pending = "[";
  let first = true;
  try {
    for await (const item of items) {
      pending += `${first ? "\n" : ",\n"}${JSON.stringify(item)}`;
      first = false;
      if (pending.length >= CHUNK) {
        const chunk = pending;
        pending = "";
        await writeStdout(chunk);
      }
    }
  } catch (error) {
    // Output that cannot be written ends the listing (leaving the loop closes the pages).
    if (error instanceof OutputError) throw error;
    // The listing's failure is what to report, even if the reader is gone by now.
    await writeStdout(`${pending}\n`).catch(() => undefined);
    throw reportFailure(error);
  }
  await writeStdout(`${pending}${first ? "" : "\n"}]\n`);
}
