import { readFileSync } from "node:fs";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";

export interface AppImageArgs {
  /** Base image for the Dockerfile's NODE_IMAGE build arg (a pinned tag, optionally with a digest). */
  nodeBase: string;
}

const repoRoot = new URL("../", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", repoRoot), "utf8")) as { version: string };

/** Our one image (collector, API, migrations), built locally from the Dockerfile; never pushed. */
export class AppImage extends pulumi.ComponentResource {
  readonly ref: pulumi.Output<string>;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:AppImage", name, {}, opts);
    const image = new docker.Image(
      `${name}-build`,
      {
        imageName: `llm-observatory/app:${version}`,
        build: {
          context: ".",
          dockerfile: "Dockerfile",
          platform: "linux/amd64",
          // Only the base image: nothing secret is ever a build arg.
          args: { NODE_IMAGE: args.nodeBase },
        },
        skipPush: true,
        // A preview must not need a Docker build; `up` builds.
        buildOnPreview: false,
      },
      { parent: this },
    );
    this.ref = image.imageName;
    this.registerOutputs({ ref: this.ref });
  }
}
