import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { connectorError, err, ok, type ConnectorError, type Result } from "../contract/index.js";
import { INTERCOM_REGIONS, type IntercomRegion } from "../intercom/index.js";
import type { Store } from "../store/index.js";

// "Connect with Intercom": Intercom's OAuth for public apps. The customer is sent to the
// region's app host with the app's client_id and a state; Intercom redirects back with a code
// and the state; the code is traded at the API host's /auth/eagle/token for a token that does
// not expire. The state is single-use (deleting its row is what consumes it, so two instances
// cannot both accept it), bound to the sign-in session that started it, and expires.

/** Where each region's customers authorize an app. */
export const INTERCOM_APP_HOSTS: Readonly<Record<IntercomRegion, string>> = {
  us: "https://app.intercom.com",
  eu: "https://app.eu.intercom.com",
  au: "https://app.au.intercom.com",
};

/** How long a started authorization may come back. */
export const OAUTH_STATE_LIFETIME_MS = 10 * 60_000;
/** How long the token exchange may take. */
const EXCHANGE_TIMEOUT_MS = 20_000;

/**
 * The public Intercom app the service connects workspaces with (`INTERCOM_CLIENT_ID`,
 * `INTERCOM_CLIENT_SECRET`). `appBaseUrl` and `apiBaseUrl` replace Intercom's hosts (the emulator).
 *
 * @example
 * const app: OAuthAppSettings = { clientId: "abc", clientSecret: "s3cret" };
 */
export interface OAuthAppSettings {
  clientId: string;
  clientSecret: string;
  appBaseUrl?: string;
  apiBaseUrl?: string;
}

/** What a started authorization remembers, under the hash of its state. */
const PendingAuthorization = z.strictObject({
  session: z.string(),
  region: z.enum(["us", "eu", "au"]),
  redirectUri: z.string(),
  expiresAt: z.number(),
});

const TokenAnswer = z.looseObject({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional() });

const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
const stateKey = (state: string): string => `oauth-state:${sha256(state)}`;

/** What a finished authorization gives: the token and where it works, to make a connection of. */
export interface AuthorizedWorkspace {
  accessToken: string;
  region: IntercomRegion;
  /** Set when the app's hosts are replaced (the emulator): the API's base URL. */
  baseUrl: string | undefined;
  /** The app's client secret: it signs the pushes of the workspaces the app is installed in. */
  clientSecret: string;
}

/**
 * The OAuth flow of one public app, its state kept in the store.
 *
 * @example
 * const flow = new IntercomOAuth(app, store, Date.now);
 * const started = await flow.begin({ session, region: "eu", redirectUri });
 * // later, on the redirect:
 * const authorized = await flow.finish({ session, state, code });
 */
export class IntercomOAuth {
  constructor(
    private readonly app: OAuthAppSettings,
    private readonly store: Pick<Store, "setSetting" | "getSetting" | "deleteSetting">,
    private readonly now: () => number,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** The URL to send the customer to, with a fresh state bound to `session`. */
  async begin(input: { session: string; region: IntercomRegion; redirectUri: string }): Promise<{ url: string }> {
    const state = randomBytes(24).toString("base64url");
    const pending = { session: sha256(input.session), region: input.region, redirectUri: input.redirectUri, expiresAt: this.now() + OAUTH_STATE_LIFETIME_MS };
    await this.store.setSetting(stateKey(state), JSON.stringify(pending));
    const url = new URL("/oauth", this.app.appBaseUrl ?? INTERCOM_APP_HOSTS[input.region]);
    url.searchParams.set("client_id", this.app.clientId);
    url.searchParams.set("state", state);
    url.searchParams.set("redirect_uri", input.redirectUri);
    return { url: url.toString() };
  }

  /**
   * Checks the redirect's state (known, unused, unexpired, this session's: consumed either way)
   * and trades its code for the token. `oauth_state_invalid` for a forged, replayed, expired or
   * another session's state; `oauth_denied` when the admin cancelled; `oauth_exchange_failed`
   * when Intercom refused the code.
   */
  async finish(input: { session: string; state: unknown; code: unknown; error?: unknown }): Promise<Result<AuthorizedWorkspace, ConnectorError>> {
    if (typeof input.state !== "string" || input.state === "" || input.state.length > 200) return err(connectorError("oauth_state_invalid", {}, { field: "state" }));
    const key = stateKey(input.state);
    const stored = await this.store.getSetting(key);
    // Only the request that deletes the row may go on: a replay, even a concurrent one, cannot.
    if (stored === null || !(await this.store.deleteSetting(key))) return err(connectorError("oauth_state_invalid", {}, { field: "state" }));
    let recorded: unknown;
    try {
      recorded = JSON.parse(stored);
    } catch {
      recorded = null;
    }
    const pending = PendingAuthorization.safeParse(recorded);
    if (!pending.success || pending.data.session !== sha256(input.session) || pending.data.expiresAt < this.now()) {
      return err(connectorError("oauth_state_invalid", {}, { field: "state" }));
    }
    if (input.error !== undefined) return err(connectorError("oauth_denied", {}));
    if (typeof input.code !== "string" || input.code === "" || input.code.length > 512) return err(connectorError("invalid_input", { field: "code", reason: "must be the code Intercom sent back" }, { field: "code" }));
    const apiBase = this.app.apiBaseUrl ?? INTERCOM_REGIONS[pending.data.region];
    const token = await this.exchange(apiBase, input.code);
    if (!token.ok) return token;
    return ok({ accessToken: token.value, region: pending.data.region, baseUrl: this.app.apiBaseUrl, clientSecret: this.app.clientSecret });
  }

  private async exchange(apiBase: string, code: string): Promise<Result<string, ConnectorError>> {
    const body = new URLSearchParams({ code, client_id: this.app.clientId, client_secret: this.app.clientSecret });
    let response: Response;
    try {
      response = await this.fetchImpl(new URL("/auth/eagle/token", apiBase), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body,
        signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      });
    } catch {
      return err(connectorError("oauth_exchange_failed", { detail: "Intercom could not be reached" }));
    }
    const text = await response.text();
    if (!response.ok) return err(connectorError("oauth_exchange_failed", { detail: `Intercom answered ${response.status}` }));
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      return err(connectorError("oauth_exchange_failed", { detail: "Intercom's answer is not JSON" }));
    }
    const parsed = TokenAnswer.safeParse(answer);
    const token = parsed.success ? (parsed.data.access_token ?? parsed.data.token) : undefined;
    return token === undefined ? err(connectorError("oauth_exchange_failed", { detail: "Intercom's answer holds no token" })) : ok(token);
  }
}
