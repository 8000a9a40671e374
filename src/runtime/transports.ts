import { createIntercomTransport, leanFetch, type IntercomTransport, type IntercomVersion } from "../intercom/index.js";
import type { Store } from "../store/index.js";
import type { ConnectorMetrics } from "./metrics.js";

/** leanFetch, each attempt counted by endpoint and status (retries are attempts of their own). */
function observedFetch(metrics: Pick<ConnectorMetrics, "intercomCall">): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    try {
      const response = await leanFetch(input, init);
      metrics.intercomCall(method, url.pathname, response.status, (performance.now() - started) / 1000);
      return response;
    } catch (error) {
      metrics.intercomCall(method, url.pathname, "error", (performance.now() - started) / 1000);
      throw error;
    }
  };
}

/**
 * What every connection's transport shares: the `Intercom-Version`, the per-attempt timeout and
 * the retries on 429/5xx.
 *
 * @example
 * const settings: TransportSettings = { version: "2.14", timeoutSeconds: 20 };
 */
export interface TransportSettings {
  version?: IntercomVersion;
  timeoutSeconds?: number;
  /** Retries of one call on 429/5xx (the transport's default when unset). */
  maxRetries?: number;
}

/**
 * Each connection's transport, built once with its decrypted token and reused: building the SDK
 * client per request would cost more than the request.
 *
 * @example
 * const transports = new TransportCache(store, { version: "2.14" });
 * const intercom = await transports.get(connectionId); // null: no such connection
 */
export class TransportCache {
  private readonly cache = new Map<string, Promise<IntercomTransport | null>>();

  constructor(
    private readonly store: Pick<Store, "getConnectionCredentials">,
    private readonly settings: TransportSettings = {},
    private readonly metrics?: Pick<ConnectorMetrics, "intercomCall">,
  ) {}

  /** The connection's transport, or `null` when there is no such connection (looked up again next time). */
  get(connectionId: string): Promise<IntercomTransport | null> {
    let transport = this.cache.get(connectionId);
    if (transport === undefined) {
      transport = this.build(connectionId);
      this.cache.set(connectionId, transport);
      // Only transports are kept: an unknown id or a failed read is looked up again next time.
      transport.then(
        (built) => built === null && this.cache.delete(connectionId),
        () => this.cache.delete(connectionId),
      );
    }
    return transport;
  }

  /** Drops a connection's transport (deleted, or its token changed). */
  forget(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  private async build(connectionId: string): Promise<IntercomTransport | null> {
    const credentials = await this.store.getConnectionCredentials(connectionId);
    if (credentials === null) return null;
    const { version, timeoutSeconds, maxRetries } = this.settings;
    return createIntercomTransport({
      accessToken: credentials.accessToken,
      region: credentials.region,
      ...(credentials.baseUrl === null ? {} : { baseUrl: credentials.baseUrl }),
      ...(version === undefined ? {} : { version }),
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(maxRetries === undefined ? {} : { maxRetries }),
    }, this.metrics === undefined ? {} : { fetch: observedFetch(this.metrics) });
  }
}
