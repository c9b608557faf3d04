import { describe, expect, it } from "vitest";
import { httpUrl, optional, port, privateKey, readEnv, wholeNumber } from "./env.ts";

const spec = {
  SOVR_CHAIN_PORT: port(8545),
  SOVR_INTERVAL: wholeNumber(1, { min: 1 }),
  SOVR_RPC_URL: optional(httpUrl("")),
  SOVR_GUARDIAN_KEY: privateKey(),
};

describe("readEnv", () => {
  it("gives fallbacks for unset and empty variables", () => {
    expect(readEnv(spec, { SOVR_CHAIN_PORT: "" })).toEqual({
      SOVR_CHAIN_PORT: 8545,
      SOVR_INTERVAL: 1,
      SOVR_RPC_URL: undefined,
      SOVR_GUARDIAN_KEY: undefined,
    });
  });

  it("parses what is set", () => {
    const values = readEnv(spec, { SOVR_CHAIN_PORT: "9000", SOVR_INTERVAL: "5", SOVR_RPC_URL: "http://127.0.0.1:8545/" });
    expect(values).toMatchObject({ SOVR_CHAIN_PORT: 9000, SOVR_INTERVAL: 5, SOVR_RPC_URL: "http://127.0.0.1:8545" });
  });

  it("names the variable, what it must be and what it was, in one line", () => {
    expect(() => readEnv(spec, { SOVR_CHAIN_PORT: "80a" })).toThrow('SOVR_CHAIN_PORT must be a port number between 1 and 65535, not "80a"');
    expect(() => readEnv(spec, { SOVR_INTERVAL: "0" })).toThrow('SOVR_INTERVAL must be a whole number of at least 1, not "0"');
    expect(() => readEnv(spec, { SOVR_RPC_URL: "ftp://x" })).toThrow(/SOVR_RPC_URL must be an http\(s\) URL/);
  });

  it("never echoes a wrong secret", () => {
    expect(() => readEnv(spec, { SOVR_GUARDIAN_KEY: "0xsecret" })).toThrow(
      /^SOVR_GUARDIAN_KEY must be a private key \(0x and 64 hex digits\)$/,
    );
  });
});
