import * as pulumi from "@pulumi/pulumi";
import { topology } from "./topology.js";

/** postgres://user:password@timescaledb:5432/db inside the stack network; always a secret. */
export function postgresUrl(user: string, password: pulumi.Input<string>, database: string): pulumi.Output<string> {
  const host = `${topology.timescaledb.alias}:${topology.timescaledb.ports.postgres.port}`;
  return pulumi.secret(pulumi.interpolate`postgres://${user}:${password}@${host}/${database}`);
}

/** redis://:password@redis:6379/0 inside the stack network; always a secret. */
export function redisUrl(password: pulumi.Input<string>): pulumi.Output<string> {
  const host = `${topology.redis.alias}:${topology.redis.ports.redis.port}`;
  return pulumi.secret(pulumi.interpolate`redis://:${password}@${host}/0`);
}
