import { render } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import "uplot/dist/uPlot.min.css";
import "./styles.css";
import { api, setCsrfToken, type ConnectionView, type SessionView } from "./api";
import { ErrorNote } from "./components/common";
import { Connections } from "./pages/Connections";
import { Feed } from "./pages/Feed";
import { History } from "./pages/History";
import { PowerPlatform } from "./pages/PowerPlatform";
import { SignIn } from "./pages/SignIn";
import { Subscriptions } from "./pages/Subscriptions";
import { TryIt } from "./pages/TryIt";

const PAGES = [
  { id: "connections", title: "Connections" },
  { id: "subscriptions", title: "Subscriptions" },
  { id: "history", title: "Run history" },
  { id: "feed", title: "Live feed" },
  { id: "try", title: "Try it" },
  { id: "power-platform", title: "Power Platform" },
] as const;
type PageId = (typeof PAGES)[number]["id"];

/** The callback Intercom redirects to after "Connect with Intercom" (its query: state and code). */
const OAUTH_CALLBACK = "/console/oauth/callback";

function pageOfPath(): PageId {
  const name = location.pathname.replace(/^\/console\/?/, "");
  return PAGES.find((p) => p.id === name)?.id ?? "connections";
}

function App() {
  const [session, setSession] = useState<SessionView | null>(null);
  const [page, setPage] = useState<PageId>(pageOfPath());
  const [connections, setConnections] = useState<ConnectionView[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [subscriptionId, setSubscriptionId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Read once: the callback's code and state are finished by the connections page, then dropped from the URL.
  const [oauth, setOAuth] = useState<URLSearchParams | null>(location.pathname === OAUTH_CALLBACK ? new URLSearchParams(location.search) : null);

  const signedIn = useCallback((s: SessionView) => {
    setCsrfToken(s.csrf_token);
    setSession(s);
  }, []);

  const reload = useCallback(() => {
    api<{ value: ConnectionView[] }>("GET", "/connections").then((r) => {
      setConnections(r.value);
      setSelected((current) => (current !== null && r.value.some((c) => c.id === current) ? current : (r.value[0]?.id ?? null)));
    }, setError);
  }, []);

  useEffect(() => {
    if (session !== null) reload();
  }, [session, reload]);

  useEffect(() => {
    const back = (): void => setPage(pageOfPath());
    window.addEventListener("popstate", back);
    return () => window.removeEventListener("popstate", back);
  }, []);

  useEffect(() => {
    const title = PAGES.find((p) => p.id === page)?.title ?? "";
    document.title = `${title} · intercom-connector console`;
    // The new page's heading takes the focus, so a screen reader announces it.
    document.getElementById("page-title")?.focus();
  }, [page]);

  const go = (id: PageId): void => {
    if (id !== page) history.pushState(null, "", `/console/${id}`);
    setPage(id);
  };

  if (session === null) return <SignIn onSignedIn={signedIn} />;

  const signOut = (): void => {
    api("DELETE", "/session").then(
      () => {
        setSession(null);
        setConnections([]);
      },
      setError,
    );
  };

  const needsConnection = page !== "connections" && page !== "power-platform";
  return (
    <>
      <a class="skip" href="#main">
        Skip to the page
      </a>
      <header class="top">
        <span class="brand">intercom-connector</span>
        <nav aria-label="Console pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <a
                  href={`/console/${p.id}`}
                  aria-current={p.id === page ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    go(p.id);
                  }}
                >
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          {connections.length > 0 ? (
            <>
              <label for="connection-picker">Connection</label>{" "}
              <select id="connection-picker" value={selected ?? ""} onChange={(e) => setSelected(e.currentTarget.value)}>
                {connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </>
          ) : null}{" "}
          <span class="muted">{session.scope === "admin" ? "operator" : "one connection"}</span>{" "}
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main">
        <ErrorNote error={error} />
        {needsConnection && selected === null ? <p>Add a connection first (Connections).</p> : null}
        {page === "connections" ? (
          <Connections
            session={session}
            connections={connections}
            reload={reload}
            oauth={oauth}
            onOAuthDone={() => {
              setOAuth(null);
              history.replaceState(null, "", "/console/connections");
            }}
            onSelect={(id) => {
              setSelected(id);
              go("subscriptions");
            }}
          />
        ) : null}
        {page === "subscriptions" && selected !== null ? (
          <Subscriptions
            connectionId={selected}
            onHistory={(id) => {
              setSubscriptionId(id);
              go("history");
            }}
          />
        ) : null}
        {page === "history" && selected !== null ? <History key={selected} connectionId={selected} subscriptionId={subscriptionId} onPick={setSubscriptionId} /> : null}
        {page === "feed" && selected !== null ? <Feed connectionId={selected} /> : null}
        {page === "try" && selected !== null ? <TryIt connectionId={selected} /> : null}
        {page === "power-platform" ? <PowerPlatform /> : null}
      </main>
    </>
  );
}

const root = document.getElementById("app");
if (root !== null) {
  root.textContent = "";
  render(<App />, root);
}
