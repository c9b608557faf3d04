import { BaseError, ContractFunctionRevertedError, encodeErrorResult, keccak256, stringToHex, UserRejectedRequestError } from "viem";
import { describe, expect, it } from "vitest";
import { sovrCommitmentsAbi, sovrCreditAbi, sovrLedgerAbi, sovrOrdersAbi } from "../generated/index.ts";
import { decodeRevert, describeRevert, explainError, revertClause, spelledOut } from "./reverts.ts";
import { roleName, roleNames } from "./roles.ts";

const revertOf = (data: `0x${string}`) =>
  new BaseError("call failed", { cause: new ContractFunctionRevertedError({ abi: sovrCreditAbi, data, functionName: "issue" }) });

describe("contract errors in plain words, one table for the CLI and the web app", () => {
  it("decodes a ledger error raised inside a SovrCredit call", () => {
    const data = encodeErrorResult({ abi: sovrLedgerAbi, errorName: "ExceedsCredits", args: [7n] });
    expect(decodeRevert(data)).toEqual({ errorName: "ExceedsCredits", args: [7n] });
    expect(explainError(revertOf(data))).toMatch(/^The paying account does not have enough funds .*\.$/);
    expect(describeRevert(revertOf(data))).toMatch(/^the paying account does not have enough funds .* \(ExceedsCredits\)$/);
  });

  it("puts the figures of the issuance ceiling into the sentence", () => {
    const data = encodeErrorResult({
      abi: sovrCreditAbi,
      errorName: "IssuanceCeilingExceeded",
      args: [900_000_000n, 200_000_000n, 1_000_000_000n],
    });
    expect(explainError(revertOf(data))).toBe(
      "Issuing $200.00 would pass the issuance ceiling of $1,000.00 ($900.00 is already outstanding).",
    );
  });

  it("names the role a signer lacks", () => {
    const data = encodeErrorResult({
      abi: sovrCreditAbi,
      errorName: "AccessControlUnauthorizedAccount",
      args: ["0x70997970C51812dc3A010C7d01b50e0d17dc79C8", keccak256(stringToHex("ISSUER_ROLE"))],
    });
    expect(describeRevert(revertOf(data))).toBe(
      "the signer (0x70997970…) lacks ISSUER_ROLE; only its holder may do this (AccessControlUnauthorizedAccount)",
    );
  });

  it("says what a standing order or a commitment refuses, with its figures", () => {
    const cap = encodeErrorResult({ abi: sovrOrdersAbi, errorName: "AmountAboveCap", args: [150_000_000n, 120_000_000n] });
    expect(explainError(revertOf(cap))).toBe("$150.00 is above the payer's cap of $120.00 per charge.");
    const taken = encodeErrorResult({ abi: sovrCommitmentsAbi, errorName: "MilestoneNotPending", args: [4n, 0, 2] });
    expect(describeRevert(revertOf(taken))).toBe("milestone 1 of commitment 4 is no longer reserved (posted) (MilestoneNotPending)");
  });

  it("spells out errors without a written clause", () => {
    expect(spelledOut("PendingIdMustNotBeZero")).toBe("pending id must not be zero");
    expect(revertClause("ExistsWithDifferentAmount", [1n])).toBe("the contract refused: exists with different amount (1)");
  });

  it("says a rejected signature sent nothing, and that a non-revert is no revert", () => {
    const rejected = new UserRejectedRequestError(new Error("User denied"));
    expect(explainError(new BaseError("write failed", { cause: rejected }))).toBe(
      "You rejected the request in your wallet; nothing was sent.",
    );
    expect(describeRevert(new Error("socket hang up"))).toBeUndefined();
  });
});

describe("roles", () => {
  it("are read from the contracts' ABIs", () => {
    expect(roleNames).toEqual(
      expect.arrayContaining(["DEFAULT_ADMIN_ROLE", "ISSUER_ROLE", "PAUSER_ROLE", "FREEZER_ROLE", "GUARDIAN_ROLE"]),
    );
    expect(roleName(keccak256(stringToHex("GUARDIAN_ROLE")))).toBe("GUARDIAN_ROLE");
    expect(roleName(`0x${"00".repeat(32)}`)).toBe("DEFAULT_ADMIN_ROLE");
    expect(roleName("0x1234")).toBe("0x1234");
  });
});
