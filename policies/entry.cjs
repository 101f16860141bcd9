// Pulumi's policy runner require()s this directory (cwd = policies/) and awaits what it gets back.
// The pack is ESM TypeScript, which Node 20's require() cannot load, so hand the runner the promise of
// importing it through tsx's ESM loader; importing index.ts starts the pack's gRPC server.
// (tsx's CommonJS build of esm/api resolves its own loader wrongly, hence the dynamic import.)
const { pathToFileURL } = require("node:url");

module.exports = import("tsx/esm/api").then(({ tsImport }) => tsImport("./index.ts", pathToFileURL(__filename).href));
