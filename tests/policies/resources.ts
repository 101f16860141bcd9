import type { TestResource } from "./policy-harness.js";

export const containerType = "docker:index/container:Container";
export const remoteImageType = "docker:index/remoteImage:RemoteImage";
export const randomPasswordType = "random:index/randomPassword:RandomPassword";

/** The wire form of a Pulumi secret: how the engine sends a secret input to a policy pack. */
export const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

/**
 * A container every policy accepts; tests override the one property they are about, or unset it with
 * `undefined` (an unset input never reaches a policy).
 */
export function container(name: string, props: Record<string, unknown> = {}, more: Partial<TestResource> = {}): TestResource {
  const merged = {
    name: `llm-observatory-dev-${name}`,
    image: "redis:8.2.9-alpine@sha256:" + "a".repeat(64),
    envs: ["LOG_LEVEL=info"],
    memory: 512,
    memoryReservation: 256,
    cpus: "0.5",
    restart: "unless-stopped",
    healthcheck: { tests: ["CMD", "redis-cli", "ping"], interval: "10s" },
    logDriver: "json-file",
    logOpts: { "max-size": "10m", "max-file": "3" },
    privileged: false,
    volumes: [{ volumeName: "redis-data", containerPath: "/data" }],
    ...props,
  };
  return { type: containerType, name, props: Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined)), ...more };
}

export const remoteImage = (name: string, image: string, more: Partial<TestResource> = {}): TestResource => ({
  type: remoteImageType,
  name,
  props: { name: image },
  ...more,
});

export const randomPassword = (name: string, result: string, more: Partial<TestResource> = {}): TestResource => ({
  type: randomPasswordType,
  name,
  props: { length: 32, special: false, result },
  ...more,
});
