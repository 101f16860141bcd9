import { defineConfig } from "vitest/config";

/**
 * Test files that touch the database run again on TimescaleDB (127.0.0.1:5433, started by
 * .ci/run), the production database; the rest (config, protocols, Pulumi) need it only once.
 */
const DATABASE_FILES = [
  "tests/api/*.test.ts",
  "tests/collector/{database-outage,exporters,fuzz,grpc-protocol,http-protocol,sigterm}.test.ts",
  "tests/core/{pipeline,pricing,span-writer,write-limits}.test.ts",
  "tests/migrations/runner.test.ts",
  "tests/monitoring/{failing-jobs-metric,sql-panels}.test.ts",
  "tests/ops/*.test.ts",
  "tests/scripts/stack-scripts.test.ts",
];

export default defineConfig({
  test: {
    // Integration tests share one PostgreSQL and one Redis on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "postgres", include: ["tests/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "timescaledb",
          include: DATABASE_FILES,
          // Pure functions and in-memory structures, protocol fuzzing; TimescaleDB-only files connect
          // to it themselves (TEST_TIMESCALEDB_ADMIN_URL) from the postgres project.
          exclude: ["tests/api/{lru,native-span,trace-list-compressed}.test.ts", "tests/collector/fuzz.test.ts"],
          env: { TEST_ADMIN_DATABASE_URL: process.env.TEST_TIMESCALEDB_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5433/postgres" },
        },
      },
    ],
  },
});
