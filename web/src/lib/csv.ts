/** CSV in and out: payment batches and invoices the owner uploads, the audit trail and statements the owner exports. */
import { type AccountRef, capitalized, parseAccountRef, parseDollars, parseDueDate, parseReference, textToBytes32 } from "@sovr/contracts";
import type { Address, Hex } from "viem";

/** Splits CSV text into rows of fields (RFC 4180 quoting: "a, b" and "" for a quote). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += char;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((value) => value.trim() !== ""));
}

export function toCsv(rows: (string | number | bigint | boolean)[][]): string {
  const cell = (value: string | number | bigint | boolean) => {
    const text = String(value);
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return `${rows.map((row) => row.map(cell).join(",")).join("\n")}\n`;
}

export type BatchRow = { line: number; recipient: AccountRef; amount: bigint; memo: Hex; memoText: string };
export type BatchError = { line: number; error: string };

/** Largest batch sent in one transaction (the block gas limit is the real bound; this keeps it far off). */
export const MAX_BATCH_ROWS = 100;

/**
 * Reads `recipient,amount,memo` rows (a header row naming them is skipped). Every row is checked; any
 * error means nothing is sent, and each error names its line.
 */
export function parseBatch(text: string): { rows: BatchRow[]; errors: BatchError[] } {
  const table = parseCsv(text);
  const rows: BatchRow[] = [];
  const errors: BatchError[] = [];
  table.forEach((fields, index) => {
    const line = index + 1;
    if (index === 0 && /recipient/i.test(fields[0] ?? "")) return;
    if (fields.length < 2 || fields.length > 3) {
      errors.push({ line, error: `expected recipient,amount[,memo] but found ${fields.length} field${fields.length === 1 ? "" : "s"}` });
      return;
    }
    const recipient = parseAccountRef(fields[0]!);
    const amount = parseDollars(fields[1]!);
    const memoText = (fields[2] ?? "").trim();
    const memo = textToBytes32(memoText, "the memo");
    const problems = [recipient, amount, memo].flatMap((parsed) => (parsed.ok ? [] : [capitalized(parsed.error)]));
    if (problems.length > 0 || !recipient.ok || !amount.ok || !memo.ok) {
      errors.push({ line, error: problems.join("; ") });
      return;
    }
    rows.push({ line, recipient: recipient.value, amount: amount.value, memo: memo.value, memoText });
  });
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 0, error: "The file has no payment rows" });
  if (rows.length > MAX_BATCH_ROWS)
    errors.push({ line: 0, error: `At most ${MAX_BATCH_ROWS} payments per batch; this file has ${rows.length}` });
  return { rows, errors };
}

export type InvoiceCsvRow = {
  line: number;
  payer: Address | undefined;
  amount: bigint;
  dueAt: number;
  reference: string;
  allowsPartial: boolean;
};

/** Most invoices issued from one file: each is its own signature. */
export const MAX_INVOICE_ROWS = 50;

const PARTIAL_WORDS: Record<string, boolean> = { "": false, no: false, false: false, yes: true, true: true, partial: true };

/**
 * Reads `payer,amount,due,reference,partial` rows (a header naming them is skipped): payer an address or
 * empty for anyone, amount in dollars, due YYYY-MM-DD or empty, partial yes/no. Every row is checked;
 * any error means nothing is sent, and each error names its line.
 */
export function parseInvoiceCsv(text: string, nowSeconds: number = Date.now() / 1000): { rows: InvoiceCsvRow[]; errors: BatchError[] } {
  const rows: InvoiceCsvRow[] = [];
  const errors: BatchError[] = [];
  parseCsv(text).forEach((fields, index) => {
    const line = index + 1;
    if (index === 0 && /payer/i.test(fields[0] ?? "")) return;
    if (fields.length < 2 || fields.length > 5) {
      errors.push({
        line,
        error: `expected payer,amount[,due,reference,partial] but found ${fields.length} field${fields.length === 1 ? "" : "s"}`,
      });
      return;
    }
    const payerText = fields[0]!.trim();
    const payer = payerText === "" ? undefined : parseAccountRef(payerText);
    const amount = parseDollars(fields[1]!);
    const due = parseDueDate(fields[2] ?? "", nowSeconds);
    const reference = parseReference(fields[3] ?? "");
    const partialWord = (fields[4] ?? "").trim().toLowerCase();
    const problems = [amount, due, reference].flatMap((parsed) => (parsed.ok ? [] : [capitalized(parsed.error)]));
    if (payer && (!payer.ok || payer.value.kind !== "address"))
      problems.unshift(payer.ok ? "The payer is an address (0x…), not an account id" : capitalized(payer.error));
    if (!(partialWord in PARTIAL_WORDS)) problems.push(`Partial is yes or no, not "${fields[4]!.trim()}"`);
    if (problems.length > 0 || !amount.ok || !due.ok || !reference.ok) {
      errors.push({ line, error: problems.join("; ") });
      return;
    }
    const address = payer?.ok && payer.value.kind === "address" ? payer.value.address : undefined;
    rows.push({
      line,
      payer: address,
      amount: amount.value,
      dueAt: due.value,
      reference: reference.value,
      allowsPartial: PARTIAL_WORDS[partialWord]!,
    });
  });
  if (rows.length === 0 && errors.length === 0) errors.push({ line: 0, error: "The file has no invoice rows" });
  if (rows.length > MAX_INVOICE_ROWS)
    errors.push({ line: 0, error: `At most ${MAX_INVOICE_ROWS} invoices per file; this file has ${rows.length}` });
  return { rows, errors };
}
