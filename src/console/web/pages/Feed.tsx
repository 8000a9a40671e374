import { useEffect, useState } from "preact/hooks";
import type { FeedChange } from "../api";
import { TimeChart } from "../components/Chart";
import { Page, when } from "../components/common";

const KEEP = 200;

function summary(payload: unknown): string {
  if (typeof payload !== "object" || payload === null) return "";
  const p = payload as Record<string, unknown>;
  const first = ["email", "name", "title", "id"].map((k) => p[k]).find((v) => typeof v === "string" && v !== "");
  return typeof first === "string" ? first : "";
}

/** The live event feed of the chosen connection (server-sent events): events entering and leaving the outboxes. */
export function Feed(props: { connectionId: string }) {
  const [changes, setChanges] = useState<FeedChange[]>([]);
  const [status, setStatus] = useState("connecting…");

  useEffect(() => {
    const source = new EventSource(`/console/api/connections/${encodeURIComponent(props.connectionId)}/feed`);
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus("reconnecting…");
    source.addEventListener("change", (message) => {
      const change = JSON.parse((message as MessageEvent<string>).data) as FeedChange;
      setChanges((list) => [change, ...list].slice(0, KEEP));
    });
    return () => source.close();
  }, [props.connectionId]);

  const now = Math.floor(Date.now() / 60000) * 60;
  const times = Array.from({ length: 30 }, (_, i) => now - (29 - i) * 60);
  const count = (type: FeedChange["type"]): number[] =>
    times.map((t) => changes.filter((c) => c.type === type && Math.floor(Date.parse(c.at) / 60000) * 60 === t).length);

  return (
    <Page title="Live event feed">
      <p>
        Feed: <span data-testid="feed-status">{status}</span>. Shows what happens from now on (the last {KEEP} changes).
      </p>
      <TimeChart
        testId="feed-chart"
        label="Events per minute seen by this feed: entered, delivered and failed"
        times={times}
        series={[
          { label: "entered", values: count("entered"), stroke: "#1d4ed8" },
          { label: "delivered", values: count("delivered"), stroke: "#15803d" },
          { label: "failed", values: count("failed"), stroke: "#b91c1c" },
        ]}
      />
      <ol class="feed" aria-live="polite" data-testid="feed">
        {changes.length === 0 ? <li class="muted">Nothing yet.</li> : null}
        {changes.map((c) => (
          <li key={`${c.subscription_id}-${c.event_id}-${c.type}-${c.attempts}`} data-type={c.type} data-testid="feed-change">
            <span class={`badge badge-${c.type}`}>{c.type}</span> {when(c.at)} · {c.trigger_id} · event <code>{c.event_id}</code> {summary(c.payload)}
            {c.error === null ? null : <span class="error-text"> · {c.error}</span>}
          </li>
        ))}
      </ol>
    </Page>
  );
}
