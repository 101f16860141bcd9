// Pulumi's policy runner require()s this directory (cwd = policies/) and awaits what it gets back.
// The pack is ESM TypeScript, which Node 20's require() cannot load, so hand the runner the promise of
// importing it through tsx; importing index.ts starts the pack's gRPC server.
const { tsImport } = require("tsx/esm/api");

module.exports = tsImport("./index.ts", __filename);
