import { existsSync } from "node:fs";
import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyPluginAsync, FastifyReply } from "fastify";

/** Where `npm run build:ui` writes the web UI; the image keeps it at the same place under /app. */
export const UI_DIR = resolve("ui/dist");

/**
 * Same origin, nothing else: the UI's code, styles and data come from this server only; no inline
 * script or style element, no frames, no plugins.
 */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header("content-security-policy", UI_CSP)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("cross-origin-opener-policy", "same-origin");
}

/**
 * The web UI at `/`: index.html is revalidated on every load; files under /assets/ carry a hash of
 * their content in their name, so browsers keep them for a year without asking. Compressed copies
 * made at build time (.br, .gz) are served to browsers that accept them.
 */
export const uiRoutes: FastifyPluginAsync<{ root?: string }> = async (app, { root = UI_DIR }) => {
  if (!existsSync(resolve(root, "index.html"))) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      secure(reply).code(503).type("text/plain; charset=utf-8").send("The web UI is not built: run `npm run build`.\n"),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: false,
    // "/" is the route below: the plugin's own index lookup misses the compressed copies (404).
    index: false,
    preCompressed: true,
    schemaHide: true,
    cacheControl: false,
    setHeaders: (reply: FastifyReply, path: string) => {
      secure(reply).header("cache-control", path.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  app.get("/", { schema: { hide: true } }, (_request, reply) => reply.sendFile("index.html"));
};
