export { createIntercomTransport, MAX_PER_PAGE } from "./transport.js";
export type { IntercomTransport, ContactRole, ContactFields, ContactExists, SearchQuery, SearchOptions, Page, SdkRequest, SdkRequestOptions, Remembered } from "./transport.js";
export { INTERCOM_REGIONS, DEFAULT_INTERCOM_VERSION, resolveBaseUrl, isIntercomRegion } from "./connection.js";
export type { IntercomConnection, IntercomRegion, IntercomVersion } from "./connection.js";
export { toConnectorError, redact, retryAfterSeconds, errorListOf } from "./errors.js";
export type { CallContext, CallTiming, IntercomErrorItem } from "./errors.js";
export { Deadline, DEFAULT_ACTION_DEADLINE_SECONDS, MAX_ACTION_DEADLINE_SECONDS, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./deadline.js";
export { createRetryingFetch, retryDelayMs, defaultSleep, leanFetch } from "./retrying-fetch.js";
export type { RetryPolicy, RetryingFetchDeps, Sleep } from "./retrying-fetch.js";
export {
  IntercomContact,
  IntercomContactList,
  IntercomCompany,
  IntercomCompanyLookup,
  IntercomCompanyPage,
  IntercomTag,
  IntercomTagList,
  IntercomConversation,
  IntercomConversationList,
} from "./wire.js";
