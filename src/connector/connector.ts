import { join } from "node:path";
import { connectorError } from "../contract/index.js";
import { createIntercomTransport, isIntercomRegion, resolveBaseUrl, type IntercomTransport } from "../intercom/index.js";
import { ConnectionCallBudget } from "../limits/index.js";
import { loadSecretKey, openStore, type Store } from "../store/index.js";
import { TriggerEngine } from "../triggers/index.js";
import { createConnectionClient, type ClientContext } from "./client.js";
import { resolveConnectorOptions, type ConnectorOptions, type ResolvedConnectorOptions } from "./options.js";
import type { SubscriptionLoop } from "./subscription-loop.js";
import type { AddConnectionInput, AddedConnection, ConnectionClient } from "./types.js";

/**
 * The connector as a library: connections (Intercom credentials, stored encrypted), a typed client
 * per connection, and trigger subscriptions running in the background.
 *
 * @example
 * const connector = await createConnector({ dataDir: "./data" });
 * const { connection } = await connector.addConnection({ accessToken: process.env.INTERCOM_ACCESS_TOKEN ?? "", region: "eu" });
 * const client = connector.connection(connection.id);
 * for await (const lead of client.listLeads()) console.log(lead.email);
 * await connector.close();
 */
export interface Connector {
  /** Adds an Intercom workspace credential. Rejects with `invalid_input` naming a bad field. */
  addConnection(input: AddConnectionInput): Promise<AddedConnection>;
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
  private readonly transports = new Map<string, Promise<IntercomTransport | null>>();
  private readonly loops = new Set<SubscriptionLoop>();
  private readonly context: ClientContext;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly ownsStore: boolean,
    private readonly options: ResolvedConnectorOptions,
  ) {
    const budget = new ConnectionCallBudget(store, { callsPerWindow: options.callsPerWindow, windowSeconds: options.windowSeconds });
    const transportFor = (connectionId: string): Promise<IntercomTransport | null> => this.transportFor(connectionId);
    const engine = new TriggerEngine({
      store,
      budget,
      pollIntervalSeconds: options.pollIntervalSeconds,
      lookbackSeconds: options.lookbackSeconds,
      transportFor: async (connectionId) => {
        const transport = await transportFor(connectionId);
        if (transport === null) throw connectorError("not_found", { resource: "connection", id: connectionId });
        return transport;
      },
    });
    this.context = {
      store,
      budget,
      engine,
      transportFor,
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

  async addConnection(input: AddConnectionInput): Promise<AddedConnection> {
    this.context.assertOpen();
    const region = input.region ?? "us";
    if (typeof input.accessToken !== "string" || input.accessToken.trim() === "") throw invalid("accessToken", "is required");
    if (!isIntercomRegion(region)) throw invalid("region", "must be one of us, eu, au");
    const baseUrl = input.baseUrl === undefined ? undefined : checkedBaseUrl(input.baseUrl);
    const name = input.name ?? new URL(resolveBaseUrl(baseUrl === undefined ? { region } : { region, baseUrl })).host;
    if (name.trim() === "") throw invalid("name", "must not be empty");
    return this.store.createConnection({ name, region, baseUrl: baseUrl ?? null, accessToken: input.accessToken });
  }

  connection(connectionId: string): ConnectionClient {
    return createConnectionClient(this.context, connectionId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.loops].map((loop) => loop.stop()));
    if (this.ownsStore) await this.store.close();
  }

  private transportFor(connectionId: string): Promise<IntercomTransport | null> {
    let transport = this.transports.get(connectionId);
    if (transport === undefined) {
      transport = this.buildTransport(connectionId);
      this.transports.set(connectionId, transport);
      // Only transports are kept: an unknown id or a failed read is looked up again next time.
      transport.then((t) => t === null && this.transports.delete(connectionId), () => this.transports.delete(connectionId));
    }
    return transport;
  }

  private async buildTransport(connectionId: string): Promise<IntercomTransport | null> {
    const credentials = await this.store.getConnectionCredentials(connectionId);
    if (credentials === null) return null;
    return createIntercomTransport({
      accessToken: credentials.accessToken,
      region: credentials.region,
      ...(credentials.baseUrl === null ? {} : { baseUrl: credentials.baseUrl }),
      version: this.options.intercomVersion,
    });
  }
}

function invalid(field: string, reason: string) {
  return connectorError("invalid_input", { field, reason }, { field });
}

/** An http(s) URL without credentials, query or fragment, with no trailing slash. */
function checkedBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid("baseUrl", "must be an http or https URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalid("baseUrl", "must be an http or https URL");
  if (url.username !== "" || url.password !== "") throw invalid("baseUrl", "must not carry credentials");
  if (url.search !== "" || url.hash !== "") throw invalid("baseUrl", "must not have a query or fragment");
  return value.replace(/\/+$/, "");
}
