// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {ISovrCredit} from "./interfaces/ISovrCredit.sol";
import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {SovrCodes} from "./libraries/SovrCodes.sol";

/// @title SovrCredit: the owner as provider of credit in SOVR
/// @notice Owns the issuer account on ledger 840, whose net debit is the SOVR outstanding. Issuing
/// (issuer -> holder) and redeeming (holder -> issuer) are ledger transfers with their own codes;
/// issuance is capped by a ceiling. Credit lines let a holder's debits exceed its credits up to a
/// limit, until an expiry, unless frozen.
contract SovrCredit is ISovrCredit, AccessControlDefaultAdminRules {
    /// @notice May issue SOVR.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice May grant, adjust and freeze credit lines.
    bytes32 public constant CREDIT_MANAGER_ROLE = keccak256("CREDIT_MANAGER_ROLE");

    /// @notice The ledger SOVR lives on.
    ISovrLedger public immutable ledger;
    /// @notice The issuer account (zero until opened).
    uint128 public issuerAccountId;
    /// @notice Most SOVR that may be outstanding (issued, not redeemed, including pending issues).
    uint128 public issuanceCeiling;

    /// @param ledger_ The ledger.
    /// @param admin The owner: DEFAULT_ADMIN_ROLE, ISSUER_ROLE and CREDIT_MANAGER_ROLE.
    /// @param adminTransferDelay Seconds a started admin transfer must wait before it can be accepted.
    /// @param ceiling The initial issuance ceiling.
    constructor(ISovrLedger ledger_, address admin, uint48 adminTransferDelay, uint128 ceiling)
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        ledger = ledger_;
        issuanceCeiling = ceiling;
        _grantRole(ISSUER_ROLE, admin);
        _grantRole(CREDIT_MANAGER_ROLE, admin);
        emit IssuanceCeilingSet(0, ceiling);
    }

    /// @notice Opens the issuer account on ledger 840 and makes it the ledger's supply account.
    /// Needs TREASURY_ROLE and CREDIT_ROLE on the ledger for this contract.
    /// @param accountId The id for the issuer account.
    function openIssuerAccount(uint128 accountId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (issuerAccountId != 0) revert IssuerAccountAlreadyOpen(issuerAccountId);
        issuerAccountId = accountId;
        // Credits must not exceed debits: nothing can be redeemed that was not issued.
        ledger.createAccount(
            accountId, SovrCodes.LEDGER_USD, SovrCodes.ACCOUNT_ISSUER, uint16(SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS)
        );
        ledger.setSupplyAccount(accountId);
        emit IssuerAccountOpened(accountId);
    }

    /// @notice Sets the issuance ceiling. Lowering it below the outstanding amount blocks further issues only.
    /// @param ceiling The new ceiling in micro-dollars.
    function setIssuanceCeiling(uint128 ceiling) external onlyRole(DEFAULT_ADMIN_ROLE) {
        emit IssuanceCeilingSet(issuanceCeiling, ceiling);
        issuanceCeiling = ceiling;
    }

    /// @notice Issues SOVR into an existing account on ledger 840.
    /// @param transferId The ledger transfer id (idempotent: the same id cannot issue twice).
    /// @param accountId The receiving account.
    /// @param amount Micro-dollars.
    /// @param userData Invoice id or memo hash.
    function issue(uint128 transferId, uint128 accountId, uint128 amount, bytes32 userData)
        external
        onlyRole(ISSUER_ROLE)
    {
        _issue(transferId, accountId, amount, userData);
    }

    /// @notice Issues SOVR to `holder`'s primary account, opening it if needed (so it shows in any wallet).
    /// @param transferId The ledger transfer id.
    /// @param holder The receiving address.
    /// @param amount Micro-dollars.
    /// @param userData Invoice id or memo hash.
    function issueTo(uint128 transferId, address holder, uint128 amount, bytes32 userData)
        external
        onlyRole(ISSUER_ROLE)
    {
        _issue(transferId, ledger.openPrimaryAccount(holder), amount, userData);
    }

    /// @notice Redeems SOVR from the caller's account back to the issuer. The caller must have approved
    /// this contract as its ledger operator (`setOperator`), because the debit is the caller's.
    /// @param transferId The ledger transfer id.
    /// @param accountId The caller's account to debit.
    /// @param amount Micro-dollars.
    /// @param userData Invoice id or memo hash.
    function redeem(uint128 transferId, uint128 accountId, uint128 amount, bytes32 userData) external {
        uint128 issuer = _issuer();
        if (amount == 0) revert ZeroAmount();
        if (ledger.accountOwner(accountId) != msg.sender) revert NotAccountOwner(accountId, msg.sender);
        ledger.createTransfer(_transfer(transferId, accountId, issuer, amount, userData, SovrCodes.TRANSFER_REDEEM));
        emit Redeemed(transferId, accountId, amount, outstanding());
    }

    /// @notice Grants, adjusts or (with limit 0) closes a credit line on a SOVR account.
    /// Lowering a limit below what is in use blocks further debits but never claws back.
    /// @param accountId The holder account (its debits must be bounded by its credits).
    /// @param limit How far its debits may exceed its credits, in micro-dollars.
    /// @param expiresAt When the line stops being usable (0: never).
    function setCreditLine(uint128 accountId, uint128 limit, uint64 expiresAt) external onlyRole(CREDIT_MANAGER_ROLE) {
        if (ledger.getAccount(accountId).ledger != SovrCodes.LEDGER_USD) revert NotSovrAccount(accountId);
        ledger.setCreditLine(accountId, limit, expiresAt);
    }

    /// @notice Freezes or unfreezes a credit line.
    /// @param accountId The holder account.
    /// @param frozen Whether the line may be used.
    function setCreditLineFrozen(uint128 accountId, bool frozen) external onlyRole(CREDIT_MANAGER_ROLE) {
        ledger.setCreditLineFrozen(accountId, frozen);
    }

    /// @notice SOVR outstanding: the issuer account's debits (posted and pending) minus its posted credits.
    /// @return The outstanding amount in micro-dollars.
    function outstanding() public view returns (uint256) {
        if (issuerAccountId == 0) return 0;
        ISovrLedger.Account memory account = ledger.getAccount(issuerAccountId);
        uint256 debits = uint256(account.debitsPosted) + account.debitsPending;
        return debits - account.creditsPosted;
    }

    /// @notice Everything about SOVR credit in one call.
    /// @return outstandingIssuance SOVR issued and not redeemed.
    /// @return ceiling The issuance ceiling.
    /// @return creditExtended Sum of the credit-line limits.
    /// @return creditUsed Credit drawn on those lines (debits beyond credits).
    function totals()
        external
        view
        returns (uint256 outstandingIssuance, uint256 ceiling, uint256 creditExtended, uint256 creditUsed)
    {
        (uint128 extended, uint128 used) = ledger.creditTotals(SovrCodes.LEDGER_USD);
        return (outstanding(), issuanceCeiling, extended, used);
    }

    /// @dev Issues `amount` to `accountId` within the ceiling; emits `Issued`.
    function _issue(uint128 transferId, uint128 accountId, uint128 amount, bytes32 userData) internal {
        uint128 issuer = _issuer();
        if (amount == 0) revert ZeroAmount();
        uint256 before = outstanding();
        if (before + amount > issuanceCeiling) revert IssuanceCeilingExceeded(before, amount, issuanceCeiling);
        ledger.createTransfer(_transfer(transferId, issuer, accountId, amount, userData, SovrCodes.TRANSFER_ISSUE));
        emit Issued(transferId, accountId, amount, before + amount);
    }

    /// @dev The issuer account; reverts with `IssuerAccountNotOpen` before it is opened.
    function _issuer() internal view returns (uint128 issuer) {
        issuer = issuerAccountId;
        if (issuer == 0) revert IssuerAccountNotOpen();
    }

    /// @dev A single-phase transfer on ledger 840 with no timeout and no flags.
    function _transfer(
        uint128 id,
        uint128 debitAccountId,
        uint128 creditAccountId,
        uint128 amount,
        bytes32 userData,
        uint16 code
    ) internal pure returns (ISovrLedger.Transfer memory) {
        return ISovrLedger.Transfer({
            id: id,
            debitAccountId: debitAccountId,
            creditAccountId: creditAccountId,
            amount: amount,
            pendingId: 0,
            userData: userData,
            timeout: 0,
            ledger: SovrCodes.LEDGER_USD,
            code: code,
            flags: 0
        });
    }
}
