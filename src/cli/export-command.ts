import cliProgress from "cli-progress";
import { Argument, Command, Option } from "commander";
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { ConnectionClient } from "../connector/index.js";
import { commandSettings } from "./command-settings.js";
import { addConnectorFlags } from "./connector-flags.js";
import { reportFailure, reportUsage, writeAllSync, writeStdout } from "./output.js";
import { openSession, type CliSession } from "./session.js";
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

/** The file an export writes into a directory given as `--out`. */
export const EXPORT_FILE_NAME = "leads.ndjson";

/**
 * Where an export goes and the temporary file it is written into first, beside it: opened (0600:
 * lead data) before anything is fetched, so a folder that cannot be written is found out first.
 *
 * @example
 * const file = openExportFile("./exports"); // writes ./exports/leads.ndjson
 */
export interface ExportFile {
  /** The NDJSON file the export ends as. */
  path: string;
  fd: number;
  temporary: string;
}

/**
 * Opens the export's temporary file for `out`: `out` itself, or `out/leads.ndjson` when `out` is
 * a directory. Throws a one-line `Error` saying what to give instead when it cannot be written
 * there (a missing folder, no permission, a directory where the file would go).
 *
 * @example
 * const file = openExportFile(options.out);
 */
export function openExportFile(out: string): ExportFile {
  const given = resolve(out);
  // `resolve` drops a trailing slash, which says the user meant a folder.
  if (/[\\/]$/.test(out) && !isDirectory(given)) throw new Error(`cannot write into ${given}: there is no such folder; create it, or give --out a file name`);
  const path = isDirectory(given) ? join(given, EXPORT_FILE_NAME) : given;
  if (isDirectory(path)) throw new Error(`cannot write ${path}: it is a directory; give --out a file name or a folder without ${EXPORT_FILE_NAME} in it`);
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    return { path, fd: openSync(temporary, "wx", 0o600), temporary };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`cannot write into ${dirname(path)} (${code}): give --out a file in a folder that exists and you can write`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Writes every lead as NDJSON into `file`: streamed page by page (memory stays flat) into its
 * temporary file, synced and renamed into place once complete, so `file.path` never holds a
 * partial export and no temporary file stays behind, whatever fails. Returns how many leads were
 * written; a failure is thrown.
 *
 * @example
 * const count = await exportLeads(client, openExportFile("leads.ndjson"), progressFor(process.stderr), false);
 */
export async function exportLeads(client: ConnectionClient, file: ExportFile, progress: ExportProgress, showTotal: boolean): Promise<number> {
  const { fd, temporary } = file;
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
    closeSync(fd);
    renameSync(temporary, file.path);
  } catch (error) {
    discard(file);
    throw error;
  } finally {
    progress.stop();
  }
  return count;
}

/**
 * Closes and removes an export's temporary file (an export that will not happen, or failed).
 *
 * @example
 * discard(file);
 */
export function discard(file: ExportFile): void {
  try {
    closeSync(file.fd);
  } catch {
    // Already closed (the failure came after closing it).
  }
  rmSync(file.temporary, { force: true });
}

/**
 * The `export` command: `export leads --out FILE` writes every lead as NDJSON into FILE (into
 * `DIR/leads.ndjson` when given a directory; refused before any Intercom call if it cannot be
 * written there, exit 2), with a
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
      .addOption(new Option("--out <file>", `the NDJSON file to write, or a folder to write ${EXPORT_FILE_NAME} into (replaced once the export is complete)`).makeOptionMandatory()),
  ).action(async (_what: string, options: ConnectorFlags & { out: string }, command: Command) => {
    const settings = commandSettings(command, options);
    // Before the store and Intercom: a destination that cannot be written costs nothing.
    let file: ExportFile;
    try {
      file = openExportFile(options.out);
    } catch (error) {
      throw reportUsage(error instanceof Error ? error.message : String(error));
    }
    let session: CliSession;
    try {
      session = await openSession(settings);
    } catch (error) {
      discard(file);
      throw error;
    }
    try {
      const showBar = process.stderr.isTTY === true;
      const count = await exportLeads(session.client, file, progressFor(process.stderr), showBar).catch((error: unknown) => {
        throw reportFailure(error);
      });
      await writeStdout(`exported ${count} lead${count === 1 ? "" : "s"} to ${file.path}\n`);
    } finally {
      await session.close();
    }
  });
}
