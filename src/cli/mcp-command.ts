import { Command, Option } from "commander";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createMcpServer, parseToolsets } from "../mcp/index.js";
import { TriggerPolls } from "../runtime/index.js";
import { commandSettings, usageError } from "./command-settings.js";
import { addConnectorFlags } from "./connector-flags.js";
import { openSession } from "./session.js";
import type { ConnectorFlags } from "./settings.js";
import { untilSignal } from "./signals.js";

/**
 * The `mcp` command: the connector as an MCP server over stdio (JSON-RPC lines on stdin and
 * stdout, nothing else on stdout), for the environment's connection as `call` gets it. Every tool
 * call runs on the runtime as `call` does (the same validation, budget and errors).
 * `--toolsets a,b` picks the areas (default: contacts, contact-lists, companies, notes; `all`
 * for every tool); an unknown one is a usage error (exit 2) before anything is opened. It ends
 * cleanly (exit 0) when stdin closes, or on SIGINT or SIGTERM.
 *
 * @example
 * program.addCommand(mcpCommand());
 * // INTERCOM_ACCESS_TOKEN=… intercom-connector mcp --toolsets contacts,companies
 */
export function mcpCommand(): Command {
  return addConnectorFlags(
    new Command("mcp")
      .description("Serve the connector's actions and triggers as MCP tools over stdio (for AI agents)")
      .addOption(new Option("--toolsets <areas>", "areas whose tools to offer, comma-separated, or all (default contacts,contact-lists,companies,notes)")),
  ).action(async (options: ConnectorFlags & { toolsets?: string }, command: Command) => {
    const toolsets = parseToolsets(options.toolsets, "--toolsets");
    if (!toolsets.ok) usageError(command, toolsets.error.message);
    const settings = commandSettings(command, options);
    const signalled = untilSignal();
    const session = await openSession(settings, { retention: true });
    try {
      const runtime = session.connector.runtime;
      const server = createMcpServer({ runtime, connectionId: session.connectionId, toolsets: toolsets.value, polls: new TriggerPolls(runtime) });
      const stdinClosed = new Promise<void>((resolve) => {
        process.stdin.once("end", resolve);
        process.stdin.once("close", resolve);
      });
      await server.connect(new StdioServerTransport());
      await Promise.race([signalled, stdinClosed]);
      await server.close();
    } finally {
      await session.close();
    }
  });
}
