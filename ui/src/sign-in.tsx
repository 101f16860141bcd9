import { useState } from "preact/hooks";
import { ApiError, get } from "./api";
import type { Principal } from "./app";
import { keepKey } from "./session";

/** Why a key was refused, in words a person can act on. */
function refusal(e: unknown): string {
  if (!(e instanceof ApiError)) return "The API cannot be reached. Is the observatory running?";
  if (e.status === 401) return "This key is not known (or was revoked). Check it and try again.";
  if (e.status === 403) return "This key cannot read: sign in with a key that has the read scope.";
  if (e.status === 429) return "Too many attempts: wait a minute and try again.";
  return e.message;
}

/** Asks for an API key with the read scope; the key is kept for this tab only. */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (p: Principal) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const key = (new FormData(e.currentTarget as HTMLFormElement).get("key") as string).trim();
    if (!key) return setError("Paste an API key first.");
    setBusy(true);
    try {
      const principal = await get("/api/v1/keys/current", undefined, key);
      keepKey(key);
      onSignedIn(principal);
    } catch (err) {
      setError(refusal(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>LLM Observatory</h1>
      <form onSubmit={submit}>
        <label for="key">API key (read scope)</label>
        <input id="key" name="key" type="password" autocomplete="off" spellcheck={false} required autofocus />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <p class="hint">The key stays in this tab only and is sent to this server only. `npm start` prints a link that signs in directly.</p>
        {(error ?? notice) && (
          <p role="alert" class="error">
            {error ?? notice}
          </p>
        )}
      </form>
    </main>
  );
}
