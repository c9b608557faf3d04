import { describe, expect, it } from "vitest";
import { chainProfile } from "./chains.ts";

describe("chainProfile", () => {
  it("lets the indexer start fast on the local chain and leaves public providers' pace to Ponder", () => {
    expect(chainProfile(31337, {}).rpcRequestsPerSecond).toBe(500);
    expect(chainProfile(8453, {}).rpcRequestsPerSecond).toBeUndefined();
    expect(chainProfile(424242, {}).rpcRequestsPerSecond).toBeUndefined();
  });

  it("takes the owner's pace for a paid plan or an own node", () => {
    expect(chainProfile(8453, { SOVR_RPC_REQUESTS_PER_SECOND: "150" }).rpcRequestsPerSecond).toBe(150);
  });

  it("refuses a pace that is not a whole number of at least 1, naming the setting", () => {
    expect(() => chainProfile(8453, { SOVR_RPC_REQUESTS_PER_SECOND: "0" })).toThrow(/SOVR_RPC_REQUESTS_PER_SECOND/);
    expect(() => chainProfile(8453, { SOVR_RPC_REQUESTS_PER_SECOND: "fast" })).toThrow(/SOVR_RPC_REQUESTS_PER_SECOND/);
  });
});
