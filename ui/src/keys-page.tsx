import { useState } from "preact/hooks";
import { type Answer, get, send } from "./api";
import { time } from "./format";
import { useLoad } from "./load";
import { ErrorNote } from "./notes";

type Created = Answer<"/api/v1/keys", "post">;
const SCOPES = ["read", "ingest", "admin"] as const;

/** The project's keys (admin): list, create (the secret is shown once), revoke. */
export function KeysPage() {
  const [version, setVersion] = useState(0);
  const [created, setCreated] = useState<Created | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const [copied, setCopied] = useState(false);
  const keys = useLoad(() => get("/api/v1/keys"), [version]);

  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const scopes = data.getAll("scopes") as string[];
    try {
      setError(undefined);
      setCreated((await send<Created>("POST", "/api/v1/keys", { name: String(data.get("name")).trim(), scopes }))!);
      setCopied(false);
      form.reset();
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err as Error);
    }
  };
  const revoke = async (id: string, name: string) => {
    if (!confirm(`Revoke the key "${name}"? Clients using it stop within a minute.`)) return;
    try {
      setError(undefined);
      await send("DELETE", `/api/v1/keys/${id}`);
      setVersion((v) => v + 1);
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <>
      <h1>API keys</h1>
      <form class="filters" onSubmit={create} aria-label="New key">
        <label>
          Name <input name="name" required maxLength={256} />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label class="check">
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === "read"} /> {s}
            </label>
          ))}
        </fieldset>
        <button type="submit">Create key</button>
      </form>
      {created && (
        <div class="created" role="status">
          <p>
            Key <b>{created.name}</b> created. Copy it now: it is not shown again.
          </p>
          <p>
            <code data-testid="new-key">{created.key}</code>{" "}
            <button type="button" onClick={() => navigator.clipboard.writeText(created.key ?? "").then(() => setCopied(true))}>
              {copied ? "Copied" : "Copy"}
            </button>
          </p>
        </div>
      )}
      <ErrorNote error={error ?? keys.error} />
      <div class="scroll">
        <table class="keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Scopes</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data?.keys?.map((k) => (
              <tr data-key-id={k.id}>
                <td>{k.name}</td>
                <td>
                  <code>{k.key_prefix}…</code>
                </td>
                <td>{k.scopes?.join(", ")}</td>
                <td>{k.created_at && time(k.created_at)}</td>
                <td>{k.revoked_at ? `revoked ${time(k.revoked_at)}` : "active"}</td>
                <td>
                  {!k.revoked_at && (
                    <button type="button" onClick={() => revoke(k.id!, k.name!)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
