// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../interfaces/ISovrLedger.sol";
import {SovrCodes} from "./SovrCodes.sol";

/// @dev A ledger call `createTransfersFor(authorities, transfers)` being built in memory, each transfer written
/// once where the call reads it (the ABI encoder would copy every struct again): a pointer to the batch's
/// header. Only single-phase SOVR transfers with one code and no memo are batched this way.
type SettlerBatch is uint256;

using SettlerBatchLibrary for SettlerBatch global;

/// @title SettlerBatchLibrary: building, sending and reading a settler's batch of ledger transfers
/// @notice Layout from the pointer: capacity | count | selector (4 bytes) | the call's arguments: the offsets of
/// the authorities and of the transfers (0x40), the transfers' length and up to `capacity` transfers of ten words,
/// then room for the authorities' length and up to `capacity` authorities. The transfers come first in the
/// arguments (ABI offsets may point in any order), so they never move; the authorities, collected apart, are
/// moved up behind the last transfer when the batch is submitted.
library SettlerBatchLibrary {
    uint256 internal constant WORD = 0x20;
    /// @dev A `Transfer` is ten words, all static.
    uint256 internal constant TRANSFER_SIZE = 0x140;
    uint256 internal constant COUNT_OFFSET = 0x20;
    uint256 internal constant SELECTOR_OFFSET = 0x40;
    uint256 internal constant SELECTOR_SIZE = 4;
    /// @dev From the arguments: the two offsets, then the transfers' length, then the transfers.
    uint256 internal constant TRANSFERS_HEAD = 0x40;
    uint256 internal constant FIRST_TRANSFER = 0x60;
    /// @dev Word offsets inside a transfer, in `ISovrLedger.Transfer`'s field order.
    uint256 internal constant DEBIT = 0x20;
    uint256 internal constant CREDIT = 0x40;
    uint256 internal constant AMOUNT = 0x60;
    uint256 internal constant PENDING_ID = 0x80;
    uint256 internal constant USER_DATA = 0xa0;
    uint256 internal constant TIMEOUT = 0xc0;
    uint256 internal constant LEDGER = 0xe0;
    uint256 internal constant CODE = 0x100;
    uint256 internal constant FLAGS = 0x120;
    uint256 internal constant SELECTOR_SHIFT = 224;

    /// @dev A new, empty batch with room for `capacity` transfers (memory is claimed at once).
    function create(uint256 capacity) internal pure returns (SettlerBatch batch) {
        bytes4 selector = ISovrLedger.createTransfersFor.selector;
        assembly ("memory-safe") {
            batch := mload(0x40)
            let size := add(
                add(SELECTOR_OFFSET, add(SELECTOR_SIZE, FIRST_TRANSFER)),
                add(mul(capacity, add(TRANSFER_SIZE, WORD)), WORD)
            )
            mstore(0x40, add(batch, size))
            mstore(batch, capacity)
            mstore(add(batch, COUNT_OFFSET), 0)
            mstore(add(batch, SELECTOR_OFFSET), shl(SELECTOR_SHIFT, shr(SELECTOR_SHIFT, selector)))
        }
    }

    /// @dev Appends a SOVR transfer (single-phase, no memo) applied with `authority`'s authority.
    function push(
        SettlerBatch batch,
        uint128 id,
        uint128 debitAccountId,
        uint128 creditAccountId,
        uint128 amount,
        uint256 code,
        address authority
    ) internal pure {
        uint32 ledgerNumber = SovrCodes.LEDGER_USD;
        assembly ("memory-safe") {
            let index := mload(add(batch, COUNT_OFFSET))
            let capacity := mload(batch)
            let args := add(batch, add(SELECTOR_OFFSET, SELECTOR_SIZE))
            let t := add(add(args, FIRST_TRANSFER), mul(index, TRANSFER_SIZE))
            // Memory past the free pointer may hold old bytes: every word is written.
            mstore(t, id)
            mstore(add(t, DEBIT), debitAccountId)
            mstore(add(t, CREDIT), creditAccountId)
            mstore(add(t, AMOUNT), amount)
            mstore(add(t, PENDING_ID), 0)
            mstore(add(t, USER_DATA), 0)
            mstore(add(t, TIMEOUT), 0)
            mstore(add(t, LEDGER), ledgerNumber)
            mstore(add(t, CODE), code)
            mstore(add(t, FLAGS), 0)
            let authorities := add(add(args, FIRST_TRANSFER), add(mul(capacity, TRANSFER_SIZE), WORD))
            mstore(add(authorities, mul(index, WORD)), authority)
            mstore(add(batch, COUNT_OFFSET), add(index, 1))
        }
    }

    /// @dev How many transfers the batch holds.
    function count(SettlerBatch batch) internal pure returns (uint256 n) {
        assembly ("memory-safe") {
            n := mload(add(batch, COUNT_OFFSET))
        }
    }

    /// @dev Submits the batch to the ledger (it must hold a transfer) and returns a pointer to the ledger's results
    /// (read them with `resultAt`); a revert of the ledger is passed on.
    function submit(SettlerBatch batch, ISovrLedger ledger) internal returns (uint256 results) {
        assembly ("memory-safe") {
            let n := mload(add(batch, COUNT_OFFSET))
            let capacity := mload(batch)
            let callData := add(batch, SELECTOR_OFFSET)
            let args := add(callData, SELECTOR_SIZE)
            let first := add(args, FIRST_TRANSFER)
            // The authorities' length goes right behind the last transfer, the authorities after it.
            let authorities := add(first, mul(n, TRANSFER_SIZE))
            mcopy(add(authorities, WORD), add(add(first, mul(capacity, TRANSFER_SIZE)), WORD), mul(n, WORD))
            mstore(authorities, n)
            mstore(args, sub(authorities, args))
            mstore(add(args, WORD), TRANSFERS_HEAD)
            mstore(add(args, TRANSFERS_HEAD), n)
            let end := add(add(authorities, WORD), mul(n, WORD))
            let ok := call(gas(), ledger, 0, callData, sub(end, callData), 0, 0)
            results := mload(0x40)
            returndatacopy(results, 0, returndatasize())
            if iszero(ok) { revert(results, returndatasize()) }
            mstore(0x40, add(results, returndatasize()))
            // Past the ABI offset of the returned array: its length, then one result per transfer.
            results := add(results, mload(results))
        }
    }

    /// @dev The ledger's result for the `index`th transfer of a submitted batch (converting it checks its range).
    function resultAt(uint256 results, uint256 index) internal pure returns (ISovrLedger.TransferResult) {
        uint256 result;
        assembly ("memory-safe") {
            result := mload(add(add(results, WORD), mul(index, WORD)))
        }
        return ISovrLedger.TransferResult(result);
    }
}
