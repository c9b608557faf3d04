import type { Address } from "viem";
import type { SovrDeployment } from "./deployment.ts";
import {
  componentRegistryAbi,
  guardianAttestationsAbi,
  sovrCommitmentsAbi,
  sovrCreditAbi,
  sovrDirectoryAbi,
  sovrInvoicesAbi,
  sovrLedgerAbi,
  sovrMaintenanceAbi,
  sovrOrdersAbi,
  sovrRelayAbi,
  sovrTokenAbi,
} from "./generated/index.ts";

/** Every SOVR contract's ABI under the name Ignition deploys it as (and the indexer indexes it as). */
export const sovrAbis = {
  SovrLedger: sovrLedgerAbi,
  SovrCredit: sovrCreditAbi,
  SovrToken: sovrTokenAbi,
  SovrRelay: sovrRelayAbi,
  ComponentRegistry: componentRegistryAbi,
  GuardianAttestations: guardianAttestationsAbi,
  SovrDirectory: sovrDirectoryAbi,
  SovrMaintenance: sovrMaintenanceAbi,
  SovrInvoices: sovrInvoicesAbi,
  SovrOrders: sovrOrdersAbi,
  SovrCommitments: sovrCommitmentsAbi,
} as const;

export type SovrContractName = keyof typeof sovrAbis;

/** A deployment's address of each contract, by the same names. */
export function addressesOf(deployment: SovrDeployment): Record<SovrContractName, Address> {
  return {
    SovrLedger: deployment.ledger,
    SovrCredit: deployment.credit,
    SovrToken: deployment.token,
    SovrRelay: deployment.relay,
    ComponentRegistry: deployment.registry,
    GuardianAttestations: deployment.guardian,
    SovrDirectory: deployment.directory,
    SovrMaintenance: deployment.maintenance,
    SovrInvoices: deployment.invoices,
    SovrOrders: deployment.orders,
    SovrCommitments: deployment.commitments,
  };
}
