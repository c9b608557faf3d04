/**
 * Invoices as every client handles them (CLI, web app, indexer, guardian): due dates, quantities, line
 * totals, payment transfer ids, overdue, the pay page's path and the EIP-681 link. The rules mirror
 * SovrInvoices; its limits come from the compiled contract.
 */
import type { Address } from "viem";
import { contractLimits, type invoiceStatuses } from "../generated/index.ts";
import { MICROS_PER_DOLLAR } from "./money.ts";
import { fail, ok, type Parsed } from "./parsed.ts";
import { boundedText } from "./text.ts";
import { RESERVED_ID_BIT } from "./transfers.ts";

export type InvoiceStatus = (typeof invoiceStatuses)[number];
export const INVOICE_LIMITS = contractLimits.SovrInvoices;

/** A line item's quantity is in thousandths of a unit (`SovrInvoices.QUANTITY_SCALE`). */
export const QUANTITY_SCALE = 1000n;
const QUANTITY_DECIMALS = 3;
/** Bit 126: SovrInvoices' part of the ledger's reserved id range. */
const INVOICE_PAYMENT_BIT = 1n << 126n;
const INVOICE_ID_SHIFT = 64n;
const UINT64_MAX = (1n << 64n) - 1n;
const SECONDS_PER_DAY = 86_400;

/** A line item as the contract takes it. */
export type LineItem = { description: string; quantity: bigint; unitPrice: bigint };

/** The ledger transfer id of an invoice payment (`SovrInvoices.paymentTransferId`). */
export function invoicePaymentTransferId(invoiceId: bigint, paymentId: bigint): bigint {
  return RESERVED_ID_BIT | INVOICE_PAYMENT_BIT | (invoiceId << INVOICE_ID_SHIFT) | paymentId;
}

/** A fresh payment id: random 64 bits, kept by the payer's client for retries of the same payment. */
export function newPaymentId(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): bigint {
  let id = 0n;
  for (const byte of random(new Uint8Array(8))) id = (id << 8n) | BigInt(byte);
  return id & UINT64_MAX;
}

/** An invoice id as typed: a whole number from 1. */
export function parseInvoiceId(input: string): Parsed<bigint> {
  const text = input.trim().replace(/^#/, "");
  if (!/^\d+$/.test(text) || BigInt(text) === 0n || BigInt(text) > UINT64_MAX)
    return fail(`an invoice id is a whole number from 1, not "${input.trim()}"`);
  return ok(BigInt(text));
}

/**
 * A due date `YYYY-MM-DD` (a UTC day) as the contract's `dueAt`: the last second of that day. Empty means
 * no due date (0). A day already over is refused, as the contract refuses it.
 */
export function parseDueDate(input: string, nowSeconds: number = Date.now() / 1000): Parsed<number> {
  const text = input.trim();
  if (text === "") return ok(0);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return fail(`a due date is written YYYY-MM-DD, e.g. 2026-12-31, not "${text}"`);
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 1000;
  if (Number.isNaN(start) || new Date(start * 1000).toISOString().slice(0, 10) !== text) return fail(`${text} is not a date`);
  const dueAt = start + SECONDS_PER_DAY - 1;
  if (dueAt < nowSeconds) return fail(`the due date ${text} is already over (dates are UTC days)`);
  return ok(dueAt);
}

/** `dueAt` as the UTC day it ends, `YYYY-MM-DD`; empty without a due date. */
export function formatDueDate(dueAt: number | bigint): string {
  return Number(dueAt) === 0 ? "" : new Date(Number(dueAt) * 1000).toISOString().slice(0, 10);
}

/** Open or partially paid past its due date (the contract's `overdue`). */
export function isOverdue(invoice: { status: string; dueAt: number | bigint }, nowSeconds: number): boolean {
  const unsettled = invoice.status === "Open" || invoice.status === "PartiallyPaid";
  return unsettled && Number(invoice.dueAt) !== 0 && nowSeconds > Number(invoice.dueAt);
}

/** A quantity as typed ("7.5", "1", "0.25") in thousandths of a unit. */
export function parseQuantity(input: string): Parsed<bigint> {
  const text = input.trim();
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return fail(`a quantity is a number with at most ${QUANTITY_DECIMALS} decimals, e.g. 7.5, not "${text}"`);
  const decimals = match[2] ?? "";
  if (decimals.length > QUANTITY_DECIMALS) return fail(`a quantity has at most ${QUANTITY_DECIMALS} decimals`);
  const quantity = BigInt(match[1]!) * QUANTITY_SCALE + BigInt(decimals.padEnd(QUANTITY_DECIMALS, "0"));
  if (quantity === 0n) return fail("the quantity must be more than 0");
  if (quantity > UINT64_MAX) return fail("the quantity is too large");
  return ok(quantity);
}

/** "7.5" for 7500 thousandths. */
export function formatQuantity(quantity: bigint): string {
  const whole = quantity / QUANTITY_SCALE;
  const fraction = (quantity % QUANTITY_SCALE).toString().padStart(QUANTITY_DECIMALS, "0").replace(/0+$/, "");
  return fraction === "" ? whole.toString() : `${whole}.${fraction}`;
}

/** A line's total in micro-dollars (exact for unit prices in cents, as the contract requires). */
export function lineTotal(item: Pick<LineItem, "quantity" | "unitPrice">): bigint {
  return (item.quantity * item.unitPrice) / QUANTITY_SCALE;
}

/** The sum of the lines: the invoice's amount when it has lines. */
export function itemsTotal(items: Pick<LineItem, "quantity" | "unitPrice">[]): bigint {
  return items.reduce((sum, item) => sum + lineTotal(item), 0n);
}

/** A reference as the contract bounds it. */
export function parseReference(input: string): Parsed<string> {
  return boundedText(input.trim(), "the reference", { max: INVOICE_LIMITS.MAX_REFERENCE_LENGTH });
}

/** A line item's description as the contract bounds it. */
export function parseItemDescription(input: string): Parsed<string> {
  return boundedText(input.trim(), "the description", { min: 1, max: INVOICE_LIMITS.MAX_DESCRIPTION_LENGTH });
}

/** The pay page of an invoice, under the web app's origin. */
export function payPath(chainId: number, invoiceId: bigint): string {
  return `/pay/${chainId}/${invoiceId}`;
}

/** `/pay/<chainId>/<invoiceId>` back to its numbers; undefined for any other path. */
export function parsePayPath(path: string): { chainId: number; invoiceId: bigint } | undefined {
  const match = /^\/pay\/(\d{1,12})\/(\d{1,20})\/?$/.exec(path);
  if (!match) return undefined;
  const invoiceId = parseInvoiceId(match[2]!);
  return invoiceId.ok ? { chainId: Number(match[1]), invoiceId: invoiceId.value } : undefined;
}

/**
 * An EIP-681 request to pay `amount` SOVR to `payee` through the ERC-20 view. Wallets that read such
 * links send a plain token transfer, which carries no invoice reference and leaves the invoice open.
 */
export function erc20PaymentUri(token: Address, chainId: number, payee: Address, amount: bigint): string {
  return `ethereum:${token}@${chainId}/transfer?address=${payee}&uint256=${amount}`;
}

/** Whole dollars for a CSV or PDF column where cents are enough ("1234.50"). */
export function plainDollars(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const cents = (magnitude * 100n) / MICROS_PER_DOLLAR;
  const rest = magnitude % (MICROS_PER_DOLLAR / 100n);
  const text = `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}${rest === 0n ? "" : rest.toString().padStart(4, "0").replace(/0+$/, "")}`;
  return `${negative ? "-" : ""}${text}`;
}
