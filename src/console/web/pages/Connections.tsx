import { useEffect, useState } from "preact/hooks";
import { api, type BudgetView, type ConnectionView, type SessionView } from "../api";
import { TimeChart } from "../components/Chart";
import { ErrorNote, Page, ShownOnce, when } from "../components/common";

/** One connection's budget over the last hour: calls spent and refused per minute against the limit. */
function BudgetChart(props: { connection: ConnectionView; version: number }) {
  const [budget, setBudget] = useState<BudgetView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    const load = (): void => {
      api<BudgetView>("GET", `/connections/${encodeURIComponent(props.connection.id)}/budget`).then(
        (b) => live && setBudget(b),
        (e: unknown) => live && setError(e),
      );
    };
    load();
    const timer = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [props.connection.id, props.version]);
  if (error !== null) return <ErrorNote error={error} />;
  if (budget === null) return <p class="muted">Loading the budget…</p>;
  const times = budget.minutes.map((m) => Date.parse(m.minute) / 1000);
  const perMinute = (budget.limit * 60) / budget.window_seconds;
  const spent = budget.minutes.reduce((n, m) => n + m.spent, 0);
  const refused = budget.minutes.reduce((n, m) => n + m.refused, 0);
  return (
    <div>
      <p data-testid="budget-summary">
        Last hour: <strong>{spent}</strong> calls spent, <strong>{refused}</strong> refused; limit {budget.limit} per {budget.window_seconds} s.
      </p>
      <TimeChart
        testId="budget-chart"
        label={`Budget of ${props.connection.name} over the last hour: ${spent} calls spent and ${refused} refused, limit ${budget.limit} per ${budget.window_seconds} seconds`}
        times={times}
        series={[
          { label: "spent / min", values: budget.minutes.map((m) => m.spent), stroke: "#1d4ed8", fill: "rgba(29,78,216,0.15)" },
          { label: "refused / min", values: budget.minutes.map((m) => m.refused), stroke: "#b91c1c" },
          { label: "limit / min", values: budget.minutes.map(() => perMinute), stroke: "#4b5563", dash: [6, 4] },
        ]}
      />
    </div>
  );
}

/** One connection's card: its details, budget chart, and test / rotate key / delete. */
function ConnectionCard(props: { connection: ConnectionView; onChanged: () => void; onSelect: (id: string) => void }) {
  const c = props.connection;
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const run = async (what: () => Promise<void>): Promise<void> => {
    setError(null);
    setMessage(null);
    try {
      await what();
    } catch (e) {
      setError(e);
    }
    setVersion((v) => v + 1);
  };
  const path = `/connections/${encodeURIComponent(c.id)}`;
  return (
    <article class="card" aria-labelledby={`conn-${c.id}`} data-testid="connection">
      <h2 id={`conn-${c.id}`}>{c.name}</h2>
      <dl class="facts">
        <dt>id</dt>
        <dd>
          <code>{c.id}</code>
        </dd>
        <dt>region</dt>
        <dd>{c.region}</dd>
        <dt>base URL</dt>
        <dd>{c.base_url ?? "(the region's)"}</dd>
        <dt>created</dt>
        <dd>{when(c.created_at)}</dd>
      </dl>
      <BudgetChart connection={c} version={version} />
      <div class="actions">
        <button type="button" onClick={() => props.onSelect(c.id)}>
          Subscriptions
        </button>
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              const r = await api<{ checked: string }>("POST", `${path}/test`);
              setMessage(`Connection works (${r.checked}).`);
            })
          }
        >
          Test
        </button>
        <button
          type="button"
          onClick={() =>
            void run(async () => {
              if (!confirm(`Rotate the API key of ${c.name}? The current key stops working at once.`)) return;
              setSecret((await api<{ api_key: string }>("POST", `${path}/rotate-key`)).api_key);
            })
          }
        >
          Rotate API key
        </button>
        <button
          type="button"
          class="danger"
          onClick={() =>
            void run(async () => {
              if (!confirm(`Delete ${c.name} with its subscriptions and outboxes?`)) return;
              await api("DELETE", path);
              props.onChanged();
            })
          }
        >
          Delete
        </button>
      </div>
      {message === null ? null : (
        <p role="status" class="ok">
          {message}
        </p>
      )}
      <ErrorNote error={error} />
      {secret === null ? null : <ShownOnce label="New API key" value={secret} onDone={() => setSecret(null)} />}
    </article>
  );
}

/** "Connect with Intercom": Intercom's OAuth for the service's public app (INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET). */
function ConnectWithIntercom() {
  const [region, setRegion] = useState("us");
  const [error, setError] = useState<unknown>(null);
  return (
    <section class="card" aria-labelledby="connect-intercom">
      <h2 id="connect-intercom">Connect with Intercom</h2>
      <p>Sign in to Intercom and pick the workspace: no token to copy. Needs the service's Intercom app (INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET).</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api<{ url: string }>("POST", "/oauth/start", { region }).then((r) => location.assign(r.url), setError);
        }}
      >
        <div class="field">
          <label for="oauth-region">Workspace region</label>
          <select id="oauth-region" value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
            <option value="us">us</option>
            <option value="eu">eu</option>
            <option value="au">au</option>
          </select>
        </div>
        <button type="submit">Connect with Intercom</button>
      </form>
      <ErrorNote error={error} />
    </section>
  );
}

/** What came back from Intercom's authorize page (the callback's query), finished here. */
export function OAuthReturn(props: { query: URLSearchParams; onDone: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  useEffect(() => {
    const body: Record<string, string> = {};
    for (const name of ["state", "code", "error"]) {
      const value = props.query.get(name);
      if (value !== null) body[name] = value;
    }
    api<{ api_key: string }>("POST", "/oauth/finish", body)
      .then((r) => setSecret(r.api_key), setError)
      // The code is spent either way: a reload must not post it again.
      .finally(() => history.replaceState(null, "", "/console/connections"));
  }, []);
  return (
    <section class="card" aria-labelledby="oauth-return">
      <h2 id="oauth-return">Back from Intercom</h2>
      {secret === null && error === null ? <p class="muted">Finishing…</p> : null}
      <ErrorNote error={error} />
      {secret === null ? null : <ShownOnce label="Connected. The new connection's API key" value={secret} onDone={() => setSecret(null)} />}
      {secret === null && error === null ? null : (
        <button type="button" onClick={props.onDone}>
          Back to the connections
        </button>
      )}
    </section>
  );
}

/** The form that adds a connection by its access token and region (the operator only). */
function AddConnection(props: { onAdded: () => void }) {
  const [token, setToken] = useState("");
  const [region, setRegion] = useState("us");
  const [name, setName] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <section class="card" aria-labelledby="add-connection">
      <h2 id="add-connection">Add a connection</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          const body: Record<string, string> = { access_token: token, region };
          if (name !== "") body.name = name;
          if (baseUrl !== "") body.base_url = baseUrl;
          api<{ api_key: string }>("POST", "/connections", body)
            .then((r) => {
              setSecret(r.api_key);
              setToken("");
              props.onAdded();
            }, setError)
            .finally(() => setBusy(false));
        }}
      >
        <div class="field">
          <label for="add-token">Access token</label>
          <input id="add-token" type="password" autoComplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} required />
        </div>
        <div class="field">
          <label for="add-region">Region</label>
          <select id="add-region" value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
            <option value="us">us</option>
            <option value="eu">eu</option>
            <option value="au">au</option>
          </select>
        </div>
        <div class="field">
          <label for="add-name">Name (optional)</label>
          <input id="add-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="add-base-url">Base URL (optional: a proxy or the emulator)</label>
          <input id="add-base-url" type="url" value={baseUrl} onInput={(e) => setBaseUrl(e.currentTarget.value)} />
        </div>
        <button type="submit" disabled={busy}>
          Add connection
        </button>
      </form>
      <ErrorNote error={error} />
      {secret === null ? null : <ShownOnce label="The new connection's API key" value={secret} onDone={() => setSecret(null)} />}
    </section>
  );
}

/** The connections page. */
export function Connections(props: {
  session: SessionView;
  connections: ConnectionView[];
  reload: () => void;
  onSelect: (id: string) => void;
  /** Intercom's redirect back ("Connect with Intercom"), to finish. */
  oauth: URLSearchParams | null;
  onOAuthDone: () => void;
}) {
  return (
    <Page title="Connections">
      {props.oauth === null ? null : (
        <OAuthReturn
          query={props.oauth}
          onDone={() => {
            props.onOAuthDone();
            props.reload();
          }}
        />
      )}
      {props.session.scope === "admin" ? <ConnectWithIntercom /> : null}
      {props.session.scope === "admin" ? <AddConnection onAdded={props.reload} /> : null}
      {props.connections.length === 0 ? <p>No connection yet.</p> : null}
      {props.connections.map((c) => (
        <ConnectionCard key={c.id} connection={c} onChanged={props.reload} onSelect={props.onSelect} />
      ))}
    </Page>
  );
}
