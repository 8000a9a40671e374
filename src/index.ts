// The package's public API: the library face and the contract's types. Nothing else is exported.
export { createConnector, DEFAULT_DATA_DIR } from "./connector/index.js";
export type {
  ActionOutcome,
  ActionResult,
  ActionResults,
  AddConnectionInput,
  AddedConnection,
  BatchConsumer,
  ConnectionClient,
  Connector,
  ConnectorOptions,
  EventHandler,
  SubscribeOptions,
  SubscriptionErrorHandler,
  SubscriptionHandle,
  TriggerEvent,
} from "./connector/index.js";
export {
  ConnectorError,
  ERROR_CODES,
  OPERATIONS,
  err,
  isConnectorError,
  ok,
  operationIds,
  unwrap,
  AddConnectionInput as AddConnectionSchema,
  CreateUserInput,
  CreateLeadInput,
  GetLeadInput,
  GetUserInput,
  ListLeadsInput,
  User_Response,
  Lead_Response,
  ListLeads_Response,
  TrigUser_Response,
  TrigLead_Response,
  TrigConversation_Response,
} from "./contract/index.js";
export type { ActionId, ErrorCode, InputIssue, OperationId, OperationInput, OperationOutput, Result, TriggerId } from "./contract/index.js";
export type { IntercomRegion, IntercomVersion } from "./intercom/index.js";
export { Runtime } from "./runtime/index.js";
export type { RuntimeOptions } from "./runtime/index.js";
export { openStore, loadSecretKey } from "./store/index.js";
export type { Connection, Store } from "./store/index.js";
export type { PollReport } from "./triggers/index.js";
