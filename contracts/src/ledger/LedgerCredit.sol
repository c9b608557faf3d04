// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../interfaces/ISovrLedger.sol";
import {AccountSide} from "../libraries/LedgerWords.sol";
import {SovrCodes} from "../libraries/SovrCodes.sol";
import {LedgerStorage} from "./LedgerStorage.sol";

/// @title LedgerCredit: credit lines, their totals and the supply account
/// @notice A credit line lets an account whose debits are bounded by its credits go below zero by up to
/// its limit, until its expiry, unless frozen. The ledger tracks per ledger the sum of the limits and the
/// credit in use. SovrCredit holds CREDIT_ROLE and is the only caller of the setters.
abstract contract LedgerCredit is LedgerStorage {
    /// @inheritdoc ISovrLedger
    function setCreditLine(uint128 accountId, uint128 limit, uint64 expiresAt) external onlyRole(CREDIT_ROLE) {
        AccountSide debits = _accounts[accountId].debits;
        if (debits.isEmpty()) revert AccountNotFound(accountId);
        if (debits.flags() & SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS == 0) {
            revert CreditLineRequiresDebitLimit(accountId);
        }
        if (limit > MAX_BALANCE) revert CreditLineLimitTooLarge(limit);
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert CreditLineExpiryInPast(expiresAt);
        CreditLineStorage storage line = _creditLines[accountId];
        CreditTotalsStorage storage totals = _creditTotals[uint32(debits.ledger())];
        totals.extended = totals.extended - line.limit + limit;
        line.limit = uint96(limit);
        line.expiresAt = expiresAt;
        if (debits.flags() & SovrCodes.HAS_CREDIT_LINE == 0) {
            // From now on the account's use of credit counts in the totals; until now it could use none.
            _setAccountFlag(accountId, SovrCodes.HAS_CREDIT_LINE, true);
        }
        emit CreditLineSet(accountId, limit, expiresAt);
    }

    /// @inheritdoc ISovrLedger
    function setCreditLineFrozen(uint128 accountId, bool frozen) external onlyRole(CREDIT_ROLE) {
        if (_accounts[accountId].debits.flags() & SovrCodes.HAS_CREDIT_LINE == 0) revert CreditLineNotFound(accountId);
        _creditLines[accountId].frozen = frozen;
        emit CreditLineFrozenSet(accountId, frozen);
    }

    /// @inheritdoc ISovrLedger
    function setSupplyAccount(uint128 accountId) external onlyRole(CREDIT_ROLE) {
        if (_accounts[accountId].debits.ledger() != SovrCodes.LEDGER_USD) revert AccountNotFound(accountId);
        supplyAccountId = accountId;
        emit SupplyAccountSet(accountId);
    }

    /// @inheritdoc ISovrLedger
    function creditLineOf(uint128 accountId) external view returns (CreditLine memory) {
        CreditLineStorage memory line = _creditLines[accountId];
        return CreditLine({limit: line.limit, expiresAt: line.expiresAt, frozen: line.frozen});
    }

    /// @inheritdoc ISovrLedger
    function creditTotals(uint32 ledger) external view returns (uint128 extended, uint128 used) {
        CreditTotalsStorage memory totals = _creditTotals[ledger];
        return (totals.extended, totals.used);
    }

    /// @notice Returns what an account can still spend: credits posted plus its usable credit line
    /// minus debits posted and pending (zero when negative).
    /// @param id The account.
    /// @return The spendable amount.
    function availableBalance(uint128 id) external view returns (uint256) {
        AccountWords storage s = _accounts[id];
        AccountSide debits = s.debits;
        uint256 room = s.credits.posted() + _usableLimit(id, debits.flags());
        return room > debits.total() ? room - debits.total() : 0;
    }

    // ================================================================ internals

    /// @dev Debits beyond credits are allowed only within an active credit line.
    function _checkCreditLine(uint128 accountId, uint256 accountFlags, uint256 debitsAfter, uint256 creditsPosted)
        internal
        view
        returns (TransferResult)
    {
        if (accountFlags & SovrCodes.HAS_CREDIT_LINE == 0) return TransferResult.ExceedsCredits;
        CreditLineStorage memory line = _creditLines[accountId];
        if (line.expiresAt != 0 && line.expiresAt <= block.timestamp) return TransferResult.CreditLineExpired;
        if (line.frozen) return TransferResult.CreditLineFrozen;
        if (debitsAfter > creditsPosted + line.limit) return TransferResult.ExceedsCredits;
        return TransferResult.Ok;
    }

    /// @dev The part of an account's credit line it may use now: zero without a line, or when it is
    /// frozen or expired.
    function _usableLimit(uint128 accountId, uint256 accountFlags) internal view returns (uint256) {
        if (accountFlags & SovrCodes.HAS_CREDIT_LINE == 0) return 0;
        CreditLineStorage memory line = _creditLines[accountId];
        if (line.frozen || (line.expiresAt != 0 && line.expiresAt <= block.timestamp)) return 0;
        return line.limit;
    }

    /// @dev Credit in use by an account: debits (posted and pending) beyond its posted credits.
    /// Zero for accounts that never had a credit line, whose use is not tracked.
    function _creditUse(AccountSide debits, AccountSide credits) internal pure returns (uint256) {
        if ((debits.flags() | credits.flags()) & SovrCodes.HAS_CREDIT_LINE == 0) return 0;
        uint256 owed = debits.total();
        uint256 paid = credits.posted();
        return owed > paid ? owed - paid : 0;
    }

    /// @dev Moves a ledger's credit-in-use total from `before` to `after_`.
    function _trackCreditUse(uint256 ledger, uint256 before, uint256 after_) internal {
        if (before == after_) return;
        CreditTotalsStorage storage totals = _creditTotals[uint32(ledger)];
        totals.used = uint128(totals.used + after_ - before);
    }
}
