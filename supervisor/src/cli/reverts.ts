/**
 * A contract's revert as one plain sentence. The SOVR contracts call each other (SovrCredit calls the
 * ledger), so a revert is decoded against the errors of every contract, not only the one called.
 */
import { sovrAbis } from "@sovr/contracts";
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, keccak256, toHex, type Abi, type Hex } from "viem";
import { formatDollars } from "./args.ts";

type AbiError = Extract<Abi[number], { type: "error" }>;

const everyError: Abi = (() => {
  const seen = new Set<string>();
  const errors: AbiError[] = [];
  for (const abi of Object.values(sovrAbis)) {
    for (const item of abi as Abi) {
      if (item.type !== "error") continue;
      const signature = `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
      if (!seen.has(signature)) errors.push(item);
      seen.add(signature);
    }
  }
  return errors;
})();

const ROLE_NAMES = ["ISSUER_ROLE", "CREDIT_MANAGER_ROLE", "TREASURY_ROLE", "CREDIT_ROLE", "PAUSER_ROLE", "FREEZER_ROLE", "GUARDIAN_ROLE"];

function roleName(role: unknown): string {
  if (role === `0x${"00".repeat(32)}`) return "the owner's role (DEFAULT_ADMIN_ROLE)";
  return ROLE_NAMES.find((name) => keccak256(toHex(name)) === role) ?? String(role);
}

type Args = readonly unknown[];
const money = (value: unknown) => formatDollars(BigInt(value as bigint));

/** Plain words for the errors a CLI user can cause; others are spelled out from their names. */
const PLAIN: Record<string, (args: Args) => string> = {
  ExceedsCredits: () => "the debit account's balance (with any credit line) is too small for this amount",
  ExceedsDebits: () => "the credit account may not take more credits than its debits",
  NotAuthorized: () => "this key may not debit that account: it is neither the account's owner nor an operator it approved",
  DebitAccountNotFound: () => "the debit account does not exist",
  CreditAccountNotFound: () => "the credit account does not exist",
  DebitAccountFrozen: () => "the debit account is frozen",
  CreditAccountFrozen: () => "the credit account is frozen",
  AccountsMustBeDifferent: () => "the debit and credit account are the same",
  AccountsMustHaveTheSameLedger: () => "the two accounts are on different ledgers",
  Exists: ([id]) => `transfer ${id} was already applied with the same fields`,
  LedgerPaused: () => "the ledger is paused; only voids pass until the owner unpauses it",
  EnforcedPause: () => "the ledger is paused; only voids pass until the owner unpauses it",
  PendingTransferNotFound: ([id]) => `there is no pending transfer ${id}`,
  PendingTransferNotPending: () => "that transfer is not a pending transfer",
  PendingTransferAlreadyPosted: () => "the pending transfer was already posted",
  PendingTransferAlreadyVoided: () => "the pending transfer was already voided",
  PendingTransferExpired: () => "the pending transfer has expired (its reservation is released)",
  ExceedsPendingTransferAmount: () => "the amount is more than the pending transfer reserved",
  CreditLineExpired: () => "the debit needs the account's credit line, which has expired",
  CreditLineFrozen: () => "the debit needs the account's credit line, which is frozen",
  AccountNotFound: ([id]) => `account ${id} does not exist`,
  CreditLineRequiresDebitLimit: ([id]) => `account ${id}'s debits are not bounded by its credits, so it cannot take a credit line`,
  CreditLineExpiryInPast: () => "the credit line's expiry is in the past",
  CreditLineLimitTooLarge: () => "the credit line's limit is larger than a balance can hold",
  CreditLineNotFound: ([id]) => `account ${id} has no credit line`,
  IssuanceCeilingExceeded: ([outstanding, amount, ceiling]) =>
    `issuing ${money(amount)} would take the SOVR outstanding (${money(outstanding)}) past the issuance ceiling (${money(ceiling)})`,
  IssuerAccountNotOpen: () => "the issuer account is not open yet",
  ZeroAmount: () => "the amount is zero",
  NotAccountOwner: ([id, caller]) => `account ${id} is not owned by this key (${caller})`,
  NotSovrAccount: ([id]) => `account ${id} is not on the SOVR ledger (840)`,
  AccessControlUnauthorizedAccount: ([account, role]) => `this key (${account}) lacks ${roleName(role)}`,
  UnknownComponent: ([id]) => `there is no component ${id}`,
  ComponentIsRetired: ([id]) => `component ${id} is retired`,
  NotReporter: ([id, caller]) => `this key (${caller}) is not component ${id}'s reporter`,
  NotController: ([id, caller]) => `this key (${caller}) is not component ${id}'s controller`,
  NoActiveComponents: () => "every component is retired (or none is registered)",
  MessageTooLong: ([length]) => `the message is ${length} bytes, more than the registry keeps`,
  UnknownVerdict: ([id]) => `there is no verdict ${id}`,
  AlreadyAcknowledged: ([id]) => `verdict ${id} was already acknowledged`,
  NoteTooLong: ([length]) => `the note is ${length} bytes, more than the contract keeps`,
};

/** "ExistsWithDifferentAmount" -> "exists with different amount". */
function spelledOut(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}

/** The revert inside a viem error, as `plain words (ErrorName)`; undefined when it is not a revert. */
export function describeRevert(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const raw: Hex | undefined = reverted.raw;
  if (raw && raw !== "0x") {
    try {
      const decoded = decodeErrorResult({ abi: everyError, data: raw });
      const args = decoded.args ?? [];
      const words = PLAIN[decoded.errorName]?.(args) ?? `${spelledOut(decoded.errorName)}${args.length ? ` (${args.join(", ")})` : ""}`;
      return `${words} (${decoded.errorName})`;
    } catch {
      // Not one of the SOVR contracts' errors: fall through to what viem made of it.
    }
  }
  return reverted.reason ?? reverted.shortMessage;
}
