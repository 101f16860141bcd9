/** A chat message as the span panel shows it. */
export interface Message {
  role: string;
  text: string;
}

type Attrs = Record<string, unknown>;

/** Text of a message in any of the shapes instrumentations write (string, parts, OpenAI content). */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => textOf((p as Attrs)?.content ?? (p as Attrs)?.text ?? p)).join("\n");
  if (content && typeof content === "object") {
    const o = content as Attrs;
    if ("parts" in o) return textOf(o.parts);
    if ("content" in o) return textOf(o.content);
    if ("text" in o) return textOf(o.text);
    return JSON.stringify(o, null, 2);
  }
  return content == null ? "" : String(content);
}

function parsed(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** `gen_ai.input.messages` / `gen_ai.output.messages` (JSON, current semantic conventions). */
function fromJson(value: unknown, fallbackRole: string): Message[] {
  const v = parsed(value);
  const list = Array.isArray(v) ? v : [v];
  return list.map((m) => ({ role: String((m as Attrs)?.role ?? fallbackRole), text: textOf((m as Attrs)?.message ?? m) }));
}

/** `gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, … (the older indexed attributes). */
function fromIndexed(attrs: Attrs, prefix: string, fallbackRole: string): Message[] {
  const out: Message[] = [];
  for (let i = 0; `${prefix}.${i}.content` in attrs || `${prefix}.${i}.role` in attrs; i++) {
    out.push({ role: String(attrs[`${prefix}.${i}.role`] ?? fallbackRole), text: textOf(attrs[`${prefix}.${i}.content`]) });
  }
  return out;
}

/** The prompt and completion a span carries in its attributes or events, if any. */
export function conversation(attrs: Attrs, events: { name?: string; attributes?: Attrs }[] = []): { prompt: Message[]; completion: Message[] } {
  const prompt: Message[] = [];
  const completion: Message[] = [];
  if (attrs["gen_ai.system_instructions"] !== undefined) prompt.push(...fromJson(attrs["gen_ai.system_instructions"], "system"));
  if (attrs["gen_ai.input.messages"] !== undefined) prompt.push(...fromJson(attrs["gen_ai.input.messages"], "user"));
  if (attrs["gen_ai.output.messages"] !== undefined) completion.push(...fromJson(attrs["gen_ai.output.messages"], "assistant"));
  prompt.push(...fromIndexed(attrs, "gen_ai.prompt", "user"));
  completion.push(...fromIndexed(attrs, "gen_ai.completion", "assistant"));
  for (const e of events) {
    const a = e.attributes ?? {};
    if (e.name === "gen_ai.content.prompt" && a["gen_ai.prompt"] !== undefined) prompt.push(...fromJson(a["gen_ai.prompt"], "user"));
    if (e.name === "gen_ai.content.completion" && a["gen_ai.completion"] !== undefined) completion.push(...fromJson(a["gen_ai.completion"], "assistant"));
    const role = /^gen_ai\.(system|user|assistant|tool)\.message$/.exec(e.name ?? "")?.[1];
    if (role) prompt.push({ role, text: textOf(a.content ?? a) });
    if (e.name === "gen_ai.choice") completion.push({ role: "assistant", text: textOf(a.message ?? a.content ?? a) });
  }
  return { prompt, completion };
}
