import { describe, expect, it } from "vitest";
import { secretEnv } from "../../policies/rules/secret-env.js";
import { asPolicySees, stackViolations, urnOf } from "./policy-harness.js";
import { container, randomPassword, secret } from "./resources.js";

const generated = "Zq8vN3kP0xLm4TfR7wYb2HcJ9sDe6GuA";
const dbPassword = randomPassword("db-password", generated);
const declared = { opts: { additionalSecretOutputs: ["envs"] } };
// The engine's sentinel for a string not known until the resource producing it exists (preview).
const unknownString = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

describe("what a policy sees for a Pulumi secret", () => {
  it("sees the plaintext, with no marker left, whether one element or the whole list is secret", () => {
    expect(asPolicySees({ envs: ["LOG_LEVEL=info", secret(`DB_PASSWORD=${generated}`)] })).toEqual({
      envs: ["LOG_LEVEL=info", `DB_PASSWORD=${generated}`],
    });
    expect(asPolicySees({ envs: secret(["LOG_LEVEL=info", `DB_PASSWORD=${generated}`]) })).toEqual({
      envs: ["LOG_LEVEL=info", `DB_PASSWORD=${generated}`],
    });
  });
});

describe("docker-container-no-literal-secret-env", () => {
  it("accepts a secret variable carrying a generated password, wrapped as a secret on the wire", async () => {
    const api = container("api", { envs: secret(["LOG_LEVEL=info", `DATABASE_PASSWORD=${generated}`]) }, declared);
    expect(await stackViolations(secretEnv, [dbPassword, api])).toEqual([]);
  });

  it("accepts values still unknown during preview: they are computed from an output", async () => {
    const api = container("api", { envs: ["LOG_LEVEL=info", unknownString] }, declared);
    expect(await stackViolations(secretEnv, [randomPassword("db-password", unknownString), api])).toEqual([]);
  });

  it("does not count names that only mention a key or point at a file", async () => {
    const collector = container("collector", { envs: ["COLLECTOR_KEY_CACHE_SECONDS=60", "DB_PASSWORD_FILE=/run/secrets/db", "MAX_TOKENS=4096"] });
    expect(await stackViolations(secretEnv, [collector])).toEqual([]);
  });

  it("rejects a literal, even one the program wrapped in pulumi.secret: a policy cannot tell them apart", async () => {
    const api = container("api", { envs: secret(["REDIS_PASSWORD=hunter2", `DB_PASSWORD=${generated}`]) }, declared);
    expect(await stackViolations(secretEnv, [dbPassword, api])).toEqual([
      {
        message: 'docker.Container "api" sets REDIS_PASSWORD to a literal value; pass a random.RandomPassword result instead of a value written in the program or config.',
        urn: urnOf(api),
      },
    ]);
  });

  it("rejects secret variables on a container that does not declare envs in additionalSecretOutputs", async () => {
    const api = container("api", { envs: [`DB_PASSWORD=${generated}`, `BOOTSTRAP_ADMIN_KEY=${generated}`] });
    expect(await stackViolations(secretEnv, [dbPassword, api])).toEqual([
      {
        message: 'docker.Container "api" carries secrets in envs (DB_PASSWORD, BOOTSTRAP_ADMIN_KEY) but does not list "envs" in additionalSecretOutputs; add it so they stay encrypted in the state.',
        urn: urnOf(api),
      },
    ]);
  });

  it("takes the sensitive-name pattern from its config", async () => {
    const api = container("api", { envs: ["SMTP_CREDENTIAL=hunter2"] }, declared);
    expect(await stackViolations(secretEnv, [api])).toEqual([]);
    expect(await stackViolations(secretEnv, [api], { sensitiveNamePattern: "CREDENTIAL$" })).toEqual([
      {
        message: 'docker.Container "api" sets SMTP_CREDENTIAL to a literal value; pass a random.RandomPassword result instead of a value written in the program or config.',
        urn: urnOf(api),
      },
    ]);
  });

  it("rejects a literal password inside a URL, whatever the variable is called (DATABASE_URL, REDIS_URL, DATA_SOURCE_NAME)", async () => {
    const api = container(
      "api",
      {
        envs: secret([
          `DATABASE_URL=postgres://observatory_app:${generated}@timescaledb:5432/observatory`,
          "REDIS_URL=redis://:hunter2@redis:6379/0",
          "DATA_SOURCE_NAME=observatory_monitor:hunter3@timescaledb:5432/observatory?sslmode=disable",
          "DATA_SOURCE_URI=timescaledb:5432/observatory?sslmode=disable",
        ]),
      },
      declared,
    );
    expect(await stackViolations(secretEnv, [dbPassword, api])).toEqual([
      { message: 'docker.Container "api" sets REDIS_URL to a URL with a literal password; pass a random.RandomPassword result instead of a value written in the program or config.', urn: urnOf(api) },
      { message: 'docker.Container "api" sets DATA_SOURCE_NAME to a URL with a literal password; pass a random.RandomPassword result instead of a value written in the program or config.', urn: urnOf(api) },
    ]);
  });

  it("requires envs in additionalSecretOutputs for a generated password inside a URL too", async () => {
    const api = container("api", { envs: [`DATABASE_URL=postgres://app:${generated}@db:5432/app`] });
    expect(await stackViolations(secretEnv, [dbPassword, api])).toEqual([
      {
        message: 'docker.Container "api" carries secrets in envs (DATABASE_URL) but does not list "envs" in additionalSecretOutputs; add it so they stay encrypted in the state.',
        urn: urnOf(api),
      },
    ]);
  });

  it("rejects literal passwords in uploaded files: redis.conf requirepass, a Grafana datasource password, a URL", async () => {
    const uploads = (redisPassword: string, grafanaPassword: string, url: string) => [
      { file: "/usr/local/etc/redis/redis.conf", content: `port 6379\nrequirepass ${redisPassword}\nmaxmemory 128mb\n` },
      { file: "/etc/grafana/provisioning/datasources/observatory.yml", content: `datasources:\n  - name: PostgreSQL\n    user: observatory_readonly\n    secureJsonData:\n      password: ${grafanaPassword}\n` },
      { file: "/etc/app/settings.json", content: `{\n  "description": "Share of key lookups that found their key.",\n  "url": "${url}"\n}\n` },
    ];
    const literal = container("grafana", { uploads: secret(uploads("hunter2", "hunter3", "postgres://u:hunter4@db/app")) }, { opts: { additionalSecretOutputs: ["uploads"] } });
    const advice = "pass a random.RandomPassword result instead of a value written in the program or config.";
    expect(await stackViolations(secretEnv, [dbPassword, literal])).toEqual([
      { message: `docker.Container "grafana" uploads /usr/local/etc/redis/redis.conf with a literal requirepass; ${advice}`, urn: urnOf(literal) },
      { message: `docker.Container "grafana" uploads /etc/grafana/provisioning/datasources/observatory.yml with a literal password; ${advice}`, urn: urnOf(literal) },
      { message: `docker.Container "grafana" uploads /etc/app/settings.json with a URL with a literal password; ${advice}`, urn: urnOf(literal) },
    ]);
    const generatedOnes = container("grafana", { uploads: secret(uploads(generated, generated, `postgres://u:${generated}@db/app`)) }, { opts: { additionalSecretOutputs: ["uploads"] } });
    expect(await stackViolations(secretEnv, [dbPassword, generatedOnes])).toEqual([]);
    const undeclared = container("grafana", { uploads: uploads(generated, generated, "http://prometheus:9090") });
    expect(await stackViolations(secretEnv, [dbPassword, undeclared])).toEqual([
      {
        message:
          'docker.Container "grafana" carries secrets in uploads (/usr/local/etc/redis/redis.conf, /etc/grafana/provisioning/datasources/observatory.yml) but does not list "uploads" in additionalSecretOutputs; add it so they stay encrypted in the state.',
        urn: urnOf(undeclared),
      },
    ]);
  });

  it("does not count references to a secret stored elsewhere ($VAR, Grafana's $__file{...}) or an upload unknown during preview", async () => {
    const grafana = container("grafana", {
      uploads: [
        { file: "/etc/grafana/provisioning/datasources/a.yml", content: "password: $__file{/run/secrets/db}\nbasicAuthPassword: ${GRAFANA_DB_PASSWORD}\n" },
        { file: "/etc/grafana/provisioning/datasources/b.yml", content: unknownString },
      ],
    });
    expect(await stackViolations(secretEnv, [grafana])).toEqual([]);
  });
});

