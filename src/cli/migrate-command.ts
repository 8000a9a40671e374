import { Command, Option } from "commander";
import { migrateDatabase } from "../store/index.js";
import { parseDirectory } from "./options.js";
import { reportFailure, writeAllSync } from "./output.js";
import { resolveDatabaseUrl } from "./settings.js";

/** What the `migrate` command was given. */
interface MigrateCliOptions {
  databaseUrl?: string;
  state?: string;
}

/**
 * The `migrate` command: applies the schema migrations the database (`DATABASE_URL`, SQLite or
 * PostgreSQL) lacks and prints one line with the schema version. Several instances may run it at
 * once: the database serialises them and each migration is applied once. `serve` migrates on start
 * too; this command lets a deploy migrate first, and fails (exit 1, one line) on a database it
 * cannot reach or one migrated by a newer release.
 *
 * @example
 * program.addCommand(migrateCommand());
 * // DATABASE_URL=postgres://connector@db/connector intercom-connector migrate
 * // → "migrated to schema version 2 (applied 1, 2)"
 */
export function migrateCommand(): Command {
  return new Command("migrate")
    .description("Apply the database schema migrations (DATABASE_URL: SQLite or PostgreSQL), then exit")
    .addOption(new Option("--database-url <url>", "the store: sqlite:///abs/file.db, a path, or postgres://… (env DATABASE_URL; default <state>/connector.db)"))
    .addOption(new Option("--state <dir>", "directory of the default SQLite store (default ./data); given, DATABASE_URL is not read").argParser(parseDirectory))
    .action(async (options: MigrateCliOptions) => {
      const url = resolveDatabaseUrl(options, process.env);
      let report;
      try {
        report = await migrateDatabase(url);
      } catch (error) {
        throw reportFailure(error);
      }
      const applied = report.applied.length === 0 ? "nothing to apply" : `applied ${report.applied.join(", ")}`;
      writeAllSync(1, `${report.applied.length === 0 ? "up to date at" : "migrated to"} schema version ${report.version} (${applied})\n`);
    });
}
