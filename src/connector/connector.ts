import { join } from "node:path";
import type { AddConnection, ConnectorError, Result } from "../contract/index.js";
import { Runtime } from "../runtime/index.js";
import { loadSecretKey, openStore, type Store } from "../store/index.js";
import { createConnectionClient, type ClientContext } from "./client.js";
import { resolveConnectorOptions, type ConnectorOptions, type ResolvedConnectorOptions } from "./options.js";
import type { SubscriptionLoop } from "./subscription-loop.js";
import type { AddedConnection, ConnectionClient } from "./types.js";

/**
 * The connector as a library: connections (Intercom credentials, stored encrypted), a typed client
 * per connection, and trigger subscriptions running in the background. Expected failures are
 * `Result`s; calls throw only for bugs, a broken store, or use after `close()`.
 *
 * @example
 * const connector = await createConnector({ dataDir: "./data" });
 * const added = await connector.addConnection({ access_token: process.env.INTERCOM_ACCESS_TOKEN ?? "", region: "eu" });
 * if (!added.ok) throw added.error;
 * const client = connector.connection(added.value.connection.id);
 * for await (const lead of client.listLeads()) console.log(lead.email);
 * await connector.close();
 */
export interface Connector {
  /**
   * Adds an Intercom workspace credential (the contract's `AddConnectionInput`, as in `POST
   * /v1/connections`): an `invalid_input` naming a bad field, or the connection and its API key.
   */
  addConnection(input: AddConnection): Promise<Result<AddedConnection, ConnectorError>>;
  /** The runtime under this connector (store, budget, trigger engine), for building other faces on it. */
  readonly runtime: Runtime;
  /**
   * The client of a connection. Nothing is checked here: an unknown id makes each action answer
   * `not_found`.
   */
  connection(connectionId: string): ConnectionClient;
  /** Stops every subscription (waiting for an ongoing poll), then closes the store if the connector opened it. */
  close(): Promise<void>;
}

/**
 * Opens (or adopts) a store and builds a {@link Connector}. With `store`, that store is used and
 * left open on `close()`; otherwise the connector opens `databaseUrl` (default
 * `<dataDir>/connector.db`) with `secretKey`, or the key file under `dataDir` (generated with mode
 * 0600 on first use). Bad options throw a `RangeError` before anything is opened.
 *
 * @example
 * const connector = await createConnector({ databaseUrl: "sqlite:///tmp/icc.db", secretKey: randomBytes(32), callsPerWindow: 100, pollIntervalSeconds: 120 });
 * const client = connector.connection(connectionId);
 * const user = await client.getUser({ user_id: "6762f0a51bb69f9f2193bb5c" });
 * if (user.ok) console.log(user.value.email);
 * await connector.close();
 */
export async function createConnector(options: ConnectorOptions = {}): Promise<Connector> {
  const resolved = resolveConnectorOptions(options);
  if (options.store !== undefined) return new ConnectorImpl(options.store, false, resolved);
  const secretKey = options.secretKey ?? (await loadSecretKey({ dataDir: resolved.dataDir })).key;
  const store = await openStore(options.databaseUrl ?? join(resolved.dataDir, "connector.db"), { secretKey });
  return new ConnectorImpl(store, true, resolved);
}

class ConnectorImpl implements Connector {
  private readonly loops = new Set<SubscriptionLoop>();
  private readonly context: ClientContext;
  readonly runtime: Runtime;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly ownsStore: boolean,
    options: ResolvedConnectorOptions,
  ) {
    this.runtime = new Runtime({
      store,
      callsPerWindow: options.callsPerWindow,
      windowSeconds: options.windowSeconds,
      pollIntervalSeconds: options.pollIntervalSeconds,
      lookbackSeconds: options.lookbackSeconds,
      intercomVersion: options.intercomVersion,
      actionDeadlineSeconds: options.actionDeadlineSeconds,
      retention: options.retention,
    });
    this.runtime.start();
    this.context = {
      runtime: this.runtime,
      pollIntervalSeconds: options.pollIntervalSeconds,
      track: (loop) => {
        this.loops.add(loop);
        void loop.done.then(() => this.loops.delete(loop));
      },
      assertOpen: () => {
        if (this.closed) throw new Error("the connector is closed");
      },
    };
  }

  async addConnection(input: AddConnection): Promise<Result<AddedConnection, ConnectorError>> {
    this.context.assertOpen();
    return this.runtime.addConnection(input);
  }

  connection(connectionId: string): ConnectionClient {
    return createConnectionClient(this.context, connectionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.loops].map((loop) => loop.stop()));
    await this.runtime.close();
    if (this.ownsStore) await this.store.close();
  }
}
