import { UnknownValueError } from "@pulumi/policy";

/**
 * Reads a value that may be unknown during preview (computed from an output not yet created);
 * returns undefined for it instead of letting the framework skip the whole policy.
 */
export function known<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof UnknownValueError) return undefined;
    throw error;
  }
}
