import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { Command } from "commander";
import { afterEach, describe, expect, it } from "vitest";
import { registerOpenapiCommand } from "../../cli/openapi-command.js";
import { buildMcpApiProperties, buildMcpSwagger, MCP_PATH } from "./mcp-operation.js";
import { buildSwagger } from "./swagger.js";
import { AGENTIC_PROTOCOL, apiDefinitionValidator, apiPropertiesValidator, POWER_PLATFORM_DIR, readJsonc } from "./testing/power-platform.js";

// Copilot Studio reaches an MCP server through a custom connector whose operation carries
// `x-ms-agentic-protocol: mcp-streamable-1.0`: the service's Swagger file has it beside the
// actions, and `openapi --mcp` writes a connector holding only it.

const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Microsoft's schema exactly as vendored, without the agentic-protocol keyword it predates. */
function untouchedValidator(): (document: unknown) => boolean {
  const ajv = new AjvDraft04({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(readJsonc(`${POWER_PLATFORM_DIR}/apiDefinition.swagger.schema.json`) as object);
}

function withoutAgenticProtocol(document: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(document) as { paths: Record<string, { post?: Record<string, unknown> }> };
  delete copy.paths[MCP_PATH]?.post?.[AGENTIC_PROTOCOL];
  return copy;
}

describe("the MCP operation in the Swagger file", () => {
  it("is POST /mcp with x-ms-agentic-protocol mcp-streamable-1.0, behind the API key, in the service's file", async () => {
    const swagger = buildSwagger({ host: "connector.example.com" });
    const post = swagger.paths[MCP_PATH]?.post as Record<string, unknown>;
    expect(post).toMatchObject({ operationId: "InvokeMCP", [AGENTIC_PROTOCOL]: "mcp-streamable-1.0", parameters: [{ name: "toolsets", in: "query", required: false, type: "string" }] });
    expect(swagger.security).toEqual([{ api_key: [] }]);
    expect(apiDefinitionValidator()(swagger)).toEqual([]);
    await expect(SwaggerParser.validate(structuredClone(swagger) as never)).resolves.toBeDefined();
    // The only thing Microsoft's schema as vendored does not know is that one keyword.
    expect(untouchedValidator()(withoutAgenticProtocol(swagger))).toBe(true);
    expect(untouchedValidator()(swagger)).toBe(false);
  });

  it("is all the --mcp connector holds, with the same host and API key, valid for Power Platform", async () => {
    const swagger = buildMcpSwagger({ host: "connector.example.com", basePath: "/intercom" });
    expect(Object.keys(swagger.paths)).toEqual([MCP_PATH]);
    expect(Object.keys(swagger.paths[MCP_PATH] ?? {})).toEqual(["post"]);
    expect(swagger).toMatchObject({ host: "connector.example.com", basePath: "/intercom", securityDefinitions: { api_key: { type: "apiKey", in: "header", name: "X-API-Key" } } });
    expect(apiDefinitionValidator()(swagger)).toEqual([]);
    expect(untouchedValidator()(withoutAgenticProtocol(swagger))).toBe(true);
    await expect(SwaggerParser.validate(structuredClone(swagger) as never)).resolves.toBeDefined();
    const properties = buildMcpApiProperties({ host: "connector.example.com" });
    expect(apiPropertiesValidator()(properties)).toEqual([]);
    expect((properties.properties.policyTemplateInstances as Array<{ templateId: string }>).map((policy) => policy.templateId)).toEqual(["dynamichosturl"]);
  });

  it("is what `intercom-connector openapi --out DIR --mcp` writes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "openapi-mcp-"));
    dirs.push(dir);
    let out = "";
    const program = new Command("intercom-connector").exitOverride().configureOutput({ writeOut: (text) => (out += text) });
    registerOpenapiCommand(program);
    await program.parseAsync(["node", "intercom-connector", "openapi", "--out", dir, "--mcp", "--host", "connector.example.com"]);
    expect(out).toBe(`wrote ${join(dir, "apiDefinition.swagger.json")}\nwrote ${join(dir, "apiProperties.json")}\n`);
    const written = JSON.parse(await readFile(join(dir, "apiDefinition.swagger.json"), "utf8")) as Record<string, unknown>;
    expect(written).toEqual(buildMcpSwagger({ host: "connector.example.com" }));
    expect(apiDefinitionValidator()(written)).toEqual([]);
    expect(apiPropertiesValidator()(JSON.parse(await readFile(join(dir, "apiProperties.json"), "utf8")))).toEqual([]);
    // The tools' own schemas are the MCP server's to list: the connector holds no definitions.
    expect(written.definitions).toEqual({});
  });
});
