/**
 * Bad input for the rule engine and the subject encoding: events of unknown kinds, malformed
 * arguments, missing context, oversized and binary text are judged, never crashed on. (Each rule on
 * real ledger activity is in guardian.test.ts.)
 */

import { truncateUtf8 } from "@sovr/contracts";
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
