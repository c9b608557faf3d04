// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev One side of an account (its debits or its credits) in one storage word, low bits first:
/// pending 96 | posted 96 | ledger 32 | flags 8 | index 24. The ledger, flags and index are kept on both
/// sides so that each side of a transfer reads one word. Zero means "no such account".
type AccountSide is uint256;

/// @dev An account's owner, code and creation time in one storage word, low bits first:
/// owner 160 | code 16 | timestamp 64.
type AccountMeta is uint256;

/// @dev A transfer in one storage word, low bits first:
/// flags 8 | status 8 | code 16 | debit index 24 | credit index 24 | amount 96 | extra 80,
/// where `extra` is, by kind: ordinary - userData tag 80; pending - timeout 32 | created 32 | userData tag 16;
/// post or void - pending id tag 64 | userData tag 16. Zero means "no such transfer".
type TransferRecord is uint256;

using AccountSideLibrary for AccountSide global;
using AccountMetaLibrary for AccountMeta global;
using TransferRecordLibrary for TransferRecord global;

/// @title LedgerWords: widths and the fingerprint shared by the ledger's storage words
/// @notice Each account side, account meta and transfer record is one 256-bit word, read with one
/// SLOAD and written with one SSTORE (Solidity's packed structs re-read and re-write a slot per member).
/// Each word is its own type, so a transfer record cannot be passed where an account side is expected.
library LedgerWords {
    uint256 internal constant MASK_96 = (1 << 96) - 1;
    uint256 internal constant MASK_80 = (1 << 80) - 1;
    uint256 internal constant MASK_64 = (1 << 64) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_24 = (1 << 24) - 1;
    uint256 internal constant MASK_16 = (1 << 16) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;

    /// @dev `tag(0)`: most transfers carry no user data, so its fingerprint is precomputed.
    uint256 internal constant TAG_OF_ZERO = 0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563;

    /// @dev A fingerprint of a 32-byte value; callers keep as many low bits as the record has room for.
    function tag(bytes32 value) internal pure returns (uint256 result) {
        if (value == bytes32(0)) return TAG_OF_ZERO;
        assembly ("memory-safe") {
            mstore(0x00, value)
            result := keccak256(0x00, 0x20)
        }
    }
}

/// @title AccountSideLibrary: getters and setters of an `AccountSide` word
library AccountSideLibrary {
    uint256 internal constant POSTED_SHIFT = 96;
    uint256 internal constant LEDGER_SHIFT = 192;
    uint256 internal constant FLAGS_SHIFT = 224;
    uint256 internal constant INDEX_SHIFT = 232;

    /// @dev A new account's side: no balances yet.
    function create(uint256 ledger_, uint256 flags_, uint256 index_) internal pure returns (AccountSide) {
        return AccountSide.wrap((ledger_ << LEDGER_SHIFT) | (flags_ << FLAGS_SHIFT) | (index_ << INDEX_SHIFT));
    }

    /// @dev Whether the word is zero: nothing is stored under its key.
    function isEmpty(AccountSide side) internal pure returns (bool) {
        return AccountSide.unwrap(side) == 0;
    }

    /// @dev The pending balance.
    function pending(AccountSide side) internal pure returns (uint256) {
        return AccountSide.unwrap(side) & LedgerWords.MASK_96;
    }

    /// @dev The posted balance.
    function posted(AccountSide side) internal pure returns (uint256) {
        return (AccountSide.unwrap(side) >> POSTED_SHIFT) & LedgerWords.MASK_96;
    }

    /// @dev Pending plus posted.
    function total(AccountSide side) internal pure returns (uint256) {
        uint256 word = AccountSide.unwrap(side);
        return (word & LedgerWords.MASK_96) + ((word >> POSTED_SHIFT) & LedgerWords.MASK_96);
    }

    /// @dev The account's ledger.
    function ledger(AccountSide side) internal pure returns (uint256) {
        return (AccountSide.unwrap(side) >> LEDGER_SHIFT) & LedgerWords.MASK_32;
    }

    /// @dev The flags.
    function flags(AccountSide side) internal pure returns (uint256) {
        return (AccountSide.unwrap(side) >> FLAGS_SHIFT) & LedgerWords.MASK_8;
    }

    /// @dev The account's index (its position in creation order).
    function index(AccountSide side) internal pure returns (uint256) {
        return AccountSide.unwrap(side) >> INDEX_SHIFT;
    }

    /// @dev The same word with other flags.
    function withFlags(AccountSide side, uint256 flags_) internal pure returns (AccountSide) {
        uint256 word = AccountSide.unwrap(side);
        return AccountSide.wrap((word & ~(LedgerWords.MASK_8 << FLAGS_SHIFT)) | (flags_ << FLAGS_SHIFT));
    }

    /// @dev Callers have checked that the pending balance stays within 96 bits.
    function addPending(AccountSide side, uint256 value) internal pure returns (AccountSide) {
        unchecked {
            return AccountSide.wrap(AccountSide.unwrap(side) + value);
        }
    }

    /// @dev Callers have checked that the posted balance stays within 96 bits.
    function addPosted(AccountSide side, uint256 value) internal pure returns (AccountSide) {
        unchecked {
            return AccountSide.wrap(AccountSide.unwrap(side) + (value << POSTED_SHIFT));
        }
    }

    /// @dev Callers release only what a pending transfer reserved.
    function subPending(AccountSide side, uint256 value) internal pure returns (AccountSide) {
        unchecked {
            return AccountSide.wrap(AccountSide.unwrap(side) - value);
        }
    }
}

/// @title AccountMetaLibrary: getters of an `AccountMeta` word
library AccountMetaLibrary {
    uint256 internal constant CODE_SHIFT = 160;
    uint256 internal constant TIMESTAMP_SHIFT = 176;

    /// @dev A new word from its fields.
    function create(address owner_, uint256 code_, uint256 timestamp_) internal pure returns (AccountMeta) {
        return AccountMeta.wrap(uint256(uint160(owner_)) | (code_ << CODE_SHIFT) | (timestamp_ << TIMESTAMP_SHIFT));
    }

    /// @dev The account's owner.
    function owner(AccountMeta meta) internal pure returns (address) {
        return address(uint160(AccountMeta.unwrap(meta)));
    }

    /// @dev The code.
    function code(AccountMeta meta) internal pure returns (uint16) {
        return uint16(AccountMeta.unwrap(meta) >> CODE_SHIFT);
    }

    /// @dev The account's creation time.
    function timestamp(AccountMeta meta) internal pure returns (uint64) {
        return uint64(AccountMeta.unwrap(meta) >> TIMESTAMP_SHIFT);
    }
}

/// @title TransferRecordLibrary: getters and setters of a `TransferRecord` word
library TransferRecordLibrary {
    uint256 internal constant STATUS_SHIFT = 8;
    uint256 internal constant CODE_SHIFT = 16;
    uint256 internal constant DEBIT_SHIFT = 32;
    uint256 internal constant CREDIT_SHIFT = 56;
    uint256 internal constant AMOUNT_SHIFT = 80;
    uint256 internal constant EXTRA_SHIFT = 176;

    /// @dev Within `extra` of a pending record.
    uint256 internal constant PENDING_TIMEOUT_SHIFT = 48;
    uint256 internal constant PENDING_CREATED_SHIFT = 16;
    /// @dev Within `extra` of a post or void record.
    uint256 internal constant PENDING_ID_TAG_SHIFT = 16;

    /// @dev A new word from its fields.
    function create(
        uint256 flags_,
        uint256 status_,
        uint256 code_,
        uint256 debitIndex_,
        uint256 creditIndex_,
        uint256 amount_,
        uint256 extra_
    ) internal pure returns (TransferRecord) {
        return TransferRecord.wrap(
            flags_ | (status_ << STATUS_SHIFT) | (code_ << CODE_SHIFT) | (debitIndex_ << DEBIT_SHIFT)
                | (creditIndex_ << CREDIT_SHIFT) | (amount_ << AMOUNT_SHIFT) | (extra_ << EXTRA_SHIFT)
        );
    }

    /// @dev `extra` of a pending record.
    function pendingExtra(uint256 timeout_, uint256 created_, uint256 userTag) internal pure returns (uint256) {
        return (timeout_ << PENDING_TIMEOUT_SHIFT) | (created_ << PENDING_CREATED_SHIFT)
            | (userTag & LedgerWords.MASK_16);
    }

    /// @dev `extra` of a post or void record.
    function postExtra(uint256 pendingTag, uint256 userTag) internal pure returns (uint256) {
        return ((pendingTag & LedgerWords.MASK_64) << PENDING_ID_TAG_SHIFT) | (userTag & LedgerWords.MASK_16);
    }

    /// @dev Whether the word is zero: nothing is stored under its key.
    function isEmpty(TransferRecord record) internal pure returns (bool) {
        return TransferRecord.unwrap(record) == 0;
    }

    /// @dev The flags.
    function flags(TransferRecord record) internal pure returns (uint256) {
        return TransferRecord.unwrap(record) & LedgerWords.MASK_8;
    }

    /// @dev The status.
    function status(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> STATUS_SHIFT) & LedgerWords.MASK_8;
    }

    /// @dev The same word with another status.
    function withStatus(TransferRecord record, uint256 status_) internal pure returns (TransferRecord) {
        uint256 word = TransferRecord.unwrap(record);
        return TransferRecord.wrap((word & ~(LedgerWords.MASK_8 << STATUS_SHIFT)) | (status_ << STATUS_SHIFT));
    }

    /// @dev The code.
    function code(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> CODE_SHIFT) & LedgerWords.MASK_16;
    }

    /// @dev The debit account's index.
    function debitIndex(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> DEBIT_SHIFT) & LedgerWords.MASK_24;
    }

    /// @dev The credit account's index.
    function creditIndex(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> CREDIT_SHIFT) & LedgerWords.MASK_24;
    }

    /// @dev The amount.
    function amount(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> AMOUNT_SHIFT) & LedgerWords.MASK_96;
    }

    /// @dev The kind-dependent `extra` field.
    function extra(TransferRecord record) internal pure returns (uint256) {
        return TransferRecord.unwrap(record) >> EXTRA_SHIFT;
    }

    /// @dev A pending record's timeout, in seconds.
    function pendingTimeout(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> (EXTRA_SHIFT + PENDING_TIMEOUT_SHIFT)) & LedgerWords.MASK_32;
    }

    /// @dev A pending record's creation time, in seconds since the ledger's epoch.
    function pendingCreated(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> (EXTRA_SHIFT + PENDING_CREATED_SHIFT)) & LedgerWords.MASK_32;
    }

    /// @dev The low 16 bits of the user data's fingerprint (pending, post and void records).
    function userTag16(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> EXTRA_SHIFT) & LedgerWords.MASK_16;
    }

    /// @dev A post or void record's 64-bit fingerprint of its pending id.
    function pendingIdTag(TransferRecord record) internal pure returns (uint256) {
        return (TransferRecord.unwrap(record) >> (EXTRA_SHIFT + PENDING_ID_TAG_SHIFT)) & LedgerWords.MASK_64;
    }
}
