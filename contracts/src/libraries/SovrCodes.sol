// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Ledger numbers, codes and flags shared by the SOVR contracts
/// @notice Flag bit values are TigerBeetle's; codes are SOVR's own (TigerBeetle leaves them to the user).
/// Flags are uint256 so that masks combine at compile time; cast to uint16 where an ABI field needs it.
library SovrCodes {
    /// @notice Ledger number of SOVR: ISO 4217 numeric code of the US dollar.
    uint32 internal constant LEDGER_USD = 840;

    /// @notice Account code of a holder's primary SOVR account.
    uint16 internal constant ACCOUNT_HOLDER = 1;
    /// @notice Account code of the credit issuer's account.
    uint16 internal constant ACCOUNT_ISSUER = 2;

    /// @notice Transfer code of a payment (also used by the ERC-20 view).
    uint16 internal constant TRANSFER_PAYMENT = 1;
    /// @notice Transfer code of SOVR issued by the owner.
    uint16 internal constant TRANSFER_ISSUE = 2;
    /// @notice Transfer code of SOVR redeemed to the issuer.
    uint16 internal constant TRANSFER_REDEEM = 3;
    /// @notice Transfer code of an invoice's payment (SovrInvoices).
    uint16 internal constant TRANSFER_INVOICE = 4;
    /// @notice Transfer code of a standing order's charge (SovrOrders, subscriptions included).
    uint16 internal constant TRANSFER_STANDING_ORDER = 5;
    /// @notice Transfer code of a commitment's milestone: its reservation, and the post or void that resolves it.
    uint16 internal constant TRANSFER_COMMITMENT = 6;

    // Account flags (TigerBeetle bit positions, plus two of SOVR's own).
    uint256 internal constant DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
    uint256 internal constant CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;
    uint256 internal constant CLOSED = 1 << 5;
    /// @dev Set by FREEZER_ROLE; a frozen account accepts only voids and expiries.
    uint256 internal constant FROZEN = 1 << 6;
    /// @dev Set by the ledger once an account has had a credit line; from then on its credit use is tracked.
    uint256 internal constant HAS_CREDIT_LINE = 1 << 7;

    // Transfer flags (TigerBeetle bit positions; `imported` is not supported).
    uint256 internal constant LINKED = 1 << 0;
    uint256 internal constant PENDING = 1 << 1;
    uint256 internal constant POST_PENDING_TRANSFER = 1 << 2;
    uint256 internal constant VOID_PENDING_TRANSFER = 1 << 3;
    uint256 internal constant BALANCING_DEBIT = 1 << 4;
    uint256 internal constant BALANCING_CREDIT = 1 << 5;
    uint256 internal constant CLOSING_DEBIT = 1 << 6;
    uint256 internal constant CLOSING_CREDIT = 1 << 7;
}
