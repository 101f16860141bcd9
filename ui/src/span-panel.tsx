import type { ComponentChildren } from "preact";
import { get } from "./api";
import { count, duration, time, usd } from "./format";
import { useLoad } from "./load";
import { type Message, conversation } from "./messages";
import type { Span } from "./waterfall";

type Attrs = Record<string, unknown>;

/** Text longer than this is folded behind a "show all". */
const FOLD = 600;

function Folded({ text }: { text: string }) {
  if (text.length <= FOLD) return <p class="text">{text}</p>;
  return (
    <details class="fold">
      <summary>
        <span class="text">{text.slice(0, FOLD)}…</span> <span class="more">show all ({count(text.length)} characters)</span>
      </summary>
      <p class="text">{text}</p>
    </details>
  );
}

function Chat({ title, messages }: { title: string; messages: Message[] }) {
  if (messages.length === 0) return null;
  return (
    <section aria-label={title}>
      <h3>{title}</h3>
      <ol class="chat">
        {messages.map((m) => (
          <li class={`message ${m.role}`}>
            <span class="role">{m.role}</span>
            <Folded text={m.text} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Fields({ rows }: { rows: [string, ComponentChildren][] }) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== "" && v !== "–");
  if (shown.length === 0) return null;
  return (
    <dl class="fields">
      {shown.map(([k, v]) => (
        <div>
          <dt>{k}</dt>
          <dd data-field={k}>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function AttributeTable({ title, attrs }: { title: string; attrs: Attrs }) {
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) return null;
  return (
    <details class="attrs" open={keys.length <= 30}>
      <summary>
        <h3>
          {title} ({keys.length})
        </h3>
      </summary>
      <table>
        <tbody>
          {keys.map((k) => (
            <tr>
              <th scope="row">{k}</th>
              <td>
                <Folded text={show(attrs[k])} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The price row that priced a span: the one ingest would pick (longest pattern, latest date not after the span). */
function PriceRow({ span }: { span: Span }) {
  const model = span.response_model ?? span.request_model;
  const { data } = useLoad(
    () => (span.provider && model ? get("/api/v1/prices", { provider: span.provider, model }) : Promise.resolve(undefined)),
    [span.provider, model],
  );
  const at = Date.parse(span.start_time ?? "");
  const row = data?.prices?.find((p) => Date.parse(p.effective_from ?? "") <= at);
  if (!row) return span.cost_usd == null ? null : <p class="hint">The price row that produced this cost is no longer listed.</p>;
  return (
    <p class="price" data-testid="price-row">
      Priced by <b>{row.provider}</b> / <code>{row.model_pattern}</code> from {row.effective_from?.slice(0, 10)}: ${row.input_per_mtok} in, $
      {row.output_per_mtok} out
      {row.cached_input_per_mtok != null && `, $${row.cached_input_per_mtok} cached`} per million tokens ({row.source})
    </p>
  );
}

/** Everything about one span: GenAI fields, cost and its price, the conversation, attributes, events. */
export function SpanPanel({ span }: { span: Span }) {
  const chat = conversation((span.attributes ?? {}) as Attrs, (span.events ?? []) as { name?: string; attributes?: Attrs }[]);
  const failed = span.status_code === 2;
  return (
    <aside class="panel" aria-label={`Span ${span.name}`} tabIndex={-1} id="span-panel">
      <h2>{span.name}</h2>
      <p class={`status ${failed ? "error" : "ok"}`}>
        {failed ? `error${span.status_message ? `: ${span.status_message}` : ""}` : "ok"} · {duration(span.duration_ms)} ·{" "}
        {span.start_time && time(span.start_time)}
      </p>
      <Fields
        rows={[
          ["Operation", span.operation],
          ["Provider", span.provider],
          ["Request model", span.request_model],
          ["Response model", span.response_model],
          ["Input tokens", span.input_tokens != null ? count(span.input_tokens) : null],
          ["Output tokens", span.output_tokens != null ? count(span.output_tokens) : null],
          ["Cached input tokens", span.cached_input_tokens != null ? count(span.cached_input_tokens) : null],
          ["Reasoning tokens", span.reasoning_tokens != null ? count(span.reasoning_tokens) : null],
          ["Cost", span.cost_usd != null ? usd(span.cost_usd) : null],
          ["Finish reasons", span.finish_reasons?.join(", ")],
          ["Service", span.service_name],
          ["Environment", span.environment],
          ["User", span.user_id],
          ["Session", span.session_id],
          ["Span id", <code>{span.span_id}</code>],
        ]}
      />
      {span.provider && <PriceRow span={span} />}
      <Chat title="Prompt" messages={chat.prompt} />
      <Chat title="Completion" messages={chat.completion} />
      <AttributeTable title="Attributes" attrs={(span.attributes ?? {}) as Attrs} />
      <AttributeTable title="Resource attributes" attrs={(span.resource_attributes ?? {}) as Attrs} />
      {(span.events?.length ?? 0) > 0 && (
        <section aria-label="Events">
          <h3>Events ({span.events!.length})</h3>
          <ol class="events">
            {span.events!.map((e) => (
              <li>
                <b>{e.name}</b> {e.timeUnixNano && <time>{new Date(Number(BigInt(e.timeUnixNano) / 1_000_000n)).toISOString()}</time>}
                <AttributeTable title="Attributes" attrs={(e.attributes ?? {}) as Attrs} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </aside>
  );
}
