/**
 * Sending a host transaction on a chain as it is: EIP-1559 fees from the node, and a transaction that
 * sits unmined past its deadline (fees rose, a provider dropped it) is sent again with the same nonce
 * and fees at least 25% higher (nodes take a replacement only above +10%), a few times at most.
 * Whichever of the versions is mined first is the receipt returned.
 */
import {
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  WaitForTransactionReceiptTimeoutError,
  type WalletClient,
} from "viem";

/** How much each replacement raises both fee caps, in percent. */
const BUMP_PERCENT = 25n;
const DEFAULT_MAX_REPLACEMENTS = 5;

export type HostWallet = WalletClient<Transport, Chain | undefined, Account>;

/** How long a version may stay unmined before it is replaced, unless the chain's pace says otherwise. */
export const DEFAULT_STUCK_AFTER_MS = 30_000;

export type SendOptions = {
  /** How long a version may stay unmined before it is replaced. */
  stuckAfterMs?: number;
  maxReplacements?: number;
  /** How often to ask for the receipt (viem's client default otherwise). */
  pollingMs?: number;
  /** Told about each replacement. */
  log?: (line: string) => void;
};

const bumped = (fee: bigint) => fee + (fee * BUMP_PERCENT + 99n) / 100n;

/** A host transaction handed to the node: what was signed, at which fees, and its hash. */
export type SubmittedTransaction = {
  prepared: Awaited<ReturnType<HostWallet["prepareTransactionRequest"]>>;
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  hash: Hex;
};

/**
 * Signs `{to, data}` from the wallet's account (at `nonce` when given, so a batch can be sent in a
 * row before any is mined) and hands it to the node; `settleHostTransaction` waits for it.
 */
export async function submitHostTransaction(
  wallet: HostWallet,
  call: { to: Hex; data: Hex; gas?: bigint; nonce?: number },
): Promise<SubmittedTransaction> {
  const prepared = await wallet.prepareTransactionRequest({
    account: wallet.account,
    chain: wallet.chain,
    to: call.to,
    data: call.data,
    ...(call.gas ? { gas: call.gas } : {}),
    ...(call.nonce === undefined ? {} : { nonce: call.nonce }),
    type: "eip1559",
  });
  const fees = { maxFeePerGas: prepared.maxFeePerGas!, maxPriorityFeePerGas: prepared.maxPriorityFeePerGas! };
  const hash = await wallet.sendRawTransaction({ serializedTransaction: await wallet.signTransaction({ ...prepared, ...fees } as never) });
  return { prepared, fees, hash };
}

/** Waits for a submitted transaction's receipt, replacing it with higher fees while it is stuck. */
export async function settleHostTransaction(
  client: PublicClient,
  wallet: HostWallet,
  submitted: SubmittedTransaction,
  options: SendOptions,
): Promise<TransactionReceipt> {
  const { prepared } = submitted;
  let { fees, hash } = submitted;
  const maxReplacements = options.maxReplacements ?? DEFAULT_MAX_REPLACEMENTS;
  const stuckAfterMs = options.stuckAfterMs ?? DEFAULT_STUCK_AFTER_MS;
  for (let replacement = 0; ; replacement++) {
    try {
      // viem follows a replacement: if another version with this nonce is mined, that receipt comes back.
      return await client.waitForTransactionReceipt({
        hash,
        timeout: stuckAfterMs,
        ...(options.pollingMs ? { pollingInterval: options.pollingMs } : {}),
      });
    } catch (error) {
      if (!(error instanceof WaitForTransactionReceiptTimeoutError) || replacement >= maxReplacements) throw error;
    }
    const current = await client.estimateFeesPerGas({ type: "eip1559", chain: wallet.chain ?? null }).catch(() => fees);
    const maxPriorityFeePerGas = [bumped(fees.maxPriorityFeePerGas), current.maxPriorityFeePerGas].reduce((a, b) => (a > b ? a : b));
    const maxFeePerGas = [bumped(fees.maxFeePerGas), current.maxFeePerGas, maxPriorityFeePerGas].reduce((a, b) => (a > b ? a : b));
    fees = { maxFeePerGas, maxPriorityFeePerGas };
    const previous = hash;
    try {
      hash = await wallet.sendRawTransaction({ serializedTransaction: await wallet.signTransaction({ ...prepared, ...fees } as never) });
    } catch (error) {
      // Mined meanwhile (the nonce is used), or the node wants a bigger bump: wait on what was sent.
      if (/nonce too low|nonce has already been used|underpriced/i.test((error as Error).message)) continue;
      throw error;
    }
    options.log?.(
      `transaction ${previous} unmined after ${stuckAfterMs / 1000} s: replaced by ${hash} (nonce ${prepared.nonce}, max fee ${maxFeePerGas} wei/gas)`,
    );
  }
}

/** Sends `{to, data}` from the wallet's account and waits for its receipt, replacing it while it is stuck. */
export async function sendHostTransaction(
  client: PublicClient,
  wallet: HostWallet,
  call: { to: Hex; data: Hex; gas?: bigint },
  options: SendOptions,
): Promise<TransactionReceipt> {
  return settleHostTransaction(client, wallet, await submitHostTransaction(wallet, call), options);
}
