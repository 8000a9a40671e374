import { sendRequest } from "./sendRequest.js";

/**
 * The raw area's actions by id.
 *
 * @example
 * await RAW_ACTIONS.SendRequest.run(intercom, { method: "GET", path: "/me" });
 */
export const RAW_ACTIONS = { SendRequest: sendRequest } as const;
