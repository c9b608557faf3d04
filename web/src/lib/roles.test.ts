import { keccak256, stringToHex } from "viem";
import { describe, expect, it } from "vitest";
import { roleHoldings } from "./roles.ts";

const ADMIN = `0x${"0".repeat(64)}`;
const ISSUER = keccak256(stringToHex("ISSUER_ROLE"));

describe("roleHoldings", () => {
  it("replays grants and revocations per contract, naming known roles", () => {
    expect(
      roleHoldings([
        { contract: "SovrCredit", event: "RoleGranted", args: { role: ADMIN, account: "0xAAAA", sender: "0x1" } },
        { contract: "SovrCredit", event: "RoleGranted", args: { role: ISSUER, account: "0xAAAA" } },
        { contract: "SovrCredit", event: "RoleGranted", args: { role: ISSUER, account: "0xbbbb" } },
        { contract: "SovrCredit", event: "RoleRevoked", args: { role: ISSUER, account: "0xBBBB" } },
        { contract: "SovrLedger", event: "RoleGranted", args: { role: "0x1234", account: "0xcccc" } },
      ]),
    ).toEqual([
      { contract: "SovrCredit", role: "DEFAULT_ADMIN_ROLE", holders: ["0xaaaa"] },
      { contract: "SovrCredit", role: "ISSUER_ROLE", holders: ["0xaaaa"] },
      { contract: "SovrLedger", role: "0x1234", holders: ["0xcccc"] },
    ]);
  });
});
