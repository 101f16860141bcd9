import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerName } from "./container-spec.js";

export interface NetworksArgs {
  /** prod: the backend network has no route outside (database and Redis unreachable from the host). */
  internalBackend: boolean;
}

/** backend: database, Redis and their clients. frontend: what users reach (published or proxied). */
export class StackNetworks extends pulumi.ComponentResource {
  readonly backend: docker.Network;
  readonly frontend: docker.Network;

  constructor(name: string, args: NetworksArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Networks", name, {}, opts);
    const stack = pulumi.getStack();
    const network = (role: string, internal: boolean) =>
      new docker.Network(
        `${name}-${role}`,
        {
          name: dockerName(role),
          driver: "bridge",
          internal,
          labels: [{ label: "org.llm-observatory.stack", value: stack }],
        },
        { parent: this },
      );
    this.backend = network("backend", args.internalBackend);
    this.frontend = network("frontend", false);
    this.registerOutputs({});
  }
}
