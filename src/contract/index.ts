export { ok, err, unwrap } from "./result.js";
export type { Ok, Err, Result } from "./result.js";
export { ERROR_CODES, ConnectorError, connectorError, formatErrorMessage, isConnectorError } from "./errors.js";
export type { ErrorCode, ErrorDefinition, ErrorParams, ConnectorErrorOptions, InputIssue } from "./errors.js";
export { EmailField, TextField, HttpsUrlField, IdField, CompanyIdField, IsoTimestamp, isoFromUnixSeconds, INTERCOM_ID_PATTERN, MAX_URL_LENGTH, webUrlField, webUrlProblem, CallbackUrlField, CustomAttributesField, MAX_CUSTOM_ATTRIBUTES, customAttributesOf, CUSTOM_ATTRIBUTES_OF } from "./fields.js";
export type { CustomAttributes } from "./fields.js";
export { CreateUserInput, CreateLeadInput, ListLeadsInput, GetLeadInput, GetUserInput, TriggerInput } from "./inputs.js";
export {
  LocationData,
  Avatar,
  NamedList,
  User_Response,
  Lead_Response,
  ListLeads_Response,
  TrigUser_Response,
  TrigLead_Response,
  TrigConversation_Response,
} from "./outputs.js";
export { OPERATIONS, operationIds } from "./operations.js";
export { defineOperation } from "./define-operation.js";
export type { OperationDefinition, OperationKind } from "./define-operation.js";
export type {
  OperationId,
  OperationIdOfKind,
  ActionId,
  TriggerId,
  OperationInput,
  OperationOutput,
} from "./operations.js";
export { parseInput, WHOLE_INPUT } from "./validate.js";
export { AddConnectionInput, BaseUrlField, CONNECTION_REGIONS } from "./connections.js";
export type { AddConnection } from "./connections.js";
export { TOOL_AREAS, DEFAULT_TOOL_AREAS, TOOL_METADATA, toolAreaOf, toolIdsOf, isToolArea } from "./tools.js";
export type { ToolArea, ToolHints, ToolMetadata } from "./tools.js";
export { toolJsonSchema, withoutNulls, UnsafeToolSchemaError } from "./tool-schema.js";
export type { ToolJson, ToolJsonObject } from "./tool-schema.js";
export { PICKERS, PICKER_IDS, PICKER_KEY, pickedFrom, PickerItem, PickerValues, PickerIdInput, AttributeModelInput, CustomAttributeSchema } from "./pickers.js";
export type { PickerId } from "./pickers.js";
