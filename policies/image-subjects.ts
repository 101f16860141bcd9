import * as docker from "@pulumi/docker";
import { validateResourceOfType, type ReportViolation, type ResourceValidation, type ResourceValidationArgs } from "@pulumi/policy";
import { subject } from "./container.js";

export type ImageCheck = (ref: string, subject: string, args: ResourceValidationArgs, report: ReportViolation) => void;

/** Runs one image check on every image the stack names: each container's and each pulled image's. */
export function validateImages(check: ImageCheck): ResourceValidation[] {
  return [
    validateResourceOfType(docker.Container, (c, args, report) => check(c.image, subject("docker.Container", args.name), args, report)),
    validateResourceOfType(docker.RemoteImage, (i, args, report) => check(i.name, subject("docker.RemoteImage", args.name), args, report)),
  ];
}
