import {
  OPERATIONS,
  TOOL_METADATA,
  toolIdsOf,
  toolJsonSchema,
  type ActionId,
  type OperationId,
  type ToolArea,
  type ToolHints,
  type ToolJsonObject,
  type TriggerId,
} from "../contract/index.js";
import { ACTIONS, isPagedAction } from "../operations/index.js";
import { TRIGGERS } from "../triggers/index.js";

/** The input property a paged tool's next page is asked with, and a trigger tool's last look. */
export const CURSOR_ARGUMENT = "cursor";
/** The property of a paged tool's result that holds the cursor of the next page (absent on the last). */
export const NEXT_CURSOR_PROPERTY = "next_cursor";
/** The property of a paged tool's result that holds the page's items. */
export const ITEMS_PROPERTY = "items";
/** The property of a trigger tool's result that holds the events. */
export const EVENTS_PROPERTY = "events";
/** The property of a trigger tool's result that says how long to wait when nothing was new. */
export const RETRY_AFTER_PROPERTY = "retry_after_seconds";

/**
 * How a tool runs: an action answering once, a paged action answering one page, or a trigger's
 * "what is new since my last look".
 *
 * @example
 * const kind: ToolKind = "paged";
 */
export type ToolKind = "action" | "paged" | "trigger";

/**
 * One tool as an agent sees it (MCP's `Tool`), with the operation it runs.
 *
 * @example
 * const tool: AgentTool = agentTool("GetLead");
 * tool.inputSchema.required; // ["contact_id"]
 */
export interface AgentTool {
  readonly name: OperationId;
  readonly kind: ToolKind;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: ToolJsonObject & { type: "object" };
  readonly outputSchema: ToolJsonObject & { type: "object" };
  readonly annotations: ToolHints & { title: string; openWorldHint: true };
}

function objectSchema(schema: ToolJsonObject, what: string): ToolJsonObject & { type: "object" } {
  if (schema.type !== "object") throw new Error(`${what} is not an object schema`);
  return schema as ToolJsonObject & { type: "object" };
}

function propertiesOf(schema: ToolJsonObject): ToolJsonObject {
  const properties = schema.properties;
  return typeof properties === "object" && properties !== null && !Array.isArray(properties) ? properties : {};
}

const CURSOR_OF_PAGE: ToolJsonObject = { type: "string", minLength: 1, description: "The next_cursor of the previous page; give it alone (it carries the rest of the input)." };
const CURSOR_OF_LOOK: ToolJsonObject = { type: "string", minLength: 1, description: "The cursor of your last look; leave it out on the first call, which starts from now." };

function inputSchemaOf(id: OperationId, kind: ToolKind): ToolJsonObject & { type: "object" } {
  if (kind === "trigger") {
    // The trigger's filters (a ticket type…), set on the first look; later looks keep them.
    const filters = Object.fromEntries(
      TRIGGERS[id as TriggerId].filters.map((f): [string, ToolJsonObject] => [f.name, { type: "string", minLength: 1, maxLength: 128, description: `${f.title}: ${f.description} Give it on the first look only (the cursor keeps it).` }]),
    );
    return { type: "object", properties: { [CURSOR_ARGUMENT]: CURSOR_OF_LOOK, ...filters }, additionalProperties: false };
  }
  const input = objectSchema(toolJsonSchema(OPERATIONS[id].input, "input"), `${id}'s input`);
  if (kind === "action") return input;
  const properties = propertiesOf(input);
  if (CURSOR_ARGUMENT in properties) throw new Error(`${id}'s input has its own ${CURSOR_ARGUMENT}`);
  // With a cursor nothing else is sent, so nothing can be required; the contract checks the first page's input.
  const paged: ToolJsonObject & { type: "object" } = { ...input, type: "object", properties: { ...properties, [CURSOR_ARGUMENT]: CURSOR_OF_PAGE } };
  delete paged.required;
  return paged;
}

function outputSchemaOf(id: OperationId, kind: ToolKind): ToolJsonObject & { type: "object" } {
  const output = toolJsonSchema(OPERATIONS[id].output, "output");
  if (kind === "action") return objectSchema(output, `${id}'s output`);
  if (kind === "trigger") {
    return {
      type: "object",
      properties: {
        [EVENTS_PROPERTY]: { type: "array", items: output, description: "What happened since your last look, oldest first." },
        [CURSOR_ARGUMENT]: { type: "string", description: "Your cursor for the next look: it also tells that you have these events." },
        [RETRY_AFTER_PROPERTY]: { type: "integer", minimum: 0, description: "When nothing was new: seconds before anything new can be found (0 otherwise)." },
      },
      required: [EVENTS_PROPERTY, CURSOR_ARGUMENT, RETRY_AFTER_PROPERTY],
      additionalProperties: false,
    };
  }
  if (output.type !== "array") throw new Error(`${id} is paged but its output is not a list`);
  return {
    type: "object",
    properties: {
      [ITEMS_PROPERTY]: { ...output, description: "The items of this page." },
      [NEXT_CURSOR_PROPERTY]: { type: "string", description: "Give it as cursor for the next page; absent on the last page." },
    },
    required: [ITEMS_PROPERTY],
    additionalProperties: false,
  };
}

function kindOf(id: OperationId): ToolKind {
  if (OPERATIONS[id].kind === "trigger") return "trigger";
  return isPagedAction(ACTIONS[id as ActionId]) ? "paged" : "action";
}

const built = new Map<OperationId, AgentTool>();

/**
 * The tool of one operation, built once from the contract: its name is the operation id, its
 * schemas the contract's in agent-safe JSON Schema (a paged action's input gains `cursor` and its
 * result is `{items, next_cursor}`; a trigger's input is `cursor` and its result
 * `{events, cursor, retry_after_seconds}`), its description and hints from `TOOL_METADATA`.
 *
 * @example
 * agentTool("ListTags").outputSchema.properties; // { items: {…}, next_cursor: {…} }
 */
export function agentTool(id: OperationId): AgentTool {
  const known = built.get(id);
  if (known !== undefined) return known;
  const kind = kindOf(id);
  const { description, hints } = TOOL_METADATA[id];
  const tool: AgentTool = Object.freeze({
    name: id,
    kind,
    title: OPERATIONS[id].summary,
    description,
    inputSchema: inputSchemaOf(id, kind),
    outputSchema: outputSchemaOf(id, kind),
    annotations: { title: OPERATIONS[id].summary, ...hints, openWorldHint: true as const },
  });
  built.set(id, tool);
  return tool;
}

/**
 * The tools of some areas (toolsets), in the contract's order.
 *
 * @example
 * agentTools(["companies"]).map((tool) => tool.name); // ["CreateOrUpdateCompany", "GetCompany", …]
 */
export function agentTools(areas: readonly ToolArea[]): AgentTool[] {
  return toolIdsOf(areas).map(agentTool);
}

/**
 * Tells a trigger's tool apart (its name is a trigger id).
 *
 * @example
 * isTriggerTool(agentTool("TrigNewLead")); // true
 */
export function isTriggerTool(tool: AgentTool): tool is AgentTool & { name: TriggerId } {
  return tool.kind === "trigger";
}
