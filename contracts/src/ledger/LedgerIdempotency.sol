// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LedgerWords, TransferRecord} from "../libraries/LedgerWords.sol";
import {SovrCodes} from "../libraries/SovrCodes.sol";
import {LedgerStorage} from "./LedgerStorage.sol";

/// @title LedgerIdempotency: what a transfer id that already exists means
/// @notice Transfers are idempotent by id: resending the very same transfer reports `Exists` and changes
/// nothing; resending the id with any field changed reports which field differs first, in TigerBeetle's
/// order (`create_transfer_exists`). Only the fields a record keeps can be compared: user data and the
/// pending id by their fingerprints.
abstract contract LedgerIdempotency is LedgerStorage {
    /// @dev Idempotency: compares a resent transfer with the stored one (TigerBeetle's `create_transfer_exists`).
    function _compareExisting(Transfer memory t, TransferRecord e) internal view returns (TransferResult) {
        uint256 storedFlags = e.flags();
        if (t.flags != storedFlags) return TransferResult.ExistsWithDifferentFlags;
        bool postOrVoid = storedFlags & POST_OR_VOID != 0;
        bool pending = storedFlags & SovrCodes.PENDING != 0;
        if (postOrVoid) {
            if (LedgerWords.tag(bytes32(uint256(t.pendingId))) & LedgerWords.MASK_64 != e.pendingIdTag()) {
                return TransferResult.ExistsWithDifferentPendingId;
            }
        } else if (t.pendingId != 0) {
            return TransferResult.ExistsWithDifferentPendingId;
        }
        if (t.timeout != (pending ? e.pendingTimeout() : 0)) return TransferResult.ExistsWithDifferentTimeout;
        uint128 drId = _accountIdAt[e.debitIndex()];
        uint128 crId = _accountIdAt[e.creditIndex()];
        uint256 userTag = LedgerWords.tag(t.userData);
        if (postOrVoid) {
            if (t.debitAccountId != 0 && t.debitAccountId != drId) {
                return TransferResult.ExistsWithDifferentDebitAccountId;
            }
            if (t.creditAccountId != 0 && t.creditAccountId != crId) {
                return TransferResult.ExistsWithDifferentCreditAccountId;
            }
            TransferRecord p = _transfers[t.pendingId];
            bool meansFull =
                storedFlags & SovrCodes.VOID_PENDING_TRANSFER != 0 ? t.amount == 0 : t.amount == AMOUNT_MAX;
            if (meansFull ? e.amount() != p.amount() : t.amount != e.amount()) {
                return TransferResult.ExistsWithDifferentAmount;
            }
            if (t.userData == bytes32(0)) userTag = p.userTag16();
            if (userTag & LedgerWords.MASK_16 != e.userTag16()) return TransferResult.ExistsWithDifferentUserData;
            if (t.ledger != 0 && t.ledger != _accounts[drId].debits.ledger()) {
                return TransferResult.ExistsWithDifferentLedger;
            }
            if (t.code != 0 && t.code != e.code()) return TransferResult.ExistsWithDifferentCode;
            return TransferResult.Exists;
        }
        if (t.debitAccountId != drId) return TransferResult.ExistsWithDifferentDebitAccountId;
        if (t.creditAccountId != crId) return TransferResult.ExistsWithDifferentCreditAccountId;
        bool balancing = storedFlags & BALANCING != 0;
        if (balancing ? t.amount < e.amount() : t.amount != e.amount()) return TransferResult.ExistsWithDifferentAmount;
        bool sameUserData = pending
            ? userTag & LedgerWords.MASK_16 == e.userTag16()
            : userTag & LedgerWords.MASK_80 == e.extra();
        if (!sameUserData) return TransferResult.ExistsWithDifferentUserData;
        if (t.ledger != _accounts[drId].debits.ledger()) return TransferResult.ExistsWithDifferentLedger;
        if (t.code != e.code()) return TransferResult.ExistsWithDifferentCode;
        return TransferResult.Exists;
    }
}
