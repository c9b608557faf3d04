/**
 * A contract's revert in plain words, the same in the CLI and the web app. The SOVR contracts call each
 * other (SovrCredit calls the ledger), so a revert is decoded against the errors of every contract.
 */
import { type Abi, BaseError, ContractFunctionRevertedError, decodeErrorResult, type Hex, UserRejectedRequestError } from "viem";
import { sovrAbis } from "../contracts.ts";
import { pendingStatuses } from "../generated/index.ts";
import { formatDollars } from "./money.ts";
import { capitalized } from "./parsed.ts";
import { roleName } from "./roles.ts";

const everyError: Abi = (() => {
  const seen = new Set<string>();
  return Object.values(sovrAbis).flatMap((abi) =>
    (abi as Abi).filter((item) => {
      if (item.type !== "error") return false;
      const signature = `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
      if (seen.has(signature)) return false;
      seen.add(signature);
      return true;
    }),
  );
})();

type Args = readonly unknown[];
const dollars = (value: unknown) => formatDollars(BigInt(value as bigint));
const short = (value: unknown) => `${String(value).slice(0, 10)}…`;

/** Clauses for the errors people cause; any other error is named in words by `spelledOut`. */
const CLAUSES: Record<string, (args: Args) => string> = {
  ExceedsCredits: () => "the paying account does not have enough funds (its credits and credit line do not cover this amount)",
  ExceedsDebits: () => "the receiving account may not take more credits than its debits allow",
  NotAuthorized: () => "the signer is neither the paying account's owner nor an operator it approved",
  DebitAccountNotFound: () => "the paying account does not exist",
  CreditAccountNotFound: () => "the receiving account does not exist yet",
  DebitAccountFrozen: () => "the paying account is frozen",
  CreditAccountFrozen: () => "the receiving account is frozen",
  AccountsMustBeDifferent: () => "an account cannot pay itself",
  AccountsMustHaveTheSameLedger: () => "the two accounts are on different ledgers",
  Exists: ([id]) => `transfer ${id} was already applied with the same fields; nothing changed`,
  LedgerPaused: () => "the ledger is paused: only voids go through until the owner unpauses it",
  EnforcedPause: () => "the ledger is paused: only voids go through until the owner unpauses it",
  PendingTransferNotFound: ([id]) => `there is no pending transfer ${id}`,
  PendingTransferNotPending: () => "that transfer is not a pending transfer",
  PendingTransferAlreadyPosted: () => "the pending transfer was already posted",
  PendingTransferAlreadyVoided: () => "the pending transfer was already voided",
  PendingTransferExpired: () => "the pending transfer has expired; its reservation was or will be released",
  ExceedsPendingTransferAmount: () => "the amount is more than the pending transfer reserved",
  CreditLineExpired: () => "the paying account's credit line has expired",
  CreditLineFrozen: () => "the paying account's credit line is frozen",
  AccountNotFound: ([id]) => `account ${id} does not exist`,
  CreditLineRequiresDebitLimit: ([id]) => `account ${id}'s debits are not bounded by its credits, so it cannot have a credit line`,
  CreditLineExpiryInPast: () => "the credit line's expiry is in the past",
  CreditLineLimitTooLarge: () => "the credit line's limit is larger than a balance can hold",
  CreditLineNotFound: ([id]) => `account ${id} has no credit line`,
  IssuanceCeilingExceeded: ([outstanding, amount, ceiling]) =>
    `issuing ${dollars(amount)} would pass the issuance ceiling of ${dollars(ceiling)} (${dollars(outstanding)} is already outstanding)`,
  IssuerAccountNotOpen: () => "the issuer account is not open yet; the deployment is incomplete",
  ZeroAmount: () => "the amount must be more than zero",
  NotAccountOwner: ([id, caller]) => `account ${id} is not owned by the signer (${caller})`,
  NotSovrAccount: ([id]) => `account ${id} is not on the SOVR ledger (840)`,
  AccessControlUnauthorizedAccount: ([account, role]) =>
    `the signer (${short(account)}) lacks ${roleName(String(role))}; only its holder may do this`,
  InvalidOperator: () => "that operator address is not allowed",
  ERC20InsufficientBalance: ([, balance, needed]) => `not enough SOVR: the balance is ${dollars(balance)}, ${dollars(needed)} is needed`,
  UnknownComponent: ([id]) => `there is no component ${id}`,
  ComponentIsRetired: ([id]) => `component ${id} is retired`,
  NotReporter: ([id, caller]) => `the signer (${caller}) is not component ${id}'s reporter`,
  NotController: ([id, caller]) => `the signer (${caller}) is not component ${id}'s controller`,
  NoActiveComponents: () => "there are no active components to control",
  MessageTooLong: ([length]) => `the message is ${length} bytes, more than the registry keeps`,
  UnknownVerdict: ([id]) => `there is no verdict ${id}`,
  AlreadyAcknowledged: ([id]) => `verdict ${id} was already acknowledged`,
  NoteTooLong: ([length]) => `the note is ${length} bytes, more than the contract keeps`,
  // Standing orders, plans and subscriptions (SovrOrders).
  OrderNotFound: ([id]) => `there is no order ${id}`,
  AmountZero: () => "the amount must be more than $0.00",
  AmountAboveCap: ([amount, cap]) => `${dollars(amount)} is above the payer's cap of ${dollars(cap)} per charge`,
  IntervalOutOfRange: () => "the interval is out of range: at least a minute, at most ten years of months",
  StartInPast: () => "the start is already past",
  EndBeforeStart: () => "the end date is before the start",
  RetryPolicyInvalid: () => "retries are at most 10, and at least a minute apart",
  PayeeAccountNotSovr: ([id]) => `account ${id} is not on the SOVR ledger (840)`,
  PayerIsPayee: () => "the payer and the payee are the same; nobody pays itself",
  NotPayee: ([id, caller]) => `the signer (${short(caller)}) neither owns account ${id} nor operates it`,
  NotPayerOrPayee: ([id]) => `only order ${id}'s payer or payee may cancel it`,
  OrderIsCancelled: ([id]) => `order ${id} was cancelled`,
  PlanNotFound: ([id]) => `there is no plan ${id}`,
  PlanIsRetired: ([id]) => `plan ${id} is retired and takes no new subscriptions`,
  PlanNameInvalid: () => "a plan's name is 1 to 32 bytes",
  TrialTooLong: () => "a trial is at most 365 days",
  AlreadySubscribed: ([plan, order]) => `you already subscribe to plan ${plan} (order ${order}); cancel that first`,
  TooManyCharges: ([count]) => `${count} charges are more than one call takes`,
  // Commitments (SovrCommitments).
  CommitmentNotFound: ([id]) => `there is no commitment ${id}`,
  MilestoneCountInvalid: ([count]) => `a commitment has 1 to 20 milestones, not ${count}`,
  MilestoneAmountZero: ([index]) => `milestone ${Number(index) + 1}'s amount must be more than $0.00`,
  MilestoneDescriptionInvalid: ([index]) => `milestone ${Number(index) + 1}'s description is 1 to 120 bytes`,
  CommitmentTooLarge: () => "the milestones add up to more than a balance can hold",
  DeadlineOutOfRange: () => "the deadline must be in the future and at most ten years away",
  ArbiterInvalid: () => "the arbiter must be someone other than the payer and the payee",
  NotPayerOrArbiter: ([id]) => `only commitment ${id}'s payer or arbiter may approve a milestone`,
  NotPayeeOrArbiter: ([id]) => `only commitment ${id}'s payee or arbiter may cancel it (the payer waits for the deadline)`,
  MilestoneNotFound: ([id, index]) => `commitment ${id} has no milestone ${Number(index) + 1}`,
  CommitmentIsCancelled: ([id]) => `commitment ${id} was cancelled`,
  MilestoneNotPending: ([id, index, status]) =>
    `milestone ${Number(index) + 1} of commitment ${id} is no longer reserved (${(pendingStatuses[Number(status)] ?? "resolved").toLowerCase()})`,
  // Invoices (SovrInvoices); NotPayee, PayeeAccountNotSovr and PayerIsPayee are shared with SovrOrders, above.
  InvoiceNotFound: ([id]) => `there is no invoice ${id}`,
  InvoiceIsCancelled: ([id]) => `invoice ${id} was cancelled; nothing is owed on it`,
  InvoiceAlreadyPaid: ([id]) => `invoice ${id} is already paid in full`,
  Overpayment: ([id, amount, remaining]) =>
    `paying ${dollars(amount)} would overpay invoice ${id}: only ${dollars(remaining)} is still owed`,
  PartialPaymentNotAllowed: ([id, , remaining]) => `invoice ${id} takes no partial payments: pay all ${dollars(remaining)} at once`,
  PaymentAmountZero: () => "the payment must be more than zero",
  DueDateInPast: () => "the due date is already over",
  ReferenceTooLong: ([length]) => `the reference is ${length} bytes, more than an invoice keeps`,
  LineItemsDoNotAddUp: ([total, amount]) => `the lines add up to ${dollars(total)}, not the invoice's ${dollars(amount)}`,
  InvoiceAmountZero: () => "the invoice's amount must be more than zero",
};

/** "ExistsWithDifferentAmount" -> "exists with different amount". */
export function spelledOut(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1 $2")
    .toLowerCase();
}

/** The clause for a decoded contract error (lower case, no full stop). */
export function revertClause(errorName: string, args: Args = []): string {
  return CLAUSES[errorName]?.(args) ?? `the contract refused: ${spelledOut(errorName)}${args.length ? ` (${args.join(", ")})` : ""}`;
}

/** Decodes raw revert data against every SOVR ABI; undefined when it is no SOVR error. */
export function decodeRevert(data: Hex): { errorName: string; args: Args } | undefined {
  try {
    const decoded = decodeErrorResult({ abi: everyError, data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/** The contract revert inside a viem error: decoded, or the reason string; undefined when it is not a revert. */
function revertIn(error: BaseError): { errorName: string; args: Args } | { reason: string } | undefined {
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    const decoded = reverted.raw && reverted.raw !== "0x" ? decodeRevert(reverted.raw) : undefined;
    if (decoded) return decoded;
    if (reverted.data?.errorName) return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
    return { reason: reverted.reason ?? "it did not say why" };
  }
  // Wallets wrap revert data in their own errors.
  let raw: Hex | undefined;
  error.walk((cause) => {
    const data = (cause as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-f]{8}/i.test(data)) raw = data as Hex;
    return false;
  });
  return raw ? decodeRevert(raw) : undefined;
}

/** A revert as `clause (ErrorName)`, for one line of the CLI; undefined when the error is not a revert. */
export function describeRevert(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = revertIn(error);
  if (!revert) return undefined;
  return "reason" in revert
    ? `the contract refused: ${revert.reason}`
    : `${revertClause(revert.errorName, revert.args)} (${revert.errorName})`;
}

const sentence = (clause: string) => `${capitalized(clause)}.`;

/** One sentence for anything a write can throw, for the page that sent it. */
export function explainError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((cause) => cause instanceof UserRejectedRequestError))
      return "You rejected the request in your wallet; nothing was sent.";
    const revert = revertIn(error);
    if (revert)
      return sentence("reason" in revert ? `the contract refused: ${revert.reason}` : revertClause(revert.errorName, revert.args));
    if (/fetch|HTTP request failed|network/i.test(error.message)) return "The chain's node did not answer; check that sovr up is running.";
    return error.shortMessage;
  }
  if (error instanceof Error) return error.message.split("\n")[0] ?? "Something went wrong.";
  return String(error);
}
