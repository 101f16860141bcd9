/**
 * Wire types of the OTLP trace messages (opentelemetry-proto trace.proto, common.proto,
 * resource.proto). protobufjs's generated decoders read a known field by its number alone, so
 * `0f 00` (field 1 with the invalid wire type 7) decoded as an empty export; this check refuses
 * such bodies first.
 */

/** For each field number: its wire type, or the message it holds (wire type 2). */
interface Shape {
  [field: number]: number | Shape;
}

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;
const FIXED32 = 5;

const anyValue: Shape = { 1: LEN, 2: VARINT, 3: VARINT, 4: FIXED64, 7: LEN };
const keyValue: Shape = { 1: LEN, 2: anyValue };
anyValue[5] = { 1: anyValue }; // ArrayValue
anyValue[6] = { 1: keyValue }; // KeyValueList
const scope: Shape = { 1: LEN, 2: LEN, 3: keyValue, 4: VARINT };
const resource: Shape = { 1: keyValue, 2: VARINT, 3: LEN };
const event: Shape = { 1: FIXED64, 2: LEN, 3: keyValue, 4: VARINT };
const link: Shape = { 1: LEN, 2: LEN, 3: LEN, 4: keyValue, 5: VARINT, 6: FIXED32 };
const status: Shape = { 2: LEN, 3: VARINT };
const span: Shape = {
  1: LEN, 2: LEN, 3: LEN, 4: LEN, 5: LEN, 6: VARINT, 7: FIXED64, 8: FIXED64, 9: keyValue, 10: VARINT,
  11: event, 12: VARINT, 13: link, 14: VARINT, 15: status, 16: FIXED32,
};
const scopeSpans: Shape = { 1: scope, 2: span, 3: LEN };
const resourceSpans: Shape = { 1: resource, 2: scopeSpans, 3: LEN };
const exportRequest: Shape = { 1: resourceSpans };

/** What is wrong with the wire format of an ExportTraceServiceRequest, if anything (walked without recursion). */
export function wireProblem(buf: Uint8Array): string | undefined {
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 1; pos < buf.length; shift *= 128) {
      const byte = buf[pos++]!;
      value += (byte & 0x7f) * shift;
      if (byte < 0x80) return value;
    }
    return -1;
  };
  const stack: Array<{ shape: Shape; end: number }> = [{ shape: exportRequest, end: buf.length }];
  while (stack.length > 0) {
    const { shape, end } = stack[stack.length - 1]!;
    if (pos === end) {
      stack.pop();
      continue;
    }
    const at = pos;
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (tag < 0 || field === 0) return `invalid field tag at offset ${at}`;
    const expected = shape[field];
    if (typeof expected === "object" ? wireType !== LEN : expected !== undefined && wireType !== expected) {
      return `field ${field} at offset ${at} has wire type ${wireType}, not ${typeof expected === "object" ? LEN : expected}`;
    }
    if (wireType === VARINT) {
      if (varint() < 0) return `truncated varint at offset ${at}`;
    } else if (wireType === FIXED64 || wireType === FIXED32) {
      pos += wireType === FIXED64 ? 8 : 4;
    } else if (wireType === LEN) {
      const length = varint();
      if (length < 0) return `truncated length at offset ${at}`;
      if (typeof expected === "object") {
        if (pos + length > end) return `field ${field} at offset ${at} runs past the end of its message`;
        stack.push({ shape: expected, end: pos + length });
        continue;
      }
      pos += length;
    } else {
      return `invalid wire type ${wireType} at offset ${at}`;
    }
    if (pos > end) return `field ${field} at offset ${at} runs past the end of its message`;
  }
  return undefined;
}
