/** Invoices on the page: rows as the indexer has them, their line items, pay links and the time that makes them overdue. */
import { type LineItem, payPath } from "@sovr/contracts";
import { useEffect, useState } from "react";
import type { invoicePaymentView, invoiceView } from "../live/schema.ts";

export type InvoiceRow = typeof invoiceView.$inferSelect;
export type InvoicePaymentRow = typeof invoicePaymentView.$inferSelect;

/** The indexer keeps line items as JSON with decimal strings. */
export function itemsOf(row: Pick<InvoiceRow, "items">): LineItem[] {
  const items = Array.isArray(row.items) ? (row.items as { description: string; quantity: string; unitPrice: string }[]) : [];
  return items.map((item) => ({ description: item.description, quantity: BigInt(item.quantity), unitPrice: BigInt(item.unitPrice) }));
}

/** The invoice's pay page on this server, as a payer opens it (and its QR code encodes it). */
export function payUrl(chainId: number, invoiceId: bigint): string {
  return `${location.origin}${payPath(chainId, invoiceId)}`;
}

/** Unix seconds now, refreshed every `intervalMs`, so invoices turn overdue on screen without a reload. */
export function useNow(intervalMs = 15_000): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export const STATUS_TONE = { Open: "blue", PartiallyPaid: "yellow", Paid: "green", Cancelled: "gray" } as const;
export const STATUS_TEXT: Record<string, string> = { Open: "Open", PartiallyPaid: "Partly paid", Paid: "Paid", Cancelled: "Cancelled" };
