import { createIntercomTransport, type IntercomTransport, type IntercomVersion } from "../intercom/index.js";
import type { Store } from "../store/index.js";

/**
 * What every connection's transport shares: the `Intercom-Version` and per-attempt timeout.
 *
 * @example
 * const settings: TransportSettings = { version: "2.14", timeoutSeconds: 20 };
 */
export interface TransportSettings {
  version?: IntercomVersion;
  timeoutSeconds?: number;
}

/**
 * Builds each connection's transport once (with its decrypted token) and reuses it: building the
 * SDK client per request would cost more than the request. `forget` drops one (deleted
 * connection); a failed build is not kept.
 *
 * @example
 * const transports = createTransportCache(store);
 * const intercom = await transports.transportFor(connectionId);
 */
export function createTransportCache(
  store: Pick<Store, "getConnectionCredentials">,
  settings: TransportSettings = {},
): { transportFor: (connectionId: string) => Promise<IntercomTransport>; forget: (connectionId: string) => void } {
  const cache = new Map<string, Promise<IntercomTransport>>();
  async function build(connectionId: string): Promise<IntercomTransport> {
    const credentials = await store.getConnectionCredentials(connectionId);
    if (credentials === null) throw new Error(`no connection ${connectionId}`);
    return createIntercomTransport({
      accessToken: credentials.accessToken,
      region: credentials.region,
      ...(credentials.baseUrl === null ? {} : { baseUrl: credentials.baseUrl }),
      ...(settings.version === undefined ? {} : { version: settings.version }),
      ...(settings.timeoutSeconds === undefined ? {} : { timeoutSeconds: settings.timeoutSeconds }),
    });
  }
  return {
    transportFor(connectionId) {
      let transport = cache.get(connectionId);
      if (transport === undefined) {
        transport = build(connectionId);
        cache.set(connectionId, transport);
        void transport.catch(() => cache.delete(connectionId));
      }
      return transport;
    },
    forget(connectionId) {
      cache.delete(connectionId);
    },
  };
}
