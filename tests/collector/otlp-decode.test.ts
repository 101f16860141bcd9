import { describe, expect, it } from "vitest";
import { decodeProtobuf, toRawSpans } from "../../services/collector/otlp-decode.js";
import { ExportTraceServiceRequest } from "../../services/collector/otlp-protos.js";

/** A protobuf body of one span with the given 64-bit values (decimal text, as protobufjs accepts). */
function body(start: string, ints: Record<string, string>): Uint8Array {
  const request = ExportTraceServiceRequest.fromObject({
    resourceSpans: [
      {
        scopeSpans: [
          {
            spans: [
              {
                traceId: Buffer.alloc(16, 1),
                spanId: Buffer.alloc(8, 2),
                name: "s",
                startTimeUnixNano: start,
                endTimeUnixNano: start,
                attributes: Object.entries(ints).map(([key, v]) => ({ key, value: { intValue: v } })),
              },
            ],
          },
        ],
      },
    ],
  });
  return ExportTraceServiceRequest.encode(request).finish();
}

describe("OTLP protobuf 64-bit integers", () => {
  it("keeps nanosecond times exact and integer attributes as numbers where exact, else as text", () => {
    const ints = {
      small: "42",
      negative: "-5",
      largestExact: "9007199254740991",
      beyondExact: "9007199254740993",
      negativeBeyond: "-9223372036854775808",
      max: "9223372036854775807",
    };
    const [span] = toRawSpans(decodeProtobuf(body("18446744073709551615", ints)));
    expect(span!.startTimeUnixNano).toBe("18446744073709551615");
    expect(span!.attributes).toEqual({
      small: 42,
      negative: -5,
      largestExact: 9007199254740991,
      beyondExact: "9007199254740993",
      negativeBeyond: "-9223372036854775808",
      max: "9223372036854775807",
    });
    expect(toRawSpans(decodeProtobuf(body("1764150000123456789", {})))[0]!.startTimeUnixNano).toBe("1764150000123456789");
  });
});
