import { STATUS_CODES } from "node:http";
import fp from "fastify-plugin";

/**
 * No answer larger than `maxBytes` leaves the API (nor enters the response cache): it is replaced
 * by a 422 saying to ask for less. Lists are paged and trees cut at MAX_TREE_SPANS, so this only
 * meets spans that are huge each.
 */
export const answerLimitPlugin = fp<{ maxBytes: number }>(
  async (app, { maxBytes }) => {
    app.addHook("onSend", async (request, reply, payload) => {
      if (typeof payload !== "string" || payload.length <= maxBytes || Buffer.byteLength(payload) <= maxBytes) return payload;
      request.log.warn({ bytes: Buffer.byteLength(payload), maxBytes }, "answer over the size limit refused");
      reply.code(422).header("content-type", "application/json; charset=utf-8");
      const message = `the answer would be ${Buffer.byteLength(payload)} bytes, more than the limit of ${maxBytes} (API_MAX_ANSWER_BYTES): ask for less (a smaller limit or time range)`;
      return JSON.stringify({ statusCode: 422, error: STATUS_CODES[422], message });
    });
  },
  { name: "observatory-answer-limit" },
);
