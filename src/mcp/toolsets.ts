import { connectorError, DEFAULT_TOOL_AREAS, err, isToolArea, ok, TOOL_AREAS, type ConnectorError, type Result, type ToolArea } from "../contract/index.js";

/** The toolset word that names every area. */
export const ALL_TOOLSETS = "all";

/**
 * Reads a toolsets list (`?toolsets=` on `/mcp`, `--toolsets` on `intercom-connector mcp`): area
 * names separated by commas, or `all`; absent or empty, the default areas (under 30 tools). An
 * unknown name is an `invalid_input` naming `field` and listing the areas.
 *
 * @example
 * parseToolsets("contacts,companies", "toolsets"); // { ok: true, value: ["contacts", "companies"] }
 * parseToolsets("chat", "toolsets"); // { ok: false, error: { code: "invalid_input", field: "toolsets" } }
 */
export function parseToolsets(text: string | undefined, field: string): Result<readonly ToolArea[], ConnectorError> {
  const words = (text ?? "")
    .split(",")
    .map((word) => word.trim())
    .filter((word) => word !== "");
  if (words.length === 0) return ok(DEFAULT_TOOL_AREAS);
  if (words.includes(ALL_TOOLSETS)) return ok(TOOL_AREAS);
  const unknown = words.find((word) => !isToolArea(word));
  if (unknown !== undefined) {
    const reason = `names ${JSON.stringify(unknown.slice(0, 40))}, not an area: use ${TOOL_AREAS.join(", ")} or ${ALL_TOOLSETS}`;
    return err(connectorError("invalid_input", { field, reason }, { field }));
  }
  return ok([...new Set(words as ToolArea[])]);
}
