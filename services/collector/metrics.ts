import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { ModelLabels } from "../core/metric-labels.js";
import type { PipelineHooks } from "../core/pipeline.js";

/** The collector's own registry, served on GET /metrics; the alert rules use these names. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const registers = [registry];

export const collectorMetrics = {
  spansReceived: new Counter({ name: "observatory_collector_spans_received_total", help: "Spans decoded from exports", labelNames: ["protocol"], registers }),
  spansAccepted: new Counter({ name: "observatory_collector_spans_accepted_total", help: "Spans committed to the database (repeats included)", registers }),
  spansRejected: new Counter({ name: "observatory_collector_spans_rejected_total", help: "Spans refused, by reason", labelNames: ["reason"], registers }),
  backpressure: new Counter({ name: "observatory_collector_backpressure_total", help: "Exports refused with backpressure", labelNames: ["protocol"], registers }),
  queueSpans: new Gauge({ name: "observatory_collector_queue_spans", help: "Spans held: queued or being written", registers }),
  queueCapacity: new Gauge({ name: "observatory_collector_queue_capacity_spans", help: "Spans the queue holds before backpressure", registers }),
  batchSpans: new Histogram({
    name: "observatory_collector_batch_spans",
    help: "Spans per database write",
    buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
    registers,
  }),
  batchWriteSeconds: new Histogram({
    name: "observatory_collector_batch_write_duration_seconds",
    help: "Duration of one batch write (spans and rollups)",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
  dbErrors: new Counter({ name: "observatory_collector_db_errors_total", help: "Failed batch writes", registers }),
  unknownModel: new Counter({ name: "observatory_collector_unknown_model_spans_total", help: "Spans left unpriced: no price for their model", labelNames: ["provider"], registers }),
  costUsd: new Counter({ name: "observatory_collector_cost_usd_total", help: "Cost of newly stored spans (USD)", labelNames: ["provider", "model"], registers }),
  exportSeconds: new Histogram({
    name: "observatory_collector_export_duration_seconds",
    help: "Time from receiving an export to answering it",
    labelNames: ["protocol"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  }),
};

const modelLabels = new ModelLabels();

/** The pipeline's observations as metric updates. */
export const pipelineMetrics: PipelineHooks = {
  rejected: (reason, spans) => collectorMetrics.spansRejected.inc({ reason }, spans),
  unknownModel: (provider) => collectorMetrics.unknownModel.inc({ provider: modelLabels.provider(provider) }),
  queueDepth: (spans) => collectorMetrics.queueSpans.set(spans),
  batchWritten: (spans, seconds, result) => {
    collectorMetrics.spansAccepted.inc(spans);
    collectorMetrics.batchSpans.observe(spans);
    collectorMetrics.batchWriteSeconds.observe(seconds);
    for (const g of result.groups) {
      if (g.costUsd > 0) collectorMetrics.costUsd.inc(modelLabels.labels(g.provider, g.model), g.costUsd);
    }
  },
  writeFailed: () => collectorMetrics.dbErrors.inc(),
};
