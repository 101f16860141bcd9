import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { imageFor, type StackConfig } from "./config.js";
import type { ThirdPartyImage } from "./images.js";

export interface ThirdPartyImagesArgs {
  config: StackConfig;
  used: ThirdPartyImage[];
}

/** Pulls each pinned third-party image once; containers name the image through `ref`. */
export class ThirdPartyImages extends pulumi.ComponentResource {
  private readonly images = new Map<ThirdPartyImage, docker.RemoteImage>();

  constructor(name: string, args: ThirdPartyImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llm-observatory:stack:ThirdPartyImages", name, {}, opts);
    for (const key of new Set(args.used)) {
      this.images.set(key, new docker.RemoteImage(`${name}-${key}`, { name: imageFor(args.config, key), keepLocally: true }, { parent: this }));
    }
    this.registerOutputs({});
  }

  /** The pinned reference (`repo:tag[@digest]`), resolved once the image is present on the host. */
  ref(key: ThirdPartyImage): pulumi.Output<string> {
    const image = this.images.get(key);
    if (!image) throw new Error(`image ${key} was not declared as used`);
    return image.name;
  }
}
