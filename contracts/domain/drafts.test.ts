import { describe, expect, it } from "vitest";
import { draftLink, parseDraft } from "./drafts.ts";

const ACME = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
const nextYear = `${new Date().getUTCFullYear() + 1}-03-31`;

describe("drafts", () => {
  it("opens a transfer in the Send form and components on the Command page", () => {
    const transfer = parseDraft({ kind: "transfer", to: "1001", amount: "1,250.5", memo: "rent" });
    expect(transfer).toEqual({
      ok: true,
      value: { kind: "transfer", to: "1001", amount: "1250.50", memo: "rent", fromAccount: undefined, caution: undefined },
    });
    if (transfer.ok) expect(draftLink(transfer.value)).toBe("/ledger?to=1001&amount=1250.50&memo=rent#send");
    const control = parseDraft({ kind: "control", action: "stop", componentIds: [3, 3, 4] });
    if (!control.ok) throw new Error(control.error);
    expect(draftLink(control.value)).toBe("/?control=STOP&ids=3%2C4");
  });

  it("opens an invoice in the Billing page's form, prefilled, with its caution", () => {
    const draft = parseDraft({ kind: "invoice", to: ACME, amount: "120", reference: "INV-17", due: nextYear, caution: "check it" });
    expect(draft).toEqual({
      ok: true,
      value: { kind: "invoice", to: ACME, amount: "120.00", reference: "INV-17", due: nextYear, caution: "check it" },
    });
    if (!draft.ok) return;
    expect(draftLink(draft.value)).toBe(
      `/billing?payer=${ACME}&amount=120.00&reference=INV-17&due=${nextYear}&caution=check+it#new-invoice`,
    );
    const plain = parseDraft({ kind: "invoice", to: ACME, amount: "5", reference: "a b&c" });
    if (!plain.ok) throw new Error(plain.error);
    const link = draftLink(plain.value);
    expect(link).toBe(`/billing?payer=${ACME}&amount=5.00&reference=a+b%26c#new-invoice`);
    // The form reads back exactly what was drafted.
    const search = new URL(link, "http://app").searchParams;
    expect([search.get("payer"), search.get("amount"), search.get("reference"), search.get("due")]).toEqual([ACME, "5.00", "a b&c", null]);
  });

  it("refuses an invoice the Billing form would refuse, naming the field", () => {
    const invoice = { kind: "invoice", to: ACME, amount: "10", reference: "INV-1" };
    expect(parseDraft({ ...invoice, to: "1001" })).toEqual({
      ok: false,
      error: "to: the payer of an invoice is an address (0x…), not an account id",
    });
    expect(parseDraft({ ...invoice, reference: "" })).toEqual({ ok: false, error: "reference: is required" });
    expect(parseDraft({ ...invoice, reference: "x".repeat(65) })).toEqual({
      ok: false,
      error: "reference: the reference is 65 bytes; at most 64 fit",
    });
    expect(parseDraft({ ...invoice, due: "2020-01-01" })).toEqual({
      ok: false,
      error: "due: the due date 2020-01-01 is already over (dates are UTC days)",
    });
    expect(parseDraft({ ...invoice, due: "31/12/2030" }).ok).toBe(false);
    expect(parseDraft({ ...invoice, amount: "ten" }).ok).toBe(false);
  });
});
