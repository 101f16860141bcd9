import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export interface AppImageArgs {
  /** Base image for the Dockerfile's NODE_IMAGE build arg (a pinned tag, optionally with a digest). */
  nodeBase: string;
  /** `docker build --platform`; unset, the provider builds for the machine running pulumi. */
  platform?: string;
}

const repoRoot = fileURLToPath(new URL("../", import.meta.url));
const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };

/**
 * Our one image (collector, API, migrations), built locally from the Dockerfile; never pushed.
 * `ref` is the built image's ID (`repoDigest`: pulumi-docker image.go sets it to the image ID when
 * skipPush), so a code change gives containers a new image reference and replaces them; the tag stays
 * for people (`docker run llm-observatory/app:<version>`).
 */
export class AppImage extends pulumi.ComponentResource {
  readonly ref: pulumi.Output<string>;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:AppImage", name, {}, opts);
    // The provider resolves both paths from its own working directory, the folder the CLI runs the
    // program in (Pulumi.yaml has no `main`: the project root, where this comes out as ".").
    const context = relative(process.cwd(), repoRoot) || ".";
    const image = new docker.Image(
      `${name}-build`,
      {
        imageName: `llm-observatory/app:${version}`,
        build: {
          context,
          dockerfile: join(context, "Dockerfile"),
          ...(args.platform ? { platform: args.platform } : {}),
          // Only the base image: nothing secret is ever a build arg.
          args: { NODE_IMAGE: args.nodeBase },
        },
        skipPush: true,
        // A preview must not need a Docker build; `up` builds.
        buildOnPreview: false,
      },
      { parent: this },
    );
    this.ref = image.repoDigest;
    this.registerOutputs({ ref: this.ref });
  }
}
