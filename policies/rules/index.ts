import type { Policies } from "@pulumi/policy";
import { containerDockerSocket } from "./container-docker-socket.js";
import { containerHealthcheck } from "./container-healthcheck.js";
import { containerLimits } from "./container-limits.js";
import { containerLogRotation } from "./container-log-rotation.js";
import { containerMemoryReservation } from "./container-memory-reservation.js";
import { containerNotPrivileged } from "./container-not-privileged.js";
import { containerRestartPolicy } from "./container-restart-policy.js";
import { imageDigest } from "./image-digest.js";
import { imagePinned } from "./image-pinned.js";
import { imageRegistry } from "./image-registry.js";
import { imageSupportedRelease, imageSupportedReleaseOutsideProduction } from "./image-supported-release.js";
import { productionDataStores } from "./production-data-stores.js";
import { productionNamedVolumes } from "./production-named-volumes.js";
import { productionPublicBindings } from "./production-public-bindings.js";
import { secretEnv } from "./secret-env.js";

/** Every policy of the pack; tests import this module, never the pack entry (index.ts). */
export const policies: Policies = [
  imagePinned,
  imageRegistry,
  containerLimits,
  containerHealthcheck,
  containerRestartPolicy,
  containerLogRotation,
  containerNotPrivileged,
  containerDockerSocket,
  secretEnv,
  productionDataStores,
  productionPublicBindings,
  productionNamedVolumes,
  imageSupportedRelease,
  imageSupportedReleaseOutsideProduction,
  imageDigest,
  containerMemoryReservation,
];
