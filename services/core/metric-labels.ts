import { PROVIDER_ALIASES } from "./normalization.js";

const KNOWN_PROVIDERS: ReadonlySet<string> = new Set([...Object.values(PROVIDER_ALIASES), ""]);

/** Models per provider that get a series of their own; later ones share "other". */
export const MODELS_PER_PROVIDER = 50;

/**
 * Provider and model label values, bounded: spans set them, and every distinct value would be a
 * series kept until restart. Known providers (PROVIDER_ALIASES, or none) keep their name, and
 * the first MODELS_PER_PROVIDER models each process sees for them; anything else is "other".
 */
export class ModelLabels {
  private readonly models = new Map<string, Set<string>>();

  provider(provider: string): string {
    return KNOWN_PROVIDERS.has(provider) ? provider : "other";
  }

  labels(provider: string, model: string): { provider: string; model: string } {
    const p = this.provider(provider);
    if (p === "other") return { provider: p, model: "other" };
    let seen = this.models.get(p);
    if (!seen) this.models.set(p, (seen = new Set()));
    if (!seen.has(model)) {
      if (seen.size >= MODELS_PER_PROVIDER) return { provider: p, model: "other" };
      seen.add(model);
    }
    return { provider: p, model };
  }
}
