export { createMcpServer, toolError } from "./server.js";
export type { McpSessionOptions } from "./server.js";
export { agentTool, agentTools, isTriggerTool, CURSOR_ARGUMENT, NEXT_CURSOR_PROPERTY, ITEMS_PROPERTY, EVENTS_PROPERTY, RETRY_AFTER_PROPERTY } from "./tools.js";
export type { AgentTool, ToolKind } from "./tools.js";
export { parseToolsets, ALL_TOOLSETS } from "./toolsets.js";
export { McpSessions, MCP_SESSION_HEADER, DEFAULT_MCP_SESSION_IDLE_MS, DEFAULT_MCP_MAX_SESSIONS } from "./http-sessions.js";
