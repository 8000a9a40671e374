/**
 * Intercom's data-hosting regions and their API base URLs.
 *
 * @example
 * INTERCOM_REGIONS.eu; // "https://api.eu.intercom.io"
 */
export const INTERCOM_REGIONS = {
  us: "https://api.intercom.io",
  eu: "https://api.eu.intercom.io",
  au: "https://api.au.intercom.io",
} as const;

/** One of Intercom's regions. */
export type IntercomRegion = keyof typeof INTERCOM_REGIONS;

/** The `Intercom-Version` values the official SDK accepts. */
export type IntercomVersion =
  | "1.0" | "1.1" | "1.2" | "1.3" | "1.4"
  | "2.0" | "2.1" | "2.2" | "2.3" | "2.4" | "2.5" | "2.6" | "2.7" | "2.8" | "2.9" | "2.10" | "2.11" | "2.12" | "2.13" | "2.14";

/**
 * The API version the contract is written against.
 *
 * @example
 * createIntercomTransport({ accessToken, version: DEFAULT_INTERCOM_VERSION });
 */
export const DEFAULT_INTERCOM_VERSION: IntercomVersion = "2.14";

/**
 * How the connector reaches one Intercom workspace.
 *
 * @example
 * const connection: IntercomConnection = { accessToken: process.env.INTERCOM_ACCESS_TOKEN ?? "", region: "eu", timeoutSeconds: 10 };
 */
export interface IntercomConnection {
  /** The workspace's access token. Never logged, never put in an error. */
  accessToken: string;
  /** Where the workspace's data is hosted (default `us`). Ignored when `baseUrl` is set. */
  region?: IntercomRegion;
  /** Overrides the region: the emulator or any server speaking Intercom's API. */
  baseUrl?: string;
  /** `Intercom-Version` header (default 2.14). */
  version?: IntercomVersion;
  /** Seconds one attempt may take before it is abandoned (default 20). */
  timeoutSeconds?: number;
  /** Retries after a 429, a 5xx or (for reads) a network failure (default 3). */
  maxRetries?: number;
  /**
   * The longest wait before a retry, in seconds (default 10, Intercom's rate-limit window). A 429
   * whose reset is further away is returned at once as `intercom_rate_limited`.
   */
  maxRetryDelaySeconds?: number;
}

/**
 * The base URL a connection talks to: its override, else its region's.
 *
 * @example
 * resolveBaseUrl({ accessToken: "tok", region: "eu" }); // "https://api.eu.intercom.io"
 */
export function resolveBaseUrl(connection: Pick<IntercomConnection, "region" | "baseUrl">): string {
  if (connection.baseUrl !== undefined) return connection.baseUrl.replace(/\/+$/, "");
  return INTERCOM_REGIONS[connection.region ?? "us"];
}

/**
 * Tells whether a string names an Intercom region.
 *
 * @example
 * isIntercomRegion("eu"); // true
 */
export function isIntercomRegion(value: string): value is IntercomRegion {
  return Object.hasOwn(INTERCOM_REGIONS, value);
}
