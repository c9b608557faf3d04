/** The guardian's Prometheus metrics (served on `/metrics` beside `/health`). */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    eventsJudged: new Counter({
      name: "guardian_events_judged_total",
      help: "Events judged, per analyzer",
      labelNames: ["analyzer"],
      registers: [registry],
    }),
    verdicts: new Counter({
      name: "guardian_verdicts_total",
      help: "Verdicts attested, per analyzer and level",
      labelNames: ["analyzer", "level"],
      registers: [registry],
    }),
    actions: new Counter({
      name: "guardian_actions_total",
      help: "Freezes and pauses carried out",
      labelNames: ["action"],
      registers: [registry],
    }),
    geminiLatency: new Histogram({
      name: "guardian_gemini_latency_seconds",
      help: "Time of one Gemini judgement, retries included",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 40],
      registers: [registry],
    }),
    geminiErrors: new Counter({
      name: "guardian_gemini_errors_total",
      help: "Gemini judgements that fell back to the rule verdict, by reason",
      labelNames: ["reason"],
      registers: [registry],
    }),
    geminiUp: new Gauge({
      name: "guardian_gemini_up",
      help: "1 when the last Gemini judgement succeeded, 0 when it fell back",
      registers: [registry],
    }),
    lagBlocks: new Gauge({
      name: "guardian_lag_blocks",
      help: "Blocks the indexer has processed that the guardian has not judged yet",
      registers: [registry],
    }),
    processedBlock: new Gauge({
      name: "guardian_processed_block",
      help: "Last block whose events the guardian has judged",
      registers: [registry],
    }),
    verdictLag: new Histogram({
      name: "guardian_verdict_lag_seconds",
      help: "Event block time to verdict mined",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}

export type GuardianMetrics = ReturnType<typeof createMetrics>;
