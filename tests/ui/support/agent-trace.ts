import { type Span, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

export const PROMPT = "Where is my order #1234? It was due yesterday.";
export const COMPLETION = "Your order #1234 left our warehouse this morning and arrives tomorrow.";

/** Spans of the agent trace in waterfall order (depth first, siblings by start), with their depth. */
export const AGENT_SPANS = [
  ["support agent", 0],
  ["plan gpt-4o-mini", 1],
  ["search orders", 1],
  ["answer claude-3-5-haiku", 1],
  ["format reply", 2],
] as const;

/**
 * Exports traces through the official OTLP/HTTP protobuf exporter in batches, as an application would: an agent
 * run whose tool call fails, with a chat prompt and completion, plus `others` plain traces.
 * Returns the trace ids, the agent's first.
 */
export async function exportTraces(otlpHttpUrl: string, key: string, opts: { service: string; others: string[] }): Promise<string[]> {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": opts.service, "deployment.environment.name": "test" }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${otlpHttpUrl}/v1/traces`, headers: { "x-api-key": key } }) })],
  });
  const tracer = provider.getTracer("ui-test");
  const t0 = Date.now() - 60_000;
  const at = (ms: number) => new Date(t0 + ms);
  const child = (parent: Span, name: string, start: number, attributes: Record<string, string | number | string[]> = {}) =>
    tracer.startSpan(name, { startTime: at(start), attributes }, trace.setSpan(context.active(), parent));

  const root = tracer.startSpan("support agent", { startTime: at(0), attributes: { "user.id": "user-42", "session.id": "session-7" } });
  const plan = child(root, "plan gpt-4o-mini", 50, {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": "gpt-4o-mini",
    "gen_ai.response.model": "gpt-4o-mini",
    "gen_ai.usage.input_tokens": 1200,
    "gen_ai.usage.output_tokens": 300,
    "gen_ai.usage.cache_read.input_tokens": 200,
    "gen_ai.response.finish_reasons": ["stop"],
    "user.id": "user-42",
    "gen_ai.input.messages": JSON.stringify([
      { role: "system", parts: [{ type: "text", content: "You are a helpful support agent." }] },
      { role: "user", parts: [{ type: "text", content: PROMPT }] },
    ]),
    "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "I will look the order up." }], finish_reason: "stop" }]),
  });
  plan.end(at(800));
  const search = child(root, "search orders", 850, { "gen_ai.operation.name": "execute_tool" });
  search.setStatus({ code: SpanStatusCode.ERROR, message: "orders service timed out" });
  search.addEvent("exception", { "exception.type": "TimeoutError", "exception.message": "orders service timed out" }, at(1090));
  search.end(at(1100));
  const answer = child(root, "answer claude-3-5-haiku", 1150, {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "anthropic",
    "gen_ai.request.model": "claude-3-5-haiku-20241022",
    "gen_ai.usage.input_tokens": 2000,
    "gen_ai.usage.output_tokens": 150,
    "user.id": "user-42",
    "gen_ai.input.messages": JSON.stringify([{ role: "user", parts: [{ type: "text", content: PROMPT }] }]),
    "gen_ai.output.messages": JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: COMPLETION }] }]),
  });
  child(answer, "format reply", 1700).end(at(1900));
  answer.end(at(1950));
  root.end(at(2000));

  const ids = [root.spanContext().traceId];
  for (const [i, name] of opts.others.entries()) {
    const span = tracer.startSpan(name, {
      startTime: at(3000 + i * 100),
      attributes: { "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o-mini", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 20 },
    });
    span.end(at(3050 + i * 100));
    ids.push(span.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}
