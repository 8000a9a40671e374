import cliProgress from "cli-progress";
import { Argument, Command, Option } from "commander";
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync } from "node:fs";
import { resolve } from "node:path";
import type { ConnectionClient } from "../connector/index.js";
import { commandSettings } from "./command-settings.js";
import { addConnectorFlags } from "./connector-flags.js";
import { reportFailure, writeAllSync, writeStdout } from "./output.js";
import { openSession } from "./session.js";
import type { ConnectorFlags } from "./settings.js";

/** Lines are written to the file in chunks of about this many bytes. */
const CHUNK = 64 * 1024;

/**
 * How an export shows its progress: a bar on a terminal, nothing otherwise.
 *
 * @example
 * const progress: ExportProgress = progressFor(process.stderr);
 */
export interface ExportProgress {
  start(total: number): void;
  update(written: number): void;
  stop(): void;
}

/**
 * A `cli-progress` bar on `stream` when it is a terminal; otherwise a progress that shows nothing
 * (so logs and pipes stay clean).
 *
 * @example
 * const progress = progressFor(process.stderr);
 * progress.start(total); progress.update(n); progress.stop();
 */
export function progressFor(stream: NodeJS.WriteStream): ExportProgress {
  if (stream.isTTY !== true) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream, format: "leads {bar} {value}/{total} | {percentage}% | {duration_formatted}", hideCursor: true, etaBuffer: 50 },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  return {
    start(t) {
      total = t;
      bar.start(t, 0);
    },
    update(written) {
      // Search counts lag creations: a total passed by the real count grows with it.
      if (written > total) bar.setTotal((total = written));
      bar.update(written);
    },
    stop: () => bar.stop(),
  };
}

/**
 * Writes every lead as NDJSON into `path`: streamed page by page (memory stays flat) into a
 * temporary file beside it, synced and renamed into place once complete, so `path` never holds a
 * partial export. Returns how many leads were written; a failure is thrown.
 *
 * @example
 * const count = await exportLeads(client, "leads.ndjson", progressFor(process.stderr));
 */
export async function exportLeads(client: ConnectionClient, path: string, progress: ExportProgress, showTotal: boolean): Promise<number> {
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(temporary, "wx", 0o644);
  let count = 0;
  try {
    let total = 0;
    if (showTotal) {
      const counted = await client.countLeads();
      if (counted.ok) total = counted.value;
    }
    progress.start(total);
    let pending = "";
    for await (const lead of client.listLeads()) {
      pending += `${JSON.stringify(lead)}\n`;
      count++;
      if (pending.length >= CHUNK) {
        writeAllSync(fd, pending);
        pending = "";
        progress.update(count);
      }
    }
    writeAllSync(fd, pending);
    progress.update(count);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temporary);
    throw error;
  } finally {
    progress.stop();
  }
  closeSync(fd);
  renameSync(temporary, path);
  return count;
}

/**
 * The `export` command: `export leads --out FILE` writes every lead as NDJSON into FILE, with a
 * progress bar on stderr when stderr is a terminal, then prints `exported N leads to FILE`.
 *
 * @example
 * program.addCommand(exportCommand());
 * // INTERCOM_ACCESS_TOKEN=… intercom-connector export leads --out leads.ndjson
 */
export function exportCommand(): Command {
  return addConnectorFlags(
    new Command("export")
      .description("Write every lead as NDJSON into a file")
      .addArgument(new Argument("<what>", "what to export").choices(["leads"]))
      .addOption(new Option("--out <file>", "the NDJSON file to write (replaced once the export is complete)").makeOptionMandatory()),
  ).action(async (_what: string, options: ConnectorFlags & { out: string }, command: Command) => {
    const settings = commandSettings(command, options);
    const path = resolve(options.out);
    const session = await openSession(settings);
    try {
      const showBar = process.stderr.isTTY === true;
      const count = await exportLeads(session.client, path, progressFor(process.stderr), showBar).catch((error: unknown) => {
        throw reportFailure(error);
      });
      await writeStdout(`exported ${count} lead${count === 1 ? "" : "s"} to ${path}\n`);
    } finally {
      await session.close();
    }
  });
}
