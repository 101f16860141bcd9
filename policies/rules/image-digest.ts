import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isContentAddressed, parseImageReference } from "../image-reference.js";
import { validateImages } from "../image-subjects.js";

export const imageDigest: ResourceValidationPolicy = {
  name: "docker-image-pinned-by-digest",
  description: "Images are pinned by digest, so the content behind a tag cannot change.",
  enforcementLevel: "advisory",
  remediationSteps: "Set the stack's image reference to name:tag@sha256:<digest> (the digest `docker pull` prints).",
  validateResource: validateImages((ref, subject, _args, report) => {
    if (isContentAddressed(parseImageReference(ref))) return;
    report(`${subject} uses image "${ref}" pinned by tag only; append its digest (${ref}@sha256:...).`);
  }),
};
