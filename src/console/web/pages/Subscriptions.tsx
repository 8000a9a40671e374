import { useEffect, useState } from "preact/hooks";
import { api, type SubscriptionView } from "../api";
import { ErrorNote, Page, ShownOnce, when } from "../components/common";

/** The subscriptions of the chosen connection: what each watches, how far it is, what waits; pause, resume, delete; a webhook form. */
export function Subscriptions(props: { connectionId: string; onHistory: (subscriptionId: string) => void }) {
  const [rows, setRows] = useState<SubscriptionView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [trigger, setTrigger] = useState("TrigNewLead");
  const [callback, setCallback] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [triggers, setTriggers] = useState<string[]>([]);
  const [pushOnly, setPushOnly] = useState<string[]>([]);
  const base = `/connections/${encodeURIComponent(props.connectionId)}`;

  useEffect(() => {
    api<{ triggers: string[]; push_only: string[] }>("GET", "/actions").then((r) => {
      setTriggers(r.triggers);
      setPushOnly(r.push_only);
    }, setError);
  }, []);

  useEffect(() => {
    let live = true;
    const load = (): void => {
      api<{ value: SubscriptionView[] }>("GET", `${base}/subscriptions`).then(
        (r) => live && setRows(r.value),
        (e: unknown) => live && setError(e),
      );
    };
    load();
    const timer = setInterval(load, 3000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [base, version]);

  const act = (what: Promise<unknown>): void => {
    setError(null);
    what.then(() => setVersion((v) => v + 1), setError);
  };

  return (
    <Page title="Subscriptions">
      <section class="card" aria-labelledby="subscribe">
        <h2 id="subscribe">Subscribe a webhook</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            api<{ secret: string }>("POST", `${base}/webhooks`, { trigger_id: trigger, callback_url: callback }).then((r) => {
              setSecret(r.secret);
              setCallback("");
              setVersion((v) => v + 1);
            }, setError);
          }}
        >
          <div class="field">
            <label for="sub-trigger">Trigger</label>
            <select id="sub-trigger" value={trigger} onChange={(e) => setTrigger(e.currentTarget.value)}>
              {triggers.map((t) => (
                <option key={t} value={t}>
                  {pushOnly.includes(t) ? `${t} (push only: needs Intercom's webhooks and the connection's client secret)` : t}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="sub-callback">Callback URL</label>
            <input id="sub-callback" type="url" value={callback} onInput={(e) => setCallback(e.currentTarget.value)} required placeholder="https://hooks.example.com/intercom" />
          </div>
          <button type="submit">Subscribe</button>
        </form>
        {secret === null ? null : <ShownOnce label="The webhook's signing secret" value={secret} onDone={() => setSecret(null)} />}
      </section>
      <ErrorNote error={error} />
      {rows === null ? (
        <p class="muted">Loading…</p>
      ) : rows.length === 0 ? (
        <p>This connection has no subscription.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Subscriptions table">
          <table data-testid="subscriptions">
            <thead>
              <tr>
                <th scope="col">Trigger</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Cursor</th>
                <th scope="col">Last poll</th>
                <th scope="col">Next poll</th>
                <th scope="col">Late</th>
                <th scope="col">Pending</th>
                <th scope="col">Dead</th>
                <th scope="col">Last delivery</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} data-testid="subscription">
                  <th scope="row">
                    {s.trigger_id}
                    <br />
                    <small>
                      <code>{s.id}</code>
                    </small>
                    {s.callback_url === null ? null : (
                      <>
                        <br />
                        <small>{s.callback_url}</small>
                      </>
                    )}
                  </th>
                  <td>{s.kind}</td>
                  <td>{s.state === "active" ? "active" : "paused"}</td>
                  <td>{when(s.cursor_at)}</td>
                  <td>{when(s.last_poll_at)}</td>
                  <td>{when(s.next_poll_at)}</td>
                  <td>{s.late_seconds > 0 ? `${s.late_seconds} s` : "on time"}</td>
                  <td data-testid="pending">{s.events.pending}</td>
                  <td data-testid="dead">{s.events.dead}</td>
                  <td>
                    {s.last_delivery === null
                      ? "—"
                      : `${s.last_delivery.status} ${when(s.last_delivery.at)}${s.last_delivery.error === null ? "" : `: ${s.last_delivery.error}`}`}
                  </td>
                  <td>
                    <div class="actions">
                    <button type="button" onClick={() => props.onHistory(s.id)} aria-label={`Run history of ${s.trigger_id} ${s.id}`}>
                      History
                    </button>
                    {s.state === "active" ? (
                      <button type="button" onClick={() => act(api("POST", `${base}/subscriptions/${s.id}/pause`))} aria-label={`Pause ${s.trigger_id} ${s.id}`}>
                        Pause
                      </button>
                    ) : (
                      <button type="button" onClick={() => act(api("POST", `${base}/subscriptions/${s.id}/resume`))} aria-label={`Resume ${s.trigger_id} ${s.id}`}>
                        Resume
                      </button>
                    )}
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Delete ${s.trigger_id} ${s.id}`}
                      onClick={() => {
                        if (confirm(`Delete the subscription ${s.id} with its outbox?`)) act(api("DELETE", `${base}/subscriptions/${s.id}`));
                      }}
                    >
                      Delete
                    </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
