import { sovrCreditAbi, sovrLedgerAbi } from "@sovr/contracts";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult, UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { decodeRevert, explainError, humanise, sentenceFor } from "./errors.ts";

describe("contract errors in plain words", () => {
  it("decodes a ledger error raised inside a SovrCredit call", () => {
    const data = encodeErrorResult({ abi: sovrLedgerAbi, errorName: "ExceedsCredits", args: [7n] });
    expect(decodeRevert(data)).toEqual({ errorName: "ExceedsCredits", args: [7n] });
    // SovrCredit's ABI decodes what it can; the raw data still leads to the ledger's sentence.
    const reverted = new ContractFunctionRevertedError({ abi: sovrCreditAbi, data, functionName: "issue" });
    expect(explainError(new BaseError("call failed", { cause: reverted }))).toMatch(/does not have enough funds/);
  });

  it("puts the figures of the issuance ceiling into the sentence", () => {
    const data = encodeErrorResult({ abi: sovrCreditAbi, errorName: "IssuanceCeilingExceeded", args: [900_000_000n, 200_000_000n, 1_000_000_000n] });
    const reverted = new ContractFunctionRevertedError({ abi: sovrCreditAbi, data, functionName: "issue" });
    expect(explainError(reverted)).toBe("Issuing $200.00 would pass the issuance ceiling of $1,000.00 ($900.00 is already outstanding).");
  });

  it("names errors without a hand-written sentence in words", () => {
    expect(humanise("PendingIdMustNotBeZero")).toBe("pending id must not be zero");
    expect(sentenceFor("ExistsWithDifferentAmount", [1n])).toBe("The contract refused: exists with different amount.");
  });

  it("says a rejected signature sent nothing", () => {
    const rejected = new UserRejectedRequestError(new Error("User denied"));
    expect(explainError(new BaseError("write failed", { cause: rejected }))).toBe("You rejected the request in your wallet; nothing was sent.");
  });
});
