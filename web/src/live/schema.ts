/**
 * The indexer's tables and views, imported from the indexer itself so the page and the index never
 * disagree on a column. Live queries read the `*View` views only (see the schema's header).
 */
export {
  accountView,
  acknowledgementView,
  auditEventView,
  commitmentView,
  componentView,
  controlIntentView,
  creditLineView,
  dailyStatView,
  invoicePaymentView,
  invoiceView,
  issuanceView,
  labelView,
  maintenanceWindowView,
  milestoneView,
  orderPeriodView,
  pendingTransferView,
  planView,
  signalView,
  standingOrderView,
  systemStateView,
  transferRejectionView,
  transferView,
  verdictView,
} from "@sovr/indexer/schema";
