export { Runtime, ValidatedInput, validateInput } from "./runtime.js";
export type { RuntimeOptions, ActionOutput } from "./runtime.js";
export { TransportCache } from "./transports.js";
export type { TransportSettings } from "./transports.js";
