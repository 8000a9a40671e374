export { Runtime, ValidatedInput, validateInput } from "./runtime.js";
export type { RuntimeOptions, ActionOutput } from "./runtime.js";
export { TransportCache } from "./transports.js";
export type { TransportSettings } from "./transports.js";
export { TriggerPolls, DEFAULT_POLL_BATCH_SIZE } from "./trigger-polls.js";
export type { PolledEvents } from "./trigger-polls.js";
export { PollStateCodec, POLL_STATE_KEY_PURPOSE } from "./poll-state.js";
export type { PollState } from "./poll-state.js";
