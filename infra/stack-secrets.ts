import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * Every credential the stack needs, generated once and kept in the stack's encrypted state.
 * Alphanumeric only, so they embed in URLs and config files without escaping.
 */
export class StackSecrets extends pulumi.ComponentResource {
  readonly dbOwnerPassword: pulumi.Output<string>;
  readonly dbAppPassword: pulumi.Output<string>;
  readonly dbReadonlyPassword: pulumi.Output<string>;
  readonly dbMonitorPassword: pulumi.Output<string>;
  readonly redisPassword: pulumi.Output<string>;
  readonly grafanaAdminPassword: pulumi.Output<string>;
  readonly bootstrapAdminKey: pulumi.Output<string>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:Secrets", name, {}, opts);
    // The provider marks `result` secret; wrapping says so here too, whatever the engine does.
    const generate = (id: string, length: number) =>
      pulumi.secret(new random.RandomPassword(`${name}-${id}`, { length, special: false }, { parent: this }).result);
    this.dbOwnerPassword = generate("db-owner", 32);
    this.dbAppPassword = generate("db-app", 32);
    this.dbReadonlyPassword = generate("db-readonly", 32);
    this.redisPassword = generate("redis", 32);
    this.grafanaAdminPassword = generate("grafana-admin", 24);
    this.bootstrapAdminKey = generate("bootstrap-admin-key", 40);
    this.dbMonitorPassword = generate("db-monitor", 32);
    this.registerOutputs({});
  }
}
