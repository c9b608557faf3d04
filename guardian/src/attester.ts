/**
 * Puts verdicts on-chain through GuardianAttestations with the guardian's own key, and acts on them
 * (freeze with `attestAndFreeze`, pause with `attestAndPause`) only when the verdict asks for it,
 * the owner's on-chain policy allows it and the caller says this verdict may act. A batch is sent
 * in order with consecutive nonces and fully confirmed before the next one starts, so at most one
 * batch is ever in flight (what `resumePosition` in the worker relies on); a version the chain's fees
 * left behind is replaced with higher fees (the runtime's host-transaction rule).
 */
import { guardianAttestationsAbi, type SovrDeployment, sovrLedgerAbi, truncateUtf8, verdictActions, verdictLevels } from "@sovr/contracts";
import { type ChainProfile, viemChain } from "@sovr/runtime/chains";
import { rpcTransport } from "@sovr/runtime/rpc";
import {
  type HostWallet,
  type SendOptions,
  type SubmittedTransaction,
  settleHostTransaction,
  submitHostTransaction,
} from "@sovr/runtime/transactions";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  type PublicClient,
  stringToHex,
  type TransactionReceipt,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { type Level, levelRank, MAX_SUMMARY_BYTES, type Verdict } from "./verdict.ts";

export type Attestation = {
  subject: Hex;
  analyzer: string;
  verdict: Verdict;
  /** Whether this verdict may freeze or pause (only the rule engine's may: see the README). */
  mayAct: boolean;
};

export type AttestResult = { subject: Hex; analyzer: string; summary: string; acted: "froze" | "paused" | undefined; skipped: boolean };

export type Policy = { mayFreezeOnBlock: boolean; minFreezeLevel: Level; mayPauseOnEmergency: boolean; minPauseLevel: Level };

/** An analyzer name as the contract stores it (bytes32, right-padded). */
export const analyzerId = (name: string): Hex => stringToHex(name.slice(0, 32), { size: 32 });
const threatTypeId = (label: string): Hex => stringToHex(label.replace(/[^a-z0-9_]/g, "_").slice(0, 32) || "none", { size: 32 });

const errorName = (error: unknown): string => {
  if (error instanceof BaseError) {
    const revert = error.walk((inner) => inner instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) return revert.data?.errorName ?? revert.reason ?? "reverted";
    return error.shortMessage;
  }
  return String(error);
};

export class Attester {
  readonly account: PrivateKeyAccount;
  readonly client: PublicClient;
  private readonly wallet: HostWallet;
  private readonly deployment: SovrDeployment;
  private readonly sendOptions: SendOptions;
  private nonce: number | undefined;
  private readonly abi = [...guardianAttestationsAbi, ...sovrLedgerAbi.filter((item) => item.type === "error")];

  /**
   * @param rpcUrls The chain's URLs, used in turn when one fails.
   * @param profile The chain the guardian signs for (SOVR_CHAIN_ID).
   * @param sendOptions When a stuck attestation is replaced with higher fees, and who hears of it.
   */
  constructor(rpcUrls: string[], privateKey: Hex, deployment: SovrDeployment, profile: ChainProfile, sendOptions: SendOptions) {
    this.account = privateKeyToAccount(privateKey);
    this.deployment = deployment;
    this.sendOptions = sendOptions;
    const transport = rpcTransport(rpcUrls);
    const chain = viemChain(profile, rpcUrls);
    this.client = createPublicClient({ chain, transport }) as PublicClient;
    this.wallet = createWalletClient({ chain, transport, account: this.account });
  }

  async isAttested(subject: Hex, analyzer: string): Promise<boolean> {
    const id = await this.client.readContract({
      address: this.deployment.guardian,
      abi: guardianAttestationsAbi,
      functionName: "verdictIdOf",
      args: [subject, analyzerId(analyzer)],
    });
    return id !== 0n;
  }

  async policy(): Promise<Policy> {
    const p = await this.client.readContract({ address: this.deployment.guardian, abi: guardianAttestationsAbi, functionName: "policy" });
    return {
      mayFreezeOnBlock: p.mayFreezeOnBlock,
      minFreezeLevel: verdictLevels[p.minFreezeLevel]!,
      mayPauseOnEmergency: p.mayPauseOnEmergency,
      minPauseLevel: verdictLevels[p.minPauseLevel]!,
    };
  }

  private async ledgerPaused(): Promise<boolean> {
    return this.client.readContract({ address: this.deployment.ledger, abi: sovrLedgerAbi, functionName: "paused" });
  }

  /** What one attestation should call: the act it may take under the policy, or why it takes none. */
  private plan(attestation: Attestation, policy: Policy, paused: boolean): { act: "freeze" | "pause" | undefined; note: string } {
    const { verdict } = attestation;
    if (verdict.action === "BLOCK" && attestation.mayAct) {
      if (verdict.freezeAccountId === undefined) return { act: undefined, note: "no account to freeze" };
      if (!policy.mayFreezeOnBlock) return { act: undefined, note: "not frozen: policy forbids freezing" };
      if (levelRank(verdict.level) < levelRank(policy.minFreezeLevel))
        return { act: undefined, note: `not frozen: policy freezes from ${policy.minFreezeLevel}` };
      return { act: "freeze", note: `froze account ${verdict.freezeAccountId}` };
    }
    if (verdict.action === "EMERGENCY_SHUTDOWN" && attestation.mayAct) {
      if (!policy.mayPauseOnEmergency) return { act: undefined, note: "not paused: policy forbids pausing" };
      if (levelRank(verdict.level) < levelRank(policy.minPauseLevel))
        return { act: undefined, note: `not paused: policy pauses from ${policy.minPauseLevel}` };
      if (paused) return { act: undefined, note: "ledger already paused" };
      return { act: "pause", note: "paused the ledger" };
    }
    return { act: undefined, note: "" };
  }

  private async nextNonce(): Promise<number> {
    if (this.nonce === undefined)
      this.nonce = await this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" });
    return this.nonce++;
  }

  /** Estimates (which surfaces a revert with its custom error) and sends one call. */
  private async send(attestation: Attestation, act: "freeze" | "pause" | undefined, summary: string): Promise<SubmittedTransaction> {
    const { verdict } = attestation;
    const subject = attestation.subject;
    const analyzer = analyzerId(attestation.analyzer);
    const level = verdictLevels.indexOf(verdict.level);
    const threat = threatTypeId(verdict.threatType);
    const confidence = Math.max(0, Math.min(100, Math.round(verdict.confidence)));
    const common = { address: this.deployment.guardian, abi: this.abi, account: this.account, chain: null } as const;
    const request =
      act === "freeze"
        ? {
            ...common,
            functionName: "attestAndFreeze" as const,
            args: [subject, level, threat, confidence, summary, analyzer, verdict.freezeAccountId!] as const,
          }
        : act === "pause"
          ? { ...common, functionName: "attestAndPause" as const, args: [subject, level, threat, confidence, summary, analyzer] as const }
          : {
              ...common,
              functionName: "attest" as const,
              args: [subject, level, verdictActions.indexOf(verdict.action), threat, confidence, summary, analyzer] as const,
            };
    const gas = await this.client.estimateContractGas(request as never);
    const nonce = await this.nextNonce();
    try {
      const data = encodeFunctionData({ abi: this.abi, functionName: request.functionName, args: request.args } as never);
      return await submitHostTransaction(this.wallet, { to: this.deployment.guardian, data, gas: (gas * 12n) / 10n, nonce });
    } catch (error) {
      // The nonce may or may not have been used: ask the chain again before the next send.
      this.nonce = undefined;
      throw error;
    }
  }

  /**
   * Attests a batch in order and waits until every transaction is mined. An attestation that finds
   * its verdict already on-chain is skipped (another run got there first); an act the chain refuses
   * (account already frozen, policy changed) is attested without the act, saying why.
   */
  async attestAll(batch: Attestation[]): Promise<AttestResult[]> {
    if (batch.length === 0) return [];
    const [policy, paused] = await Promise.all([this.policy(), this.ledgerPaused()]);
    const sent: { attestation: Attestation; submitted: SubmittedTransaction | undefined; result: AttestResult }[] = [];
    for (const attestation of batch) {
      const plan = this.plan(attestation, policy, paused);
      const summaryOf = (note: string) =>
        truncateUtf8(note ? `${attestation.verdict.summary} -> ${note}` : attestation.verdict.summary, MAX_SUMMARY_BYTES);
      const result: AttestResult = {
        subject: attestation.subject,
        analyzer: attestation.analyzer,
        summary: summaryOf(plan.note),
        acted: undefined,
        skipped: false,
      };
      let submitted: SubmittedTransaction | undefined;
      try {
        submitted = await this.send(attestation, plan.act, result.summary);
        result.acted = plan.act === "freeze" ? "froze" : plan.act === "pause" ? "paused" : undefined;
      } catch (error) {
        const name = errorName(error);
        if (name === "VerdictExists") {
          result.skipped = true;
        } else if (plan.act) {
          result.summary = summaryOf(`not acted: ${name}`);
          submitted = await this.send(attestation, undefined, result.summary);
        } else {
          throw error;
        }
      }
      sent.push({ attestation, submitted, result });
    }
    // Each waits for its own receipt: a stuck one is replaced with higher fees, and so are those behind it.
    const receipts = await Promise.all(
      sent.map(({ submitted }) =>
        submitted ? settleHostTransaction(this.client, this.wallet, submitted, this.sendOptions) : Promise.resolve(undefined),
      ),
    );
    const reverted = sent.filter((_, index) => (receipts[index] as TransactionReceipt | undefined)?.status === "reverted");
    if (reverted.length > 0) {
      // Rare (state changed between estimate and mining): check each again from the chain and retry.
      this.nonce = undefined;
      const retry: Attestation[] = [];
      for (const { attestation } of reverted)
        if (!(await this.isAttested(attestation.subject, attestation.analyzer))) retry.push(attestation);
      const retried = await this.attestAll(retry);
      for (const again of retried) {
        const entry = sent.find((s) => s.attestation.subject === again.subject && s.attestation.analyzer === again.analyzer);
        if (entry) entry.result = again;
      }
    }
    return sent.map(({ result }) => result);
  }
}
