import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Default issuance ceiling: one million SOVR (micro-dollars). The owner raises it with `setIssuanceCeiling`. */
const DEFAULT_ISSUANCE_CEILING = 1_000_000n * 1_000_000n;
/** Account id of the issuer account on ledger 840. */
const DEFAULT_ISSUER_ACCOUNT_ID = 1n;

/**
 * Deploys and wires the settlement core. The deploying account is the owner (admin of both
 * contracts). Re-running it changes nothing: Ignition's journal records every step.
 */
export default buildModule("Sovr", (m) => {
  const owner = m.getAccount(0);
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
  return { ledger, credit, token, relay };
});
