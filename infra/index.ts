/**
 * The Pulumi program: composes the observatory stack for the current stack's config and returns
 * its outputs. A function (not top-level code), so Pulumi calls it once per run and the tests can
 * run it again per stack under mocks. The default export is this module's only export: Pulumi's
 * runtime refuses an entry module with a default and named exports (@pulumi/pulumi cmd/run/run.js).
 */
import * as pulumi from "@pulumi/pulumi";
import { Api } from "./api.js";
import { AppImage } from "./app-image.js";
import { BackupJob } from "./backup-job.js";
import { Collector } from "./collector.js";
import { loadStackConfig, nodeBaseImage, type StackConfig } from "./config.js";
import { dbRoles } from "../migrations/roles.js";
import { postgresUrl, redisUrl } from "./connection-strings.js";
import { Grafana } from "./grafana.js";
import type { ThirdPartyImage } from "./images.js";
import { MigrationsJob } from "./migrations-job.js";
import { StackNetworks } from "./networks.js";
import { PostgresExporter } from "./postgres-exporter.js";
import { Prometheus } from "./prometheus.js";
import { publicUrls, type ObservatoryOutputs } from "./outputs.js";
import { Redis } from "./redis.js";
import { RedisExporter } from "./redis-exporter.js";
import { ReverseProxy } from "./reverse-proxy.js";
import { StackSecrets } from "./stack-secrets.js";
import { ThirdPartyImages } from "./third-party-images.js";
import { TimescaleDb } from "./timescaledb.js";

export default async function observatory(): Promise<ObservatoryOutputs> {
  const config = loadStackConfig();
  const secrets = new StackSecrets("secrets");
  const networks = new StackNetworks("networks", { internalBackend: config.profile === "prod" });
  const backend = networks.backend.name;
  const bothNetworks = [networks.backend.name, networks.frontend.name];

  const used: ThirdPartyImage[] = ["timescaledb", "redis", "prometheus", "grafana", "postgresExporter", "redisExporter"];
  const images = new ThirdPartyImages("images", { config, used: config.proxy.enabled ? [...used, "proxy"] : used });
  const app = new AppImage("app", { nodeBase: nodeBaseImage(config), platform: config.platform });

  const db = new TimescaleDb("timescaledb", { config, image: images.ref("timescaledb"), network: backend, ownerPassword: secrets.dbOwnerPassword });
  const redis = new Redis("redis", { config, image: images.ref("redis"), network: backend, password: secrets.redisPassword });

  const migrations = new MigrationsJob(
    "migrations",
    {
      config,
      image: app.ref,
      network: backend,
      ownerPassword: secrets.dbOwnerPassword,
      appPassword: secrets.dbAppPassword,
      readonlyPassword: secrets.dbReadonlyPassword,
      monitorPassword: secrets.dbMonitorPassword,
    },
    { dependsOn: [db] },
  );

  const collector = new Collector(
    "collector",
    { config, image: app.ref, networks: bothNetworks, appPassword: secrets.dbAppPassword },
    { dependsOn: [migrations] },
  );
  const api = new Api(
    "api",
    {
      config,
      image: app.ref,
      networks: bothNetworks,
      appPassword: secrets.dbAppPassword,
      redisPassword: secrets.redisPassword,
      bootstrapAdminKey: secrets.bootstrapAdminKey,
    },
    { dependsOn: [migrations, redis] },
  );

  const urls = publicUrls(config);
  const grafana = new Grafana(
    "grafana",
    {
      config,
      image: images.ref("grafana"),
      networks: bothNetworks,
      adminPassword: secrets.grafanaAdminPassword,
      readonlyPassword: secrets.dbReadonlyPassword,
      rootUrl: urls.grafanaUrl,
    },
    { dependsOn: [migrations] },
  );
  new Prometheus("prometheus", { config, image: images.ref("prometheus"), networks: bothNetworks });
  // After the migrations: they create its role.
  new PostgresExporter("postgres-exporter", { config, image: images.ref("postgresExporter"), network: backend, monitorPassword: secrets.dbMonitorPassword }, { dependsOn: [migrations] });
  new RedisExporter("redis-exporter", { config, image: images.ref("redisExporter"), network: backend, redisPassword: secrets.redisPassword }, { dependsOn: [redis] });

  if (config.proxy.enabled) {
    new ReverseProxy("proxy", { config, image: images.ref("proxy"), network: networks.frontend.name }, { dependsOn: [api, collector, grafana] });
  }
  if (config.backup.enabled) {
    new BackupJob("backup", { config, image: images.ref("timescaledb"), network: backend, ownerPassword: secrets.dbOwnerPassword }, { dependsOn: [migrations] });
  }

  return {
    profile: config.profile,
    ...urls,
    grafanaAdminUser: "admin",
    grafanaAdminPassword: pulumi.secret(secrets.grafanaAdminPassword),
    bootstrapAdminKey: pulumi.secret(secrets.bootstrapAdminKey),
    appDatabaseUrl: postgresUrl(dbRoles.app, secrets.dbAppPassword, config.database.name),
    readonlyDatabaseUrl: postgresUrl(dbRoles.readonly, secrets.dbReadonlyPassword, config.database.name),
    redisUrl: redisUrl(secrets.redisPassword),
  };
}
