import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
// Lets TypeScript name the module's type (Ignition's own) in the declarations of the root project.
import type {} from "@nomicfoundation/ignition-core";

/** Default issuance ceiling: one million SOVR (micro-dollars). The owner raises it with `setIssuanceCeiling`. */
const DEFAULT_ISSUANCE_CEILING = 1_000_000n * 1_000_000n;
/** Account id of the issuer account on ledger 840. */
const DEFAULT_ISSUER_ACCOUNT_ID = 1n;

/**
 * Deploys and wires SOVR: the settlement core (ledger with its ERC-20 view and relay, credit), the
 * component registry, the guardian's attestations, the owner's directory and maintenance calendar. The deploying account is the owner (admin of
 * every contract). The guardian's key gets GUARDIAN_ROLE on GuardianAttestations, which alone holds
 * the ledger's PAUSER_ROLE and FREEZER_ROLE, so the guardian acts only within the owner's policy.
 * SovrInvoices, SovrOrders and SovrCommitments hold the ledger's SETTLER_ROLE: a payer's one call pays an
 * invoice, and a standing order or commitment the payer signed is carried out on its terms.
 * The supervisor's key needs no role: the owner names it as each component's controller.
 * The guardian parameter is required: no account of the node (on Anvil, a well-known key) holds a
 * role by default. Re-running changes nothing.
 */
export default buildModule("Sovr", (m) => {
  const owner = m.getAccount(0);
  const guardianKey = m.getParameter<string>("guardian");
  const adminTransferDelay = m.getParameter("adminTransferDelay", 0);
  const issuanceCeiling = m.getParameter("issuanceCeiling", DEFAULT_ISSUANCE_CEILING);
  const issuerAccountId = m.getParameter("issuerAccountId", DEFAULT_ISSUER_ACCOUNT_ID);

  const ledger = m.contract("SovrLedger", [owner, adminTransferDelay]);
  const credit = m.contract("SovrCredit", [ledger, owner, adminTransferDelay, issuanceCeiling]);
  const grantTreasury = m.call(ledger, "grantRole", [m.staticCall(ledger, "TREASURY_ROLE"), credit], {
    id: "GrantTreasuryToCredit",
  });
  const grantCredit = m.call(ledger, "grantRole", [m.staticCall(ledger, "CREDIT_ROLE"), credit], {
    id: "GrantCreditToCredit",
  });
  m.call(credit, "openIssuerAccount", [issuerAccountId], { after: [grantTreasury, grantCredit] });
  const token = m.contractAt("SovrToken", m.staticCall(ledger, "token", [], 0, { id: "TokenAddress" }));
  const relay = m.contractAt("SovrRelay", m.staticCall(ledger, "relay", [], 0, { id: "RelayAddress" }));

  const registry = m.contract("ComponentRegistry", [owner, adminTransferDelay]);
  const directory = m.contract("SovrDirectory", [owner, adminTransferDelay]);
  const maintenance = m.contract("SovrMaintenance", [registry, owner, adminTransferDelay]);
  const guardian = m.contract("GuardianAttestations", [ledger, owner, adminTransferDelay, guardianKey]);
  m.call(ledger, "grantRole", [m.staticCall(ledger, "PAUSER_ROLE"), guardian], { id: "GrantPauserToGuardian" });
  m.call(ledger, "grantRole", [m.staticCall(ledger, "FREEZER_ROLE"), guardian], { id: "GrantFreezerToGuardian" });
  // Invoices debit their payer with the payer's own authority: the ledger's SETTLER_ROLE, held by nothing else.
  const invoices = m.contract("SovrInvoices", [ledger]);
  const settlerRole = m.staticCall(ledger, "SETTLER_ROLE");
  m.call(ledger, "grantRole", [settlerRole, invoices], { id: "GrantSettlerToInvoices" });
  // Standing orders charge their payers, and commitments reserve and post, with the authority the payer signed
  // into each order or commitment: SETTLER_ROLE as well. SovrOrders issues subscription invoices on SovrInvoices.
  const orders = m.contract("SovrOrders", [ledger, invoices]);
  m.call(ledger, "grantRole", [settlerRole, orders], { id: "GrantSettlerToOrders" });
  const commitments = m.contract("SovrCommitments", [ledger]);
  m.call(ledger, "grantRole", [settlerRole, commitments], { id: "GrantSettlerToCommitments" });

  return { ledger, credit, token, relay, registry, guardian, directory, maintenance, invoices, orders, commitments };
});
