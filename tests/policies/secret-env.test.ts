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
});
