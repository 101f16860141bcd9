import { describe, expect, it } from "vitest";
import { containerDockerSocket } from "../../policies/rules/container-docker-socket.js";
import { containerHealthcheck } from "../../policies/rules/container-healthcheck.js";
import { containerLimits } from "../../policies/rules/container-limits.js";
import { containerLogRotation } from "../../policies/rules/container-log-rotation.js";
import { containerMemoryReservation } from "../../policies/rules/container-memory-reservation.js";
import { containerNotPrivileged } from "../../policies/rules/container-not-privileged.js";
import { containerRestartPolicy } from "../../policies/rules/container-restart-policy.js";
import { resourceViolations } from "./policy-harness.js";
import { container, remoteImage } from "./resources.js";

describe("docker-container-resource-limits", () => {
  it("accepts limits within the maxima, cpus or a CFS quota", async () => {
    expect(await resourceViolations(containerLimits, container("api"))).toEqual([]);
    expect(await resourceViolations(containerLimits, container("api", { cpus: undefined, cpuQuota: 50_000 }))).toEqual([]);
  });

  it("rejects a container without limits", async () => {
    expect(await resourceViolations(containerLimits, container("api", { memory: undefined, cpus: undefined }))).toEqual([
      'docker.Container "api" has no memory limit; set memory (MB) to at most 8192.',
      'docker.Container "api" has no CPU limit; set cpus (e.g. "0.5") to at most 4.',
    ]);
  });

  it("rejects limits above the configured maxima", async () => {
    const config = { maxMemoryMb: 256, maxCpus: 0.25 };
    expect(await resourceViolations(containerLimits, container("api", { cpus: undefined, cpuQuota: 100_000, cpuPeriod: 200_000 }), config)).toEqual([
      'docker.Container "api" has a memory limit of 512 MB, above the maximum of 256 MB; lower memory.',
      'docker.Container "api" has a CPU limit of 0.5 CPUs, above the maximum of 0.25; lower cpus.',
    ]);
  });

  it("is not applicable to other resources", async () => {
    expect(await resourceViolations(containerLimits, remoteImage("redis", "redis:7.2.4"))).toEqual([]);
  });
});

describe("docker-container-memory-reservation (advisory)", () => {
  it("accepts a reservation below the limit", async () => {
    expect(await resourceViolations(containerMemoryReservation, container("api"))).toEqual([]);
  });

  it("flags a missing reservation and one not below the limit", async () => {
    expect(await resourceViolations(containerMemoryReservation, container("api", { memoryReservation: undefined }))).toEqual([
      'docker.Container "api" has no memory reservation; set memoryReservation (MB) below its memory limit.',
    ]);
    expect(await resourceViolations(containerMemoryReservation, container("api", { memoryReservation: 512 }))).toEqual([
      'docker.Container "api" reserves 512 MB, not below its memory limit of 512 MB; lower memoryReservation.',
    ]);
  });
});

describe("docker-container-healthcheck", () => {
  it("accepts a long-running container with a health check, and a one-shot job without", async () => {
    expect(await resourceViolations(containerHealthcheck, container("api"))).toEqual([]);
    expect(await resourceViolations(containerHealthcheck, container("migrations", { healthcheck: undefined, restart: "no" }))).toEqual([]);
  });

  it("rejects a restarting container without a health check, or with NONE", async () => {
    const expected = ['docker.Container "api" restarts ("unless-stopped") but has no health check; add healthcheck.tests calling a binary the image has.'];
    expect(await resourceViolations(containerHealthcheck, container("api", { healthcheck: undefined }))).toEqual(expected);
    expect(await resourceViolations(containerHealthcheck, container("api", { healthcheck: { tests: ["NONE"] } }))).toEqual(expected);
  });
});

describe("docker-container-restart-policy", () => {
  it("accepts a stated policy, including no for jobs", async () => {
    expect(await resourceViolations(containerRestartPolicy, container("api"))).toEqual([]);
    expect(await resourceViolations(containerRestartPolicy, container("migrations", { restart: "no" }))).toEqual([]);
  });

  it("rejects a container without one", async () => {
    expect(await resourceViolations(containerRestartPolicy, container("api", { restart: undefined }))).toEqual([
      'docker.Container "api" has no restart policy; set restart to "unless-stopped" for a service or "no" for a one-shot job.',
    ]);
  });
});

describe("docker-container-log-rotation", () => {
  it("accepts json-file with max-size and max-file, and a configured driver", async () => {
    expect(await resourceViolations(containerLogRotation, container("api"))).toEqual([]);
    expect(await resourceViolations(containerLogRotation, container("api", { logDriver: "local", logOpts: {} }))).toEqual([]);
    expect(await resourceViolations(containerLogRotation, container("api", { logDriver: "journald" }), { rotatingLogDrivers: ["journald"] })).toEqual([]);
  });

  it("rejects json-file without rotation options", async () => {
    expect(await resourceViolations(containerLogRotation, container("api", { logOpts: { "max-size": "10m" } }))).toEqual([
      'docker.Container "api" logs with json-file without max-file; set logOpts {"max-size": "10m", "max-file": "3"}.',
    ]);
  });

  it("rejects a missing or an unconfigured driver", async () => {
    expect(await resourceViolations(containerLogRotation, container("api", { logDriver: undefined }))).toEqual([
      'docker.Container "api" sets no log driver; set logDriver "json-file" with logOpts max-size and max-file, or one of: local.',
    ]);
    expect(await resourceViolations(containerLogRotation, container("api", { logDriver: "syslog" }))).toEqual([
      'docker.Container "api" sets log driver "syslog"; set logDriver "json-file" with logOpts max-size and max-file, or one of: local.',
    ]);
  });
});

describe("docker-container-not-privileged", () => {
  it("accepts an unprivileged container", async () => {
    expect(await resourceViolations(containerNotPrivileged, container("api"))).toEqual([]);
  });

  it("rejects a privileged one", async () => {
    expect(await resourceViolations(containerNotPrivileged, container("api", { privileged: true }))).toEqual([
      'docker.Container "api" runs privileged; remove privileged: true and add only the capabilities it needs.',
    ]);
  });
});

describe("docker-container-no-docker-socket", () => {
  it("accepts named volumes and other bind mounts", async () => {
    const props = { volumes: [{ hostPath: "/srv/app", containerPath: "/app" }], mounts: [{ type: "volume", source: "data", target: "/data" }] };
    expect(await resourceViolations(containerDockerSocket, container("api", props))).toEqual([]);
  });

  it("rejects the socket as a volume or as a bind mount", async () => {
    const props = {
      volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }],
      mounts: [{ type: "bind", source: "/run/docker.sock", target: "/docker.sock" }],
    };
    expect(await resourceViolations(containerDockerSocket, container("agent", props))).toEqual([
      'docker.Container "agent" mounts the Docker socket /var/run/docker.sock, which grants root on the host; remove the mount.',
      'docker.Container "agent" mounts the Docker socket /run/docker.sock, which grants root on the host; remove the mount.',
    ]);
  });
});
