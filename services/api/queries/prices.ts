import { Params, type Query } from "./sql.js";

const COLUMNS = `id::text AS id, provider, model_pattern, input_per_mtok::float8 AS input_per_mtok,
  output_per_mtok::float8 AS output_per_mtok, cached_input_per_mtok::float8 AS cached_input_per_mtok,
  effective_from, source`;

/**
 * Price rows (deployment-wide, not per project), optionally of one provider, most specific
 * pattern and latest date first. Patterns are matched against a model by the caller, with the
 * matcher ingest prices by (likeToRegExp), so the listing and pricing cannot disagree.
 */
export function priceListQuery(f: { provider?: string }): Query {
  const p = new Params();
  const where = f.provider === undefined ? "" : `WHERE provider = ${p.add(f.provider)}`;
  return {
    text: `SELECT ${COLUMNS} FROM model_prices ${where}
           ORDER BY provider, length(model_pattern) DESC, model_pattern, effective_from DESC`,
    values: p.values,
  };
}

/** Deletes one price; its id comes back when it existed. */
export function deletePriceQuery(id: string): Query {
  return { text: "DELETE FROM model_prices WHERE id = $1 RETURNING id::text AS id", values: [id] };
}

export interface NewPrice {
  provider: string;
  model_pattern: string;
  input_per_mtok: number;
  output_per_mtok: number;
  cached_input_per_mtok?: number;
  effective_from: string;
  source: string;
}

/** Adds a price; no row comes back when one exists for the same provider, pattern and date. */
export function insertPriceQuery(n: NewPrice): Query {
  return {
    text: `INSERT INTO model_prices (provider, model_pattern, input_per_mtok, output_per_mtok, cached_input_per_mtok, effective_from, source)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (provider, model_pattern, effective_from) DO NOTHING
           RETURNING ${COLUMNS}`,
    values: [n.provider, n.model_pattern, n.input_per_mtok, n.output_per_mtok, n.cached_input_per_mtok ?? null, n.effective_from, n.source],
  };
}
