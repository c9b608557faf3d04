/**
 * What the notifier can tell the owner about, by name. A kind is routed by its name in the host
 * configuration; the events that produce each kind are in `notices.ts`.
 */
export const NOTICE_KINDS = {
  verdict: "a guardian verdict (its level is the severity)",
  component: "a component's health transition (OFFLINE, DEGRADED, STOPPED, and the recovery)",
  signal: "a signal a component recorded (INFO, WARNING, ERROR, CRITICAL)",
  "keys.low": "a host key with less than a day of expected transactions left",
  "invoice.paid": "a payment received on an invoice, or a subscription's invoice paid by its charge",
  "invoice.overdue": "an invoice past its due date and not paid (the guardian's verdict on it)",
  "order.failed": "a standing order's charge the ledger refused, and a period missed",
} as const;

export type NoticeKind = keyof typeof NOTICE_KINDS;
export const noticeKinds = Object.keys(NOTICE_KINDS) as NoticeKind[];

/** Severities, least first. */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const severityRank = (severity: Severity) => SEVERITIES.indexOf(severity);
export const atLeast = (severity: Severity, floor: Severity) => severityRank(severity) >= severityRank(floor);
