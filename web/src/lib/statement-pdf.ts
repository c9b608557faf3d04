/**
 * A statement as a PDF (jsPDF), built in the browser: loaded only when the owner asks for one, so the
 * library never weighs on the first load.
 */
import { formatDollars } from "@sovr/contracts";
import { jsPDF } from "jspdf";
import type { Statement } from "./statement.ts";

const MARGIN = 40;
const LINE = 16;
const COLUMNS = { date: MARGIN, description: MARGIN + 110, charge: 420, credit: 480, balance: 555 };

export function statementPdf(
  statement: Statement,
  parties: { payee: string; counterparty: string },
  day: (seconds: bigint) => string,
): Blob {
  const pdf = new jsPDF({ unit: "pt", format: "a4" });
  const pageHeight = pdf.internal.pageSize.getHeight();
  let y = MARGIN;
  const next = () => {
    y += LINE;
    if (y > pageHeight - MARGIN) {
      pdf.addPage();
      y = MARGIN;
    }
  };
  pdf.setFontSize(16);
  pdf.text("Statement of account", MARGIN, y);
  next();
  pdf.setFontSize(10);
  pdf.text(`From ${parties.payee} to ${parties.counterparty}`, MARGIN, y);
  next();
  pdf.text(`${day(statement.from)} to ${day(statement.to)} (UTC); amounts in SOVR (US dollars)`, MARGIN, y);
  next();
  next();
  const right = (text: string, x: number) => pdf.text(text, x, y, { align: "right" });
  pdf.setFont("helvetica", "bold");
  pdf.text("Date", COLUMNS.date, y);
  pdf.text("Description", COLUMNS.description, y);
  right("Charge", COLUMNS.charge);
  right("Credit", COLUMNS.credit);
  right("Balance", COLUMNS.balance);
  pdf.setFont("helvetica", "normal");
  next();
  pdf.text(day(statement.from), COLUMNS.date, y);
  pdf.text("Opening balance", COLUMNS.description, y);
  right(formatDollars(statement.opening), COLUMNS.balance);
  next();
  for (const row of statement.rows) {
    pdf.text(day(row.timestamp), COLUMNS.date, y);
    pdf.text(pdf.splitTextToSize(row.description, COLUMNS.charge - COLUMNS.description - 60)[0] as string, COLUMNS.description, y);
    if (row.charge > 0n) right(formatDollars(row.charge), COLUMNS.charge);
    if (row.credit > 0n) right(formatDollars(row.credit), COLUMNS.credit);
    right(formatDollars(row.balance), COLUMNS.balance);
    next();
  }
  pdf.setFont("helvetica", "bold");
  pdf.text(day(statement.to), COLUMNS.date, y);
  pdf.text("Closing balance (owed to the payee when positive)", COLUMNS.description, y);
  right(formatDollars(statement.closing), COLUMNS.balance);
  return pdf.output("blob");
}
