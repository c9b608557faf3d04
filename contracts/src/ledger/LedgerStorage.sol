// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {ISovrLedger} from "../interfaces/ISovrLedger.sol";
import {AccountMeta, AccountMetaLibrary, AccountSide, AccountSideLibrary, TransferRecord} from
    "../libraries/LedgerWords.sol";
import {SovrCodes} from "../libraries/SovrCodes.sol";

/// @title LedgerStorage: the ledger's roles, limits, storage layout and account bookkeeping
/// @notice The base every part of SovrLedger builds on: what is stored where, and the account helpers
/// that the transfer engine, the credit lines and the ERC-20 view share.
/// @dev Storage is laid out for the transfer hot path (see `LedgerWords`): a plain transfer reads and
/// writes one word per account side, reads the debit account's owner word (and its credits word when
/// its debits are bounded), and writes one fresh word for the transfer itself.
abstract contract LedgerStorage is ISovrLedger, AccessControlDefaultAdminRules {
    /// @notice May create accounts whose debits are not bounded by their credits (issuer accounts).
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");
    /// @notice May set credit lines and the supply account (held by SovrCredit).
    bytes32 public constant CREDIT_ROLE = keccak256("CREDIT_ROLE");
    /// @notice May pause the ledger (only the admin unpauses).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May freeze accounts (only the admin unfreezes).
    bytes32 public constant FREEZER_ROLE = keccak256("FREEZER_ROLE");
    /// @notice May apply transfers with an account owner's authority (`createTransferFor`, `createTransfersFor`): a
    /// contract that settles on its caller's behalf (SovrInvoices) or on terms the owner signed earlier (SovrOrders'
    /// standing orders, SovrCommitments' reservations). Held only by contracts the admin deployed for it.
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");

    /// @notice Largest balance an account side can hold (96 bits: about 7.9e22 dollars in micro-dollars).
    uint256 public constant MAX_BALANCE = type(uint96).max;
    /// @notice Largest number of accounts (24-bit account index).
    uint256 public constant MAX_ACCOUNTS = type(uint24).max;
    /// @notice The amount that means "the full pending amount" in a post, "as much as possible" when balancing.
    uint128 internal constant AMOUNT_MAX = type(uint128).max;
    /// @dev Account and transfer ids with this bit are minted by the ledger (primary accounts, ERC-20 view) or a
    /// settler, each in its own part of the range: SovrInvoices' payments set bit 126, SovrOrders' charges bit 125,
    /// SovrCommitments' milestones bit 124; the ERC-20 view counts in the low 120 bits.
    uint128 internal constant RESERVED_ID_BIT = uint128(1) << 127;
    /// @dev Transfer flags a caller may set (TigerBeetle's bits 0-7).
    uint256 internal constant USER_TRANSFER_FLAGS = 0xFF;
    /// @dev Account flags a caller may set at creation.
    uint256 internal constant USER_ACCOUNT_FLAGS =
        SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS | SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS | SovrCodes.CLOSED;
    /// @dev Both balance constraints: an account may have at most one.
    uint256 internal constant BOTH_CONSTRAINTS =
        SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS | SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS;
    /// @dev The flags of the second phase of a two-phase transfer.
    uint256 internal constant POST_OR_VOID = SovrCodes.POST_PENDING_TRANSFER | SovrCodes.VOID_PENDING_TRANSFER;
    /// @dev Flags a post or void may not carry.
    uint256 internal constant NOT_WITH_POST_OR_VOID = SovrCodes.PENDING | SovrCodes.BALANCING_DEBIT
        | SovrCodes.BALANCING_CREDIT | SovrCodes.CLOSING_DEBIT | SovrCodes.CLOSING_CREDIT;
    /// @dev Flags of a transfer that closes an account.
    uint256 internal constant CLOSING = SovrCodes.CLOSING_DEBIT | SovrCodes.CLOSING_CREDIT;
    /// @dev The balancing flags: the amount is capped to what the accounts allow.
    uint256 internal constant BALANCING = SovrCodes.BALANCING_DEBIT | SovrCodes.BALANCING_CREDIT;
    /// @dev Pending records keep their creation time in 32 bits, in seconds since deployment.
    uint256 internal constant MAX_LEDGER_TIME = type(uint32).max;

    /// @notice An account: three words (see `LedgerWords`).
    struct AccountWords {
        AccountSide debits;
        AccountSide credits;
        AccountMeta meta;
    }

    /// @notice A credit line as stored: one word.
    struct CreditLineStorage {
        uint96 limit;
        uint64 expiresAt;
        bool frozen;
    }

    /// @notice A ledger's credit totals as stored: one word.
    struct CreditTotalsStorage {
        uint128 extended;
        uint128 used;
    }

    mapping(uint128 id => AccountWords) internal _accounts;
    mapping(uint256 index => uint128 id) internal _accountIdAt;
    mapping(uint128 id => TransferRecord record) internal _transfers;
    mapping(address owner => mapping(address operator => bool)) internal _operators;
    mapping(uint128 accountId => CreditLineStorage) internal _creditLines;
    mapping(uint32 ledger => CreditTotalsStorage) internal _creditTotals;
    uint256 internal _accountCount;
    // One word: the pause flag, the ERC-20 view's transfer counter and the supply account. An ERC-20 view
    // transfer increments the counter and then reads the pause flag from the same, now warm, word.
    bool internal _paused;
    uint120 internal _tokenTransferCount;
    /// @inheritdoc ISovrLedger
    uint128 public supplyAccountId;

    // ================================================================ primary accounts

    /// @inheritdoc ISovrLedger
    function openPrimaryAccount(address holder) public returns (uint128 id) {
        id = primaryAccountId(holder);
        if (_accounts[id].debits.isEmpty()) {
            _storeAccount(
                id,
                holder,
                SovrCodes.LEDGER_USD,
                SovrCodes.ACCOUNT_HOLDER,
                uint16(SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS)
            );
        }
    }

    /// @inheritdoc ISovrLedger
    function primaryAccountId(address holder) public pure returns (uint128) {
        return RESERVED_ID_BIT | uint128(uint160(holder));
    }

    // ================================================================ pause

    /// @inheritdoc ISovrLedger
    function paused() public view returns (bool) {
        return _paused;
    }

    // ================================================================ internals

    /// @dev Pauses the ledger (as OpenZeppelin's `Pausable`, whose events and errors it keeps).
    function _pause() internal {
        if (_paused) revert EnforcedPause();
        _paused = true;
        emit Paused(msg.sender);
    }

    /// @dev Resumes the ledger.
    function _unpause() internal {
        if (!_paused) revert ExpectedPause();
        _paused = false;
        emit Unpaused(msg.sender);
    }

    /// @dev Validates and applies one transfer; returns its result and changes nothing unless `Ok`.
    function _createTransfer(Transfer memory t, address authority, bool ledgerMinted)
        internal
        virtual
        returns (TransferResult);

    /// @dev Stores a new account under the next index; emits `AccountCreated`.
    function _storeAccount(uint128 id, address owner, uint32 ledger, uint16 code, uint16 flags) internal {
        uint256 index = _accountCount + 1;
        if (index > MAX_ACCOUNTS) revert AccountIndexExhausted();
        _accountCount = index;
        AccountWords storage s = _accounts[id];
        AccountSide side = AccountSideLibrary.create(ledger, flags, index);
        s.debits = side;
        s.credits = side;
        s.meta = AccountMetaLibrary.create(owner, code, block.timestamp);
        _accountIdAt[index] = id;
        emit AccountCreated(id, owner, ledger, code, flags);
    }

    /// @dev Account flags live on both sides; keep them equal.
    function _setAccountFlag(uint128 id, uint256 flag, bool on) internal {
        AccountWords storage s = _accounts[id];
        AccountSide debits = s.debits;
        if (debits.isEmpty()) revert AccountNotFound(id);
        uint256 flags = debits.flags();
        if ((flags & flag != 0) == on) {
            if (flag == SovrCodes.FROZEN) revert AccountFrozenStateUnchanged(id);
            return;
        }
        flags = on ? flags | flag : flags & ~flag;
        s.debits = debits.withFlags(flags);
        s.credits = s.credits.withFlags(flags);
    }

    /// @dev Whether `authority` may act for `owner`: it is the owner or an approved operator.
    function _isAuthorized(address owner, address authority) internal view returns (bool) {
        return owner == authority || _operators[owner][authority];
    }
}
