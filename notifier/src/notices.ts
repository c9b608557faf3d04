/**
 * From indexed events to notices: what happened, how serious, about which component, the link to it
 * in the command center, and what makes two notices the same. The sources are keyed by
 * `Contract.Event`; an overdue invoice is the guardian's verdict on it (judged on time, not on an event).
 */
import {
  bytes32Text,
  componentStatuses,
  formatDollars,
  positionOfSubject,
  signalSeverities,
  subjectOf,
  transferResults,
  verdictActions,
  verdictLevels,
} from "@sovr/contracts";
import type { IndexedEvent, InvoiceRow } from "@sovr/indexer/client";
import type { ComponentInfo } from "./indexer.ts";
import type { Notice } from "./journal.ts";
import type { Severity } from "./kinds.ts";
import { cut } from "./message.ts";

export type NoticeContext = {
  component(id: number): Promise<ComponentInfo | undefined>;
  /** The event a verdict judged. */
  eventAt(blockNumber: bigint, logIndex: number): Promise<IndexedEvent | undefined>;
  invoice(id: bigint): Promise<InvoiceRow | undefined>;
  /** A path of the command center as a full URL. */
  link(path: string): string;
};

export type NoticeSource = (event: IndexedEvent, context: NoticeContext) => Promise<Notice[]>;

const nameIn = (names: readonly string[], value: unknown) => (typeof value === "number" ? (names[value] ?? String(value)) : String(value));

async function componentOf(context: NoticeContext, id: number) {
  const info = await context.component(id);
  return { name: info?.name ?? `component ${id}`, critical: info?.critical === true, known: info !== undefined };
}

const base = (event: IndexedEvent) => ({ id: event.id, at: Number(event.timestamp), subject: subjectOf(event) });

/** Chain text in a title: one line, cut. */
const reference = (invoice: InvoiceRow | undefined) => (invoice?.reference ? ` (${cut(invoice.reference.replace(/\s+/g, " "), 60)})` : "");

/** The guardian's threat type for an invoice past its due date: the verdict is the overdue notice. */
const OVERDUE_THREAT = "invoice_overdue";

const SIGNAL_SEVERITY: Record<string, Severity> = { INFO: "info", WARNING: "medium", ERROR: "high", CRITICAL: "critical" };
const LEVEL_SEVERITY: Record<string, Severity> = { LOW: "low", MEDIUM: "medium", HIGH: "high", CRITICAL: "critical" };

export const SOURCES: Record<string, NoticeSource> = {
  "ComponentRegistry.HealthChanged": async (event, context) => {
    const id = Number(event.args.id);
    const status = nameIn(componentStatuses, event.args.status);
    const previous = nameIn(componentStatuses, event.args.previousStatus);
    const component = await componentOf(context, id);
    const common = {
      ...base(event),
      kind: "component",
      componentId: id,
      componentName: component.name,
      link: context.link(`/?component=${id}`),
    };
    const who = `${component.critical ? "critical component " : ""}${component.name}`;
    if (status === "OFFLINE" || status === "DEGRADED") {
      const severity: Severity = status === "OFFLINE" ? (component.critical ? "critical" : "high") : component.critical ? "medium" : "low";
      return [
        {
          ...common,
          severity,
          title: `${component.name} is ${status}`,
          text: `${who} went ${previous} -> ${status} (probe latency ${String(event.args.latencyMs)} ms).`,
          dedupKeys: [`event:${common.subject}`, `component:${id}:${status}`],
          incident: `component:${id}`,
        },
      ];
    }
    if (status === "ONLINE" && (previous === "OFFLINE" || previous === "DEGRADED")) {
      return [
        {
          ...common,
          severity: "info",
          title: `${component.name} is back ONLINE`,
          text: `${who} went ${previous} -> ONLINE.`,
          dedupKeys: [`event:${common.subject}`],
          resolves: `component:${id}`,
        },
      ];
    }
    return [
      {
        ...common,
        severity: status === "STOPPED" ? "low" : "info",
        title: `${component.name} is ${status}`,
        text: `${who} went ${previous} -> ${status}.`,
        dedupKeys: [`event:${common.subject}`, `component:${id}:${status}`],
      },
    ];
  },

  "ComponentRegistry.SignalRecorded": async (event, context) => {
    const id = Number(event.args.componentId);
    const severityName = nameIn(signalSeverities, event.args.severity);
    const kind = String(event.args.kind ?? "").slice(0, 32);
    const component = await componentOf(context, id);
    const lowKeys = kind === "low_balance";
    return [
      {
        ...base(event),
        kind: lowKeys ? "keys.low" : "signal",
        severity: lowKeys ? "high" : (SIGNAL_SEVERITY[severityName] ?? "info"),
        componentId: id,
        componentName: component.name,
        title: lowKeys ? `${component.name}: a host key is running low` : `${component.name}: ${severityName} ${kind}`,
        // The message is chain text: data, cut, shown as written.
        text: cut(String(event.args.message ?? ""), 280) || `${severityName} ${kind} signal`,
        link: context.link(`/?component=${id}`),
        dedupKeys: [`event:${subjectOf(event)}`, `signal:${id}:${kind}:${severityName}`],
      },
    ];
  },

  "GuardianAttestations.VerdictAttested": async (event, context) => {
    const level = nameIn(verdictLevels, event.args.level);
    const overdue = bytes32Text(String(event.args.threatType) as `0x${string}`) === OVERDUE_THREAT;
    const action = nameIn(verdictActions, event.args.action);
    const subject = String(event.args.subject ?? "").toLowerCase() as `0x${string}`;
    if (!/^0x[0-9a-f]{64}$/.test(subject)) return [];
    const threat = bytes32Text(String(event.args.threatType) as `0x${string}`) || "unnamed";
    const analyzer = bytes32Text(String(event.args.analyzer) as `0x${string}`) || "an analyzer";
    const position = positionOfSubject(subject);
    // An overdue verdict's subject is no event's position (the guardian judges those on time).
    const judged = overdue ? undefined : await context.eventAt(position.blockNumber, position.logIndex).catch(() => undefined);
    const componentId =
      judged?.contract === "ComponentRegistry"
        ? Number(judged.event === "SignalRecorded" || judged.event.startsWith("Control") ? judged.args.componentId : judged.args.id)
        : undefined;
    const component = componentId !== undefined && Number.isSafeInteger(componentId) ? await componentOf(context, componentId) : undefined;
    const about = judged ? `${judged.contract}.${judged.event}` : "an event";
    const target = component
      ? `component:${componentId}`
      : judged?.args.debitAccountId
        ? `account:${String(judged.args.debitAccountId)}`
        : subject;
    const judgedStatus = judged?.event === "HealthChanged" ? nameIn(componentStatuses, judged.args.status) : undefined;
    // A verdict on a component going down belongs to that incident: its recovery ends the repeats.
    const incident = judgedStatus === "OFFLINE" || judgedStatus === "DEGRADED" ? `component:${componentId}` : undefined;
    return [
      {
        id: event.id,
        at: Number(event.timestamp),
        // The owner acknowledges the verdicts on the judged event.
        subject,
        kind: overdue ? "invoice.overdue" : "verdict",
        severity: action === "MONITOR" && level === "LOW" ? "low" : (LEVEL_SEVERITY[level] ?? "info"),
        componentId: component ? componentId : undefined,
        componentName: component?.name,
        title: `${level} ${action}: ${threat}${component ? ` on ${component.name}` : ""}`,
        text: `${cut(String(event.args.summary ?? ""), 200)} (${analyzer} on ${about})`,
        link: context.link(overdue ? "/billing" : `/audit?subject=${subject}`),
        dedupKeys: [`event:${subject}`, `verdict:${threat}:${target}`],
        incident,
      },
    ];
  },

  "SovrInvoices.InvoicePaymentReceived": async (event, context) => {
    const id = BigInt(String(event.args.id));
    const amount = BigInt(String(event.args.amount));
    const paidTotal = BigInt(String(event.args.paidTotal));
    const invoice = await context.invoice(id);
    const owed = invoice ? invoice.amount - paidTotal : undefined;
    const inFull = owed !== undefined && owed <= 0n;
    return [
      {
        ...base(event),
        kind: "invoice.paid",
        severity: "info",
        title: inFull ? `Invoice ${id} paid in full` : `Invoice ${id}: ${formatDollars(amount)} received`,
        text:
          `${formatDollars(amount)} from ${String(event.args.payer)} on invoice ${id}${reference(invoice)}` +
          (owed === undefined ? "." : inFull ? `; ${formatDollars(paidTotal)} received in all.` : `; ${formatDollars(owed)} still owed.`),
        link: context.link("/billing"),
        dedupKeys: [`event:${subjectOf(event)}`],
      },
    ];
  },

  "SovrInvoices.InvoiceSettled": async (event, context) => {
    const id = BigInt(String(event.args.id));
    const invoice = await context.invoice(id);
    return [
      {
        ...base(event),
        kind: "invoice.paid",
        severity: "info",
        title: `Invoice ${id} paid by its subscription`,
        text: `${formatDollars(BigInt(String(event.args.amount)))} charged to ${String(event.args.payer)} for invoice ${id}${reference(invoice)}.`,
        link: context.link("/billing"),
        dedupKeys: [`event:${subjectOf(event)}`],
      },
    ];
  },

  "SovrOrders.ChargeFailed": async (event, context) => {
    const id = String(event.args.id);
    const period = String(event.args.period);
    const result = nameIn(transferResults, event.args.result);
    const gaveUp = event.args.gaveUp === true;
    const retryAt = Number(event.args.retryAt);
    return [
      {
        ...base(event),
        kind: "order.failed",
        severity: gaveUp ? "high" : "medium",
        title: gaveUp ? `Standing order ${id}: period ${period} missed` : `Standing order ${id}: a charge was refused`,
        text:
          `The ledger refused period ${period} of order ${id} (${result}), attempt ${String(event.args.attempts)}` +
          (gaveUp
            ? "; no attempts are left."
            : retryAt > 0
              ? `; next attempt at ${new Date(retryAt * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC.`
              : "."),
        link: context.link("/payments"),
        dedupKeys: [`event:${subjectOf(event)}`],
      },
    ];
  },
};
