/**
 * A Docker image reference taken apart the way the Docker daemon resolves it: `[registry/]repository
 * [:tag][@digest]`, with Docker Hub (`docker.io`) as the registry when the first path component is not
 * a host, or an image ID (`sha256:<hex>`) such as a `docker.RemoteImage`'s `imageId`.
 */
export type ImageReference =
  | { kind: "id" }
  | { kind: "name"; registry: string; repository: string; tag?: string; digest?: string };

const contentHash = /^sha256:[a-f0-9]{64}$/;
const dockerHubAliases = new Set(["docker.io", "index.docker.io", "registry-1.docker.io"]);

export function parseImageReference(ref: string): ImageReference {
  if (contentHash.test(ref)) return { kind: "id" };
  const at = ref.indexOf("@");
  const named = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  const path = hasTag ? named.slice(0, colon) : named;
  const first = path.split("/")[0] ?? "";
  const hasHost = path.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = hasHost && !dockerHubAliases.has(first) ? first : "docker.io";
  const repository = (hasHost ? path.slice(first.length + 1) : path).replace(/^library\//, "");
  return {
    kind: "name",
    registry,
    repository,
    ...(hasTag ? { tag: named.slice(colon + 1) } : {}),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** Whether the reference names its content exactly: an image ID, or a well-formed sha256 digest. */
export function isContentAddressed(image: ImageReference): boolean {
  return image.kind === "id" || (image.digest !== undefined && contentHash.test(image.digest));
}
