import type { ComponentChildren } from "preact";
import { ApiError } from "../api";

/** A time as the page shows it: local date and time, or a dash. */
export function when(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return "—";
  return new Date(iso).toLocaleString();
}

/** An error answer as the page shows it: its code first, then the service's message. */
export function ErrorNote(props: { error: unknown }) {
  if (props.error === null || props.error === undefined) return null;
  const e = props.error;
  const code = e instanceof ApiError ? e.code : "error";
  const message = e instanceof Error ? e.message : typeof e === "string" ? e : "unexpected error";
  return (
    <p role="alert" class="error" data-testid="error">
      <code>{code}</code> {message}
      {e instanceof ApiError && e.field !== undefined ? (
        <>
          {" "}
          (field <code>{e.field}</code>)
        </>
      ) : null}
    </p>
  );
}

/** A secret shown this once, with a button to copy it. */
export function ShownOnce(props: { label: string; value: string; onDone: () => void }) {
  return (
    <div class="shown-once" role="status">
      <p>
        <strong>{props.label}</strong> (shown this once: copy it now, it cannot be shown again)
      </p>
      <p>
        <code data-testid="secret">{props.value}</code>
      </p>
      <button type="button" onClick={() => void navigator.clipboard?.writeText(props.value)}>
        Copy
      </button>{" "}
      <button type="button" onClick={props.onDone}>
        Done
      </button>
    </div>
  );
}

/** A page's frame: its heading and content. */
export function Page(props: { title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}
