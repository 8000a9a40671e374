import type { RawResponse } from "../../contract/catalogue/raw.js";
import type { ConnectorError, Result } from "../../contract/index.js";
import type { RawRequest } from "../../intercom/transport.js";
import { defineAction } from "../define-action.js";

/**
 * `SendRequest`: one call of any Intercom API path, through `intercom.raw` (the connection's token,
 * version, retries, deadline and base URL; the budget is spent by the runtime like any action).
 * Intercom's 4xx answers (other than 401 and 429) are values `{status, body}`: the caller asked
 * for that path and reads Intercom's own error list; 401, 429 and 5xx are the connection's
 * errors, as for every action.
 *
 * @example
 * const answer = await sendRequest.run(intercom, { method: "GET", path: "/segments" });
 * if (answer.ok) console.log(answer.value.status, answer.value.body);
 */
export const sendRequest = defineAction({
  id: "SendRequest",
  async execute(intercom, input): Promise<Result<RawResponse, ConnectorError>> {
    return intercom.raw({
      method: input.method,
      path: input.path,
      // The contract's refinement checked every value (its type says unknown: Swagger 2.0 has no unions).
      ...(input.query === undefined ? {} : { query: input.query as NonNullable<RawRequest["query"]> }),
      ...(input.body === undefined ? {} : { body: input.body }),
    });
  },
});
