export { createConnector } from "./connector.js";
export type { Connector } from "./connector.js";
export { DEFAULT_DATA_DIR } from "./options.js";
export type { ConnectorOptions } from "./options.js";
export type {
  ActionOutcome,
  ActionResult,
  ActionResults,
  AddConnectionInput,
  AddedConnection,
  BatchConsumer,
  ConnectionClient,
  EventHandler,
  SubscribeOptions,
  SubscriptionErrorHandler,
  SubscriptionHandle,
  TriggerEvent,
} from "./types.js";
