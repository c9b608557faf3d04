/** The notifier's Prometheus metrics (on `/metrics` beside `/health`). */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  return {
    registry,
    notices: new Counter({
      name: "notifier_notices_total",
      help: "Notices made from indexed events, per kind",
      labelNames: ["kind"],
      registers: [registry],
    }),
    deliveries: new Counter({
      name: "notifier_deliveries_total",
      help: "Deliveries per channel and outcome (sent, failed, skipped)",
      labelNames: ["channel", "outcome"],
      registers: [registry],
    }),
    attemptsFailed: new Counter({
      name: "notifier_delivery_attempts_failed_total",
      help: "Failed delivery attempts (each retry counts), per channel",
      labelNames: ["channel"],
      registers: [registry],
    }),
    suppressed: new Counter({
      name: "notifier_suppressed_total",
      help: "Deliveries not sent, by reason (maintenance, duplicate, digested)",
      labelNames: ["reason"],
      registers: [registry],
    }),
    latency: new Histogram({
      name: "notifier_delivery_latency_seconds",
      help: "From the event's block time to the receiver's answer, first sends only",
      labelNames: ["channel"],
      buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    pending: new Gauge({
      name: "notifier_pending",
      help: "Deliveries waiting, per channel",
      labelNames: ["channel"],
      registers: [registry],
    }),
    lagBlocks: new Gauge({ name: "notifier_lag_blocks", help: "Indexed blocks the notifier has not looked at yet", registers: [registry] }),
  };
}

export type NotifierMetrics = ReturnType<typeof createMetrics>;
