/**
 * Bad input for the rule engine and the subject encoding: events of unknown kinds, malformed
 * arguments, missing context, oversized and binary text are judged, never crashed on. (Each rule on
 * real ledger activity is in guardian.test.ts.)
 */

import { transferResults, truncateUtf8 } from "@sovr/contracts";
import { generatePrivateKey } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { defaultThresholds, readGuardianConfig } from "./config.ts";
import type { IndexedEvent } from "./indexer.ts";
import { judgeWithRules } from "./rules.ts";
import { comparePositions, positionOfSubject, subjectOf } from "./subject.ts";
import { MAX_SUMMARY_BYTES } from "./verdict.ts";
import { isJudged } from "./worker.ts";

const base: IndexedEvent = {
  id: "x",
  contract: "SovrLedger",
  event: "TransferCreated",
  actor: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
  txHash: `0x${"12".repeat(32)}`,
  blockNumber: 7n,
  logIndex: 2,
  timestamp: 1_800_000_000n,
  args: {},
};

describe("rule engine on bad input", () => {
  it("judges an unknown event kind LOW/MONITOR and names it", () => {
    const verdict = judgeWithRules(
      { ...base, contract: "SomethingNew", event: "\u0000\uffff".repeat(100) },
      { missing: [] },
      defaultThresholds,
    );
    expect(verdict).toMatchObject({ level: "LOW", action: "MONITOR", threatType: "none" });
    expect(verdict.summary).toMatch(/^no rule for SomethingNew\./);
  });

  it("flags a transfer whose arguments cannot be read instead of throwing", () => {
    const verdict = judgeWithRules({ ...base, args: { amount: "not a number", debitAccountId: [] } }, { missing: [] }, defaultThresholds);
    expect(verdict).toMatchObject({ level: "MEDIUM", action: "ALERT", threatType: "malformed_event" });
  });

  it("judges with missing context, says so and lowers its confidence", () => {
    const args = {
      id: "1",
      debitAccountId: "5",
      creditAccountId: "6",
      amount: "100",
      pendingId: "0",
      userData: `0x${"00".repeat(32)}`,
      details: String(1n << 16n),
    };
    const verdict = judgeWithRules({ ...base, args }, { missing: ["history", "credit line"] }, defaultThresholds);
    expect(verdict.level).toBe("LOW");
    expect(verdict.summary).toContain("[context missing: history, credit line]");
    expect(verdict.confidence).toBe(70);
  });

  it("ignores a signal's message and bounds its kind", () => {
    const args = { signalId: "1", componentId: 1, severity: 0, kind: "x".repeat(5000), message: "SHUT DOWN NOW".repeat(1000) };
    const verdict = judgeWithRules(
      { ...base, contract: "ComponentRegistry", event: "SignalRecorded", args },
      { missing: [] },
      defaultThresholds,
    );
    expect(verdict).toMatchObject({ level: "LOW", action: "MONITOR" });
    expect(verdict.threatType.length).toBeLessThanOrEqual(32);
    expect(verdict.summary).not.toContain("SHUT DOWN");
  });

  it("cuts summaries to the contract's byte limit on a character boundary", () => {
    const cut = truncateUtf8("€".repeat(200), MAX_SUMMARY_BYTES);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(cut.endsWith("€...")).toBe(true);
  });
});

describe("subjects", () => {
  it("encode the event's position in chain order and decode back", () => {
    const a = subjectOf(base);
    const b = subjectOf({ ...base, logIndex: 3 });
    const c = subjectOf({ ...base, blockNumber: 8n, logIndex: 0 });
    expect(positionOfSubject(a)).toEqual({ blockNumber: 7n, logIndex: 2 });
    expect(a.length).toBe(66);
    expect([c, b, a].map(positionOfSubject).sort(comparePositions)).toEqual([a, b, c].map(positionOfSubject));
    expect(subjectOf({ ...base, txHash: `0x${"34".repeat(32)}` })).not.toBe(a);
  });
});

describe("configuration", () => {
  const key = { SOVR_GUARDIAN_KEY: generatePrivateKey() };
  it("has documented defaults and rejects a bad value with the variable's name", () => {
    const config = readGuardianConfig(key);
    expect(config.thresholds).toEqual(defaultThresholds);
    expect(config.gemini).toBeUndefined();
    expect(config.privateKey).toBe(key.SOVR_GUARDIAN_KEY);
    expect(readGuardianConfig({ ...key, GEMINI_API_KEY: "k" }).gemini?.model).toBe("gemini-2.5-flash");
    expect(() => readGuardianConfig({ ...key, GUARDIAN_VELOCITY_ALERT_VOLUME: "-5" })).toThrow(
      'GUARDIAN_VELOCITY_ALERT_VOLUME must be a whole number of micro-dollars, not "-5"',
    );
  });

  it("refuses to start without its key, on any chain, saying which setting to give", () => {
    expect(() => readGuardianConfig({})).toThrow(/^the guardian needs its key: set SOVR_GUARDIAN_KEY/);
    expect(() => readGuardianConfig({ SOVR_CHAIN_ID: "31337" })).toThrow(/SOVR_GUARDIAN_KEY/);
    expect(() => readGuardianConfig({ SOVR_GUARDIAN_KEY: "0x1234" })).toThrow(
      /^SOVR_GUARDIAN_KEY must be a private key \(0x and 64 hex digits\)$/,
    );
  });
});

describe("what is judged", () => {
  const guardianKey = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" as const;
  it("skips what the guardian's own attestations emitted, and liveness beats, but nothing else the same key sends", () => {
    const byGuardian = { ...base, actor: guardianKey.toLowerCase() as `0x${string}` };
    expect(isJudged({ ...byGuardian, contract: "GuardianAttestations", event: "VerdictAttested" }, guardianKey)).toBe(false);
    expect(isJudged({ ...byGuardian, contract: "SovrLedger", event: "AccountFrozen" }, guardianKey)).toBe(false);
    expect(isJudged({ ...byGuardian, contract: "SovrLedger", event: "Paused" }, guardianKey)).toBe(false);
    expect(isJudged({ ...byGuardian, contract: "SovrLedger", event: "TransferCreated" }, guardianKey)).toBe(true);
    expect(isJudged({ ...base, contract: "SovrLedger", event: "Paused" }, guardianKey)).toBe(true);
    expect(isJudged({ ...base, contract: "ComponentRegistry", event: "LivenessBeat" }, guardianKey)).toBe(false);
  });
});

describe("rules for standing orders and commitments", () => {
  /** `OrderCreated` as the audit trail holds it: numbers as decimal strings, enums as their ordinals. */
  const orderCreated = (maxAmount: bigint, every: number, unit: number, periods: number): IndexedEvent => ({
    ...base,
    contract: "SovrOrders",
    event: "OrderCreated",
    args: {
      id: "3",
      payer: base.actor,
      payeeAccountId: "170141183460469231731687303715884105728",
      amount: maxAmount.toString(),
      maxAmount: maxAmount.toString(),
      startAt: "1800000000",
      every,
      unit,
      periods,
      retries: 3,
      retryEvery: 86_400,
      planId: 0,
    },
  });
  const MONTHS = 1;
  const SECONDS = 0;

  it("monitors an ordinary authorization and alerts on a large one, per charge or per year", () => {
    expect(judgeWithRules(orderCreated(1_200_000_000n, 1, MONTHS, 12), { missing: [] }, defaultThresholds)).toMatchObject({
      level: "LOW",
      action: "MONITOR",
    });
    // $6,000 a month: above the $5,000 per charge.
    expect(judgeWithRules(orderCreated(6_000_000_000n, 1, MONTHS, 0xffffffff), { missing: [] }, defaultThresholds)).toMatchObject({
      level: "MEDIUM",
      action: "ALERT",
      threatType: "large_authorization",
    });
    // $1,000 a week until cancelled: $52,000 a year.
    const weekly = judgeWithRules(orderCreated(1_000_000_000n, 604_800, SECONDS, 0xffffffff), { missing: [] }, defaultThresholds);
    expect(weekly).toMatchObject({ level: "MEDIUM", threatType: "large_authorization" });
    expect(weekly.summary).toContain("$52,000.00 a year");
    // The same, but only three payments: $3,000 in all.
    expect(judgeWithRules(orderCreated(1_000_000_000n, 604_800, SECONDS, 3), { missing: [] }, defaultThresholds).level).toBe("LOW");
    // Ten times the threshold is HIGH.
    expect(judgeWithRules(orderCreated(60_000_000_000n, 1, MONTHS, 1), { missing: [] }, defaultThresholds).level).toBe("HIGH");
  });

  it("alerts on repeated refusals of a charge and on a missed period", () => {
    const failed = (attempts: number, gaveUp: boolean, result: number): IndexedEvent => ({
      ...base,
      contract: "SovrOrders",
      event: "ChargeFailed",
      args: { id: "3", period: 4, result, attempts, retryAt: gaveUp ? 0 : 1_800_086_400, gaveUp },
    });
    const EXCEEDS_CREDITS = transferResults.indexOf("ExceedsCredits");
    expect(judgeWithRules(failed(1, false, EXCEEDS_CREDITS), { missing: [] }, defaultThresholds)).toMatchObject({
      level: "LOW",
      threatType: "charge_failure",
    });
    const repeated = judgeWithRules(failed(2, false, EXCEEDS_CREDITS), { missing: [] }, defaultThresholds);
    expect(repeated).toMatchObject({ level: "MEDIUM", action: "ALERT", threatType: "repeated_charge_failure" });
    expect(repeated.summary).toContain("ExceedsCredits");
    expect(judgeWithRules(failed(4, true, EXCEEDS_CREDITS), { missing: [] }, defaultThresholds)).toMatchObject({
      level: "HIGH",
      action: "ALERT",
      threatType: "missed_payment",
    });
  });

  it("alerts on a large commitment", () => {
    const commitment = (total: bigint): IndexedEvent => ({
      ...base,
      contract: "SovrCommitments",
      event: "CommitmentCreated",
      args: {
        id: "1",
        payer: base.actor,
        payeeAccountId: "9",
        arbiter: base.actor,
        deadline: 1_900_000_000,
        total: total.toString(),
        milestones: [],
      },
    });
    expect(judgeWithRules(commitment(4_000_000_000n), { missing: [] }, defaultThresholds).level).toBe("LOW");
    expect(judgeWithRules(commitment(5_000_000_000n), { missing: [] }, defaultThresholds)).toMatchObject({
      level: "MEDIUM",
      threatType: "large_authorization",
    });
  });
});
