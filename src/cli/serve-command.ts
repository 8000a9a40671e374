import { Command, Option } from "commander";
import { addConnectorFlags } from "./connector-flags.js";
import { parseBaseUrl, parseHost, parsePort, parsePositiveInteger, parsePositiveNumber } from "./options.js";
import { serviceBanner, startService } from "./run-service.js";
import { usageError } from "./command-settings.js";
import { DEFAULT_SERVICE_HOST, DEFAULT_SERVICE_PORT, parseAllowedHosts, parseLogFormat, parseLogLevel, parseServiceHosts, resolveServeSettings, type ServeFlags, type ServeSettings } from "./serve-settings.js";
import { UsageError } from "./settings.js";
import { untilSignal } from "./signals.js";

/**
 * The `serve` command: runs the HTTP service in the foreground until SIGINT or SIGTERM, then
 * stops accepting, lets the requests and deliveries in flight finish, and exits 0. With no
 * Intercom access token it starts the emulator in-process with demo data and prints an API key
 * that works at once. Every flag mirrors an environment variable (docs/service.md).
 *
 * @example
 * program.addCommand(serveCommand());
 * // intercom-connector serve --port 0
 */
export function serveCommand(): Command {
  return addConnectorFlags(new Command("serve").description("Run the HTTP service (Power Platform custom connector API)"))
    .addOption(new Option("--port <port>", `port to listen on, 0 for a free one (env PORT; default ${DEFAULT_SERVICE_PORT})`).argParser(parsePort))
    .addOption(new Option("--host <host>", `address to listen on (env HOST; default ${DEFAULT_SERVICE_HOST}; 0.0.0.0 in a container)`).argParser(parseHost))
    .addOption(new Option("--interval <seconds>", "a trigger asks Intercom at most this often (env POLL_INTERVAL_SECONDS; default 120)").argParser(parsePositiveInteger))
    .addOption(new Option("--api-key <key>", "the default connection's API key (env CONNECTOR_API_KEY; default generated and printed)"))
    .addOption(
      new Option("--admin-key <key>", "needed in X-Admin-Key to create connections (env CONNECTOR_ADMIN_KEY; unset: only in demo mode or from this machine when listening on loopback)"),
    )
    .addOption(new Option("--public-url <url>", "the URL clients reach the service at, for Location and nextLink (env PUBLIC_BASE_URL)").argParser(parseBaseUrl))
    .addOption(
      new Option("--allowed-hosts <hosts>", "the Host values the service answers, host or host:port, comma-separated; others get 421 (env ALLOWED_HOSTS; default: any)").argParser(
        parseServiceHosts,
      ),
    )
    .addOption(new Option("--intercom-client-secret <secret>", "the Intercom app's client secret, to verify its webhooks (env INTERCOM_CLIENT_SECRET)"))
    .addOption(new Option("--intercom-client-id <id>", "the public Intercom app's client id: with its secret, the console's Connect with Intercom (env INTERCOM_CLIENT_ID)"))
    .addOption(new Option("--log-level <level>", "pino log level (env LOG_LEVEL; default info)").argParser(parseLogLevel))
    .addOption(new Option("--log-format <format>", "auto (pretty on a terminal, else JSON), pretty or json (env LOG_FORMAT; default auto)").argParser(parseLogFormat))
    .addOption(new Option("--poll-concurrency <n>", "webhook trigger polls run at once by this instance (env WORKER_POLL_CONCURRENCY; default 16)").argParser(parsePositiveInteger))
    .addOption(new Option("--lease <seconds>", "claims on webhook polls and deliveries last this long; a dead instance's work moves on after it (env WORKER_LEASE_SECONDS; default 60)").argParser(parsePositiveNumber))
    .addOption(new Option("--webhook-timeout <seconds>", "a webhook receiver's time to answer one delivery, at most half the lease (env WEBHOOK_TIMEOUT_SECONDS; default 10)").argParser(parsePositiveNumber))
    .addOption(
      new Option(
        "--allow-private-callbacks",
        "let webhooks call private, loopback and link-local addresses and localhost (env WEBHOOK_ALLOW_PRIVATE_CALLBACKS=true; default: only in demo mode)",
      ),
    )
    .addOption(
      new Option("--webhook-allowed-hosts <hosts>", "host names, addresses or CIDR ranges webhooks may call even if private, comma-separated (env WEBHOOK_ALLOWED_HOSTS)").argParser(
        parseAllowedHosts,
      ),
    )
    .addOption(
      new Option("--retention-interval <seconds>", "prune delivered events, dead letters and old dedupe keys this often (env RETENTION_INTERVAL_SECONDS; default 900)").argParser(
        parsePositiveNumber,
      ),
    )
    .addOption(new Option("--retention-delivered <hours>", "keep delivered events this long (env RETENTION_DELIVERED_HOURS; default 24)").argParser(parsePositiveNumber))
    .addOption(new Option("--retention-dead <days>", "keep dead letters, replayable, this long after they died (env RETENTION_DEAD_DAYS; default 7)").argParser(parsePositiveNumber))
    .addOption(
      new Option("--retention-dedupe <days>", "remember emitted events' dedupe keys this long, at least 1 (env RETENTION_DEDUPE_DAYS; default 7)").argParser(parsePositiveNumber),
    )
    .addOption(
      new Option("--subscription-idle <seconds>", "a Power Automate polling subscription no flow polled this long expires, at least 3600 (env TRIGGER_SUBSCRIPTION_IDLE_SECONDS; default 604800: 7 days)").argParser(
        parsePositiveInteger,
      ),
    )
    .action(async (flags: ServeFlags, command: Command) => {
      let settings: ServeSettings;
      try {
        settings = resolveServeSettings(flags, process.env);
      } catch (error) {
        if (error instanceof UsageError) usageError(command, error.message);
        throw error;
      }
      // Listen for signals from the start: one that arrives while starting still ends in a clean exit.
      const stopped = untilSignal();
      const running = await startService(settings);
      // One write: no log line lands inside the banner.
      process.stdout.write(serviceBanner(running).map((line) => `${line}\n`).join(""));
      for (const line of running.warnings) process.stderr.write(`${line}\n`);
      await stopped;
      await running.close();
    });
}
