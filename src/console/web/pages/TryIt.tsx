import { useEffect, useState } from "preact/hooks";
import { api, type ActionView } from "../api";
import { ErrorNote, Page } from "../components/common";
import { SchemaForm } from "../components/SchemaForm";
import { ApiError } from "../api";

/** "Try it": a form for every action, generated from the contract's JSON Schema; the result, or the error with its code. Each run spends budget like any call. */
export function TryIt(props: { connectionId: string }) {
  const [actions, setActions] = useState<ActionView[]>([]);
  const [chosen, setChosen] = useState("");
  const [result, setResult] = useState<unknown>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<{ value: ActionView[] }>("GET", "/actions").then((r) => {
      setActions(r.value);
      setChosen((c) => (c === "" ? (r.value[0]?.id ?? "") : c));
    }, setError);
  }, []);

  const action = actions.find((a) => a.id === chosen);
  // A paged action's body is its input for the first page, then the previous page's cursor alone.
  const run = (body: { input: Record<string, unknown> } | { cursor: string }): void => {
    setBusy(true);
    setError(null);
    setResult(undefined);
    api("POST", `/connections/${encodeURIComponent(props.connectionId)}/actions/${encodeURIComponent(chosen)}`, body)
      .then(setResult, setError)
      .finally(() => setBusy(false));
  };
  const nextCursor = typeof result === "object" && result !== null && typeof (result as { next_cursor?: unknown }).next_cursor === "string" ? (result as { next_cursor: string }).next_cursor : null;

  return (
    <Page title="Try it">
      <div class="field">
        <label for="try-action">Action</label>
        <select
          id="try-action"
          value={chosen}
          onChange={(e) => {
            setChosen(e.currentTarget.value);
            setResult(undefined);
            setError(null);
          }}
        >
          {actions.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id}
            </option>
          ))}
        </select>
      </div>
      {action === undefined ? null : (
        <section class="card" aria-labelledby="try-title">
          <h2 id="try-title">{action.id}</h2>
          <p>{action.description}</p>
          {action.paged ? <p class="muted">Answers one page per run.</p> : null}
          <SchemaForm key={action.id} id={`try-${action.id}`} schema={action.schema} busy={busy} onSubmit={(input) => run({ input })} fieldError={error instanceof ApiError ? error.field : undefined} />
        </section>
      )}
      <ErrorNote error={error} />
      {result === undefined ? null : (
        <section aria-labelledby="try-result">
          <h2 id="try-result">Result</h2>
          {nextCursor === null ? null : (
            <button type="button" disabled={busy} onClick={() => run({ cursor: nextCursor })}>
              Next page
            </button>
          )}
          <pre class="result" data-testid="result" tabIndex={0}>
            {JSON.stringify(result, null, 2)}
          </pre>
        </section>
      )}
    </Page>
  );
}
