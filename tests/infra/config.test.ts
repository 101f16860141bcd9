import { describe, expect, test } from "vitest";
import { parseStackConfig, StackConfigError } from "../../infra/config.js";
import { stackConfig } from "../support/pulumi-stack.js";

const parse = (stack: "dev" | "prod", overrides: Record<string, unknown>) => () => parseStackConfig(stackConfig(stack, overrides));

describe("stack config", () => {
  test("the checked-in dev and prod stack files are valid", () => {
    expect(parseStackConfig(stackConfig("dev")).profile).toBe("dev");
    expect(parseStackConfig(stackConfig("prod")).profile).toBe("prod");
  });

  test("an unknown key is named", () => {
    expect(parse("dev", { replicaz: { api: 1 } })).toThrow(new StackConfigError("invalid stack config: llm-observatory:replicaz: is not a known key"));
  });

  test("an unknown nested key is named with its path", () => {
    expect(parse("dev", { logs: { maxSize: "10m", maxFiles: 3, compress: true } })).toThrow(
      "invalid stack config: llm-observatory:logs.compress: is not a known key",
    );
  });

  test("a wrong value names the key and the rule", () => {
    expect(parse("prod", { limits: { ...parseStackConfig(stackConfig("prod")).limits, api: { memoryMb: 1024, cpus: 1 } } })).toThrow(
      "invalid stack config: llm-observatory:limits.api.cpus: Invalid input: expected string, received number",
    );
  });

  test("a floating image tag is refused", () => {
    expect(parse("prod", { images: { redis: "redis:7-alpine" } })).toThrow(
      "llm-observatory:images.redis: must be an exact version tag (optionally @sha256:<digest>), not latest or a floating tag",
    );
  });

  test("an image pinned by digest is accepted", () => {
    const ref = `redis:7.2.4-alpine@sha256:${"a".repeat(64)}`;
    expect(parseStackConfig(stackConfig("prod", { images: { redis: ref } })).images.redis).toBe(ref);
  });

  test("a missing key is named", () => {
    expect(parse("dev", { bindAddress: undefined })).toThrow(
      "invalid stack config: llm-observatory:bindAddress: Invalid input",
    );
  });

  test("several replicas without the proxy are refused", () => {
    expect(parse("dev", { replicas: { api: 2, collector: 1 } })).toThrow(
      "invalid stack config: llm-observatory:proxy.enabled: must be true when api or collector run more than one replica",
    );
  });

  test("hot reload is dev-only and needs an absolute path", () => {
    expect(parse("prod", { hotReload: { hostPath: "/src" } })).toThrow("llm-observatory:hotReload: is for dev stacks only");
    expect(parse("dev", { hotReload: { hostPath: "src" } })).toThrow("llm-observatory:hotReload.hostPath: must be an absolute path");
  });
});
