/**
 * Gathers from the indexer what a judgement of one event needs: the accounts or component involved
 * and their recent history, as of the event where the index allows it. A part that cannot be read
 * is listed as missing and the event is still judged.
 */
import { activeMaintenance } from "@sovr/indexer/maintenance";
import type { RuleThresholds } from "./config.ts";
import { type GuardianIndexer, type IndexedEvent, MAX_PAGE } from "./indexer.ts";
import { bigArg, type JudgementContext, transferKind } from "./rules.ts";

async function part<T>(context: JudgementContext, name: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    context.missing.push(name);
    return undefined;
  }
}

export async function gatherContext(indexer: GuardianIndexer, event: IndexedEvent, thresholds: RuleThresholds): Promise<JudgementContext> {
  const context: JudgementContext = { missing: [] };
  const key = `${event.contract}.${event.event}`;
  if (key === "SovrLedger.TransferCreated") {
    const debitId = bigArg(event.args, "debitAccountId");
    const creditId = bigArg(event.args, "creditAccountId");
    if (debitId === undefined || creditId === undefined || transferKind(event.args) === undefined) return context;
    const payer = await part(context, "payer history", () => indexer.payerContext(debitId, event));
    if (!payer) return context;
    context.debit = payer;
    // The history answers "paid this counterparty before?" unless it was cut at a full page.
    const paidInHistory = payer.history.some((row) => row.debitAccountId === debitId && row.creditAccountId === creditId);
    const paidBefore =
      paidInHistory || payer.history.length < MAX_PAGE
        ? paidInHistory
        : await part(context, "counterparties", () => indexer.hasPaid(debitId, creditId, event));
    if (paidBefore !== undefined) context.paidBefore = paidBefore;
    return context;
  }
  if (key === "SovrInvoices.InvoicePaymentReceived") {
    const invoiceId = bigArg(event.args, "id");
    if (invoiceId === undefined) return context;
    const invoice = await part(context, "invoice", () => indexer.invoice(invoiceId));
    if (invoice) context.invoice = invoice;
    return context;
  }
  if (key === "SovrInvoices.InvoiceIssued") {
    const payer = typeof event.args.payer === "string" ? (event.args.payer as `0x${string}`) : undefined;
    if (!payer || /^0x0{40}$/.test(payer)) return context;
    const earlier = await part(context, "the payer's earlier invoices", () => indexer.invoicesTo(payer, event.blockNumber));
    if (earlier) context.payerInvoices = earlier;
    return context;
  }
  const componentId = Number(
    key === "ComponentRegistry.SignalRecorded" || key.startsWith("ComponentRegistry.Control") ? event.args.componentId : event.args.id,
  );
  if (event.contract !== "ComponentRegistry" || !Number.isSafeInteger(componentId)) return context;
  context.component = await part(context, "component", () => indexer.component(componentId));
  if (key === "ComponentRegistry.HealthChanged") {
    const windows = await part(context, "maintenance windows", () => indexer.maintenanceWindows([componentId]));
    const active = windows && activeMaintenance(windows, componentId, Number(event.timestamp));
    if (active) context.maintenance = { windowId: String(active.window.id), until: active.until, note: active.window.note };
  }
  if (key === "ComponentRegistry.SignalRecorded" && event.args.kind === "auth_failure") {
    const signalId = bigArg(event.args, "signalId");
    if (signalId === undefined) {
      context.missing.push("signal id");
      return context;
    }
    const since = event.timestamp - BigInt(Math.floor(thresholds.authFailureWindowSeconds));
    const signals = await part(context, "signals", () => indexer.signalsOf(componentId, since, signalId));
    if (signals) context.authFailuresInWindow = signals.filter((row) => row.kind === "auth_failure").length;
  }
  return context;
}
