// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../interfaces/ISovrLedger.sol";
import {AccountMeta, AccountSide} from "../libraries/LedgerWords.sol";
import {SovrCodes} from "../libraries/SovrCodes.sol";
import {LedgerStorage} from "./LedgerStorage.sol";

/// @title LedgerAccounts: creating, reading, freezing accounts and approving operators
/// @notice Accounts are created by their owner (primary accounts by the ledger itself), debited with the
/// owner's authority or an approved operator's, and frozen by FREEZER_ROLE (unfrozen by the admin only).
abstract contract LedgerAccounts is LedgerStorage {
    /// @inheritdoc ISovrLedger
    function createAccount(uint128 id, uint32 ledger, uint16 code, uint16 flags) external {
        if (flags & ~USER_ACCOUNT_FLAGS != 0) revert AccountReservedFlag(flags);
        if (id == 0) revert AccountIdMustNotBeZero();
        if (id == AMOUNT_MAX) revert AccountIdMustNotBeIntMax();
        if (id & RESERVED_ID_BIT != 0) revert AccountIdReserved(id);
        if (!_accounts[id].debits.isEmpty()) revert AccountExists(id);
        if (flags & BOTH_CONSTRAINTS == BOTH_CONSTRAINTS) revert AccountFlagsAreMutuallyExclusive();
        if (ledger == 0) revert AccountLedgerMustNotBeZero();
        if (code == 0) revert AccountCodeMustNotBeZero();
        if (flags & SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS == 0 && !hasRole(TREASURY_ROLE, msg.sender)) {
            revert UnboundedAccountNotAllowed();
        }
        _storeAccount(id, msg.sender, ledger, code, flags);
    }

    /// @notice Approves or revokes `operator` to debit all of the caller's accounts.
    /// @param operator The address acting for the caller.
    /// @param approved Whether it may.
    function setOperator(address operator, bool approved) external {
        if (operator == address(0) || operator == msg.sender) revert InvalidOperator(operator);
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
    }

    /// @notice Freezes an account: it then accepts only voids and expiries.
    /// @param id The account.
    function freezeAccount(uint128 id) external onlyRole(FREEZER_ROLE) {
        _setAccountFlag(id, SovrCodes.FROZEN, true);
        emit AccountFrozen(id, msg.sender);
    }

    /// @notice Unfreezes an account (owner only).
    /// @param id The account.
    function unfreezeAccount(uint128 id) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setAccountFlag(id, SovrCodes.FROZEN, false);
        emit AccountUnfrozen(id, msg.sender);
    }

    /// @inheritdoc ISovrLedger
    function isOperator(address owner, address operator) external view returns (bool) {
        return _operators[owner][operator];
    }

    /// @inheritdoc ISovrLedger
    function getAccount(uint128 id) external view returns (Account memory) {
        AccountWords storage s = _accounts[id];
        AccountSide debits = s.debits;
        if (debits.isEmpty()) revert AccountNotFound(id);
        AccountSide credits = s.credits;
        AccountMeta meta = s.meta;
        return Account({
            id: id,
            owner: meta.owner(),
            ledger: uint32(debits.ledger()),
            code: meta.code(),
            flags: uint16(debits.flags()),
            debitsPending: uint128(debits.pending()),
            debitsPosted: uint128(debits.posted()),
            creditsPending: uint128(credits.pending()),
            creditsPosted: uint128(credits.posted()),
            timestamp: meta.timestamp()
        });
    }

    /// @inheritdoc ISovrLedger
    function accountOwner(uint128 id) external view returns (address) {
        return _accounts[id].meta.owner();
    }
}
