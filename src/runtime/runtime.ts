import {
  AddConnectionInput,
  connectorError,
  err,
  ok,
  OPERATIONS,
  operationIds,
  parseInput,
  type ActionId,
  type ConnectorError,
  type OperationInput,
  type Result,
  type TriggerId,
} from "../contract/index.js";
import { DEFAULT_INTERCOM_VERSION, isIntercomRegion, resolveBaseUrl, type IntercomTransport, type IntercomVersion } from "../intercom/index.js";
import { ConnectionCallBudget, DEFAULT_CALLS_PER_WINDOW, DEFAULT_WINDOW_SECONDS } from "../limits/index.js";
import { ACTIONS, isPagedAction, type Action, type ActionPage, type PagedAction } from "../operations/index.js";
import {
  isStoreError,
  RetentionSweeper,
  type Connection,
  type CreatedConnection,
  type RetentionLogger,
  type RetentionSchedule,
  type SchemaStatus,
  type Store,
  type Subscription,
} from "../store/index.js";
import { DEFAULT_LOOKBACK_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS, TRIGGERS, TriggerEngine } from "../triggers/index.js";
import { AttributeModelInput, PickerIdInput, type CustomAttributeSchema, type PickerValues } from "../contract/pickers.js";
import { customAttributeSchema, PICKER_SOURCES } from "../operations/pickers.js";
import { z } from "zod";
import { actionDeadlineMs, eachCallWithin, withinDeadline } from "./deadlines.js";
import { ConnectorMetrics } from "./metrics.js";
import { IntercomOAuth, type OAuthAppSettings } from "./oauth.js";
import { TransportCache, type TransportSettings } from "./transports.js";

// A face's picker or model names the field it came in, as an action's input does.
const PICKER_INPUT = z.strictObject({ picker: PickerIdInput });
const MODEL_INPUT = z.strictObject({ model: AttributeModelInput });

/**
 * What every face's runtime is built from: a store and the limits, intervals and Intercom
 * settings. Only `store` is required.
 *
 * @example
 * const options: RuntimeOptions = { store, callsPerWindow: 100, windowSeconds: 60, pollIntervalSeconds: 120 };
 */
export interface RuntimeOptions {
  store: Store;
  /** The public Intercom app "Connect with Intercom" uses (`INTERCOM_CLIENT_ID`, `INTERCOM_CLIENT_SECRET`). */
  oauth?: OAuthAppSettings;
  /** Intercom calls a connection may make within `windowSeconds` (actions and trigger scans). Default 100. */
  callsPerWindow?: number;
  /** The budget's sliding window in seconds. Default 60. */
  windowSeconds?: number;
  /** Seconds between two scans of a trigger. Default 120. */
  pollIntervalSeconds?: number;
  /** How far behind its last poll each trigger scan looks (Intercom's search delay). Default 600. */
  lookbackSeconds?: number;
  /**
   * Seconds without a poll after which a Power Automate polling subscription expires (no pushes,
   * no scans; the retention sweep deletes it with its outbox). Default 604800 (7 days) for the
   * filters; the sweep deletes expired ones only when this is given (`serve` gives its
   * `TRIGGER_SUBSCRIPTION_IDLE_SECONDS`), so a library process on the same database never deletes
   * by a limit other than the service's. Library and webhook subscriptions never expire.
   */
  subscriptionIdleSeconds?: number;
  /** The `Intercom-Version` header. Default 2.14. */
  intercomVersion?: IntercomVersion;
  /** Seconds one attempt of an Intercom call may take. The transport's default when unset. */
  intercomTimeoutSeconds?: number;
  /** Retries of one Intercom call on 429/5xx. The transport's default when unset. */
  intercomMaxRetries?: number;
  /**
   * Seconds one action call may take in all, whatever Intercom does (every attempt, retry wait
   * and body read): past it the request in flight is aborted and the call answers
   * `intercom_timeout`. Default 30; in the library's `ListLeads` stream, each page's. At most 3600.
   */
  actionDeadlineSeconds?: number;
  /** Epoch milliseconds for budgets and scheduling (Intercom's clock drives trigger cursors). Default `Date.now`. */
  now?: () => number;
  /**
   * How often delivered events, dead letters and old dedupe keys are pruned once `start()` ran
   * (defaults: `DEFAULT_RETENTION_SCHEDULE`); `false`: never (another process prunes this store).
   */
  retention?: Partial<RetentionSchedule> | false;
  /**
   * How long a connection found by its API key is remembered in this process, in milliseconds
   * (default 1000; 0 looks it up on every request). A key deleted or rotated through this runtime
   * stops at once; one deleted by another instance works here until this has passed.
   */
  apiKeyCacheMs?: number;
  /**
   * Where the runtime's housekeeping reports (pino's and fastify's loggers fit); `start()` may
   * give another. Default: warnings only, as process warnings.
   */
  logger?: RetentionLogger;
}

/** How long this process trusts an API key lookup, by default (see `RuntimeOptions.apiKeyCacheMs`). */
const DEFAULT_API_KEY_CACHE_MS = 1_000;
/** At most this many keys are remembered; the oldest goes first. */
const API_KEY_CACHE_ENTRIES = 10_000;

const WARNINGS_ONLY: RetentionLogger = {
  info: () => undefined,
  warn: (_object, message) => process.emitWarning(message, { code: "INTERCOM_CONNECTOR_RETENTION" }),
};

const ACTION_IDS: readonly string[] = operationIds("action");

/**
 * An action's input already parsed by the contract ({@link validateInput}): `Runtime.call` runs it
 * without parsing it again. Only `validateInput` makes one, so nothing unparsed passes for it.
 *
 * @example
 * const input = validateInput("GetUser", { user_id: "6762f0a51bb69f9f2193bb5c" });
 * if (input.ok) await runtime.call(connectionId, "GetUser", input.value);
 */
export class ValidatedInput<Id extends ActionId = ActionId> {
  private constructor(
    readonly operationId: Id,
    readonly value: OperationInput<Id>,
  ) {}

  /** @internal Made by `validateInput` only. */
  static of<Id extends ActionId>(operationId: Id, value: OperationInput<Id>): ValidatedInput<Id> {
    return new ValidatedInput(operationId, value);
  }
}

/**
 * Parses an action's input against the contract once, before anything is opened or spent (the
 * CLI checks `--input` before it opens the store): an `invalid_input` naming the field, or the
 * input to hand to `Runtime.call`.
 *
 * @example
 * const input = validateInput("CreateLead", { email: "nope" }); // { ok: false, error: { field: "email" } }
 */
export function validateInput<Id extends ActionId>(operationId: Id, input: unknown): Result<ValidatedInput<Id>, ConnectorError> {
  if (!ACTION_IDS.includes(operationId)) {
    return err(connectorError("invalid_input", { field: "operation", reason: `must be one of ${ACTION_IDS.join(", ")}` }, { field: "operation" }));
  }
  const parsed = parseInput(OPERATIONS[operationId].input, input);
  return parsed.ok ? ok(ValidatedInput.of(operationId, parsed.value as OperationInput<Id>)) : parsed;
}
const TRIGGER_IDS: readonly string[] = operationIds("trigger");

/**
 * The one runtime under every face (library, HTTP service, CLI, webhook worker): the store, the
 * per-connection call budget, the connections' transports and the trigger engine, and the rules
 * that hold for every caller. Every operation is validated first (invalid input costs nothing and
 * sends nothing), then spends one unit of its connection's budget ({@link Runtime.intercomFor},
 * the only place that spends), then runs. Expected failures are `Result`s; a throw is a bug or
 * a broken store.
 *
 * @example
 * const runtime = new Runtime({ store });
 * const added = await runtime.addConnection({ access_token: token, region: "eu" });
 * if (added.ok) {
 *   const lead = await runtime.call(added.value.connection.id, "CreateLead", { email: "ada@example.com" });
 * }
 */
export class Runtime {
  readonly store: Store;
  readonly budget: ConnectionCallBudget;
  readonly engine: TriggerEngine;
  /** The Prometheus metrics of this runtime (`metrics.registry.metrics()`: the text `/metrics` serves). */
  readonly metrics: ConnectorMetrics;
  readonly now: () => number;
  private readonly transports: TransportCache;
  private readonly sweeper: RetentionSweeper | null;
  private logger: RetentionLogger;
  private readonly apiKeyCacheMs: number;
  private readonly deadlineMs: number;
  private readonly oauth: IntercomOAuth | null;
  /** API key → its connection and until when that answer holds (insertion order: oldest first). */
  private readonly byApiKey = new Map<string, { connection: Connection; until: number }>();

  /** Throws a `RangeError` (or the store's `invalid_argument`) for a bad limit, interval or retention. */
  constructor(options: RuntimeOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.deadlineMs = actionDeadlineMs(options.actionDeadlineSeconds);
    this.oauth = options.oauth === undefined ? null : new IntercomOAuth(options.oauth, options.store, this.now);
    this.budget = new ConnectionCallBudget(options.store, {
      callsPerWindow: options.callsPerWindow ?? DEFAULT_CALLS_PER_WINDOW,
      windowSeconds: options.windowSeconds ?? DEFAULT_WINDOW_SECONDS,
      clock: this.now,
    });
    const transportSettings: TransportSettings = {
      version: options.intercomVersion ?? DEFAULT_INTERCOM_VERSION,
      ...(options.intercomTimeoutSeconds === undefined ? {} : { timeoutSeconds: options.intercomTimeoutSeconds }),
      ...(options.intercomMaxRetries === undefined ? {} : { maxRetries: options.intercomMaxRetries }),
    };
    this.metrics = new ConnectorMetrics(options.store);
    this.transports = new TransportCache(options.store, transportSettings, this.metrics);
    this.engine = new TriggerEngine({
      store: options.store,
      intercomFor: (connectionId) => this.intercomFor(connectionId),
      pollIntervalSeconds: options.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
      lookbackSeconds: options.lookbackSeconds ?? DEFAULT_LOOKBACK_SECONDS,
      ...(options.subscriptionIdleSeconds === undefined ? {} : { subscriptionIdleSeconds: options.subscriptionIdleSeconds }),
      now: this.now,
      onScan: (triggerId, lateSeconds) => this.metrics.pollRan(triggerId, lateSeconds),
    });
    this.apiKeyCacheMs = options.apiKeyCacheMs ?? DEFAULT_API_KEY_CACHE_MS;
    if (!(this.apiKeyCacheMs >= 0)) throw new RangeError("apiKeyCacheMs must be 0 or more");
    this.logger = options.logger ?? WARNINGS_ONLY;
    // The sweeper reports through whatever logger `start()` was last given.
    const logger: RetentionLogger = { info: (object, message) => this.logger.info(object, message), warn: (object, message) => this.logger.warn(object, message) };
    this.sweeper =
      options.retention === false
        ? null
        : new RetentionSweeper(options.store, {
            logger,
            lookbackMs: this.engine.lookbackSeconds * 1000,
            ...(options.subscriptionIdleSeconds === undefined ? {} : { expireSubscriptions: () => this.engine.expireIdleSubscriptions() }),
            ...(options.retention?.intervalMs === undefined ? {} : { intervalMs: options.retention.intervalMs }),
            ...(options.retention?.policy === undefined ? {} : { policy: options.retention.policy }),
          });
  }

  /** Starts the housekeeping every running runtime needs: retention sweeps (the first one now), reported to `logger` when given. */
  start(options: { logger?: RetentionLogger } = {}): void {
    if (options.logger !== undefined) this.logger = options.logger;
    this.sweeper?.start();
  }

  /**
   * Starts "Connect with Intercom" for a sign-in session: the URL of Intercom's authorize page
   * for the region (default us), with a single-use state bound to `session`. Without an OAuth
   * app (`oauth` option: INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET) it is `oauth_not_configured`.
   *
   * @example
   * const started = await runtime.beginOAuth({ session: sessionId, region: "eu", redirectUri: `${base}/console/oauth/callback` });
   * if (started.ok) reply.redirect(started.value.url);
   */
  async beginOAuth(input: { session: string; region?: unknown; redirectUri: string }): Promise<Result<{ url: string }, ConnectorError>> {
    if (this.oauth === null) return err(connectorError("oauth_not_configured", {}));
    const region = input.region ?? "us";
    if (typeof region !== "string" || !isIntercomRegion(region)) return err(connectorError("invalid_input", { field: "region", reason: "must be us, eu or au" }, { field: "region" }));
    return ok(await this.oauth.begin({ session: input.session, region, redirectUri: input.redirectUri }));
  }

  /**
   * Finishes "Connect with Intercom" from Intercom's redirect (`state`, `code`, or `error`): the
   * state must be one this session started, unused and unexpired; the code is traded for the
   * workspace's token, and a connection is made with it (encrypted) and the app's client secret
   * (to verify the workspace's pushes). Its API key is answered once.
   *
   * @example
   * const made = await runtime.finishOAuth({ session: sessionId, state: query.state, code: query.code });
   * if (made.ok) console.log(made.value.apiKey);
   */
  async finishOAuth(input: { session: string; state: unknown; code: unknown; error?: unknown }): Promise<Result<CreatedConnection, ConnectorError>> {
    if (this.oauth === null) return err(connectorError("oauth_not_configured", {}));
    const authorized = await this.oauth.finish(input);
    if (!authorized.ok) return authorized;
    const { accessToken, region, baseUrl, clientSecret } = authorized.value;
    return this.addConnection({ access_token: accessToken, region, intercom_client_secret: clientSecret, ...(baseUrl === undefined ? {} : { base_url: baseUrl }) });
  }

  /** Stops the housekeeping, waiting for a sweep in flight; the store stays open (its owner closes it). */
  async close(): Promise<void> {
    await this.sweeper?.stop();
  }

  /**
   * The connection an API key belongs to (keys are stored hashed), or `null`. Every face
   * authenticates through it; a hit is remembered for `apiKeyCacheMs`, because a lookup on every
   * request costs a hash and a read.
   */
  async connectionByApiKey(apiKey: string): Promise<Connection | null> {
    const now = this.now();
    const known = this.byApiKey.get(apiKey);
    if (known !== undefined && known.until > now) return known.connection;
    if (known !== undefined) this.byApiKey.delete(apiKey);
    const connection = await this.store.findConnectionByApiKey(apiKey);
    if (connection !== null && this.apiKeyCacheMs > 0) {
      if (this.byApiKey.size >= API_KEY_CACHE_ENTRIES) this.byApiKey.delete(this.byApiKey.keys().next().value as string);
      this.byApiKey.set(apiKey, { connection, until: now + this.apiKeyCacheMs });
    }
    return connection;
  }

  /** Gives a connection a fresh API key (the old one stops at once here); `null` for an unknown connection. */
  async rotateApiKey(connectionId: string): Promise<string | null> {
    const apiKey = await this.store.rotateApiKey(connectionId);
    this.forgetApiKeys(connectionId);
    return apiKey;
  }

  private forgetApiKeys(connectionId: string): void {
    for (const [key, entry] of this.byApiKey) if (entry.connection.id === connectionId) this.byApiKey.delete(key);
  }

  /**
   * The connection's Intercom transport, once one unit of its budget is spent: the one place the
   * budget is spent, for actions and trigger scans alike. `not_found` for an unknown (or just
   * deleted) connection, `rate_limited` with the wait when the budget is spent; neither spends.
   */
  async intercomFor(connectionId: string): Promise<Result<IntercomTransport, ConnectorError>> {
    const intercom = await this.transports.get(connectionId);
    if (intercom === null) return err(connectorError("not_found", { resource: "connection", id: connectionId }));
    const decision = await this.budget.spend(connectionId);
    this.metrics.budgetCall(connectionId, decision.allowed ? "spent" : "refused");
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds;
      return err(connectorError("rate_limited", { limit: this.budget.callsPerWindow, window: this.budget.windowSeconds, retry_after: seconds }, { retryAfterSeconds: seconds }));
    }
    return ok(intercom);
  }

  /**
   * The connection's transport for work Intercom started (reading a pushed item's company, tag
   * and role names): it spends no budget, because no caller asked for it and refusing it would
   * drop Intercom's push. `not_found` for an unknown connection.
   */
  async intercomForPush(connectionId: string): Promise<Result<IntercomTransport, ConnectorError>> {
    const intercom = await this.transports.get(connectionId);
    return intercom === null ? err(connectorError("not_found", { resource: "connection", id: connectionId })) : ok(intercom);
  }

  /**
   * Runs an action for a connection: the input is parsed once against the contract (an
   * `invalid_input` naming the field costs nothing; a {@link ValidatedInput} is not parsed
   * again), then the budget is spent, then the action runs within its deadline
   * (`actionDeadlineSeconds`; the `ListLeads` stream: each page within it).
   *
   * @example
   * const user = await runtime.call(connectionId, "GetUser", { user_id: "6762f0a51bb69f9f2193bb5c" });
   */
  async call<Id extends ActionId>(connectionId: string, operationId: Id, input: unknown): Promise<Result<ActionOutput<Id>, ConnectorError>> {
    const parsed = input instanceof ValidatedInput && input.operationId === operationId ? ok(input as ValidatedInput<Id>) : validateInput(operationId, input);
    if (!parsed.ok) return parsed;
    const intercom = await this.intercomFor(connectionId);
    if (!intercom.ok) return intercom;
    const action = ACTIONS[operationId] as unknown as Action<Id, ActionOutput<Id>>;
    // A stream's pages each come within the deadline; the whole may take longer.
    if (isPagedAction(action)) return action.execute(eachCallWithin(intercom.value, this.deadlineMs), parsed.value.value);
    return withinDeadline(this.deadlineMs, intercom.value, (bound) => action.execute(bound, parsed.value.value));
  }

  /**
   * One page of a paged action (the HTTP face's paging): the first page for `input`, or, with a
   * `cursor` (a previous page's `nextCursor`, which carries the input), the page it names. A bad
   * input or cursor is an `invalid_input` naming it and costs nothing; each page spends one unit
   * of budget and runs within the action's deadline. `not_found` for an action that is not paged.
   *
   * @example
   * const first = await runtime.callPage(connectionId, "ListLeads", {}, undefined);
   * if (first.ok && first.value.nextCursor !== null) await runtime.callPage(connectionId, "ListLeads", {}, first.value.nextCursor);
   */
  async callPage<Id extends ActionId>(connectionId: string, operationId: Id, input: unknown, cursor: unknown): Promise<Result<ActionPage<ActionItem<Id>>, ConnectorError>> {
    const action = ACTIONS[operationId] as unknown as Action<Id, unknown>;
    if (!isPagedAction(action)) return err(connectorError("not_found", { resource: "paged action", id: operationId }));
    const paged = action as unknown as PagedAction<Id, ActionItem<Id>>;
    let pageInput: OperationInput<Id>;
    if (cursor === undefined) {
      const parsed = validateInput(operationId, input);
      if (!parsed.ok) return parsed;
      pageInput = parsed.value.value;
    } else {
      if (typeof cursor !== "string" || cursor === "") {
        return err(connectorError("invalid_input", { field: "cursor", reason: "must be given once, as a non-empty string" }, { field: "cursor" }));
      }
      if (input !== undefined && !(typeof input === "object" && input !== null && Object.keys(input).length === 0)) {
        return err(connectorError("invalid_input", { field: "cursor", reason: "carries its page's input: send it alone" }, { field: "cursor" }));
      }
      // The cursor is checked before the budget is spent: a forged one costs nothing.
      const decoded = paged.paged.decodeCursor(cursor);
      if (!decoded.ok) return decoded;
      pageInput = decoded.value.input;
    }
    const intercom = await this.intercomFor(connectionId);
    if (!intercom.ok) return intercom;
    return withinDeadline(this.deadlineMs, intercom.value, (bound) => paged.paged.page(bound, pageInput, typeof cursor === "string" ? { cursor } : {}));
  }

  /**
   * Whether this runtime can serve: its store answers and its schema is the latest this release
   * knows (`GET /ready`). `not_ready` says why, never with a database's own error text.
   *
   * @example
   * const ready = await runtime.readiness(); // ok({ version: 4, latest: 4 })
   */
  async readiness(): Promise<Result<SchemaStatus, ConnectorError>> {
    let status: SchemaStatus;
    try {
      status = await this.store.schemaStatus();
    } catch {
      return err(connectorError("not_ready", { reason: "the store does not answer" }, { retryAfterSeconds: 5 }));
    }
    if (status.version < status.latest) {
      return err(connectorError("not_ready", { reason: `the database schema is at version ${status.version} of ${status.latest}: run intercom-connector migrate` }, { retryAfterSeconds: 5 }));
    }
    return ok(status);
  }

  /**
   * A picker's candidates for a form (`PICKERS`: tags, companies, admins, …): one Intercom call,
   * one unit of budget, within the action deadline. An unknown picker is `invalid_input` naming
   * `picker`, and costs nothing.
   *
   * @example
   * const tags = await runtime.pick(connectionId, "tags"); // ok({ value: [{ id: "17", title: "vip" }] })
   */
  async pick(connectionId: string, picker: unknown): Promise<Result<PickerValues, ConnectorError>> {
    const id = parseInput(PICKER_INPUT, { picker });
    if (!id.ok) return id;
    const intercom = await this.intercomFor(connectionId);
    if (!intercom.ok) return intercom;
    return withinDeadline(this.deadlineMs, intercom.value, async (bound) => {
      const items = await PICKER_SOURCES[id.value.picker](bound);
      return items.ok ? ok({ value: items.value }) : items;
    });
  }

  /**
   * The JSON Schema of a model's custom attributes (one property per live custom data attribute,
   * of its type), for forms that show each as a field: one Intercom call, one unit of budget. A
   * model other than contact or company is `invalid_input` naming `model`, and costs nothing.
   *
   * @example
   * const described = await runtime.customAttributeSchema(connectionId, "contact");
   */
  async customAttributeSchema(connectionId: string, model: unknown): Promise<Result<CustomAttributeSchema, ConnectorError>> {
    const parsed = parseInput(MODEL_INPUT, { model });
    if (!parsed.ok) return parsed;
    const intercom = await this.intercomFor(connectionId);
    if (!intercom.ok) return intercom;
    return withinDeadline(this.deadlineMs, intercom.value, (bound) => customAttributeSchema(bound, parsed.value.model));
  }

  /**
   * Adds an Intercom workspace credential, validated by the contract's `AddConnectionInput` (the
   * same answer in every face). Its token is stored encrypted; its API key is returned once.
   *
   * @example
   * const added = await runtime.addConnection({ access_token: token, base_url: "http://127.0.0.1:4010" });
   * if (!added.ok) console.error(added.error.field, added.error.message);
   */
  async addConnection(input: unknown): Promise<Result<CreatedConnection, ConnectorError>> {
    const parsed = parseInput(AddConnectionInput, input);
    if (!parsed.ok) return parsed;
    const { access_token, base_url, intercom_client_secret } = parsed.value;
    const region = parsed.value.region ?? "us";
    const name = parsed.value.name ?? new URL(resolveBaseUrl(base_url === undefined ? { region } : { region, baseUrl: base_url })).host;
    try {
      return ok(
        await this.store.createConnection({
          name,
          region,
          accessToken: access_token,
          baseUrl: base_url ?? null,
          ...(intercom_client_secret === undefined ? {} : { intercomClientSecret: intercom_client_secret }),
        }),
      );
    } catch (error) {
      if (isStoreError(error, "invalid_argument")) return err(connectorError("invalid_input", { field: "input", reason: error.message }, { field: "input" }));
      throw error;
    }
  }

  /** Deletes a connection with its subscriptions and outboxes; `false` when there was none. */
  async deleteConnection(connectionId: string): Promise<boolean> {
    const deleted = await this.store.deleteConnection(connectionId);
    this.transports.forget(connectionId);
    this.forgetApiKeys(connectionId);
    return deleted;
  }

  /** Drops a connection's cached transport after its token or base URL changed. */
  connectionChanged(connectionId: string): void {
    this.transports.forget(connectionId);
    this.forgetApiKeys(connectionId);
  }

  /**
   * Checks a connection's credential with one cheap Intercom call (it spends one unit).
   *
   * @example
   * const checked = await runtime.testConnection(connectionId); // ok: { checked: "GET /tags" }
   */
  async testConnection(connectionId: string): Promise<Result<{ checked: string }, ConnectorError>> {
    const intercom = await this.intercomFor(connectionId);
    if (!intercom.ok) return intercom;
    // The transport has no `GET /me`; listing tags is as cheap and needs only read access.
    const tags = await withinDeadline(this.deadlineMs, intercom.value, (bound) => bound.listTags());
    return tags.ok ? ok({ checked: "GET /tags" }) : tags;
  }

  /** Whether Intercom's pushes can reach this connection: it has a client secret that decrypts. */
  private async pushSetUp(connectionId: string): Promise<boolean> {
    try {
      return (await this.store.getIntercomClientSecret(connectionId)) !== null;
    } catch (error) {
      // A secret that no longer decrypts (CONNECTOR_SECRET_KEY changed) verifies no push.
      if (isStoreError(error, "decryption_failed")) return false;
      throw error;
    }
  }

  /**
   * Subscribes a connection to a trigger from now. `invalid_input` for an unknown trigger id,
   * `not_found` for an unknown connection, `push_not_set_up` for a push-only trigger on a
   * connection without an Intercom client secret. The subscription's first scan is its baseline. A
   * `polling` one (the service's Power Automate polling triggers) expires once idle for
   * `subscriptionIdleSeconds`. `filters` are the flow's options its trigger declares (a ticket
   * type…): a bad name or value is `invalid_input` naming `filterField(name)` (`filters.<name>` by
   * default), before anything is stored or spent.
   *
   * @example
   * const subscription = await runtime.subscribe(connectionId, "TrigNewTicket", { filters: { ticket_type_id: "7" } });
   */
  async subscribe(
    connectionId: string,
    triggerId: string,
    options: { kind?: "library" | "polling"; filters?: unknown; filterField?: (name: string) => string } = {},
  ): Promise<Result<Subscription, ConnectorError>> {
    if (!TRIGGER_IDS.includes(triggerId)) {
      return err(connectorError("invalid_input", { field: "triggerId", reason: `must be one of ${TRIGGER_IDS.join(", ")}` }, { field: "triggerId" }));
    }
    const filters = TRIGGERS[triggerId as TriggerId].parseFilters(options.filters, options.filterField);
    if (!filters.ok) return filters;
    // A push-only trigger's events come from Intercom's pushes alone: without the client secret
    // that verifies them, a subscription would wait for ever. Refused before anything is stored.
    if (!TRIGGERS[triggerId as TriggerId].polled && !(await this.pushSetUp(connectionId))) {
      if ((await this.store.getConnection(connectionId)) === null) return err(connectorError("not_found", { resource: "connection", id: connectionId }));
      return err(connectorError("push_not_set_up", { triggerId, connectionId }, { field: "triggerId" }));
    }
    try {
      return ok(await this.engine.subscribe(connectionId, triggerId as TriggerId, options.kind ?? "library", filters.value));
    } catch (error) {
      if (isStoreError(error, "not_found")) return err(connectorError("not_found", { resource: "connection", id: connectionId }));
      throw error;
    }
  }
}

/**
 * What an action answers, by id (a paged action, such as `ListLeads`: an async iterable of its items).
 *
 * @example
 * const user: ActionOutput<"GetUser"> = await unwrap(runtime.call(id, "GetUser", { user_id }));
 */
export type ActionOutput<Id extends ActionId> = (typeof ACTIONS)[Id] extends Action<Id, infer O> ? O : never;

/**
 * The item of a paged action's list (`ListLeads`: a lead); `never` for other actions.
 *
 * @example
 * const lead: ActionItem<"ListLeads"> = page.items[0];
 */
export type ActionItem<Id extends ActionId> = ActionOutput<Id> extends AsyncIterable<infer Item> ? Item : never;
