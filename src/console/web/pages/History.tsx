import { useEffect, useState } from "preact/hooks";
import { api, type AttemptView, type EventView, type SubscriptionView } from "../api";
import { TimeChart } from "../components/Chart";
import { ErrorNote, Page, when } from "../components/common";

type Filter = "" | "pending" | "delivered" | "dead";

/** Events per minute of an outbox, the last hour: what entered, and what left delivered. */
function perMinute(events: EventView[]): { times: number[]; entered: number[]; delivered: number[] } {
  const now = Math.floor(Date.now() / 60000) * 60;
  const times = Array.from({ length: 60 }, (_, i) => now - (59 - i) * 60);
  const entered = times.map(() => 0);
  const delivered = times.map(() => 0);
  // The bucket of a time: its minute's distance from the current minute, counted back from 59.
  const bucket = (iso: string): number => 59 - (now - Math.floor(Date.parse(iso) / 60000) * 60) / 60;
  for (const e of events) {
    const i = bucket(e.created_at);
    if (i >= 0 && i < 60) entered[i] = (entered[i] ?? 0) + 1;
    if (e.delivered_at !== null) {
      const j = bucket(e.delivered_at);
      if (j >= 0 && j < 60) delivered[j] = (delivered[j] ?? 0) + 1;
    }
  }
  return { times, entered, delivered };
}

/** The newest attempts of a subscription (one event's, with `eventId`): pages through the store's id order, keeping the last 500. */
async function latestAttempts(sub: string, eventId: string | null): Promise<AttemptView[]> {
  let kept: AttemptView[] = [];
  let after: string | null = "0";
  for (let page = 0; page < 20 && after !== null; page++) {
    const query = `?limit=500&after=${after}${eventId === null ? "" : `&event=${eventId}`}`;
    const r: { value: AttemptView[]; next_after: string | null } = await api("GET", `${sub}/attempts${query}`);
    kept = [...kept, ...r.value].slice(-500);
    after = r.next_after;
  }
  return kept;
}

/** The delivery attempts of a subscription: time, event, status code, latency, error; latency drawn over time. */
function Attempts(props: { sub: string; eventId: string | null; version: number; onAll: () => void }) {
  const [attempts, setAttempts] = useState<AttemptView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    const load = (): void => {
      latestAttempts(props.sub, props.eventId).then(
        (a) => live && setAttempts(a),
        (e: unknown) => live && setError(e),
      );
    };
    load();
    const timer = setInterval(load, 3000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [props.sub, props.eventId, props.version]);
  const shown = [...(attempts ?? [])].reverse();
  return (
    <section aria-labelledby="attempts-title">
      <h2 id="attempts-title">Delivery attempts{props.eventId === null ? "" : ` of event ${props.eventId}`}</h2>
      {props.eventId === null ? null : (
        <button type="button" onClick={props.onAll}>
          Show every event's attempts
        </button>
      )}
      <ErrorNote error={error} />
      {attempts === null ? (
        <p class="muted">Loading…</p>
      ) : attempts.length === 0 ? (
        <p>No delivery attempt yet.</p>
      ) : (
        <>
          <TimeChart
            testId="latency-chart"
            label={`Latency of the last ${attempts.length} delivery attempts, in milliseconds`}
            times={attempts.map((a) => Date.parse(a.attempted_at) / 1000)}
            series={[{ label: "latency (ms)", values: attempts.map((a) => a.latency_ms), stroke: "#7c3aed" }]}
          />
          <div class="table-wrap" tabIndex={0} role="region" aria-label="Delivery attempts table">
            <table data-testid="attempts">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status code</th>
                  <th scope="col">Latency</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr key={a.id} data-testid="attempt">
                    <td>{when(a.attempted_at)}</td>
                    <td>
                      <code>{a.event_id}</code>
                    </td>
                    <td>{a.status_code ?? "no answer"}</td>
                    <td>{a.latency_ms} ms</td>
                    <td>{a.error ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

/** The run history of a subscription: every event with its status, attempts and last error, filtered; dead letters replayed one by one or all. */
export function History(props: { connectionId: string; subscriptionId: string | null; onPick: (id: string) => void }) {
  const [subscriptions, setSubscriptions] = useState<SubscriptionView[]>([]);
  const [events, setEvents] = useState<EventView[] | null>(null);
  const [filter, setFilter] = useState<Filter>("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [eventFilter, setEventFilter] = useState<string | null>(null);
  const base = `/connections/${encodeURIComponent(props.connectionId)}`;

  useEffect(() => {
    api<{ value: SubscriptionView[] }>("GET", `${base}/subscriptions`).then((r) => {
      setSubscriptions(r.value);
      const first = r.value[0];
      if (props.subscriptionId === null && first !== undefined) props.onPick(first.id);
    }, setError);
  }, [base]);

  useEffect(() => {
    if (props.subscriptionId === null) return;
    let live = true;
    const load = (): void => {
      const query = filter === "" ? "?limit=500" : `?status=${filter}&limit=500`;
      api<{ value: EventView[] }>("GET", `${base}/subscriptions/${encodeURIComponent(props.subscriptionId ?? "")}/events${query}`).then(
        (r) => live && setEvents(r.value),
        (e: unknown) => live && setError(e),
      );
    };
    load();
    const timer = setInterval(load, 3000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [base, props.subscriptionId, filter, version]);

  const sub = `${base}/subscriptions/${encodeURIComponent(props.subscriptionId ?? "")}`;
  const act = (what: Promise<unknown>, done: string): void => {
    setError(null);
    what.then(() => {
      setNotice(done);
      setVersion((v) => v + 1);
    }, setError);
  };
  const chart = events === null ? null : perMinute(events);
  const dead = events?.filter((e) => e.status === "dead").length ?? 0;

  return (
    <Page title="Run history">
      <div class="toolbar">
        <div class="field">
          <label for="history-subscription">Subscription</label>
          <select id="history-subscription" value={props.subscriptionId ?? ""} onChange={(e) => {
              setEventFilter(null);
              props.onPick(e.currentTarget.value);
            }}>
            {subscriptions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.trigger_id} ({s.kind}) {s.id}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="history-filter">Status</label>
          <select id="history-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="">all</option>
            <option value="pending">pending</option>
            <option value="delivered">delivered</option>
            <option value="dead">dead</option>
          </select>
        </div>
        <button type="button" disabled={props.subscriptionId === null} onClick={() => act(api<{ replayed: string[] }>("POST", `${sub}/replay-dead`), "Every dead letter is queued again.")}>
          Replay all dead letters
        </button>
      </div>
      {notice === null ? null : (
        <p role="status" class="ok">
          {notice}
        </p>
      )}
      <ErrorNote error={error} />
      {chart === null ? null : (
        <TimeChart
          testId="events-chart"
          label={`Events of this subscription per minute over the last hour; ${dead} dead letters listed`}
          times={chart.times}
          series={[
            { label: "entered / min", values: chart.entered, stroke: "#1d4ed8" },
            { label: "delivered / min", values: chart.delivered, stroke: "#15803d" },
          ]}
        />
      )}
      {props.subscriptionId === null ? (
        <p>This connection has no subscription.</p>
      ) : events === null ? (
        <p class="muted">Loading…</p>
      ) : events.length === 0 ? (
        <p>No event{filter === "" ? "" : ` with status ${filter}`}.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Run history table">
          <table data-testid="events">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Entered</th>
                <th scope="col">Status</th>
                <th scope="col">Failed attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Delivered / next attempt</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="event" data-status={e.status}>
                  <th scope="row">
                    <code>{e.id}</code>
                  </th>
                  <td>{when(e.created_at)}</td>
                  <td>{e.status}</td>
                  <td>{e.attempts}</td>
                  <td>{e.last_error ?? "—"}</td>
                  <td>{e.status === "delivered" ? when(e.delivered_at) : e.status === "pending" ? when(e.next_attempt_at) : `died ${when(e.next_attempt_at)}`}</td>
                  <td class="row-actions">
                    <button type="button" aria-label={`Attempts of event ${e.id}`} onClick={() => setEventFilter(e.id)}>
                      Attempts
                    </button>{" "}
                    {e.status === "dead" ? (
                      <button type="button" aria-label={`Replay event ${e.id}`} onClick={() => act(api("POST", `${sub}/events/${e.id}/replay`), `Event ${e.id} is queued again.`)}>
                        Replay
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.subscriptionId === null ? null : <Attempts sub={sub} eventId={eventFilter} version={version} onAll={() => setEventFilter(null)} />}
    </Page>
  );
}
