import { useEffect, useState } from "preact/hooks";
import { useLoad } from "./load";
import { type Answer, ApiError, get, onUnauthorized } from "./api";
import { KeysPage } from "./keys-page";
import { setLive, useLive } from "./live";
import { href, useRoute } from "./router";
import { currentKey, forgetKey } from "./session";
import { SignIn } from "./sign-in";
import { TraceList } from "./trace-list";
import { TraceView } from "./trace-view";

export type Principal = Answer<"/api/v1/keys/current">;

/** The usage page and its chart library load when first opened, not with the trace list. */
function Usage({ params }: { params: URLSearchParams }) {
  const page = useLoad(() => import("./usage-page"), []);
  return page.data ? <page.data.UsagePage params={params} /> : <p>Loading…</p>;
}

/** The signed-in shell: navigation, live toggle, sign-out, and the page the address names. */
export function App() {
  const [principal, setPrincipal] = useState<Principal | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [checking, setChecking] = useState(currentKey() !== null);
  const route = useRoute();
  const live = useLive();

  const signOut = (message: string | null) => {
    forgetKey();
    setPrincipal(null);
    setNotice(message);
  };
  useEffect(() => onUnauthorized((e) => signOut(`Signed out: ${e.message}.`)), []);
  useEffect(() => {
    if (!currentKey()) return;
    get("/api/v1/keys/current")
      .then(setPrincipal, (e: Error) => signOut(e instanceof ApiError ? `This key cannot sign in: ${e.message}.` : e.message))
      .finally(() => setChecking(false));
  }, []);

  if (checking) return <p class="page">Signing in…</p>;
  if (!principal) return <SignIn notice={notice} onSignedIn={setPrincipal} />;

  const admin = principal.scopes?.includes("admin");
  const page = route.page;
  const nav = (to: string, label: string) => (
    <a href={href(to)} aria-current={page === to ? "page" : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <header class="topbar">
        <strong class="brand">LLM Observatory</strong>
        <nav aria-label="Pages">
          {nav("traces", "Traces")}
          {nav("usage", "Usage")}
          {admin && nav("keys", "Keys")}
        </nav>
        <span class="spacer" />
        <label class="live" title="Refresh the list and charts on their own">
          <input type="checkbox" role="switch" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} /> Live
        </label>
        <span class="project" title="The key's project scopes everything shown">
          project <b data-testid="project">{principal.project_id}</b>
        </span>
        <button type="button" class="link" onClick={() => signOut(null)}>
          Sign out
        </button>
      </header>
      <main class="page">
        {page === "traces" && route.id ? (
          <TraceView traceId={route.id} params={route.params} />
        ) : page === "usage" ? (
          <Usage params={route.params} />
        ) : page === "keys" && admin ? (
          <KeysPage />
        ) : (
          <TraceList key={route.params.toString()} params={route.params} />
        )}
      </main>
    </>
  );
}
