// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ISovrInvoices} from "./interfaces/ISovrInvoices.sol";
import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {InvoiceState, InvoiceStateLibrary} from "./libraries/InvoiceWords.sol";
import {SovrCodes} from "./libraries/SovrCodes.sol";

/// @title SovrInvoices: invoices paid on the SOVR ledger with one signature
/// @notice An account holder issues an invoice into one of its SOVR accounts, optionally naming who is
/// expected to pay, a due date, a reference and line items. Anyone pays it from their primary SOVR
/// account (their credit line counts): the payment and the invoice's new status are one transaction, a
/// payment id is charged at most once, and nothing above the amount is accepted.
/// @dev The ledger grants this contract SETTLER_ROLE, and `pay` debits with its caller's own authority
/// through `createTransferFor`. Payment transfer ids are in the ledger's reserved range (bit 127) with bit
/// 126 set, over the invoice id and the payment id: no account owner can create one first, and a resent
/// payment meets the ledger's record of the first (`Exists`), which reverts the whole payment.
/// Strings and line items are kept in events only. A settler of the ledger (SovrOrders) issues invoices already paid
/// by its own transfers, so that every subscription charge is an invoice on the payer's statement.
contract SovrInvoices is ISovrInvoices {
    /// @notice Longest reference, in bytes.
    uint256 public constant MAX_REFERENCE_LENGTH = 64;
    /// @notice Most line items on one invoice.
    uint256 public constant MAX_LINE_ITEMS = 50;
    /// @notice Longest line item description, in bytes.
    uint256 public constant MAX_DESCRIPTION_LENGTH = 120;
    /// @notice A line item's quantity is in units of 1/QUANTITY_SCALE (three decimals).
    uint256 public constant QUANTITY_SCALE = 1000;
    /// @dev Largest invoice amount: an account balance's range (96 bits).
    uint256 internal constant LARGEST_AMOUNT = type(uint96).max;
    /// @dev Largest invoice id: payment transfer ids hold it in bits 64-125.
    uint64 internal constant LARGEST_INVOICE_ID = (uint64(1) << 62) - 1;

    /// @dev The ledger's reserved range (bit 127) and this contract's part of it (bit 126).
    uint128 internal constant PAYMENT_ID_PREFIX = (uint128(1) << 127) | (uint128(1) << 126);
    /// @dev Position of the invoice id in a payment transfer id (the payment id is below it).
    uint8 internal constant INVOICE_ID_SHIFT = 64;
    /// @dev The low 128 bits of an address: its primary account id below the reserved bit.
    uint128 internal constant PRIMARY_ACCOUNT_BIT = uint128(1) << 127;
    /// @dev The ledger's role of the contracts that may issue paid invoices (`SovrLedger.SETTLER_ROLE`).
    bytes32 internal constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    /// @notice The ledger the invoices are paid on.
    ISovrLedger public immutable ledger;
    /// @notice How many invoices were issued; ids run from 1 to this number.
    uint64 public invoiceCount;

    /// @notice An invoice as stored: the word a payment updates, and the account it credits.
    struct InvoiceWords {
        InvoiceState state;
        uint128 payeeAccountId;
    }

    mapping(uint64 id => InvoiceWords) internal _invoices;

    /// @param ledger_ The ledger, which must grant this contract SETTLER_ROLE before anything can be paid.
    constructor(ISovrLedger ledger_) {
        ledger = ledger_;
    }

    /// @inheritdoc ISovrInvoices
    /// @param payeeAccountId The SOVR account payments go to.
    /// @param amount Micro-dollars; the line items' totals must add up to it when there are any.
    /// @param payer Who is asked to pay (zero: anyone); others may pay it too, which the guardian flags.
    /// @param dueAt The last second at which the invoice is on time (0: none); not in the past.
    /// @param allowsPartial Whether payments below the rest of the amount are accepted.
    /// @param invoiceReference The payee's reference, at most `MAX_REFERENCE_LENGTH` bytes.
    /// @param items At most `MAX_LINE_ITEMS` lines, each with a description and a non-zero quantity.
    function createInvoice(
        uint128 payeeAccountId,
        uint128 amount,
        address payer,
        uint40 dueAt,
        bool allowsPartial,
        string calldata invoiceReference,
        LineItem[] calldata items
    ) external returns (uint64 id) {
        if (amount == 0) revert InvoiceAmountZero();
        if (amount > LARGEST_AMOUNT) revert InvoiceAmountTooLarge(amount);
        if (dueAt != 0 && dueAt < block.timestamp) revert DueDateInPast(dueAt);
        uint256 referenceLength = bytes(invoiceReference).length;
        if (referenceLength > MAX_REFERENCE_LENGTH) revert ReferenceTooLong(referenceLength);
        _checkItems(amount, items);
        ISovrLedger.Account memory payee = ledger.getAccount(payeeAccountId);
        if (payee.ledger != SovrCodes.LEDGER_USD) revert PayeeAccountNotSovr(payeeAccountId);
        if (payee.owner != msg.sender && !ledger.isOperator(payee.owner, msg.sender)) {
            revert NotPayee(payeeAccountId, msg.sender);
        }
        if (payer == payee.owner) revert PayerIsPayee(payer);
        id = invoiceCount + 1;
        if (id > LARGEST_INVOICE_ID) revert InvoiceIdsExhausted();

        invoiceCount = id;
        InvoiceWords storage invoice = _invoices[id];
        invoice.state = InvoiceStateLibrary.create(amount, dueAt, uint256(InvoiceStatus.Open), allowsPartial);
        invoice.payeeAccountId = payeeAccountId;
        emit InvoiceIssued(
            id, payeeAccountId, payer, msg.sender, amount, dueAt, allowsPartial, invoiceReference, items
        );
    }

    /// @inheritdoc ISovrInvoices
    /// @param id The invoice.
    /// @param amount Micro-dollars: the rest of the amount, or less when the invoice allows partial payment.
    /// @param paymentId The payer's id for this payment (any number; reuse it to retry safely).
    function pay(uint64 id, uint128 amount, uint64 paymentId) external {
        InvoiceWords storage invoice = _invoices[id];
        InvoiceState state = invoice.state;
        if (state.isEmpty()) revert InvoiceNotFound(id);
        uint256 status = state.status();
        if (status == uint256(InvoiceStatus.Cancelled)) revert InvoiceIsCancelled(id);
        if (status == uint256(InvoiceStatus.Paid)) revert InvoiceAlreadyPaid(id);
        if (amount == 0) revert PaymentAmountZero(id);
        uint256 invoiced = state.amount();
        uint256 paidBefore = state.paid();
        uint256 remaining;
        // A stored invoice never has more paid than its amount.
        unchecked {
            remaining = invoiced - paidBefore;
        }
        if (amount > remaining) revert Overpayment(id, amount, remaining);
        if (amount < remaining && !state.allowsPartial()) revert PartialPaymentNotAllowed(id, amount, remaining);

        // ---- effects
        uint256 paidAfter;
        unchecked {
            paidAfter = paidBefore + amount;
        }
        InvoiceStatus next = paidAfter == invoiced ? InvoiceStatus.Paid : InvoiceStatus.PartiallyPaid;
        invoice.state = state.withPaid(paidAfter, uint256(next));
        emit InvoicePaymentReceived(id, msg.sender, paymentId, amount, uint128(paidAfter));

        // ---- interaction: the ledger debits the caller's primary account with the caller's authority.
        ledger.createTransferFor(
            msg.sender,
            ISovrLedger.Transfer({
                id: paymentTransferId(id, paymentId),
                debitAccountId: PRIMARY_ACCOUNT_BIT | uint128(uint160(msg.sender)),
                creditAccountId: invoice.payeeAccountId,
                amount: amount,
                pendingId: 0,
                userData: bytes32(uint256(id)),
                timeout: 0,
                ledger: SovrCodes.LEDGER_USD,
                code: SovrCodes.TRANSFER_INVOICE,
                flags: 0
            })
        );
    }

    /// @inheritdoc ISovrInvoices
    /// @dev A settler already holds more power than this (it moves money with an owner's authority), so the ledger's
    /// role is the whole check; the amount and reference follow `createInvoice`'s rules.
    /// @param payeeAccountId The account the transfer credited.
    /// @param payer Whose account the transfer debited.
    /// @param amount Micro-dollars, what the transfer moved.
    /// @param invoiceReference At most `MAX_REFERENCE_LENGTH` bytes (a subscription's plan name).
    /// @param transferId The ledger transfer that paid it.
    function issuePaid(
        uint128 payeeAccountId,
        address payer,
        uint128 amount,
        string calldata invoiceReference,
        uint128 transferId
    ) external returns (uint64 id) {
        if (!IAccessControl(address(ledger)).hasRole(SETTLER_ROLE, msg.sender)) revert NotSettler(msg.sender);
        if (amount == 0) revert InvoiceAmountZero();
        if (amount > LARGEST_AMOUNT) revert InvoiceAmountTooLarge(amount);
        uint256 referenceLength = bytes(invoiceReference).length;
        if (referenceLength > MAX_REFERENCE_LENGTH) revert ReferenceTooLong(referenceLength);
        id = invoiceCount + 1;
        if (id > LARGEST_INVOICE_ID) revert InvoiceIdsExhausted();

        invoiceCount = id;
        InvoiceWords storage invoice = _invoices[id];
        uint256 paid = uint256(InvoiceStatus.Paid);
        invoice.state = InvoiceStateLibrary.create(amount, 0, paid, false).withPaid(amount, paid);
        invoice.payeeAccountId = payeeAccountId;
        LineItem[] memory noItems;
        emit InvoiceIssued(id, payeeAccountId, payer, msg.sender, amount, 0, false, invoiceReference, noItems);
        emit InvoiceSettled(id, payer, transferId, amount);
    }

    /// @inheritdoc ISovrInvoices
    /// @param id The invoice.
    function cancel(uint64 id) external {
        InvoiceWords storage invoice = _invoices[id];
        InvoiceState state = invoice.state;
        if (state.isEmpty()) revert InvoiceNotFound(id);
        uint256 status = state.status();
        if (status == uint256(InvoiceStatus.Cancelled)) revert InvoiceIsCancelled(id);
        if (status == uint256(InvoiceStatus.Paid)) revert InvoiceAlreadyPaid(id);
        uint128 payeeAccountId = invoice.payeeAccountId;
        address payee = ledger.accountOwner(payeeAccountId);
        if (payee != msg.sender && !ledger.isOperator(payee, msg.sender)) revert NotPayee(payeeAccountId, msg.sender);
        invoice.state = state.withStatus(uint256(InvoiceStatus.Cancelled));
        emit InvoiceCancelled(id, msg.sender, uint128(state.paid()));
    }

    /// @inheritdoc ISovrInvoices
    /// @param id The invoice.
    function getInvoice(uint64 id) external view returns (Invoice memory) {
        InvoiceWords storage invoice = _invoices[id];
        InvoiceState state = invoice.state;
        if (state.isEmpty()) revert InvoiceNotFound(id);
        InvoiceStatus status = InvoiceStatus(state.status());
        uint256 dueAt = state.dueAt();
        bool unsettled = status == InvoiceStatus.Open || status == InvoiceStatus.PartiallyPaid;
        return Invoice({
            payeeAccountId: invoice.payeeAccountId,
            amount: uint128(state.amount()),
            paid: uint128(state.paid()),
            dueAt: uint40(dueAt),
            status: status,
            allowsPartial: state.allowsPartial(),
            overdue: unsettled && dueAt != 0 && block.timestamp > dueAt
        });
    }

    /// @inheritdoc ISovrInvoices
    /// @param id The invoice.
    /// @param paymentId The payer's id for the payment.
    function paymentTransferId(uint64 id, uint64 paymentId) public pure returns (uint128) {
        return PAYMENT_ID_PREFIX | (uint128(id) << INVOICE_ID_SHIFT) | paymentId;
    }

    /// @dev Line items: bounded in number and text, non-zero quantities, exact totals adding up to `amount`.
    function _checkItems(uint128 amount, LineItem[] calldata items) internal pure {
        uint256 count = items.length;
        if (count == 0) return;
        if (count > MAX_LINE_ITEMS) revert TooManyLineItems(count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            LineItem calldata item = items[i];
            uint256 length = bytes(item.description).length;
            if (length == 0 || length > MAX_DESCRIPTION_LENGTH) revert LineItemDescriptionInvalid(i, length);
            if (item.quantity == 0) revert LineItemQuantityZero(i);
            // At most 2^64 * 2^128: no overflow in 256 bits, nor in a sum of 50 such lines.
            uint256 scaled = uint256(item.quantity) * item.unitPrice;
            if (scaled % QUANTITY_SCALE != 0) revert LineItemTotalInexact(i);
            total += scaled / QUANTITY_SCALE;
        }
        if (total != amount) revert LineItemsDoNotAddUp(total, amount);
    }
}
