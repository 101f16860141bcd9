import { describe, expect, test } from "vitest";
import { parseStackConfig, StackConfigError } from "../../infra/config.js";
import { stackConfig } from "../support/pulumi-stack.js";

const parse = (stack: "dev" | "prod", overrides: Record<string, unknown>) => () => parseStackConfig(stackConfig(stack, overrides));

describe("stack config", () => {
  test("the checked-in dev stack file is valid; prod is once its hosts are set", () => {
    expect(parseStackConfig(stackConfig("dev")).profile).toBe("dev");
    expect(parseStackConfig(stackConfig("prod"))).toMatchObject({
      profile: "prod",
      dockerHost: "ssh://deploy@observatory.example.com",
      proxy: { host: "observatory.example.com" },
    });
  });

  test("a prod stack does not validate until it names its Docker daemon and the host clients use", () => {
    expect(() => parseStackConfig(stackConfig("prod", {}, { checkedIn: true }))).toThrow(
      new StackConfigError(
        "invalid stack config: llm-observatory:proxy.host: must be set to the name or address clients reach this host by (pulumi config set --path proxy.host observatory.example.com); " +
          "docker:host: must be set for a prod stack to the Docker daemon it deploys to (pulumi config set docker:host ssh://deploy@observatory.example.com)",
      ),
    );
  });

  test("cpus are sent in the form the Docker provider reads back; a value it would read back differently is refused", () => {
    const limits = (cpus: string) => ({ limits: { ...parseStackConfig(stackConfig("dev")).limits, api: { memoryMb: 512, cpus } } });
    expect(parseStackConfig(stackConfig("dev", limits("0.50"))).limits.api.cpus).toBe("0.5");
    expect(parseStackConfig(stackConfig("dev", limits("1"))).limits.api.cpus).toBe("1.0");
    expect(parseStackConfig(stackConfig("dev", limits("0.25"))).limits.api.cpus).toBe("0.25");
    expect(parse("dev", limits("0.05"))).toThrow('llm-observatory:limits.api.cpus: must be a number of CPUs as a string, e.g. "0.5", that the Docker provider reads back unchanged');
    expect(parse("dev", limits("10"))).toThrow("llm-observatory:limits.api.cpus");
  });

  test("the image's build platform is configuration, not hard-coded", () => {
    expect(parseStackConfig(stackConfig("dev")).platform).toBeUndefined();
    expect(parseStackConfig(stackConfig("dev", { platform: "linux/arm64" })).platform).toBe("linux/arm64");
    expect(parse("dev", { platform: "arm64" })).toThrow("llm-observatory:platform: must be a Linux platform such as linux/amd64 or linux/arm64");
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

  test("rollups are kept at least as long as raw spans", () => {
    const database = (rollupRetentionDays: number) => ({ database: { ...parseStackConfig(stackConfig("dev")).database, rollupRetentionDays } });
    expect(parseStackConfig(stackConfig("dev", database(7))).database).toMatchObject({ retentionDays: 7, rollupRetentionDays: 7 });
    expect(parse("dev", database(6))).toThrow("invalid stack config: llm-observatory:database.rollupRetentionDays: must be at least database.retentionDays");
  });

  test("hot reload is dev-only and needs an absolute path", () => {
    expect(parse("prod", { hotReload: { hostPath: "/src" } })).toThrow("llm-observatory:hotReload: is for dev stacks only");
    expect(parse("dev", { hotReload: { hostPath: "src" } })).toThrow("llm-observatory:hotReload.hostPath: must be an absolute path");
  });
});
