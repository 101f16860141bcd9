import { defineConfig } from "vitest/config";

// `npm run test:docker`: builds and runs our image for real. Needs a Docker daemon and a Node base
// image on it (no registry is reachable here; see docs/deployment.md, "Docker image").
export default defineConfig({
  test: {
    include: ["tests/infra/docker/**/*.docker-test.ts"],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
