// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title LedgerWords: the ledger's storage words, packed by hand
/// @notice Each account side, account meta and transfer record is one 256-bit word, read with one
/// SLOAD and written with one SSTORE (Solidity's packed structs re-read and re-write a slot per member).
/// @dev Layouts, low bits first:
/// - account side (debits or credits): pending 96 | posted 96 | ledger 32 | flags 8 | index 24.
///   The ledger, flags and index are kept on both sides so each side of a transfer reads one word.
/// - account meta: owner 160 | code 16 | timestamp 64.
/// - transfer record: flags 8 | status 8 | code 16 | debit index 24 | credit index 24 | amount 96 | extra 80,
///   where `extra` is, by kind: ordinary - userData tag 80; pending - timeout 32 | created 32 | userData tag 16;
///   post or void - pending id tag 64 | userData tag 16.
library LedgerWords {
    uint256 internal constant MASK_96 = (1 << 96) - 1;
    uint256 internal constant MASK_80 = (1 << 80) - 1;
    uint256 internal constant MASK_64 = (1 << 64) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_24 = (1 << 24) - 1;
    uint256 internal constant MASK_16 = (1 << 16) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;

    uint256 internal constant SIDE_POSTED_SHIFT = 96;
    uint256 internal constant SIDE_LEDGER_SHIFT = 192;
    uint256 internal constant SIDE_FLAGS_SHIFT = 224;
    uint256 internal constant SIDE_INDEX_SHIFT = 232;

    uint256 internal constant META_CODE_SHIFT = 160;
    uint256 internal constant META_TIMESTAMP_SHIFT = 176;

    uint256 internal constant RECORD_STATUS_SHIFT = 8;
    uint256 internal constant RECORD_CODE_SHIFT = 16;
    uint256 internal constant RECORD_DEBIT_SHIFT = 32;
    uint256 internal constant RECORD_CREDIT_SHIFT = 56;
    uint256 internal constant RECORD_AMOUNT_SHIFT = 80;
    uint256 internal constant RECORD_EXTRA_SHIFT = 176;

    uint256 internal constant PENDING_TIMEOUT_SHIFT = 48;
    uint256 internal constant PENDING_CREATED_SHIFT = 16;
    uint256 internal constant PENDING_ID_TAG_SHIFT = 16;

    // ---------------------------------------------------------------- account sides

    function pending(uint256 side) internal pure returns (uint256) {
        return side & MASK_96;
    }

    function posted(uint256 side) internal pure returns (uint256) {
        return (side >> SIDE_POSTED_SHIFT) & MASK_96;
    }

    function total(uint256 side) internal pure returns (uint256) {
        return (side & MASK_96) + ((side >> SIDE_POSTED_SHIFT) & MASK_96);
    }

    function ledger(uint256 side) internal pure returns (uint256) {
        return (side >> SIDE_LEDGER_SHIFT) & MASK_32;
    }

    function flags(uint256 side) internal pure returns (uint256) {
        return (side >> SIDE_FLAGS_SHIFT) & MASK_8;
    }

    function index(uint256 side) internal pure returns (uint256) {
        return side >> SIDE_INDEX_SHIFT;
    }

    function newSide(uint256 ledger_, uint256 flags_, uint256 index_) internal pure returns (uint256) {
        return (ledger_ << SIDE_LEDGER_SHIFT) | (flags_ << SIDE_FLAGS_SHIFT) | (index_ << SIDE_INDEX_SHIFT);
    }

    function withFlags(uint256 side, uint256 flags_) internal pure returns (uint256) {
        return (side & ~(MASK_8 << SIDE_FLAGS_SHIFT)) | (flags_ << SIDE_FLAGS_SHIFT);
    }

    /// @dev Callers have checked that the pending balance stays within 96 bits.
    function addPending(uint256 side, uint256 value) internal pure returns (uint256) {
        return side + value;
    }

    /// @dev Callers have checked that the posted balance stays within 96 bits.
    function addPosted(uint256 side, uint256 value) internal pure returns (uint256) {
        return side + (value << SIDE_POSTED_SHIFT);
    }

    /// @dev Callers release only what a pending transfer reserved.
    function subPending(uint256 side, uint256 value) internal pure returns (uint256) {
        return side - value;
    }

    // ---------------------------------------------------------------- account meta

    function owner(uint256 meta) internal pure returns (address) {
        return address(uint160(meta));
    }

    function code(uint256 meta) internal pure returns (uint16) {
        return uint16(meta >> META_CODE_SHIFT);
    }

    function timestamp(uint256 meta) internal pure returns (uint64) {
        return uint64(meta >> META_TIMESTAMP_SHIFT);
    }

    function newMeta(address owner_, uint256 code_, uint256 timestamp_) internal pure returns (uint256) {
        return uint256(uint160(owner_)) | (code_ << META_CODE_SHIFT) | (timestamp_ << META_TIMESTAMP_SHIFT);
    }

    // ---------------------------------------------------------------- transfer records

    function newRecord(
        uint256 flags_,
        uint256 status_,
        uint256 code_,
        uint256 debitIndex_,
        uint256 creditIndex_,
        uint256 amount_,
        uint256 extra_
    ) internal pure returns (uint256) {
        return flags_ | (status_ << RECORD_STATUS_SHIFT) | (code_ << RECORD_CODE_SHIFT)
            | (debitIndex_ << RECORD_DEBIT_SHIFT) | (creditIndex_ << RECORD_CREDIT_SHIFT)
            | (amount_ << RECORD_AMOUNT_SHIFT) | (extra_ << RECORD_EXTRA_SHIFT);
    }

    function recordFlags(uint256 record) internal pure returns (uint256) {
        return record & MASK_8;
    }

    function status(uint256 record) internal pure returns (uint256) {
        return (record >> RECORD_STATUS_SHIFT) & MASK_8;
    }

    function withStatus(uint256 record, uint256 status_) internal pure returns (uint256) {
        return (record & ~(MASK_8 << RECORD_STATUS_SHIFT)) | (status_ << RECORD_STATUS_SHIFT);
    }

    function recordCode(uint256 record) internal pure returns (uint256) {
        return (record >> RECORD_CODE_SHIFT) & MASK_16;
    }

    function debitIndex(uint256 record) internal pure returns (uint256) {
        return (record >> RECORD_DEBIT_SHIFT) & MASK_24;
    }

    function creditIndex(uint256 record) internal pure returns (uint256) {
        return (record >> RECORD_CREDIT_SHIFT) & MASK_24;
    }

    function amount(uint256 record) internal pure returns (uint256) {
        return (record >> RECORD_AMOUNT_SHIFT) & MASK_96;
    }

    function extra(uint256 record) internal pure returns (uint256) {
        return record >> RECORD_EXTRA_SHIFT;
    }

    function pendingExtra(uint256 timeout_, uint256 created_, uint256 userTag) internal pure returns (uint256) {
        return (timeout_ << PENDING_TIMEOUT_SHIFT) | (created_ << PENDING_CREATED_SHIFT) | (userTag & MASK_16);
    }

    function pendingTimeout(uint256 record) internal pure returns (uint256) {
        return (record >> (RECORD_EXTRA_SHIFT + PENDING_TIMEOUT_SHIFT)) & MASK_32;
    }

    function pendingCreated(uint256 record) internal pure returns (uint256) {
        return (record >> (RECORD_EXTRA_SHIFT + PENDING_CREATED_SHIFT)) & MASK_32;
    }

    function userTag16(uint256 record) internal pure returns (uint256) {
        return (record >> RECORD_EXTRA_SHIFT) & MASK_16;
    }

    function postExtra(uint256 pendingTag, uint256 userTag) internal pure returns (uint256) {
        return ((pendingTag & MASK_64) << PENDING_ID_TAG_SHIFT) | (userTag & MASK_16);
    }

    function pendingIdTag(uint256 record) internal pure returns (uint256) {
        return (record >> (RECORD_EXTRA_SHIFT + PENDING_ID_TAG_SHIFT)) & MASK_64;
    }

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
