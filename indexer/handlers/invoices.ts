/** SovrInvoices: invoices as issued (some already paid by a subscription's charge), each payment with its ledger transfer, cancellations. */
import { account, invoice, invoicePayment } from "ponder:schema";
import { invoicePaymentTransferId } from "@sovr/contracts";
import { on } from "./on.ts";

export function registerInvoiceHandlers(): void {
  on("SovrInvoices:InvoiceIssued", async ({ event, context }) => {
    const { id, payeeAccountId, payer, issuer, amount, dueAt, allowsPartial, invoiceReference, items } = event.args;
    // The ledger's AccountCreated always precedes an invoice into that account.
    const payee = await context.db.find(account, { id: payeeAccountId });
    if (!payee) throw new Error(`invoice ${id} is payable into unknown account ${payeeAccountId}`);
    await context.db.insert(invoice).values({
      id,
      payeeAccountId,
      payee: payee.owner.toLowerCase() as `0x${string}`,
      issuer: issuer.toLowerCase() as `0x${string}`,
      payer: /^0x0{40}$/.test(payer) ? null : (payer.toLowerCase() as `0x${string}`),
      amount,
      paid: 0n,
      dueAt: BigInt(dueAt),
      allowsPartial,
      reference: invoiceReference,
      items: items.map((item) => ({
        description: item.description,
        quantity: item.quantity.toString(),
        unitPrice: item.unitPrice.toString(),
      })),
      status: "Open",
      paymentCount: 0,
      createdAt: event.block.timestamp,
      createdBlock: event.block.number,
      txHash: event.transaction.hash,
    });
  });

  on("SovrInvoices:InvoicePaymentReceived", async ({ event, context }) => {
    const { id, payer, paymentId, amount, paidTotal } = event.args;
    const now = event.block.timestamp;
    await context.db.update(invoice, { id }).set((row) => ({
      paid: paidTotal,
      status: paidTotal === row.amount ? "Paid" : "PartiallyPaid",
      paymentCount: row.paymentCount + 1,
      lastPaidAt: now,
    }));
    await context.db.insert(invoicePayment).values({
      id: event.id,
      invoiceId: id,
      payer: payer.toLowerCase() as `0x${string}`,
      paymentId,
      transferId: invoicePaymentTransferId(id, paymentId),
      amount,
      paidTotal,
      timestamp: now,
      blockNumber: event.block.number,
      txHash: event.transaction.hash,
    });
  });

  // An invoice issued already paid by a settler's transfer (a subscription's charge): one payment, that transfer.
  on("SovrInvoices:InvoiceSettled", async ({ event, context }) => {
    const { id, payer, transferId, amount } = event.args;
    const now = event.block.timestamp;
    await context.db.update(invoice, { id }).set({ paid: amount, status: "Paid", paymentCount: 1, lastPaidAt: now });
    await context.db.insert(invoicePayment).values({
      id: event.id,
      invoiceId: id,
      payer: payer.toLowerCase() as `0x${string}`,
      paymentId: 0n,
      transferId,
      amount,
      paidTotal: amount,
      timestamp: now,
      blockNumber: event.block.number,
      txHash: event.transaction.hash,
    });
  });

  on("SovrInvoices:InvoiceCancelled", async ({ event, context }) => {
    await context.db.update(invoice, { id: event.args.id }).set({ status: "Cancelled", cancelledAt: event.block.timestamp });
  });
}
