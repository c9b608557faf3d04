/**
 * Drafts: actions the assistant proposes and the owner reviews in the normal form and signs in the
 * wallet. A draft is data, never a transaction: it is parsed with the same rules as the forms and the
 * CLI, and becomes a link to the form that opens prefilled. `caution` says why the owner should look
 * twice (a recipient the owner never named, a draft made after reading chain text); an invoice's link
 * carries it to the form.
 */
import { parseAccountRef } from "./accounts.ts";
import { parseDueDate, parseReference } from "./invoices.ts";
import { formatDollars, parseDollars } from "./money.ts";
import { fail, ok, type Parsed } from "./parsed.ts";
import { textToBytes32 } from "./text.ts";

export const DRAFT_CONTROL_ACTIONS = ["START", "RESTART", "STOP"] as const;

export type Draft =
  | {
      kind: "transfer";
      fromAccount?: string | undefined;
      to: string;
      amount: string;
      memo?: string | undefined;
      caution?: string | undefined;
    }
  | { kind: "control"; action: (typeof DRAFT_CONTROL_ACTIONS)[number]; componentIds: number[]; caution?: string | undefined }
  | { kind: "invoice"; to: string; amount: string; reference: string; due?: string | undefined; caution?: string | undefined };

const str = (value: unknown) => (typeof value === "string" ? value.trim() : undefined);

/** Checks a draft field by field with the forms' own rules; the error names the first wrong field. */
export function parseDraft(value: unknown): Parsed<Draft> {
  if (typeof value !== "object" || value === null) return fail("a draft must be an object");
  const input = value as Record<string, unknown>;
  const caution = str(input.caution)?.slice(0, 200) || undefined;
  switch (input.kind) {
    case "transfer":
    case "invoice": {
      const to = str(input.to) ?? "";
      const recipient = parseAccountRef(to);
      if (!recipient.ok) return fail(`to: ${recipient.error}`);
      const amount = parseDollars(str(input.amount) ?? "");
      if (!amount.ok) return fail(`amount: ${amount.error}`);
      if (input.kind === "transfer") {
        const memo = str(input.memo);
        if (memo) {
          const checked = textToBytes32(memo, "the memo");
          if (!checked.ok) return fail(`memo: ${checked.error}`);
        }
        const fromAccount = str(input.fromAccount);
        if (fromAccount !== undefined && !/^\d{1,39}$/.test(fromAccount)) return fail("fromAccount: must be an account id");
        return ok({
          kind: "transfer",
          fromAccount,
          to,
          amount: formatDollars(amount.value).replace(/^\$/, "").replace(/,/g, ""),
          memo,
          caution,
        });
      }
      // The Billing form's payer is an address: an account id names no one who can be asked to pay.
      if (recipient.value.kind !== "address") return fail("to: the payer of an invoice is an address (0x…), not an account id");
      const reference = str(input.reference) ?? "";
      if (reference === "") return fail("reference: is required");
      const checkedReference = parseReference(reference);
      if (!checkedReference.ok) return fail(`reference: ${checkedReference.error}`);
      const due = str(input.due) || undefined;
      if (due !== undefined) {
        const checkedDue = parseDueDate(due);
        if (!checkedDue.ok) return fail(`due: ${checkedDue.error}`);
      }
      return ok({ kind: "invoice", to, amount: formatDollars(amount.value).replace(/^\$/, "").replace(/,/g, ""), reference, due, caution });
    }
    case "control": {
      const action = str(input.action)?.toUpperCase();
      if (!DRAFT_CONTROL_ACTIONS.includes(action as never)) return fail(`action: must be one of ${DRAFT_CONTROL_ACTIONS.join(", ")}`);
      const ids = input.componentIds;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => Number.isInteger(id) && id > 0 && id < 2 ** 32))
        return fail("componentIds: must be a list of component ids");
      return ok({
        kind: "control",
        action: action as Draft extends { action: infer A } ? A : never,
        componentIds: [...new Set(ids as number[])],
        caution,
      });
    }
    default:
      return fail("kind: must be transfer, invoice or control");
  }
}

/** The command center's form that opens with the draft filled in (a path with its query). */
export function draftLink(draft: Draft): string {
  const query = new URLSearchParams();
  // The forms show why to look twice (`caution`): the link is all they get from the assistant.
  switch (draft.kind) {
    case "transfer":
      query.set("to", draft.to);
      query.set("amount", draft.amount);
      if (draft.memo) query.set("memo", draft.memo);
      if (draft.fromAccount) query.set("from", draft.fromAccount);
      if (draft.caution) query.set("caution", draft.caution);
      return `/ledger?${query}#send`;
    case "control":
      query.set("control", draft.action);
      query.set("ids", draft.componentIds.join(","));
      return `/?${query}`;
    case "invoice":
      query.set("payer", draft.to);
      query.set("amount", draft.amount);
      query.set("reference", draft.reference);
      if (draft.due) query.set("due", draft.due);
      if (draft.caution) query.set("caution", draft.caution);
      return `/billing?${query}#new-invoice`;
  }
}
