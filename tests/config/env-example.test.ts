import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { migrateEnv } from "../../migrations/config.js";
import { apiEnv } from "../../services/api/config.js";
import { collectorEnv } from "../../services/collector/config.js";
import { localEnv } from "../../services/local/config.js";
import { opsEnv } from "../../services/ops/config.js";

const documented = new Set([...readFileSync(".env.example", "utf8").matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

describe(".env.example", () => {
  it.each([
    ["collector", collectorEnv],
    ["api", apiEnv],
    ["migrations", migrateEnv],
    ["ops", opsEnv],
    ["npm start", localEnv],
  ] as const)("documents every variable the %s reads", (_name, schema) => {
    expect(Object.keys(schema.shape).filter((v) => !documented.has(v))).toEqual([]);
  });

  it("is not the real .env: git ignores .env files but keeps this one", () => {
    const ignore = readFileSync(".gitignore", "utf8").split("\n");
    expect(ignore).toEqual(expect.arrayContaining([".env", ".env.*", "!.env.example"]));
  });
});
