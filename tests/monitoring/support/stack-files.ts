import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type StackConfig, parseStackConfig } from "../../../infra/config.js";
import { stackConfig, type StackName } from "../../support/pulumi-stack.js";

/** The checked-in stack's validated config, as the Pulumi program sees it. */
export const configOf = (stack: StackName): StackConfig => parseStackConfig(stackConfig(stack));

/** Writes uploads (absolute container paths) under a fresh temp dir; returns the dir. */
export async function writeUploads(uploads: { file: string; content: string }[]): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "obs-monitoring-"));
  for (const u of uploads) {
    await mkdir(dirname(join(root, u.file)), { recursive: true });
    await writeFile(join(root, u.file), u.content);
  }
  return root;
}
