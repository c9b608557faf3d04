/**
 * Every failure of a write, in plain words: the contract's custom error decoded against all SOVR ABIs
 * (a call into SovrCredit can revert with the ledger's error), a rejected signature, or a lost node.
 */
import { sovrAbis } from "@sovr/contracts";
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, UserRejectedRequestError, type Abi, type Hex } from "viem";
import { formatDollars } from "./money.ts";

const allErrors: Abi = Object.values(sovrAbis).flatMap((abi) => (abi as Abi).filter((item) => item.type === "error"));

type Args = readonly unknown[];
const id = (value: unknown) => String(value);
const dollars = (value: unknown) => formatDollars(BigInt(value as bigint));

/** Sentences for the errors an owner meets; any other error is named in words by `humanise`. */
const SENTENCES: Record<string, (args: Args) => string> = {
  ExceedsCredits: () => "The paying account does not have enough funds (its credits and credit line do not cover this amount).",
  ExceedsDebits: () => "The receiving account may not take more credits than its debits allow.",
  IssuanceCeilingExceeded: (a) => `Issuing ${dollars(a[1])} would pass the issuance ceiling of ${dollars(a[2])} (${dollars(a[0])} is already outstanding).`,
  ZeroAmount: () => "The amount must be more than zero.",
  NotAccountOwner: (a) => `Account ${id(a[0])} is not yours, so you cannot redeem from it.`,
  NotSovrAccount: (a) => `Account ${id(a[0])} is not on the SOVR ledger (840).`,
  IssuerAccountNotOpen: () => "The issuer account is not open yet; the deployment is incomplete.",
  DebitAccountNotFound: () => "The paying account does not exist.",
  CreditAccountNotFound: () => "The receiving account does not exist yet.",
  AccountsMustBeDifferent: () => "An account cannot pay itself.",
  NotAuthorized: () => "Your wallet is not the owner (or an approved operator) of the paying account.",
  Exists: (a) => `Transfer ${id(a[0])} was already applied; nothing changed.`,
  LedgerPaused: () => "The ledger is paused: only voids go through until the owner unpauses it.",
  DebitAccountFrozen: () => "The paying account is frozen.",
  CreditAccountFrozen: () => "The receiving account is frozen.",
  PendingTransferExpired: () => "The pending transfer has expired; its reservation was or will be released.",
  PendingTransferAlreadyPosted: () => "The pending transfer was already posted.",
  PendingTransferAlreadyVoided: () => "The pending transfer was already voided.",
  PendingTransferNotFound: () => "There is no pending transfer with that id.",
  ExceedsPendingTransferAmount: () => "You cannot post more than the pending amount.",
  CreditLineExpired: () => "The paying account's credit line has expired.",
  CreditLineFrozen: () => "The paying account's credit line is frozen.",
  CreditLineRequiresDebitLimit: (a) => `Account ${id(a[0])} has no debit limit, so it cannot have a credit line.`,
  CreditLineExpiryInPast: () => "The credit line's expiry is in the past.",
  CreditLineLimitTooLarge: () => "That credit limit is larger than the ledger allows.",
  CreditLineNotFound: (a) => `Account ${id(a[0])} has no credit line.`,
  AccountNotFound: (a) => `Account ${id(a[0])} does not exist.`,
  AccessControlUnauthorizedAccount: (a) => `Your wallet ${id(a[0]).slice(0, 10)}… does not hold the role this needs (only the owner may do this).`,
  EnforcedPause: () => "The ledger is paused.",
  NoActiveComponents: () => "There are no active components to control.",
  UnknownComponent: (a) => `There is no component ${id(a[0])}.`,
  ComponentIsRetired: (a) => `Component ${id(a[0])} is retired.`,
  AlreadyAcknowledged: (a) => `Verdict ${id(a[0])} was already acknowledged.`,
  NoteTooLong: (a) => `The note is too long (${id(a[0])} bytes).`,
  UnknownVerdict: (a) => `There is no verdict ${id(a[0])}.`,
  InvalidOperator: () => "That operator address is not allowed.",
  ERC20InsufficientBalance: (a) => `Not enough SOVR: the balance is ${dollars(a[1])}, ${dollars(a[2])} is needed.`,
};

/** "PendingIdMustNotBeZero" -> "pending id must not be zero". */
export function humanise(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z])([A-Z][a-z])/g, "$1 $2").toLowerCase();
}

/** The sentence for a decoded contract error. */
export function sentenceFor(errorName: string, args: Args = []): string {
  const sentence = SENTENCES[errorName];
  if (sentence) return sentence(args);
  const first = humanise(errorName);
  return `The contract refused: ${first}.`;
}

/** Decodes raw revert data against every SOVR ABI; undefined when it is no SOVR error. */
export function decodeRevert(data: Hex): { errorName: string; args: Args } | undefined {
  try {
    const decoded = decodeErrorResult({ abi: allErrors, data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}

/** One sentence for anything a write can throw. */
export function explainError(error: unknown): string {
  if (error instanceof BaseError) {
    if (error.walk((cause) => cause instanceof UserRejectedRequestError)) return "You rejected the request in your wallet; nothing was sent.";
    const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    if (reverted) {
      if (reverted.data?.errorName) return sentenceFor(reverted.data.errorName, reverted.data.args ?? []);
      const decoded = reverted.raw ? decodeRevert(reverted.raw) : undefined;
      if (decoded) return sentenceFor(decoded.errorName, decoded.args);
      if (reverted.reason) return `The contract refused: ${reverted.reason}.`;
      return "The contract refused the transaction without saying why.";
    }
    const raw = findRevertData(error);
    const decoded = raw ? decodeRevert(raw) : undefined;
    if (decoded) return sentenceFor(decoded.errorName, decoded.args);
    if (/fetch|HTTP request failed|network/i.test(error.message)) return "The chain's node did not answer; check that sovr up is running.";
    return error.shortMessage;
  }
  if (error instanceof Error) return error.message.split("\n")[0] ?? "Something went wrong.";
  return String(error);
}

/** Revert data somewhere in an error's causes (wallets wrap it differently). */
function findRevertData(error: BaseError): Hex | undefined {
  let found: Hex | undefined;
  error.walk((cause) => {
    const data = (cause as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-f]{8}/i.test(data)) found = data as Hex;
    return false;
  });
  return found;
}
