/**
 * The rule engine `rules/2`: deterministic judgements of one indexed event with its context. Rules
 * read only numbers, enums and addresses: free text from the chain (signal messages, memos, reasons)
 * never changes a rule verdict, so no text can talk the guardian into acting.
 * Changing what a rule decides means a new rule set version (a new analyzer name on-chain).
 */
import {
  componentStatuses,
  controlActions,
  decodeTransferDetails,
  formatDollars,
  formatInterval,
  periodUnits,
  roleName,
  signalSeverities,
  sovrCodes,
  transferResults,
  UNTIL_CANCELLED,
} from "@sovr/contracts";
import type { RuleThresholds } from "./config.ts";
import type { ComponentRow, CreditLineRow, IndexedEvent, InvoiceRow, TransferRow } from "./indexer.ts";
import { type Action, actionRank, type Level, levelRank, type Verdict } from "./verdict.ts";

export const RULESET = "rules/2";

const SECONDS_PER_DAY = 86_400;

/** What the indexer knew around the event; a missing part is noted, never fatal. */
export type JudgementContext = {
  /** The debit account's credit line and its transfers before this event (newest first). */
  debit?: { creditLine: CreditLineRow | undefined; history: TransferRow[] };
  /** Whether the debit account had paid the credit account before. */
  paidBefore?: boolean;
  component?: ComponentRow | undefined;
  /** For the deployment's first role grant: every grant the deployer made in the deployment, named. */
  setupGrants?: { contract: string; role: string; account: string }[];
  /** The owner's maintenance window the component was in when its health changed, if any. */
  maintenance?: { windowId: string; until: number; note: string };
  /** For an invoice payment: the invoice as issued (who was asked to pay). */
  invoice?: InvoiceRow;
  /** For a new invoice naming a payer: that payer's earlier invoices. */
  payerInvoices?: InvoiceRow[];
  /** `auth_failure` signals of the component within the window, this one included. */
  authFailuresInWindow?: number;
  /** Parts of the context that could not be read. */
  missing: string[];
};

type Finding = { level: Level; action: Action; threatType: string; confidence: number; text: string; freezeAccountId?: bigint };

/** A decimal-string or number argument as bigint; undefined when absent or malformed. */
export function bigArg(args: Record<string, unknown>, name: string): bigint | undefined {
  const value = args[name];
  if (typeof value === "bigint") return value;
  if ((typeof value === "string" && /^\d{1,78}$/.test(value)) || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0)) {
    return BigInt(value);
  }
  return undefined;
}

const nameIn = <T extends readonly string[]>(names: T, value: unknown): string =>
  typeof value === "number" && names[value] !== undefined ? names[value] : `unknown(${String(value).slice(0, 16)})`;

/** Kind of an applied transfer from its packed details: single, pending, post or void. */
export function transferKind(args: Record<string, unknown>): "single" | "pending" | "post" | "void" | undefined {
  const details = bigArg(args, "details");
  if (details === undefined) return undefined;
  const { flags } = decodeTransferDetails(details);
  if (flags & sovrCodes.POST_PENDING_TRANSFER) return "post";
  if (flags & sovrCodes.VOID_PENDING_TRANSFER) return "void";
  if (flags & sovrCodes.PENDING) return "pending";
  return "single";
}

function transferFindings(event: IndexedEvent, context: JudgementContext, t: RuleThresholds): Finding[] {
  const findings: Finding[] = [];
  const amount = bigArg(event.args, "amount");
  const debitId = bigArg(event.args, "debitAccountId");
  const creditId = bigArg(event.args, "creditAccountId");
  const kind = transferKind(event.args);
  if (amount === undefined || debitId === undefined || creditId === undefined || kind === undefined) {
    return [
      {
        level: "MEDIUM",
        action: "ALERT",
        threatType: "malformed_event",
        confidence: 60,
        text: "transfer event without readable amount, accounts or details",
      },
    ];
  }
  const code = decodeTransferDetails(bigArg(event.args, "details")!).code;
  const debit = context.debit;
  // Posts and voids settle a reservation already judged when it was made, and issuing or redeeming
  // credit is the owner's own act: for those only the credit line is checked.
  const isCreditOperation = code === sovrCodes.TRANSFER_ISSUE || code === sovrCodes.TRANSFER_REDEEM;
  const movesNewFunds = (kind === "single" || kind === "pending") && !isCreditOperation;
  if (debit && movesNewFunds) {
    const line = debit.creditLine;
    if (line && line.limit > 0n && Number(amount) >= Number(line.limit) * t.largeShareOfCreditLimit) {
      findings.push({
        level: "MEDIUM",
        action: "ALERT",
        threatType: "large_transfer",
        confidence: 80,
        text: `${formatDollars(amount)} is ${Math.round((Number(amount) / Number(line.limit)) * 100)}% of the payer's credit limit ${formatDollars(line.limit)}`,
      });
    }
    const outgoing = debit.history.filter((row) => row.debitAccountId === debitId && (row.kind === "single" || row.kind === "pending"));
    if (outgoing.length >= t.historyMinTransfers) {
      const largest = outgoing.reduce((max, row) => (row.amount > max ? row.amount : max), 0n);
      if (largest > 0n && Number(amount) >= Number(largest) * t.historyMultiple) {
        findings.push({
          level: "MEDIUM",
          action: "ALERT",
          threatType: "amount_anomaly",
          confidence: 75,
          text: `${formatDollars(amount)} is ${(Number(amount) / Number(largest)).toFixed(1)}x the payer's largest earlier payment (${formatDollars(largest)})`,
        });
      }
    }
    const windowStart = event.timestamp - BigInt(Math.floor(t.velocityWindowSeconds));
    const inWindow = outgoing.filter((row) => row.timestamp >= windowStart);
    const count = inWindow.length + 1;
    const volume = inWindow.reduce((sum, row) => sum + row.amount, amount);
    if (count >= t.velocityBlockCount) {
      findings.push({
        level: "HIGH",
        action: "BLOCK",
        threatType: "velocity",
        confidence: 90,
        text: `payer made ${count} payments in ${t.velocityWindowSeconds}s (block at ${t.velocityBlockCount})`,
        freezeAccountId: debitId,
      });
    } else if (count >= t.velocityAlertCount || volume >= t.velocityAlertVolume) {
      findings.push({
        level: "HIGH",
        action: "ALERT",
        threatType: "velocity",
        confidence: 85,
        text: `payer paid ${count} times, ${formatDollars(volume)}, in ${t.velocityWindowSeconds}s`,
      });
    }
    if (context.paidBefore === false && amount >= t.newCounterpartyAmount) {
      findings.push({
        level: "MEDIUM",
        action: "ALERT",
        threatType: "new_counterparty",
        confidence: 70,
        text: `first payment to this counterparty: ${formatDollars(amount)}`,
      });
    }
  }
  const line = debit?.creditLine;
  if (line && line.limit > 0n) {
    if (line.expiresAt !== 0n && line.expiresAt <= event.timestamp) {
      findings.push({
        level: "MEDIUM",
        action: "ALERT",
        threatType: "credit_expired",
        confidence: 90,
        text: `payer's credit line expired at ${line.expiresAt}`,
      });
    }
    if (Number(line.used) >= Number(line.limit) * t.creditNearLimitShare) {
      findings.push({
        level: "MEDIUM",
        action: "ALERT",
        threatType: "credit_near_limit",
        confidence: 90,
        text: `payer uses ${formatDollars(line.used)} of its ${formatDollars(line.limit)} credit line`,
      });
    }
  }
  if (findings.length === 0) {
    findings.push({
      level: "LOW",
      action: "MONITOR",
      threatType: "none",
      confidence: 90,
      text: `${kind} transfer of ${formatDollars(amount)}`,
    });
  }
  return findings;
}

function signalFindings(event: IndexedEvent, context: JudgementContext, t: RuleThresholds): Finding[] {
  const severity = nameIn(signalSeverities, event.args.severity);
  const kind = typeof event.args.kind === "string" ? event.args.kind.slice(0, 64) : "unknown";
  const componentId = String(event.args.componentId ?? "?");
  const failures = context.authFailuresInWindow ?? 0;
  if (kind === "auth_failure" && failures >= t.authFailureShutdownCount) {
    return [
      {
        level: "CRITICAL",
        action: "EMERGENCY_SHUTDOWN",
        threatType: "auth_failure_burst",
        confidence: 90,
        text: `${failures} auth failures on component ${componentId} within ${t.authFailureWindowSeconds}s (shutdown at ${t.authFailureShutdownCount})`,
      },
    ];
  }
  if (kind === "auth_failure" && failures >= t.authFailureAlertCount) {
    return [
      {
        level: "HIGH",
        action: "ALERT",
        threatType: "auth_failure_burst",
        confidence: 85,
        text: `${failures} auth failures on component ${componentId} within ${t.authFailureWindowSeconds}s`,
      },
    ];
  }
  const bySeverity: Record<string, [Level, Action]> = {
    CRITICAL: ["HIGH", "ALERT"],
    ERROR: ["MEDIUM", "ALERT"],
    WARNING: ["LOW", "MONITOR"],
    INFO: ["LOW", "MONITOR"],
  };
  const [level, action] = bySeverity[severity] ?? ["MEDIUM", "ALERT"];
  return [
    {
      level,
      action,
      threatType: kind.replace(/[^a-z0-9_]/g, "_").slice(0, 32) || "signal",
      confidence: 70,
      text: `${severity} ${kind} signal from component ${componentId}`,
    },
  ];
}

function healthFindings(event: IndexedEvent, context: JudgementContext): Finding[] {
  const status = nameIn(componentStatuses, event.args.status);
  const previous = nameIn(componentStatuses, event.args.previousStatus);
  const name = context.component
    ? `${context.component.name.slice(0, 40)} (${String(event.args.id)})`
    : `component ${String(event.args.id)}`;
  const critical = context.component?.critical;
  // Inside the owner's maintenance window a component going down is expected: recorded, not raised.
  if (context.maintenance && (status === "OFFLINE" || status === "DEGRADED")) {
    return [
      {
        level: "LOW",
        action: "MONITOR",
        threatType: "maintenance",
        confidence: 90,
        text: `${name} went ${previous} -> ${status} during maintenance window ${context.maintenance.windowId}`,
      },
    ];
  }
  if (status === "OFFLINE") {
    return [
      {
        level: critical ? "HIGH" : "MEDIUM",
        action: "ALERT",
        threatType: "component_offline",
        confidence: 95,
        text: `${critical ? "critical " : ""}${name} went ${previous} -> OFFLINE`,
      },
    ];
  }
  if (status === "DEGRADED")
    return [
      {
        level: critical ? "MEDIUM" : "LOW",
        action: critical ? "ALERT" : "MONITOR",
        threatType: "component_degraded",
        confidence: 90,
        text: `${name} is DEGRADED`,
      },
    ];
  return [{ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: `${name} ${previous} -> ${status}` }];
}

const SECONDS_PER_YEAR = 365n * 86_400n;
const MONTHS_PER_YEAR = 12n;
/** An authorization this many times a threshold is HIGH rather than MEDIUM. */
const HIGH_MULTIPLE = 10n;

/**
 * A standing order's authorization: its cap per charge, and what it may charge in a year (cap times the charges a
 * year holds, no more than it authorizes in all), against the owner's thresholds.
 */
function authorizationFindings(event: IndexedEvent, t: RuleThresholds): Finding[] {
  const args = event.args;
  const cap = bigArg(args, "maxAmount") ?? 0n;
  const every = bigArg(args, "every") ?? 1n;
  const periods = bigArg(args, "periods") ?? BigInt(UNTIL_CANCELLED);
  const unit = nameIn(periodUnits, args.unit);
  const perYear = unit === "Months" ? MONTHS_PER_YEAR / (every === 0n ? 1n : every) : SECONDS_PER_YEAR / (every === 0n ? 1n : every);
  const chargesInAYear = perYear === 0n ? 1n : perYear < periods ? perYear : periods;
  const yearly = cap * chargesInAYear;
  const what = `order ${String(args.id)}: ${String(args.payer)} authorized up to ${formatDollars(cap)} ${unit === "Months" || unit === "Seconds" ? formatInterval(Number(every), unit) : ""} to account ${String(args.payeeAccountId)} (${formatDollars(yearly)} a year)`;
  if (cap >= t.largeAuthorization || yearly >= t.largeAuthorizationPerYear) {
    const high = cap >= t.largeAuthorization * HIGH_MULTIPLE || yearly >= t.largeAuthorizationPerYear * HIGH_MULTIPLE;
    return [{ level: high ? "HIGH" : "MEDIUM", action: "ALERT", threatType: "large_authorization", confidence: 85, text: what }];
  }
  return [{ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: what }];
}

/** A refused charge: once is routine, repeated refusals of a period and a missed period are alerts. */
function chargeFailureFindings(event: IndexedEvent, t: RuleThresholds): Finding[] {
  const args = event.args;
  const attempts = Number(bigArg(args, "attempts") ?? 0n);
  const result = nameIn(transferResults, args.result);
  const what = `order ${String(args.id)} period ${String(args.period)}: charge refused (${result}), attempt ${attempts}`;
  if (args.gaveUp === true) {
    return [
      { level: "HIGH", action: "ALERT", threatType: "missed_payment", confidence: 90, text: `${what}; given up, the period is missed` },
    ];
  }
  if (attempts >= t.chargeFailureAlertAttempts) {
    return [{ level: "MEDIUM", action: "ALERT", threatType: "repeated_charge_failure", confidence: 85, text: what }];
  }
  return [{ level: "LOW", action: "MONITOR", threatType: "charge_failure", confidence: 80, text: what }];
}

/** A new invoice against what the same payer was billed before: far above its largest is an anomaly. */
function invoiceIssuedFindings(event: IndexedEvent, context: JudgementContext, t: RuleThresholds): Finding[] {
  const amount = bigArg(event.args, "amount") ?? 0n;
  const id = String(event.args.id);
  const earlier = context.payerInvoices ?? [];
  if (earlier.length >= t.historyMinTransfers) {
    const largest = earlier.reduce((max, row) => (row.amount > max ? row.amount : max), 0n);
    if (largest > 0n && Number(amount) >= Number(largest) * t.historyMultiple) {
      return [
        {
          level: "MEDIUM",
          action: "ALERT",
          threatType: "invoice_anomaly",
          confidence: 75,
          text: `invoice ${id} asks ${formatDollars(amount)}, ${(Number(amount) / Number(largest)).toFixed(1)}x the largest of the payer's ${earlier.length} earlier invoices (${formatDollars(largest)})`,
        },
      ];
    }
  }
  return [
    { level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: `invoice ${id} issued for ${formatDollars(amount)}` },
  ];
}

/** A payment of an invoice by someone other than the payer it names. */
function invoicePaymentFindings(event: IndexedEvent, context: JudgementContext): Finding[] {
  const amount = bigArg(event.args, "amount") ?? 0n;
  const id = String(event.args.id);
  const payer = String(event.args.payer ?? "").toLowerCase();
  const expected = context.invoice?.payer;
  if (expected && expected.toLowerCase() !== payer) {
    return [
      {
        level: "MEDIUM",
        action: "ALERT",
        threatType: "unexpected_payer",
        confidence: 85,
        text: `invoice ${id} was addressed to ${expected} but ${formatDollars(amount)} came from ${payer}`,
      },
    ];
  }
  return [{ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: `${formatDollars(amount)} paid on invoice ${id}` }];
}

/**
 * An invoice still open after its due date (judged on the chain's time, once per invoice, not on an
 * event): an alert, never an act.
 */
export function judgeOverdue(invoice: InvoiceRow, nowSeconds: bigint): Verdict {
  const days = Math.max(1, Math.ceil(Number(nowSeconds - invoice.dueAt) / SECONDS_PER_DAY));
  const due = new Date(Number(invoice.dueAt) * 1000).toISOString().slice(0, 10);
  const reference = invoice.reference ? ` (${invoice.reference.slice(0, 64)})` : "";
  return {
    level: "MEDIUM",
    action: "ALERT",
    threatType: "invoice_overdue",
    confidence: 95,
    summary: `invoice ${invoice.id}${reference} to ${invoice.payer ?? "anyone"} is overdue by ${days} day${days === 1 ? "" : "s"} (due ${due}): ${formatDollars(invoice.amount - invoice.paid)} of ${formatDollars(invoice.amount)} unpaid`,
  };
}

function findingsOf(event: IndexedEvent, context: JudgementContext, t: RuleThresholds): Finding[] {
  const args = event.args;
  switch (`${event.contract}.${event.event}`) {
    case "SovrLedger.TransferCreated":
      return transferFindings(event, context, t);
    case "SovrLedger.PendingTransferReleased":
      return [
        {
          level: "LOW",
          action: "MONITOR",
          threatType: "none",
          confidence: 90,
          text: `pending transfer ${String(args.pendingId)} expired, ${formatDollars(bigArg(args, "amount") ?? 0n)} released`,
        },
      ];
    case "SovrLedger.TransferRejected":
      return [
        {
          level: "LOW",
          action: "MONITOR",
          threatType: "transfer_rejected",
          confidence: 80,
          text: `transfer ${String(args.id)} rejected (result ${String(args.result)})`,
        },
      ];
    case "SovrLedger.CreditLineSet":
    case "SovrLedger.CreditLineFrozenSet":
      return [
        {
          level: "LOW",
          action: "MONITOR",
          threatType: "credit_change",
          confidence: 90,
          text: `credit line of account ${String(args.accountId)} changed`,
        },
      ];
    case "SovrLedger.AccountFrozen":
      return [
        {
          level: "MEDIUM",
          action: "ALERT",
          threatType: "account_frozen",
          confidence: 90,
          text: `account ${String(args.id)} frozen by ${event.actor}`,
        },
      ];
    case "SovrLedger.AccountUnfrozen":
      return [
        {
          level: "MEDIUM",
          action: "ALERT",
          threatType: "account_unfrozen",
          confidence: 90,
          text: `account ${String(args.id)} unfrozen by ${event.actor}`,
        },
      ];
    case "SovrLedger.Paused":
      return [{ level: "HIGH", action: "ALERT", threatType: "ledger_paused", confidence: 95, text: `ledger paused by ${event.actor}` }];
    case "SovrLedger.Unpaused":
      return [
        { level: "MEDIUM", action: "ALERT", threatType: "ledger_unpaused", confidence: 95, text: `ledger unpaused by ${event.actor}` },
      ];
    case "ComponentRegistry.SignalRecorded":
      return signalFindings(event, context, t);
    case "ComponentRegistry.HealthChanged":
      return healthFindings(event, context);
    case "ComponentRegistry.ControlRequested": {
      const action = nameIn(controlActions, args.action);
      const critical = context.component?.critical === true;
      return [
        {
          level: critical && action === "STOP" ? "MEDIUM" : "LOW",
          action: critical && action === "STOP" ? "ALERT" : "MONITOR",
          threatType: "control_intent",
          confidence: 80,
          text: `${action} requested for ${critical ? "critical " : ""}component ${String(args.componentId)} by ${event.actor}`,
        },
      ];
    }
    case "ComponentRegistry.ControlResolved":
      return args.executed === false
        ? [
            {
              level: "MEDIUM",
              action: "ALERT",
              threatType: "control_failed",
              confidence: 85,
              text: `intent ${String(args.intentId)} for component ${String(args.componentId)} failed`,
            },
          ]
        : [{ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: `intent ${String(args.intentId)} executed` }];
    case "SovrMaintenance.MaintenanceScheduled":
      return [
        {
          level: "LOW",
          action: "MONITOR",
          threatType: "maintenance_scheduled",
          confidence: 90,
          text: `maintenance window ${String(args.windowId)} scheduled for ${Number(args.componentId) === 0 ? "every component" : `component ${String(args.componentId)}`} by ${event.actor}`,
        },
      ];
    case "SovrMaintenance.MaintenanceCancelled":
      return [
        {
          level: "LOW",
          action: "MONITOR",
          threatType: "maintenance_cancelled",
          confidence: 90,
          text: `maintenance window ${String(args.windowId)} cancelled by ${event.actor}`,
        },
      ];
    case "SovrOrders.OrderCreated":
      return authorizationFindings(event, t);
    case "SovrOrders.ChargeFailed":
      return chargeFailureFindings(event, t);
    case "SovrCommitments.CommitmentCreated": {
      const total = bigArg(args, "total") ?? 0n;
      const what = `commitment ${String(args.id)}: ${String(args.payer)} reserved ${formatDollars(total)} for account ${String(args.payeeAccountId)}`;
      return total >= t.largeAuthorization
        ? [
            {
              level: total >= t.largeAuthorization * HIGH_MULTIPLE ? "HIGH" : "MEDIUM",
              action: "ALERT",
              threatType: "large_authorization",
              confidence: 85,
              text: what,
            },
          ]
        : [{ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: what }];
    }
    case "SovrInvoices.InvoiceIssued":
      return invoiceIssuedFindings(event, context, t);
    case "SovrInvoices.InvoicePaymentReceived":
      return invoicePaymentFindings(event, context);
    case "SovrInvoices.InvoiceCancelled":
      return [{ level: "LOW", action: "MONITOR", threatType: "none", confidence: 90, text: `invoice ${String(args.id)} cancelled` }];
    case "GuardianAttestations.PolicySet":
      return [
        {
          level: "MEDIUM",
          action: "ALERT",
          threatType: "policy_change",
          confidence: 95,
          text: `guardian policy changed by ${event.actor}`,
        },
      ];
  }
  if (event.event === "RoleGranted" && context.setupGrants) {
    return [{ level: "LOW", action: "MONITOR", threatType: "setup", confidence: 95, text: setupSummary(context.setupGrants) }];
  }
  if (event.event === "RoleGranted" || event.event === "RoleRevoked") {
    const role = roleName(String(args.role));
    const granted = event.event === "RoleGranted";
    return [
      {
        level: granted ? "HIGH" : "MEDIUM",
        action: "ALERT",
        threatType: "role_change",
        confidence: 95,
        text: `${event.contract}: ${role} ${granted ? "granted to" : "revoked from"} ${String(args.account)} by ${event.actor}`,
      },
    ];
  }
  return [
    {
      level: "LOW",
      action: "MONITOR",
      threatType: "none",
      confidence: 60,
      text: `no rule for ${event.contract.slice(0, 40)}.${event.event.slice(0, 40)}`,
    },
  ];
}

/**
 * The deployment's role grants in one sentence that fits a verdict, grouped by who got what where:
 * "deployment setup, 11 grants: the owner admin of 4 contracts, ISSUER+CREDIT_MANAGER on SovrCredit; the
 * guardian key GUARDIAN on GuardianAttestations; SovrCredit CREDIT+TREASURY, SovrInvoices+SovrOrders SETTLER on
 * SovrLedger".
 */
function setupSummary(grants: { contract: string; role: string; account: string }[]): string {
  const short = (role: string) => (role === "DEFAULT_ADMIN_ROLE" ? "admin" : role.replace(/_ROLE$/, ""));
  const byAccount = new Map<string, Map<string, string[]>>();
  for (const { contract, role, account } of grants) {
    const contracts = byAccount.get(account) ?? new Map<string, string[]>();
    contracts.set(contract, [...(contracts.get(contract) ?? []), short(role)]);
    byAccount.set(account, contracts);
  }
  const parts: string[] = [];
  // Accounts granted roles on one other contract each, gathered per target and, within it, per roles
  // ("A X, B+C Y on SovrLedger"): a verdict's summary has room for every grant only when each is named once.
  const onOne = new Map<string, Map<string, string[]>>();
  for (const [account, contracts] of byAccount) {
    const admins = [...contracts].filter(([, roles]) => roles.includes("admin")).length;
    const held = [...contracts].flatMap(([contract, roles]) => {
      const others = roles.filter((role) => role !== "admin");
      return others.length > 0 ? [{ contract, roles: others.join("+") }] : [];
    });
    if (admins === 0 && held.length === 1) {
      const { contract, roles } = held[0]!;
      if (!onOne.has(contract)) {
        parts.push(`on:${contract}`);
        onOne.set(contract, new Map());
      }
      const byRoles = onOne.get(contract)!;
      byRoles.set(roles, [...(byRoles.get(roles) ?? []), account]);
      continue;
    }
    const adminText = admins > 0 ? [`admin of ${admins} contract${admins === 1 ? "" : "s"}`] : [];
    parts.push(`${account} ${[...adminText, ...held.map(({ contract, roles }) => `${roles} on ${contract}`)].join(", ")}`);
  }
  const text = parts.map((part) => {
    if (!part.startsWith("on:")) return part;
    const contract = part.slice(3);
    const holders = [...onOne.get(contract)!].map(([roles, accounts]) => `${accounts.join("+")} ${roles}`);
    return `${holders.join(", ")} on ${contract}`;
  });
  return `deployment setup, ${grants.length} grant${grants.length === 1 ? "" : "s"}: ${text.join("; ")}`;
}

/** Judges one event: the most severe finding decides level and action; every finding is summarised. */
export function judgeWithRules(event: IndexedEvent, context: JudgementContext, thresholds: RuleThresholds): Verdict {
  const findings = findingsOf(event, context, thresholds).sort(
    (a, b) => actionRank(b.action) - actionRank(a.action) || levelRank(b.level) - levelRank(a.level),
  );
  const top = findings[0]!;
  const missing = context.missing.length > 0 ? ` [context missing: ${context.missing.join(", ")}]` : "";
  return {
    level: findings.reduce<Level>((max, f) => (levelRank(f.level) > levelRank(max) ? f.level : max), top.level),
    action: top.action,
    threatType: top.threatType,
    confidence: Math.max(0, top.confidence - (missing ? 20 : 0)),
    summary: `${findings.map((f) => f.text).join("; ")}${missing}`,
    freezeAccountId: top.freezeAccountId,
  };
}
