import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { ModelLabels } from "../core/metric-labels.js";

/**
 * The API's Prometheus metrics, in a registry of their own (the collector keeps another). The
 * names are a contract: the monitoring stack's alerts and dashboards refer to them.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: "observatory_api_requests_total",
    help: "HTTP requests answered, by route template, method and status code",
    labelNames: ["route", "method", "status_code"] as const,
    registers: [this.registry],
  });

  readonly duration = new Histogram({
    name: "observatory_api_request_duration_seconds",
    help: "Time to answer an HTTP request, by route template and method",
    labelNames: ["route", "method"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly cacheHits = new Counter({
    name: "observatory_api_cache_hits_total",
    help: "Responses served from the response cache, by route template",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });

  readonly cacheMisses = new Counter({
    name: "observatory_api_cache_misses_total",
    help: "Cacheable requests computed from the database, by route template",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: "observatory_api_rate_limited_total",
    help: "Requests refused with 429 by the per-key token bucket",
    registers: [this.registry],
  });

  /** Bounds the provider and model values of ingestedCost. */
  readonly modelLabels = new ModelLabels();

  readonly ingestedCost = new Counter({
    name: "observatory_api_ingested_cost_usd_total",
    help: "Cost of spans newly stored through POST /api/v1/spans (USD), by provider and model",
    labelNames: ["provider", "model"] as const,
    registers: [this.registry],
  });

  readonly redisUp = new Gauge({
    name: "observatory_api_redis_up",
    help: "1 while the API is connected to Redis, 0 otherwise (always 0 without REDIS_URL)",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
