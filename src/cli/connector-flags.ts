import { Option, type Command } from "commander";
import { parseBaseUrl, parseDirectory, parseIntercomVersion, parsePositiveInteger, parsePositiveNumber, parseRegion } from "./options.js";
import { parseActionDeadline } from "./settings.js";

/**
 * Adds the flags every command that talks to Intercom takes; each mirrors an environment
 * variable (see `resolveSettings`), and a flag wins over its variable.
 *
 * @example
 * addConnectorFlags(new Command("call"));
 */
export function addConnectorFlags(command: Command): Command {
  return command
    .addOption(new Option("--access-token <token>", "Intercom access token (env INTERCOM_ACCESS_TOKEN; prefer the variable: flags show in process lists)"))
    .addOption(new Option("--region <region>", "Intercom region: us, eu or au (env INTERCOM_REGION; default us)").argParser(parseRegion))
    .addOption(new Option("--base-url <url>", "Intercom-compatible API base URL, overrides the region (env INTERCOM_BASE_URL)").argParser(parseBaseUrl))
    .addOption(new Option("--intercom-version <version>", "Intercom-Version header (env INTERCOM_VERSION; default 2.14)").argParser(parseIntercomVersion))
    .addOption(new Option("--state <dir>", "directory of the SQLite store and the generated key (default ./data); given, DATABASE_URL and CONNECTOR_SECRET_KEY are not read").argParser(parseDirectory))
    .addOption(new Option("--database-url <url>", "the store: a SQLite path, sqlite:///abs/file.db, or postgres://user@host/db (env DATABASE_URL; default <state>/connector.db)"))
    .addOption(new Option("--secret-key <key>", "32-byte key encrypting tokens, hex or base64 (env CONNECTOR_SECRET_KEY; default <state>/secret.key, generated)"))
    .addOption(new Option("--calls-per-minute <n>", "the connection's call budget per window (env CONNECTION_CALLS_PER_MINUTE; default 100)").argParser(parsePositiveInteger))
    .addOption(new Option("--call-window <seconds>", "the budget's sliding window in seconds (env CONNECTION_CALL_WINDOW_SECONDS; default 60)").argParser(parsePositiveNumber))
    .addOption(new Option("--action-deadline <seconds>", "the longest one action call may take, whatever Intercom does; then 504 intercom_timeout (env ACTION_DEADLINE_SECONDS; default 30, at most 3600)").argParser(parseActionDeadline));
}
