/**
 * Indexing functions: every event of every SOVR contract lands in `audit_event`; the events that
 * change state also update the entity tables. Handlers mirror the contracts' own arithmetic so that
 * `/api/reconcile` can compare every figure with the chain.
 */
import { ponder } from "ponder:registry";
import { sovrAbis } from "@sovr/contracts";
import { registerCommitmentHandlers } from "../handlers/commitments.ts";
import { registerCreditHandlers } from "../handlers/credit.ts";
import { registerDirectoryHandlers } from "../handlers/directory.ts";
import { registerGuardianHandlers } from "../handlers/guardian.ts";
import { registerInvoiceHandlers } from "../handlers/invoices.ts";
import { registerLedgerHandlers } from "../handlers/ledger.ts";
import { registerMaintenanceHandlers } from "../handlers/maintenance.ts";
import { auditOnly, handledEvents } from "../handlers/on.ts";
import { registerOrderHandlers } from "../handlers/orders.ts";
import { registerRegistryHandlers } from "../handlers/registry.ts";

registerLedgerHandlers();
registerCreditHandlers();
registerRegistryHandlers();
registerGuardianHandlers();
registerDirectoryHandlers();
registerMaintenanceHandlers();
registerInvoiceHandlers();
registerOrderHandlers();
registerCommitmentHandlers();

// Every other event (roles, admin transfers, ERC-20 view transfers and approvals, ...) is audited only.
for (const [contract, abi] of Object.entries(sovrAbis)) {
  for (const item of abi) {
    if (item.type !== "event") continue;
    const name = `${contract}:${item.name}`;
    if (!handledEvents.has(name)) auditOnly(ponder, name);
  }
}
