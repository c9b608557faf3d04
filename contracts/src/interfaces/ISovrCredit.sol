// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "./ISovrLedger.sol";

/// @title Events, errors and functions of SovrCredit, the owner as provider of credit in SOVR
/// @notice SovrCredit owns the issuer account on ledger 840; issuing and redeeming are ledger transfers,
/// issuance is capped by a ceiling, and credit lines are granted through it.
interface ISovrCredit {
    // ---------------------------------------------------------------- events

    /// @notice Emitted when the issuer account was opened.
    event IssuerAccountOpened(uint128 indexed accountId);
    /// @notice Emitted when the issuance ceiling changed.
    event IssuanceCeilingSet(uint128 previousCeiling, uint128 ceiling);
    /// @notice Emitted when SOVR was issued to a holder account.
    event Issued(uint128 indexed transferId, uint128 indexed accountId, uint128 amount, uint256 outstanding);
    /// @notice Emitted when SOVR was redeemed from a holder account.
    event Redeemed(uint128 indexed transferId, uint128 indexed accountId, uint128 amount, uint256 outstanding);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when the issuer account is opened a second time.
    error IssuerAccountAlreadyOpen(uint128 accountId);
    /// @notice Thrown when issuing or redeeming before the issuer account is open.
    error IssuerAccountNotOpen();
    /// @notice Thrown when an issue would take the outstanding SOVR past the ceiling.
    error IssuanceCeilingExceeded(uint256 outstanding, uint256 amount, uint256 ceiling);
    /// @notice Thrown when an issue or redemption is for nothing.
    error ZeroAmount();
    /// @notice Thrown when someone other than an account's owner redeems from it.
    error NotAccountOwner(uint128 accountId, address caller);
    /// @notice Thrown when a credit line is asked for an account that is not on the SOVR ledger.
    error NotSovrAccount(uint128 accountId);

    // ---------------------------------------------------------------- functions

    /// @notice Opens the issuer account on ledger 840 and makes it the ledger's supply account.
    function openIssuerAccount(uint128 accountId) external;

    /// @notice Sets the issuance ceiling.
    function setIssuanceCeiling(uint128 ceiling) external;

    /// @notice Issues SOVR into an existing account on ledger 840.
    function issue(uint128 transferId, uint128 accountId, uint128 amount, bytes32 userData) external;

    /// @notice Issues SOVR to `holder`'s primary account, opening it if needed.
    function issueTo(uint128 transferId, address holder, uint128 amount, bytes32 userData) external;

    /// @notice Redeems SOVR from the caller's account back to the issuer.
    function redeem(uint128 transferId, uint128 accountId, uint128 amount, bytes32 userData) external;

    /// @notice Grants, adjusts or (with limit 0) closes a credit line on a SOVR account.
    function setCreditLine(uint128 accountId, uint128 limit, uint64 expiresAt) external;

    /// @notice Freezes or unfreezes a credit line.
    function setCreditLineFrozen(uint128 accountId, bool frozen) external;

    /// @notice Returns the ledger SOVR lives on.
    function ledger() external view returns (ISovrLedger);

    /// @notice Returns the issuer account (zero until opened).
    function issuerAccountId() external view returns (uint128);

    /// @notice Returns the most SOVR that may be outstanding.
    function issuanceCeiling() external view returns (uint128);

    /// @notice Returns the SOVR outstanding: issued (including pending issues) and not redeemed.
    function outstanding() external view returns (uint256);

    /// @notice Returns everything about SOVR credit in one call.
    function totals()
        external
        view
        returns (uint256 outstandingIssuance, uint256 ceiling, uint256 creditExtended, uint256 creditUsed);
}
