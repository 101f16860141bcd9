import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { type Plugin, defineConfig } from "vite";

/** Brotli and gzip copies of every text asset, which the API serves to browsers that accept them. */
function precompress(): Plugin {
  let outDir = "";
  return {
    name: "observatory-precompress",
    apply: "build",
    configResolved: (c) => void (outDir = resolve(c.root, c.build.outDir)),
    async writeBundle(_options, bundle) {
      for (const file of new Set([...Object.keys(bundle), "index.html"])) {
        if (!/\.(js|css|html|svg)$/.test(file)) continue;
        const path = join(outDir, file);
        const bytes = await readFile(path);
        await writeFile(`${path}.br`, brotliCompressSync(bytes));
        await writeFile(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The polyfill would be an inline script, which the Content-Security-Policy forbids.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  plugins: [precompress()],
});
