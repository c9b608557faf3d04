// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "./ISovrLedger.sol";

/// @title Types, events, errors and functions of SovrInvoices: invoices paid on the SOVR ledger
/// @notice An account holder issues an invoice to be paid into one of its SOVR accounts; anyone pays it
/// with one signature, in the same transaction as the ledger transfer. Strings and line items live in
/// the events only: the indexer rebuilds them, the contract keeps what a payment checks.
interface ISovrInvoices {
    /// @notice Lifecycle of an invoice. Overdue is not a status: it is derived from the due date.
    enum InvoiceStatus {
        Open,
        PartiallyPaid,
        Paid,
        Cancelled
    }

    /// @notice One line of an invoice. Its total is `quantity * unitPrice / QUANTITY_SCALE` micro-dollars.
    struct LineItem {
        string description;
        /// @dev Thousandths of a unit: 7.5 hours is 7500.
        uint64 quantity;
        /// @dev Micro-dollars per unit.
        uint128 unitPrice;
    }

    /// @notice An invoice as stored, as returned by `getInvoice`.
    struct Invoice {
        uint128 payeeAccountId;
        uint128 amount;
        uint128 paid;
        /// @dev Last second (Unix time) at which the invoice is on time; 0 when it has no due date.
        uint40 dueAt;
        InvoiceStatus status;
        bool allowsPartial;
        /// @dev Open or partially paid with the due date passed.
        bool overdue;
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when an invoice was issued; `payer` is zero when anyone is asked to pay it.
    event InvoiceIssued(
        uint64 indexed id,
        uint128 indexed payeeAccountId,
        address indexed payer,
        address issuer,
        uint128 amount,
        uint40 dueAt,
        bool allowsPartial,
        string invoiceReference,
        LineItem[] items
    );

    /// @notice Emitted when a payment was applied to an invoice, in the same transaction as its ledger
    /// transfer (`paymentTransferId(id, paymentId)`); `paidTotal` is what the invoice has received since.
    event InvoicePaymentReceived(
        uint64 indexed id, address indexed payer, uint64 paymentId, uint128 amount, uint128 paidTotal
    );

    /// @notice Emitted when an invoice was issued already paid by a settler's ledger transfer `transferId` (a
    /// subscription's charge), right after its `InvoiceIssued`.
    event InvoiceSettled(uint64 indexed id, address indexed payer, uint128 indexed transferId, uint128 amount);

    /// @notice Emitted when an invoice was cancelled; `paid` stays with the payee, the rest is no longer owed.
    event InvoiceCancelled(uint64 indexed id, address indexed by, uint128 paid);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when an invoice does not exist.
    error InvoiceNotFound(uint64 id);
    /// @notice Thrown when every invoice id (below 2^62, so that payment transfer ids fit) is used.
    error InvoiceIdsExhausted();
    /// @notice Thrown when an invoice's amount is zero.
    error InvoiceAmountZero();
    /// @notice Thrown when an invoice's amount does not fit an account balance (96 bits).
    error InvoiceAmountTooLarge(uint128 amount);
    /// @notice Thrown when the caller neither owns the payee account nor is an operator its owner approved.
    error NotPayee(uint128 accountId, address caller);
    /// @notice Thrown when the payee account is not on the SOVR ledger (840).
    error PayeeAccountNotSovr(uint128 accountId);
    /// @notice Thrown when the invoice names its own payee as the payer.
    error PayerIsPayee(address payer);
    /// @notice Thrown when a due date is already past.
    error DueDateInPast(uint40 dueAt);
    /// @notice Thrown when a reference is longer than `MAX_REFERENCE_LENGTH` bytes.
    error ReferenceTooLong(uint256 length);
    /// @notice Thrown when an invoice has more than `MAX_LINE_ITEMS` line items.
    error TooManyLineItems(uint256 count);
    /// @notice Thrown when a line item's description is empty or longer than `MAX_DESCRIPTION_LENGTH` bytes.
    error LineItemDescriptionInvalid(uint256 index, uint256 length);
    /// @notice Thrown when a line item's quantity is zero.
    error LineItemQuantityZero(uint256 index);
    /// @notice Thrown when a line item's total is not a whole number of micro-dollars.
    error LineItemTotalInexact(uint256 index);
    /// @notice Thrown when the line items do not add up to the invoice's amount.
    error LineItemsDoNotAddUp(uint256 itemsTotal, uint128 amount);
    /// @notice Thrown when paying or cancelling an invoice that was cancelled.
    error InvoiceIsCancelled(uint64 id);
    /// @notice Thrown when paying or cancelling an invoice that is paid in full.
    error InvoiceAlreadyPaid(uint64 id);
    /// @notice Thrown when a payment is for nothing.
    error PaymentAmountZero(uint64 id);
    /// @notice Thrown when a payment is more than the invoice still asks for.
    error Overpayment(uint64 id, uint128 amount, uint256 remaining);
    /// @notice Thrown when a payment is less than the rest of an invoice that does not allow partial payment.
    error PartialPaymentNotAllowed(uint64 id, uint128 amount, uint256 remaining);
    /// @notice Thrown when an account that is not a settler of the ledger issues a paid invoice.
    error NotSettler(address caller);

    // ---------------------------------------------------------------- functions

    /// @notice Issues an invoice payable into `payeeAccountId` (owned by the caller, or by an owner whose
    /// operator the caller is); returns its id.
    function createInvoice(
        uint128 payeeAccountId,
        uint128 amount,
        address payer,
        uint40 dueAt,
        bool allowsPartial,
        string calldata invoiceReference,
        LineItem[] calldata items
    ) external returns (uint64 id);

    /// @notice Pays `amount` of an invoice from the caller's primary SOVR account (its credit line counts).
    /// A payment id is used once per invoice: resending it never charges twice.
    function pay(uint64 id, uint128 amount, uint64 paymentId) external;

    /// @notice Issues an invoice already paid by the ledger transfer `transferId`, which the caller (a settler of the
    /// ledger: SovrOrders, for a subscription's charge) applied in this transaction; returns its id.
    function issuePaid(
        uint128 payeeAccountId,
        address payer,
        uint128 amount,
        string calldata invoiceReference,
        uint128 transferId
    ) external returns (uint64 id);

    /// @notice Cancels an open or partially paid invoice (the payee account's owner or its operator).
    function cancel(uint64 id) external;

    /// @notice Returns an invoice; reverts with `InvoiceNotFound` if it does not exist.
    function getInvoice(uint64 id) external view returns (Invoice memory);

    /// @notice Returns how many invoices were issued; ids run from 1 to this number.
    function invoiceCount() external view returns (uint64);

    /// @notice Returns the ledger transfer id of a payment: reserved range, bit 126, invoice id, payment id.
    function paymentTransferId(uint64 id, uint64 paymentId) external pure returns (uint128);

    /// @notice Returns the ledger the invoices are paid on.
    function ledger() external view returns (ISovrLedger);
}
