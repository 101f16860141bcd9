import { describe, expect, it } from "vitest";
import { productionDataStores } from "../../policies/rules/production-data-stores.js";
import { productionNamedVolumes } from "../../policies/rules/production-named-volumes.js";
import { productionPublicBindings } from "../../policies/rules/production-public-bindings.js";
import { NotApplicable, stackViolations, urnOf } from "./policy-harness.js";
import { container, remoteImage } from "./resources.js";

const prod = { stack: "prod" };
const imageId = "sha256:" + "b".repeat(64);

describe("production-data-stores-unpublished", () => {
  it("accepts unpublished data stores and published services", async () => {
    const redis = container("redis", { image: "redis:7.2.4-alpine", ports: undefined }, prod);
    const api = container("api", { image: "llm-observatory:0.1.0", ports: [{ internal: 8080, external: 8080 }] }, prod);
    expect(await stackViolations(productionDataStores, [redis, api])).toEqual([]);
  });

  it("rejects a published database, also when its image is an ID pulled by a docker.RemoteImage", async () => {
    const pulled = remoteImage("timescaledb-image", "timescale/timescaledb:2.14.2-pg16", { ...prod, props: { name: "timescale/timescaledb:2.14.2-pg16", imageId } });
    const db = container("timescaledb", { image: imageId, ports: [{ internal: 5432, external: 5432, ip: "127.0.0.1" }] }, prod);
    expect(await stackViolations(productionDataStores, [pulled, db])).toEqual([
      {
        message:
          'docker.Container "timescaledb" runs data store timescale/timescaledb and publishes 127.0.0.1:5432->5432 in production stack "prod"; remove its ports and reach it over the stack network.',
        urn: urnOf(db),
      },
    ]);
  });

  it("is not applicable outside production stacks", async () => {
    const redis = container("redis", { image: "redis:7.2.4-alpine", ports: [{ internal: 6379, external: 6379, ip: "127.0.0.1" }] });
    await expect(stackViolations(productionDataStores, [redis])).rejects.toThrow(new NotApplicable('stack "dev" is not one of productionStacks (prod)'));
    expect(await stackViolations(productionDataStores, [redis], { productionStacks: ["dev"] })).toHaveLength(1);
  });
});

describe("production-public-bindings", () => {
  it("accepts loopback bindings and configured public services", async () => {
    const prometheus = container("prometheus", { ports: [{ internal: 9090, external: 9090, ip: "127.0.0.1" }] }, prod);
    const proxy = container("proxy", { ports: [{ internal: 443, external: 443, ip: "0.0.0.0" }] }, prod);
    const grafana = container("grafana", { ports: [{ internal: 3000, external: 3000 }] }, prod);
    const config = { publicServices: ["proxy", "llm-observatory-dev-grafana"] };
    expect(await stackViolations(productionPublicBindings, [prometheus, proxy, grafana], config)).toEqual([]);
  });

  it("rejects a port on all interfaces, explicit or by default", async () => {
    const prometheus = container("prometheus", { ports: [{ internal: 9090, external: 9090 }, { internal: 9091, external: 9091, ip: "::" }] }, prod);
    const message = (binding: string) =>
      `docker.Container "prometheus" publishes ${binding} on all interfaces in production stack "prod"; bind it to 127.0.0.1 or list the container in publicServices.`;
    expect(await stackViolations(productionPublicBindings, [prometheus])).toEqual([
      { message: message("0.0.0.0:9090->9090"), urn: urnOf(prometheus) },
      { message: message("[::]:9091->9091"), urn: urnOf(prometheus) },
    ]);
  });
});

describe("production-named-volumes", () => {
  it("accepts named volumes", async () => {
    expect(await stackViolations(productionNamedVolumes, [container("redis", {}, prod)])).toEqual([]);
  });

  it("rejects host bind mounts in production", async () => {
    const db = container("timescaledb", { volumes: [{ hostPath: "/srv/pg", containerPath: "/var/lib/postgresql/data" }] }, prod);
    expect(await stackViolations(productionNamedVolumes, [db])).toEqual([
      {
        message:
          'docker.Container "timescaledb" bind-mounts host path /srv/pg at /var/lib/postgresql/data in production stack "prod"; keep data in a named docker.Volume (volumeName) instead.',
        urn: urnOf(db),
      },
    ]);
  });
});
