/**
 * What every other package needs to talk to the SOVR contracts, safe in a browser: ABIs and bytecode,
 * enums and codes (generated from the compiled contracts by `pnpm build:contracts`), and the domain
 * rules every client shares (money, text, transfers, roles, reverts). Reading Ignition's deployments
 * needs the file system: `@sovr/contracts/deployment`.
 */

export { addressesOf, type SovrContractName, sovrAbis } from "./contracts.ts";
export type { SovrDeployment } from "./deployment.ts";
export * from "./domain/accounts.ts";
export * from "./domain/drafts.ts";
export * from "./domain/invoices.ts";
export * from "./domain/money.ts";
export * from "./domain/orders.ts";
export * from "./domain/parsed.ts";
export * from "./domain/reverts.ts";
export * from "./domain/roles.ts";
export * from "./domain/subjects.ts";
export * from "./domain/text.ts";
export * from "./domain/transfers.ts";
export * from "./generated/index.ts";
