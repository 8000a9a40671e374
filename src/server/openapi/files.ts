import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildApiProperties, type ApiPropertiesOptions } from "./api-properties.js";
import { buildMcpApiProperties, buildMcpSwagger } from "./mcp-operation.js";
import { buildSwagger, type SwaggerOptions } from "./swagger.js";

/** The file Power Platform reads the OpenAPI definition from. */
export const API_DEFINITION_FILE = "apiDefinition.swagger.json";
/** The file Power Platform reads the connection parameters and policies from. */
export const API_PROPERTIES_FILE = "apiProperties.json";

/** What {@link connectorFiles} and {@link writeConnectorFiles} take. */
export type ConnectorFilesOptions = SwaggerOptions & ApiPropertiesOptions & {
  /** Only the MCP operation, for Copilot Studio agents (`openapi --mcp`). */
  mcp?: boolean | undefined;
};

/**
 * The custom connector's files, by name, as the text to write (two-space JSON and a newline).
 *
 * @example
 * const files = connectorFiles({ host: "connector.example.com" });
 * JSON.parse(files[API_DEFINITION_FILE]).swagger; // "2.0"
 */
export function connectorFiles(options: ConnectorFilesOptions = {}): Record<typeof API_DEFINITION_FILE | typeof API_PROPERTIES_FILE, string> {
  return {
    [API_DEFINITION_FILE]: `${JSON.stringify(options.mcp === true ? buildMcpSwagger(options) : buildSwagger(options), null, 2)}\n`,
    [API_PROPERTIES_FILE]: `${JSON.stringify(options.mcp === true ? buildMcpApiProperties(options) : buildApiProperties(options), null, 2)}\n`,
  };
}

/**
 * Writes apiDefinition.swagger.json and apiProperties.json into `dir` (created when missing), the
 * layout `paconn create --api-def … --api-prop …` and the Power Platform CLI read. Resolves with
 * the paths written.
 *
 * @example
 * await writeConnectorFiles("./connector", { host: "connector.example.com" });
 */
export async function writeConnectorFiles(dir: string, options: ConnectorFilesOptions = {}): Promise<string[]> {
  const files = connectorFiles(options);
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    await writeFile(path, text, "utf8");
    written.push(path);
  }
  return written;
}
