/**
 * What the providers do with each field this program sets, from their source (mocks cannot show it):
 * whether a change is applied in place, replaces the resource, only takes effect at the next create or
 * delete, or is silently not applied at all; and the form in which a refresh reads the value back.
 * The program sends every value in its read-back form (so `pulumi refresh` finds no difference) and
 * lists every "ignored" field in `replaceOnChanges` (so an edit is never an update that changes
 * nothing). tests/infra/provider-semantics.test.ts holds the program to this table.
 *
 * Sources:
 * - docker.Container, Volume, Network, RemoteImage: @pulumi/docker 5.2.0 bridges
 *   kreuzwerker/terraform-provider-docker v4.5.0 (the `upstream` submodule of pulumi/pulumi-docker at
 *   237b7899 is 5074970c = v4.5.0); pulumi-docker provider/resources.go sets DeleteBeforeReplace for
 *   containers. Upstream internal/provider/: resource_docker_container.go (ForceNew), _funcs.go
 *   (resourceDockerContainerRead: read-back; resourceDockerContainerUpdate: the only fields updated in
 *   place; resourceDockerContainerDelete: stop timeout), helpers.go nanoInt64ToDecimalString.
 * - docker.Image: pulumi-docker provider/provider.go (native): Check fills build.dockerfile, context,
 *   platform and contextDigest; Diff reports any changed input as an update (a rebuild);
 *   image.go dockerBuild sets repoDigest to the built image's ID when skipPush.
 * - command.local.Command: pulumi/pulumi-command v1.2.1 provider/pkg/provider/common/inputs.go
 *   (triggers: replaceOnChanges), local/commandController.go (Update runs `create` again).
 */

export type Update =
  /** A change replaces the resource (ForceNew, or the provider's replaceOnChanges). */
  | "replace"
  /** Applied to the running resource (docker ContainerUpdate). */
  | "in-place"
  /** Only how the provider creates or deletes: stored in the state, used at the next create or delete. */
  | "lifecycle"
  /** Accepted as an update that changes nothing: must be in the program's replaceOnChanges. */
  | "ignored";

export interface FieldSemantics {
  update: Update;
  /** How a refresh reads the value back; the program sends it in this form. */
  readBack: string;
}

const verbatim = "as sent";
const notRead = "not read back (state keeps the sent value)";

export const containerFields = {
  name: { update: "replace", readBack: "container name without Docker's leading /" },
  image: { update: "replace", readBack: "Config.Image, or the image ID (container.Image) when the value starts with sha256:" },
  command: { update: "replace", readBack: "Config.Cmd, as sent" },
  envs: { update: "replace", readBack: notRead },
  labels: { update: "replace", readBack: notRead },
  networksAdvanced: { update: "replace", readBack: "only when the state has none (import)" },
  ports: { update: "replace", readBack: "NetworkSettings.Ports as {internal, external, ip, protocol}: all four are sent" },
  volumes: { update: "replace", readBack: notRead },
  uploads: { update: "replace", readBack: notRead },
  readOnly: { update: "replace", readBack: verbatim },
  user: { update: "replace", readBack: "Config.User (an unset value keeps the image's)" },
  workingDir: { update: "replace", readBack: "Config.WorkingDir (an unset value keeps the image's)" },
  capabilities: { update: "replace", readBack: "{add: CapAdd, drop: CapDrop}; drop [\"ALL\"] reads back as sent (Docker 20.10.24)" },
  securityOpts: { update: "replace", readBack: "HostConfig.SecurityOpt, as sent (Docker 20.10.24)" },
  privileged: { update: "replace", readBack: verbatim },
  cpus: { update: "replace", readBack: "nanoInt64ToDecimalString(NanoCPUs): \"0.50\" reads back as \"0.5\", \"1\" as \"1.0\"" },
  logDriver: { update: "replace", readBack: verbatim },
  logOpts: { update: "replace", readBack: verbatim },
  stopTimeout: { update: "replace", readBack: "Config.StopTimeout, as sent" },
  memory: { update: "in-place", readBack: "HostConfig.Memory in MB" },
  memoryReservation: { update: "in-place", readBack: "HostConfig.MemoryReservation in MB" },
  memorySwap: { update: "in-place", readBack: "HostConfig.MemorySwap in MB (unset: Docker allows swap of twice the memory)" },
  restart: { update: "in-place", readBack: verbatim },
  mustRun: { update: "in-place", readBack: "false when the container is stopped (an update then starts it)" },
  healthcheck: { update: "ignored", readBack: "durations as Go's time.Duration.String(): 60s reads back as 1m0s, 5m as 5m0s" },
  tmpfs: { update: "ignored", readBack: "HostConfig.Tmpfs, as sent (Docker 20.10.24)" },
  start: { update: "lifecycle", readBack: notRead },
  wait: { update: "lifecycle", readBack: notRead },
  waitTimeout: { update: "lifecycle", readBack: notRead },
  attach: { update: "lifecycle", readBack: notRead },
  destroyGraceSeconds: { update: "lifecycle", readBack: "not read back; the stop timeout at delete (0 when unset: SIGKILL at once)" },
} as const satisfies Record<string, FieldSemantics>;

export const imageFields = {
  imageName: { update: "in-place", readBack: verbatim },
  build: { update: "in-place", readBack: "Check adds contextDigest (a hash of the context) and platform (the provider's host when unset)" },
  skipPush: { update: "in-place", readBack: verbatim },
  buildOnPreview: { update: "in-place", readBack: verbatim },
} as const satisfies Record<string, FieldSemantics>;

export const remoteImageFields = {
  name: { update: "replace", readBack: verbatim },
  keepLocally: { update: "in-place", readBack: verbatim },
} as const satisfies Record<string, FieldSemantics>;

export const volumeFields = {
  name: { update: "replace", readBack: verbatim },
} as const satisfies Record<string, FieldSemantics>;

export const networkFields = {
  name: { update: "replace", readBack: verbatim },
  driver: { update: "replace", readBack: verbatim },
  internal: { update: "replace", readBack: verbatim },
  labels: { update: "replace", readBack: verbatim },
} as const satisfies Record<string, FieldSemantics>;

export const commandFields = {
  create: { update: "in-place", readBack: "an update runs the new create command" },
  environment: { update: "in-place", readBack: "an update runs the create command again" },
  triggers: { update: "replace", readBack: verbatim },
} as const satisfies Record<string, FieldSemantics>;

/** The container fields a change of which the provider would accept and not apply. */
export const containerReplaceOnChanges = Object.entries(containerFields)
  .filter(([, f]) => f.update === "ignored")
  .map(([name]) => name);

/**
 * A number of seconds as Go's time.Duration.String() prints it (how the provider reads health
 * check durations back): 10 → "10s", 60 → "1m0s", 300 → "5m0s", 3600 → "1h0m0s".
 */
export function goDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`not a whole number of seconds: ${seconds}`);
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/**
 * `cpus` as the provider reads it back: docker/cli opts.ParseCPUs (a decimal with at most nine
 * fractional digits, times 1e9) then nanoInt64ToDecimalString, which returns one decimal place when
 * its nine-digit rendering holds exactly nine zeros and trims trailing zeros otherwise.
 * Returns undefined for a value the provider would not read back as the same number of CPUs.
 */
export function cpusReadBack(value: string): string | undefined {
  const match = /^(\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (!match) return undefined;
  const nano = BigInt(match[1]!) * 1_000_000_000n + BigInt((match[2] ?? "").padEnd(9, "0"));
  if (nano === 0n) return undefined;
  const nine = `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, "0")}`;
  const zeros = [...nine].filter((c) => c === "0").length;
  // big.Rat.FloatString(1) rounds half away from zero.
  const tenths = (nano + 50_000_000n) / 100_000_000n;
  const readBack = zeros === 9 ? `${tenths / 10n}.${tenths % 10n}` : nine.replace(/0+$/, "");
  const back = /^(\d+)\.(\d+)$/.exec(readBack);
  if (!back) return undefined;
  return BigInt(back[1]!) * 1_000_000_000n + BigInt(back[2]!.padEnd(9, "0")) === nano ? readBack : undefined;
}
