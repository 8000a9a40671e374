import { useEffect, useState } from "preact/hooks";
import { api, type SessionView } from "../api";
import { ErrorNote } from "../components/common";

type AdminRule = "admin-key" | "demo" | "loopback" | "key-required";

const RULE_TEXT: Record<AdminRule, string> = {
  "admin-key": "Sign in as the operator with the service's admin key (CONNECTOR_ADMIN_KEY).",
  demo: "Demo mode (no INTERCOM_ACCESS_TOKEN): anyone who reaches the service may sign in as the operator.",
  loopback: "No admin key is set: the operator signs in from this machine only.",
  "key-required": "No admin key is set and the service listens beyond this machine: set CONNECTOR_ADMIN_KEY to sign in as the operator.",
};

/** The sign-in page: the operator (admin key, or this machine), or one connection (its API key). */
export function SignIn(props: { onSignedIn: (session: SessionView) => void }) {
  const [rule, setRule] = useState<AdminRule | null>(null);
  const [adminKey, setAdminKey] = useState("");
  const [apiKey, setApiKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // Already signed in (a reload), or which sign-in the service allows; in demo mode the
    // operator's sign-in needs nothing, so the console opens signed in.
    void fetch("/console/api/session", { credentials: "same-origin" })
      .then(async (r) => ({ status: r.status, body: (await r.json()) as SessionView & { sign_in?: { admin_rule?: AdminRule } } }))
      .then(({ status, body }) => {
        if (status === 200) return props.onSignedIn(body);
        const found = body.sign_in?.admin_rule ?? null;
        setRule(found);
        if (found === "demo") void signIn({});
      }, setError);
  }, []);

  const signIn = async (body: Record<string, string>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await api<SessionView>("POST", "/session", body));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>intercom-connector console</h1>
      <ErrorNote error={error} />
      <section aria-labelledby="as-operator">
        <h2 id="as-operator">As the operator</h2>
        <p>{rule === null ? "" : RULE_TEXT[rule]}</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void signIn(rule === "admin-key" ? { admin_key: adminKey } : {});
          }}
        >
          {rule === "admin-key" ? (
            <div class="field">
              <label for="admin-key">Admin key</label>
              <input id="admin-key" type="password" autoComplete="off" value={adminKey} onInput={(e) => setAdminKey(e.currentTarget.value)} required />
            </div>
          ) : null}
          <button type="submit" disabled={busy || rule === "key-required"}>
            {rule === "admin-key" ? "Sign in with the admin key" : "Sign in from this machine"}
          </button>
        </form>
      </section>
      <section aria-labelledby="as-connection">
        <h2 id="as-connection">As one connection</h2>
        <p>A connection's API key (the X-API-Key its calls send) signs in to that connection alone.</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void signIn({ api_key: apiKey });
          }}
        >
          <div class="field">
            <label for="api-key">API key</label>
            <input id="api-key" type="password" autoComplete="off" value={apiKey} onInput={(e) => setApiKey(e.currentTarget.value)} required />
          </div>
          <button type="submit" disabled={busy}>
            Sign in with the API key
          </button>
        </form>
      </section>
    </main>
  );
}
