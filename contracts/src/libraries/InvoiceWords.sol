// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev What a payment of an invoice reads and writes, in one storage word, low bits first:
/// amount 96 | paid 96 | due 40 | status 8 | flags 8. A payment turns one non-zero word into another
/// (paid and status), so it costs one warm SSTORE. Zero means "no such invoice" (amounts are never zero).
type InvoiceState is uint256;

using InvoiceStateLibrary for InvoiceState global;

/// @title InvoiceStateLibrary: getters and setters of an `InvoiceState` word
library InvoiceStateLibrary {
    uint256 internal constant MASK_96 = (1 << 96) - 1;
    uint256 internal constant MASK_40 = (1 << 40) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;
    uint256 internal constant PAID_SHIFT = 96;
    uint256 internal constant DUE_SHIFT = 192;
    uint256 internal constant STATUS_SHIFT = 232;
    uint256 internal constant FLAGS_SHIFT = 240;
    /// @dev Flag: payments below the rest of the amount are accepted.
    uint256 internal constant ALLOWS_PARTIAL = 1;
    /// @dev The paid and status fields together, replaced by each payment.
    uint256 internal constant PAID_AND_STATUS = (MASK_96 << PAID_SHIFT) | (MASK_8 << STATUS_SHIFT);

    /// @dev A new invoice's word: nothing paid yet.
    function create(uint256 amount_, uint256 dueAt_, uint256 status_, bool allowsPartial_)
        internal
        pure
        returns (InvoiceState)
    {
        uint256 flags_ = allowsPartial_ ? ALLOWS_PARTIAL : 0;
        return InvoiceState.wrap(amount_ | (dueAt_ << DUE_SHIFT) | (status_ << STATUS_SHIFT) | (flags_ << FLAGS_SHIFT));
    }

    /// @dev Whether the word is zero: no invoice is stored under its key.
    function isEmpty(InvoiceState state) internal pure returns (bool) {
        return InvoiceState.unwrap(state) == 0;
    }

    /// @dev The amount asked for.
    function amount(InvoiceState state) internal pure returns (uint256) {
        return InvoiceState.unwrap(state) & MASK_96;
    }

    /// @dev What payments have brought in so far.
    function paid(InvoiceState state) internal pure returns (uint256) {
        return (InvoiceState.unwrap(state) >> PAID_SHIFT) & MASK_96;
    }

    /// @dev The last second at which the invoice is on time (0: no due date).
    function dueAt(InvoiceState state) internal pure returns (uint256) {
        return (InvoiceState.unwrap(state) >> DUE_SHIFT) & MASK_40;
    }

    /// @dev The status (`ISovrInvoices.InvoiceStatus`).
    function status(InvoiceState state) internal pure returns (uint256) {
        return (InvoiceState.unwrap(state) >> STATUS_SHIFT) & MASK_8;
    }

    /// @dev Whether payments below the rest of the amount are accepted.
    function allowsPartial(InvoiceState state) internal pure returns (bool) {
        return (InvoiceState.unwrap(state) >> FLAGS_SHIFT) & ALLOWS_PARTIAL != 0;
    }

    /// @dev The same word with another paid amount and status; callers keep `paid_` within the amount.
    function withPaid(InvoiceState state, uint256 paid_, uint256 status_) internal pure returns (InvoiceState) {
        return InvoiceState.wrap(
            (InvoiceState.unwrap(state) & ~PAID_AND_STATUS) | (paid_ << PAID_SHIFT) | (status_ << STATUS_SHIFT)
        );
    }

    /// @dev The same word with another status.
    function withStatus(InvoiceState state, uint256 status_) internal pure returns (InvoiceState) {
        return InvoiceState.wrap(
            (InvoiceState.unwrap(state) & ~(MASK_8 << STATUS_SHIFT)) | (status_ << STATUS_SHIFT)
        );
    }
}
