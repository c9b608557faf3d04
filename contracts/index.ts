/**
 * What every other package needs to talk to the SOVR contracts: ABIs and bytecode, enums and codes
 * (generated from the compiled contracts by `pnpm build:contracts`), plus the few decoders the
 * contracts' NatSpec describes.
 */
export * from "./generated/index.ts";
export { sovrAbis, addressesOf, type SovrContractName } from "./contracts.ts";
export { defaultDeploymentId, deploymentDir, readDeployment, type SovrDeployment } from "./deployment.ts";

/** A post with this amount posts the whole pending amount; a balancing transfer moves as much as possible. */
export const AMOUNT_MAX = (1n << 128n) - 1n;

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
