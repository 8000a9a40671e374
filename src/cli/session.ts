import { createConnector, type ConnectionClient, type Connector } from "../connector/index.js";
import { loadSecretKey, openStore, type Store } from "../store/index.js";
import { ensureEnvConnection } from "./env-connection.js";
import type { CliSettings } from "./settings.js";

/**
 * What a command works with: the store, the connector, and the environment's connection.
 *
 * @example
 * const session: CliSession = await openSession(settings);
 */
export interface CliSession {
  store: Store;
  connector: Connector;
  connectionId: string;
  client: ConnectionClient;
  /** Stops the connector's subscriptions, then closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store the settings name (generating the key file on first use), builds the connector
 * (with retention sweeps only when `retention`: a long-running command) and finds or creates the
 * connection for the environment's credentials.
 *
 * @example
 * const session = await openSession(resolveSettings(flags, process.env));
 * try { await session.client.getUser({ user_id }); } finally { await session.close(); }
 */
export async function openSession(settings: CliSettings, options: { retention?: boolean } = {}): Promise<CliSession> {
  const { key } = await loadSecretKey({ envValue: settings.secretKey, dataDir: settings.dataDir });
  const store = await openStore(settings.databaseUrl, { secretKey: key });
  try {
    const connector = await createConnector({
      store,
      callsPerWindow: settings.callsPerMinute,
      windowSeconds: settings.callWindowSeconds,
      pollIntervalSeconds: settings.pollIntervalSeconds,
      intercomVersion: settings.intercomVersion,
      actionDeadlineSeconds: settings.actionDeadlineSeconds,
      // A one-shot command leaves pruning to the long-running ones (`watch`, `serve`).
      ...(options.retention === true ? {} : { retention: false as const }),
    });
    const connectionId = await ensureEnvConnection(store, connector, key, settings);
    return {
      store,
      connector,
      connectionId,
      client: connector.connection(connectionId),
      async close() {
        try {
          await connector.close();
        } finally {
          await store.close();
        }
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
