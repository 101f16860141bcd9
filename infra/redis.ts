import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config.js";
import { dockerName, stackContainer } from "./container-spec.js";
import { topology } from "./topology.js";

export interface RedisArgs {
  config: StackConfig;
  image: pulumi.Input<string>;
  network: pulumi.Input<string>;
  password: pulumi.Input<string>;
}

const configPath = "/usr/local/etc/redis/redis.conf";

/** redis.conf: the password lives here (an uploaded file), not on the command line or in env. */
export function redisConf(redis: StackConfig["redis"], password: pulumi.Input<string>): pulumi.Output<string> {
  const persistence = redis.persistence ? ["appendonly yes", "appendfsync everysec", "save 900 1"] : ['save ""', "appendonly no"];
  return pulumi.secret(pulumi.interpolate`port ${topology.redis.ports.redis.port}
requirepass ${password}
maxmemory ${redis.maxmemoryMb}mb
maxmemory-policy ${redis.maxmemoryPolicy}
dir /data
${persistence.join("\n")}
`);
}

export class Redis extends pulumi.ComponentResource {
  readonly container: docker.Container;
  readonly volume: docker.Volume;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Redis", name, {}, opts);
    const { config } = args;
    const port = topology.redis.ports.redis.port;
    this.volume = new docker.Volume(`${name}-data`, { name: dockerName("redis") }, { parent: this });
    this.container = stackContainer(
      `${name}-container`,
      config,
      {
        kind: "redis",
        instance: topology.redis.alias,
        image: args.image,
        command: ["redis-server", configPath],
        networks: [{ name: args.network, aliases: [topology.redis.alias] }],
        // Reads the password from the uploaded config, so it never appears in `docker inspect`.
        healthcheck: ["CMD-SHELL", `redis-cli -p ${port} --no-auth-warning -a "$(sed -n 's/^requirepass //p' ${configPath})" ping | grep -q PONG`],
        ports: config.profile === "dev" ? [{ internal: port, external: config.ports.redis }] : undefined,
        volumes: [{ volumeName: this.volume.name, containerPath: "/data" }],
        uploads: [{ file: configPath, content: redisConf(config.redis, args.password) }],
        // Uploads are copied in before start, which a read-only root filesystem refuses.
        readOnly: false,
        // Time to write the append-only file on SIGTERM.
        stopGraceSeconds: 30,
      },
      { parent: this, dependsOn: opts?.dependsOn, secrets: ["uploads"] },
    );
    this.registerOutputs({});
  }
}
