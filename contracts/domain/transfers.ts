/** Building the ledger's `Transfer` structs the same way in the CLI, the web app and the keeper. */
import type { Address, Hex } from "viem";
import { sovrCodes } from "../generated/index.ts";
import { AMOUNT_MAX } from "./money.ts";
import { ZERO_BYTES32 } from "./text.ts";

/** Ids with the top bit set are minted by the ledger itself (primary accounts, ERC-20 view transfers). */
export const RESERVED_ID_BIT = 1n << 127n;
const UINT128_MASK = (1n << 128n) - 1n;
/** Random bits below the millisecond clock in a new id. */
const RANDOM_ID_BITS = 80n;

/** The ledger's `Transfer` struct. */
export type Transfer = {
  id: bigint;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amount: bigint;
  pendingId: bigint;
  userData: Hex;
  timeout: number;
  ledger: number;
  code: number;
  flags: number;
};

/** A holder's primary SOVR account id (`SovrLedger.primaryAccountId`): the reserved bit over the address's low 128 bits. */
export function primaryAccountId(holder: Address): bigint {
  return RESERVED_ID_BIT | (BigInt(holder) & UINT128_MASK);
}

/**
 * A new transfer id: milliseconds since 1970 above 80 random bits, so ids sort by creation time (as
 * TigerBeetle recommends) and never collide in practice; always below the reserved range.
 */
export function newTransferId(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): bigint {
  let low = 0n;
  for (const byte of random(new Uint8Array(Number(RANDOM_ID_BITS / 8n)))) low = (low << 8n) | BigInt(byte);
  return (BigInt(Date.now()) << RANDOM_ID_BITS) | low;
}

export type PaymentFields = {
  id?: bigint;
  debitAccountId: bigint;
  creditAccountId: bigint;
  amount: bigint;
  userData?: Hex;
  code?: number;
  ledger?: number;
  /** Reserve the amount as a pending transfer that expires after `timeout` seconds (0: never). */
  pending?: { timeout: number };
  /** Part of a linked chain: succeeds or fails with the next transfer. */
  linked?: boolean;
};

/** A payment on the SOVR ledger (840) unless another ledger is named; pending when asked. */
export function paymentTransfer(fields: PaymentFields): Transfer {
  const flags = (fields.pending ? sovrCodes.PENDING : 0) | (fields.linked ? sovrCodes.LINKED : 0);
  return {
    id: fields.id ?? newTransferId(),
    debitAccountId: fields.debitAccountId,
    creditAccountId: fields.creditAccountId,
    amount: fields.amount,
    pendingId: 0n,
    userData: fields.userData ?? ZERO_BYTES32,
    timeout: fields.pending?.timeout ?? 0,
    ledger: fields.ledger ?? sovrCodes.LEDGER_USD,
    code: fields.code ?? sovrCodes.TRANSFER_PAYMENT,
    flags,
  };
}

/** Posts a pending transfer: `amount` of it, or all of it when omitted. Accounts, ledger and code come from the pending one. */
export function postPendingTransfer(pendingId: bigint, amount: bigint = AMOUNT_MAX, id: bigint = newTransferId()): Transfer {
  return resolvePending(pendingId, amount, sovrCodes.POST_PENDING_TRANSFER, id);
}

/** Voids a pending transfer, releasing its reservation. */
export function voidPendingTransfer(pendingId: bigint, id: bigint = newTransferId()): Transfer {
  return resolvePending(pendingId, 0n, sovrCodes.VOID_PENDING_TRANSFER, id);
}

function resolvePending(pendingId: bigint, amount: bigint, flags: number, id: bigint): Transfer {
  return { id, debitAccountId: 0n, creditAccountId: 0n, amount, pendingId, userData: ZERO_BYTES32, timeout: 0, ledger: 0, code: 0, flags };
}

/** Fields packed into `TransferCreated.details`: flags | code << 16 | ledger << 32 | timeout << 64. */
export type TransferDetails = { flags: number; code: number; ledger: number; timeout: number };

export function decodeTransferDetails(details: bigint): TransferDetails {
  return {
    flags: Number(details & 0xffffn),
    code: Number((details >> 16n) & 0xffffn),
    ledger: Number((details >> 32n) & 0xffffffffn),
    timeout: Number((details >> 64n) & 0xffffffffn),
  };
}
