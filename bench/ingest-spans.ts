import { decodeProtobuf, toRawSpans } from "../services/collector/otlp-decode.js";
import { normalizeSpan } from "../services/core/normalization.js";
import { exportBody, genaiSpan } from "./genai-spans.js";
import { SPAN_COLUMNS, copyData } from "../services/core/span-writer.js";

/** Deterministic ids: 4 spans per trace, the first of each its root. */
const id = (n: number, bytes: number) => Buffer.from(n.toString(16).padStart(bytes * 2, "0"), "hex");

function span(i: number, base: bigint) {
  const ids = { traceId: id(Math.floor(i / 4) + 1, 16), spanId: id(i + 1, 8) };
  return genaiSpan(i, base + BigInt(i) * 7_000_000n, i % 4 === 0 ? ids : { ...ids, parentSpanId: id(i - (i % 4) + 1, 8) });
}

/** N spans as OTLP protobuf export bodies of `batch` spans each. */
export function exportBodies(n: number, batch: number): Buffer[] {
  const base = BigInt(Date.now() - 3_600_000) * 1_000_000n;
  const bodies: Buffer[] = [];
  for (let from = 0; from < n; from += batch) {
    const spans = Array.from({ length: Math.min(batch, n - from) }, (_, k) => span(from + k, base));
    bodies.push(exportBody(spans, `svc-${from % 3}`, "bench"));
  }
  return bodies;
}

/** The same spans as rows of `spans` in COPY text format, one chunk per body. */
export function copyChunks(bodies: Buffer[], projectId: string): { columns: readonly string[]; chunks: Buffer[] } {
  const chunks = bodies.map((body) => {
    const rows = toRawSpans(decodeProtobuf(body)).map((raw) => {
      const n = normalizeSpan(projectId, raw);
      if (!n.ok) throw new Error(n.message);
      return n.row;
    });
    return Buffer.concat(copyData(rows));
  });
  return { columns: SPAN_COLUMNS, chunks };
}
