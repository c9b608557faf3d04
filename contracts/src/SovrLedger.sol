// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {LedgerWords} from "./libraries/LedgerWords.sol";
import {SovrCodes} from "./libraries/SovrCodes.sol";
import {SovrRelay} from "./SovrRelay.sol";
import {SovrToken} from "./SovrToken.sol";

/// @title SovrLedger: double-entry settlement with TigerBeetle's semantics
/// @notice Accounts hold posted and pending debits and credits; transfers are immutable, idempotent
/// by id, optionally two-phase with a timeout, and can be linked into all-or-nothing chains.
/// Debits need the debit account owner's authority: the owner, an approved operator, or the
/// owner's EIP-712 signature relayed by anyone through `relay`.
/// @dev Storage is laid out for the transfer hot path (see `LedgerWords`): a plain transfer reads and
/// writes one word per account side, reads the debit account's owner word (and its credits word when
/// its debits are bounded), and writes one fresh word for the transfer itself.
contract SovrLedger is ISovrLedger, AccessControlDefaultAdminRules, Pausable {
    using LedgerWords for uint256;

    /// @notice May create accounts whose debits are not bounded by their credits (issuer accounts).
    bytes32 public constant TREASURY_ROLE = keccak256("TREASURY_ROLE");
    /// @notice May set credit lines and the supply account (held by SovrCredit).
    bytes32 public constant CREDIT_ROLE = keccak256("CREDIT_ROLE");
    /// @notice May pause the ledger (only the admin unpauses).
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice May freeze accounts (only the admin unfreezes).
    bytes32 public constant FREEZER_ROLE = keccak256("FREEZER_ROLE");

    /// @notice Largest balance an account side can hold (96 bits: about 7.9e22 dollars in micro-dollars).
    uint256 public constant MAX_BALANCE = type(uint96).max;
    /// @notice Largest number of accounts (24-bit account index).
    uint256 public constant MAX_ACCOUNTS = type(uint24).max;
    /// @notice The amount that means "the full pending amount" in a post, "as much as possible" when balancing.
    uint128 internal constant AMOUNT_MAX = type(uint128).max;
    /// @dev Account and transfer ids with this bit are minted by the ledger (primary accounts, ERC-20 view).
    uint128 internal constant RESERVED_ID_BIT = uint128(1) << 127;
    /// @dev Transfer flags a caller may set (TigerBeetle's bits 0-7).
    uint256 internal constant USER_TRANSFER_FLAGS = 0xFF;
    /// @dev Account flags a caller may set at creation.
    uint256 internal constant USER_ACCOUNT_FLAGS =
        SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS | SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS | SovrCodes.CLOSED;
    uint256 internal constant BOTH_CONSTRAINTS =
        SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS | SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS;
    uint256 internal constant POST_OR_VOID = SovrCodes.POST_PENDING_TRANSFER | SovrCodes.VOID_PENDING_TRANSFER;
    uint256 internal constant NOT_WITH_POST_OR_VOID = SovrCodes.PENDING | SovrCodes.BALANCING_DEBIT
        | SovrCodes.BALANCING_CREDIT | SovrCodes.CLOSING_DEBIT | SovrCodes.CLOSING_CREDIT;
    uint256 internal constant CLOSING = SovrCodes.CLOSING_DEBIT | SovrCodes.CLOSING_CREDIT;
    /// @dev Pending records keep their creation time in 32 bits, in seconds since deployment.
    uint256 internal constant MAX_LEDGER_TIME = type(uint32).max;

    /// @notice An account: three words (see `LedgerWords`).
    struct AccountWords {
        uint256 debits;
        uint256 credits;
        uint256 meta;
    }

    struct CreditLineStorage {
        uint96 limit;
        uint64 expiresAt;
        bool frozen;
    }

    struct CreditTotalsStorage {
        uint128 extended;
        uint128 used;
    }

    /// @dev Internal: a linked chain stopped at `offset` with `result` (or ran to the end when rolled back).
    error ChainBroken(uint256 offset, TransferResult result);

    /// @notice The ERC-20 view of ledger 840, deployed by this contract and trusted by it alone.
    SovrToken public immutable token;
    /// @notice The EIP-712 relay for signed transfers, deployed by this contract and trusted by it alone.
    SovrRelay public immutable relay;
    /// @notice Deployment time; pending transfers keep their creation time relative to it.
    uint256 public immutable epoch;

    mapping(uint128 id => AccountWords) internal _accounts;
    mapping(uint256 index => uint128 id) internal _accountIdAt;
    mapping(uint128 id => uint256 record) internal _transfers;
    mapping(address owner => mapping(address operator => bool)) internal _operators;
    mapping(uint128 accountId => CreditLineStorage) internal _creditLines;
    mapping(uint32 ledger => CreditTotalsStorage) internal _creditTotals;
    uint256 internal _accountCount;
    uint128 internal _tokenTransferCount;
    /// @inheritdoc ISovrLedger
    uint128 public supplyAccountId;

    /// @param admin The owner: holds DEFAULT_ADMIN_ROLE (transferable to a Safe with `beginDefaultAdminTransfer`).
    /// @param adminTransferDelay Seconds a started admin transfer must wait before it can be accepted.
    constructor(address admin, uint48 adminTransferDelay) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        epoch = block.timestamp;
        token = new SovrToken(this);
        relay = new SovrRelay(this);
    }

    // ================================================================ accounts

    /// @inheritdoc ISovrLedger
    function createAccount(uint128 id, uint32 ledger, uint16 code, uint16 flags) external {
        if (flags & ~USER_ACCOUNT_FLAGS != 0) revert AccountReservedFlag(flags);
        if (id == 0) revert AccountIdMustNotBeZero();
        if (id == AMOUNT_MAX) revert AccountIdMustNotBeIntMax();
        if (id & RESERVED_ID_BIT != 0) revert AccountIdReserved(id);
        if (_accounts[id].debits != 0) revert AccountExists(id);
        if (flags & BOTH_CONSTRAINTS == BOTH_CONSTRAINTS) revert AccountFlagsAreMutuallyExclusive();
        if (ledger == 0) revert AccountLedgerMustNotBeZero();
        if (code == 0) revert AccountCodeMustNotBeZero();
        if (flags & SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS == 0 && !hasRole(TREASURY_ROLE, msg.sender)) {
            revert UnboundedAccountNotAllowed();
        }
        _storeAccount(id, msg.sender, ledger, code, flags);
    }

    /// @inheritdoc ISovrLedger
    function openPrimaryAccount(address holder) public returns (uint128 id) {
        id = primaryAccountId(holder);
        if (_accounts[id].debits == 0) {
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

    /// @notice Approves or revokes `operator` to debit all of the caller's accounts.
    /// @param operator The address acting for the caller.
    /// @param approved Whether it may.
    function setOperator(address operator, bool approved) external {
        if (operator == address(0) || operator == msg.sender) revert InvalidOperator(operator);
        _operators[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
    }

    /// @inheritdoc ISovrLedger
    function isOperator(address owner, address operator) external view returns (bool) {
        return _operators[owner][operator];
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
    function getAccount(uint128 id) external view returns (Account memory) {
        AccountWords storage s = _accounts[id];
        uint256 debits = s.debits;
        if (debits == 0) revert AccountNotFound(id);
        uint256 credits = s.credits;
        uint256 meta = s.meta;
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

    /// @notice Returns what an account can still spend: credits posted plus its usable credit line
    /// minus debits posted and pending (zero when negative).
    /// @param id The account.
    function availableBalance(uint128 id) external view returns (uint256) {
        AccountWords storage s = _accounts[id];
        uint256 debits = s.debits;
        uint256 room = s.credits.posted() + _usableLimit(id, debits.flags());
        return room > debits.total() ? room - debits.total() : 0;
    }

    // ================================================================ transfers

    /// @inheritdoc ISovrLedger
    function createTransfer(Transfer calldata transfer) external {
        _applyOrRevert(_load(transfer, _newTransferBuffer()), msg.sender, false);
    }

    /// @inheritdoc ISovrLedger
    function createTransferAs(address authority, Transfer calldata transfer) external {
        if (msg.sender != address(relay)) revert OnlyRelay(msg.sender);
        _applyOrRevert(_load(transfer, _newTransferBuffer()), authority, false);
    }

    /// @inheritdoc ISovrLedger
    function createTransfers(Transfer[] calldata transfers) external returns (TransferResult[] memory results) {
        uint256 n = transfers.length;
        if (n == 0) revert EmptyBatch();
        results = new TransferResult[](n);
        // One buffer for every member: each is copied over the previous one.
        Transfer memory t = _newTransferBuffer();
        uint256 i;
        while (i < n) {
            if (_load(transfers[i], t).flags & SovrCodes.LINKED == 0) {
                TransferResult result = _createTransfer(t, msg.sender, false);
                if (result != TransferResult.Ok) {
                    results[i] = result;
                    emit TransferRejected(t.id, i, result);
                }
                unchecked {
                    ++i;
                }
                continue;
            }
            uint256 end = i;
            while (end < n && transfers[end].flags & SovrCodes.LINKED != 0) {
                unchecked {
                    ++end;
                }
            }
            // An open chain (the batch ends inside it) runs up to its last member and is always rolled
            // back: TigerBeetle reports the first failure inside it and `LinkedEventChainOpen` for the last.
            bool open = end == n;
            uint256 last = open ? n - 1 : end;
            _runChain(transfers, i, open ? last : last + 1, open, results);
            if (open) results[last] = TransferResult.LinkedEventChainOpen;
            for (uint256 k = i; k <= last; ++k) {
                if (results[k] != TransferResult.Ok) emit TransferRejected(transfers[k].id, k, results[k]);
            }
            i = last + 1;
        }
    }

    /// @notice Runs a linked chain in a sub-call so that a failure anywhere undoes all of it.
    /// @dev Callable only by this contract. Reverts with `ChainBroken`; returns normally only when
    /// every member applied and `rollback` is false.
    /// @param authority The address whose authority the chain uses.
    /// @param chain The chain's transfers.
    /// @param rollback Undo the chain even if every member applies (open chains).
    function executeLinkedChain(address authority, Transfer[] calldata chain, bool rollback) external {
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        uint256 n = chain.length;
        Transfer memory t = _newTransferBuffer();
        for (uint256 k; k < n; ++k) {
            TransferResult result = _createTransfer(_load(chain[k], t), authority, false);
            if (result != TransferResult.Ok) revert ChainBroken(k, result);
        }
        if (rollback) revert ChainBroken(n, TransferResult.Ok);
    }

    /// @notice Releases a pending transfer whose timeout has passed; anyone may call it, also while paused.
    /// @param pendingId The pending transfer.
    function expirePendingTransfer(uint128 pendingId) external {
        uint256 p = _transfers[pendingId];
        if (p == 0) revert PendingTransferNotFound(pendingId);
        if (p.recordFlags() & SovrCodes.PENDING == 0) revert PendingTransferNotPending(pendingId);
        uint256 status = p.status();
        if (status == uint256(PendingStatus.Posted)) revert PendingTransferAlreadyPosted(pendingId);
        if (status == uint256(PendingStatus.Voided)) revert PendingTransferAlreadyVoided(pendingId);
        if (status == uint256(PendingStatus.Expired)) revert PendingTransferExpired(pendingId);
        if (!_isOverdue(p)) revert PendingTransferNotExpired(pendingId);
        _expire(pendingId, p);
    }

    /// @notice Releases every overdue pending transfer among `pendingIds`, skipping the others.
    /// @param pendingIds Candidates (the keeper's list).
    /// @return expired How many were released.
    function expirePendingTransfers(uint128[] calldata pendingIds) external returns (uint256 expired) {
        for (uint256 k; k < pendingIds.length; ++k) {
            uint256 p = _transfers[pendingIds[k]];
            if (
                p.recordFlags() & SovrCodes.PENDING != 0 && p.status() == uint256(PendingStatus.Pending)
                    && _isOverdue(p)
            ) {
                _expire(pendingIds[k], p);
                ++expired;
            }
        }
    }

    /// @notice Returns a stored transfer; reverts with `PendingTransferNotFound` if the id is unknown.
    /// @param id The transfer id.
    function getTransfer(uint128 id) external view returns (StoredTransfer memory stored) {
        uint256 r = _transfers[id];
        if (r == 0) revert PendingTransferNotFound(id);
        stored.id = id;
        stored.debitAccountId = _accountIdAt[r.debitIndex()];
        stored.creditAccountId = _accountIdAt[r.creditIndex()];
        stored.amount = uint128(r.amount());
        stored.code = uint16(r.recordCode());
        stored.flags = uint16(r.recordFlags());
        stored.status = PendingStatus(r.status());
        if (r.recordFlags() & SovrCodes.PENDING != 0) {
            stored.timeout = uint32(r.pendingTimeout());
            stored.timestamp = uint64(epoch + r.pendingCreated());
        } else if (r.recordFlags() & POST_OR_VOID == 0) {
            stored.userDataTag = uint64(r.extra());
        }
    }

    // ================================================================ credit lines and supply

    /// @inheritdoc ISovrLedger
    function setCreditLine(uint128 accountId, uint128 limit, uint64 expiresAt) external onlyRole(CREDIT_ROLE) {
        uint256 debits = _accounts[accountId].debits;
        if (debits == 0) revert AccountNotFound(accountId);
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
    function creditLineOf(uint128 accountId) external view returns (CreditLine memory) {
        CreditLineStorage memory line = _creditLines[accountId];
        return CreditLine({limit: line.limit, expiresAt: line.expiresAt, frozen: line.frozen});
    }

    /// @inheritdoc ISovrLedger
    function creditTotals(uint32 ledger) external view returns (uint128 extended, uint128 used) {
        CreditTotalsStorage memory totals = _creditTotals[ledger];
        return (totals.extended, totals.used);
    }

    /// @inheritdoc ISovrLedger
    function setSupplyAccount(uint128 accountId) external onlyRole(CREDIT_ROLE) {
        if (_accounts[accountId].debits.ledger() != SovrCodes.LEDGER_USD) revert AccountNotFound(accountId);
        supplyAccountId = accountId;
        emit SupplyAccountSet(accountId);
    }

    // ================================================================ pause

    /// @notice Pauses every balance change except voids and expiries.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes the ledger (owner only).
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ================================================================ ERC-20 view

    /// @inheritdoc ISovrLedger
    function settleTokenTransfer(address from, address to, uint128 amount) external {
        if (msg.sender != address(token)) revert OnlyToken(msg.sender);
        uint128 id;
        unchecked {
            id = RESERVED_ID_BIT | ++_tokenTransferCount;
        }
        Transfer memory t = Transfer({
            id: id,
            // EIP-20: a transfer of 0 is a normal transfer, also from an address that has no account yet.
            debitAccountId: amount == 0 ? openPrimaryAccount(from) : primaryAccountId(from),
            creditAccountId: openPrimaryAccount(to),
            amount: amount,
            pendingId: 0,
            userData: bytes32(0),
            timeout: 0,
            ledger: SovrCodes.LEDGER_USD,
            code: SovrCodes.TRANSFER_PAYMENT,
            flags: 0
        });
        TransferResult result = _createTransfer(t, from, true);
        if (result == TransferResult.Ok) return;
        if (result == TransferResult.ExceedsCredits || result == TransferResult.DebitAccountNotFound) {
            revert IERC20Errors.ERC20InsufficientBalance(from, tokenBalanceOf(from), amount);
        }
        _revertWith(result, id);
    }

    /// @inheritdoc ISovrLedger
    function tokenBalanceOf(address holder) public view returns (uint256) {
        AccountWords storage s = _accounts[primaryAccountId(holder)];
        uint256 debits = s.debits.total();
        uint256 credits = s.credits.posted();
        return credits > debits ? credits - debits : 0;
    }

    /// @inheritdoc ISovrLedger
    function tokenSupply() external view returns (uint256) {
        AccountWords storage s = _accounts[supplyAccountId];
        uint256 debits = s.debits.posted();
        uint256 credits = s.credits.posted();
        return debits > credits ? debits - credits : 0;
    }

    // ================================================================ internals: transfers

    /// @dev A fresh, zeroed transfer buffer in memory.
    function _newTransferBuffer() internal pure returns (Transfer memory t) {}

    /// @dev Copies a calldata transfer into `buffer` with one `calldatacopy`, then checks every narrow
    /// field in one go (Solidity would re-validate a calldata member on each access).
    function _load(Transfer calldata source, Transfer memory buffer) internal pure returns (Transfer memory) {
        bytes4 invalidEncoding = InvalidTransferEncoding.selector;
        assembly ("memory-safe") {
            calldatacopy(buffer, source, 0x140)
            let dirty := or(shr(128, mload(buffer)), shr(128, mload(add(buffer, 0x20))))
            dirty := or(dirty, or(shr(128, mload(add(buffer, 0x40))), shr(128, mload(add(buffer, 0x60)))))
            dirty := or(dirty, or(shr(128, mload(add(buffer, 0x80))), shr(32, mload(add(buffer, 0xc0)))))
            dirty := or(dirty, or(shr(32, mload(add(buffer, 0xe0))), shr(16, mload(add(buffer, 0x100)))))
            dirty := or(dirty, shr(16, mload(add(buffer, 0x120))))
            if dirty {
                mstore(0x00, invalidEncoding)
                revert(0x00, 0x04)
            }
        }
        return buffer;
    }

    function _applyOrRevert(Transfer memory t, address authority, bool ledgerMinted) internal {
        // A lone transfer with LINKED is a batch whose chain never closes.
        TransferResult result = t.flags & SovrCodes.LINKED != 0
            ? TransferResult.LinkedEventChainOpen
            : _createTransfer(t, authority, ledgerMinted);
        if (result != TransferResult.Ok) _revertWith(result, t.id);
    }

    /// @dev Validates and applies one transfer; returns its result and changes nothing unless `Ok`.
    function _createTransfer(Transfer memory t, address authority, bool ledgerMinted)
        internal
        returns (TransferResult)
    {
        uint256 flags = t.flags;
        uint128 id = t.id;
        if (flags & ~USER_TRANSFER_FLAGS != 0) return TransferResult.ReservedFlag;
        if (id == 0) return TransferResult.IdMustNotBeZero;
        if (id == AMOUNT_MAX) return TransferResult.IdMustNotBeIntMax;
        if (id & RESERVED_ID_BIT != 0 && !ledgerMinted) return TransferResult.IdReserved;
        uint256 existing = _transfers[id];
        if (existing != 0) return _compareExisting(t, existing);
        if (flags & SovrCodes.VOID_PENDING_TRANSFER == 0 && paused()) return TransferResult.LedgerPaused;
        if (flags & POST_OR_VOID != 0) return _postOrVoid(t, authority);
        return _createSinglePhaseOrPending(t, authority);
    }

    /// @dev A new ordinary or pending transfer (TigerBeetle's `create_transfer` after the exists check).
    function _createSinglePhaseOrPending(Transfer memory t, address authority) internal returns (TransferResult) {
        uint256 flags = t.flags;
        uint128 drId = t.debitAccountId;
        uint128 crId = t.creditAccountId;
        if (drId == 0) return TransferResult.DebitAccountIdMustNotBeZero;
        if (drId == AMOUNT_MAX) return TransferResult.DebitAccountIdMustNotBeIntMax;
        if (crId == 0) return TransferResult.CreditAccountIdMustNotBeZero;
        if (crId == AMOUNT_MAX) return TransferResult.CreditAccountIdMustNotBeIntMax;
        if (drId == crId) return TransferResult.AccountsMustBeDifferent;
        if (t.pendingId != 0) return TransferResult.PendingIdMustBeZero;
        bool pending = flags & SovrCodes.PENDING != 0;
        if (!pending) {
            if (t.timeout != 0) return TransferResult.TimeoutReservedForPendingTransfer;
            if (flags & CLOSING != 0) return TransferResult.ClosingTransferMustBePending;
        }
        if (t.ledger == 0) return TransferResult.LedgerMustNotBeZero;
        if (t.code == 0) return TransferResult.CodeMustNotBeZero;

        AccountWords storage dr = _accounts[drId];
        AccountWords storage cr = _accounts[crId];
        uint256 drDebits = dr.debits;
        if (drDebits == 0) return TransferResult.DebitAccountNotFound;
        uint256 crCredits = cr.credits;
        if (crCredits == 0) return TransferResult.CreditAccountNotFound;
        if (drDebits.ledger() != crCredits.ledger()) return TransferResult.AccountsMustHaveTheSameLedger;
        if (t.ledger != drDebits.ledger()) return TransferResult.TransferMustHaveTheSameLedgerAsAccounts;
        if (!_isAuthorized(dr.meta.owner(), authority)) return TransferResult.NotAuthorized;
        if (flags & SovrCodes.CLOSING_CREDIT != 0 && !_isAuthorized(cr.meta.owner(), authority)) {
            return TransferResult.NotAuthorized;
        }
        uint256 drFlags = drDebits.flags();
        uint256 crFlags = crCredits.flags();
        if (drFlags & SovrCodes.CLOSED != 0) return TransferResult.DebitAccountAlreadyClosed;
        if (crFlags & SovrCodes.CLOSED != 0) return TransferResult.CreditAccountAlreadyClosed;
        if (drFlags & SovrCodes.FROZEN != 0) return TransferResult.DebitAccountFrozen;
        if (crFlags & SovrCodes.FROZEN != 0) return TransferResult.CreditAccountFrozen;

        // The opposite sides are read only when a flag needs them.
        uint256 drCredits;
        uint256 crDebits;
        if (drFlags & (SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS | SovrCodes.HAS_CREDIT_LINE) != 0
            || flags & SovrCodes.BALANCING_DEBIT != 0) {
            drCredits = dr.credits;
        }
        if (crFlags & (SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS | SovrCodes.HAS_CREDIT_LINE) != 0
            || flags & SovrCodes.BALANCING_CREDIT != 0) {
            crDebits = cr.debits;
        }

        uint256 amount = flags & (SovrCodes.BALANCING_DEBIT | SovrCodes.BALANCING_CREDIT) == 0
            ? t.amount
            : _balancedAmount(t.amount, flags, drId, drDebits, drCredits, crDebits, crCredits);
        uint256 created;
        // Balances are below 2^96 and amounts below 2^128, so none of these sums can wrap.
        unchecked {
            if (pending) {
                if (drDebits.pending() + amount > MAX_BALANCE) return TransferResult.OverflowsDebitsPending;
                if (crCredits.pending() + amount > MAX_BALANCE) return TransferResult.OverflowsCreditsPending;
            }
            if (drDebits.posted() + amount > MAX_BALANCE) return TransferResult.OverflowsDebitsPosted;
            if (crCredits.posted() + amount > MAX_BALANCE) return TransferResult.OverflowsCreditsPosted;
            uint256 drDebitsAfter = drDebits.total() + amount;
            if (drDebitsAfter > MAX_BALANCE) return TransferResult.OverflowsDebits;
            uint256 crCreditsAfter = crCredits.total() + amount;
            if (crCreditsAfter > MAX_BALANCE) return TransferResult.OverflowsCredits;
            created = block.timestamp - epoch;
            if (pending && created + t.timeout > MAX_LEDGER_TIME) return TransferResult.OverflowsTimeout;
            // A debit of nothing adds no credit use: an account above its (lowered, frozen or expired) line
            // still gets its balancing (capped to 0) and zero-amount transfers, as in TigerBeetle.
            if (
                drFlags & SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS != 0 && amount != 0
                    && drDebitsAfter > drCredits.posted()
            ) {
                TransferResult lineResult = _checkCreditLine(drId, drFlags, drDebitsAfter, drCredits.posted());
                if (lineResult != TransferResult.Ok) return lineResult;
            }
            if (crFlags & SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS != 0 && crCreditsAfter > crDebits.posted()) {
                return TransferResult.ExceedsDebits;
            }
        }

        // ---- effects
        bool tracked = (drFlags | crFlags) & SovrCodes.HAS_CREDIT_LINE != 0;
        uint256 useBefore = tracked ? _creditUse(drDebits, drCredits) + _creditUse(crDebits, crCredits) : 0;
        if (pending) {
            drDebits = drDebits.addPending(amount);
            crCredits = crCredits.addPending(amount);
        } else {
            drDebits = drDebits.addPosted(amount);
            crCredits = crCredits.addPosted(amount);
        }
        dr.debits = drDebits;
        cr.credits = crCredits;
        if (tracked) {
            uint256 useAfter = _creditUse(drDebits, drCredits) + _creditUse(crDebits, crCredits);
            _trackCreditUse(drDebits.ledger(), useBefore, useAfter);
        }
        if (flags & SovrCodes.CLOSING_DEBIT != 0) _setAccountFlag(drId, SovrCodes.CLOSED, true);
        if (flags & SovrCodes.CLOSING_CREDIT != 0) _setAccountFlag(crId, SovrCodes.CLOSED, true);

        uint256 userTag = LedgerWords.tag(t.userData);
        _transfers[t.id] = LedgerWords.newRecord(
            flags,
            pending ? uint256(PendingStatus.Pending) : uint256(PendingStatus.None),
            t.code,
            drDebits.index(),
            crCredits.index(),
            amount,
            pending ? LedgerWords.pendingExtra(t.timeout, created, userTag) : userTag & LedgerWords.MASK_80
        );
        _emitTransferCreated(t, drId, crId, amount, drDebits.ledger(), t.code);
        return TransferResult.Ok;
    }

    /// @dev A balancing transfer moves at most what the account can: its credits (plus usable line)
    /// beyond its debits, or the mirror for the credit side. Other transfers move `requested`.
    function _balancedAmount(
        uint256 requested,
        uint256 flags,
        uint128 drId,
        uint256 drDebits,
        uint256 drCredits,
        uint256 crDebits,
        uint256 crCredits
    ) internal view returns (uint256 amount) {
        amount = requested;
        if (flags & SovrCodes.BALANCING_DEBIT != 0) {
            uint256 room = drCredits.posted() + _usableLimit(drId, drDebits.flags());
            amount = _min(amount, room > drDebits.total() ? room - drDebits.total() : 0);
        }
        if (flags & SovrCodes.BALANCING_CREDIT != 0) {
            amount = _min(amount, crDebits.posted() > crCredits.total() ? crDebits.posted() - crCredits.total() : 0);
        }
    }

    /// @dev Posts or voids a pending transfer (TigerBeetle's `post_or_void_pending_transfer`).
    function _postOrVoid(Transfer memory t, address authority) internal returns (TransferResult) {
        uint256 flags = t.flags;
        uint128 pendingId = t.pendingId;
        bool isVoid = flags & SovrCodes.VOID_PENDING_TRANSFER != 0;
        if (flags & POST_OR_VOID == POST_OR_VOID) return TransferResult.FlagsAreMutuallyExclusive;
        if (flags & NOT_WITH_POST_OR_VOID != 0) return TransferResult.FlagsAreMutuallyExclusive;
        if (pendingId == 0) return TransferResult.PendingIdMustNotBeZero;
        if (pendingId == AMOUNT_MAX) return TransferResult.PendingIdMustNotBeIntMax;
        if (pendingId == t.id) return TransferResult.PendingIdMustBeDifferent;
        if (t.timeout != 0) return TransferResult.TimeoutReservedForPendingTransfer;
        uint256 p = _transfers[pendingId];
        if (p == 0) return TransferResult.PendingTransferNotFound;
        if (p.recordFlags() & SovrCodes.PENDING == 0) return TransferResult.PendingTransferNotPending;

        // Zero account ids mean "the pending transfer's"; naming them saves the index lookups.
        uint128 drId = t.debitAccountId == 0 ? _accountIdAt[p.debitIndex()] : t.debitAccountId;
        uint128 crId = t.creditAccountId == 0 ? _accountIdAt[p.creditIndex()] : t.creditAccountId;
        AccountWords storage dr = _accounts[drId];
        AccountWords storage cr = _accounts[crId];
        uint256 drDebits = dr.debits;
        if (drDebits == 0 || drDebits.index() != p.debitIndex()) {
            return TransferResult.PendingTransferHasDifferentDebitAccountId;
        }
        uint256 crCredits = cr.credits;
        if (crCredits == 0 || crCredits.index() != p.creditIndex()) {
            return TransferResult.PendingTransferHasDifferentCreditAccountId;
        }
        if (t.ledger != 0 && t.ledger != drDebits.ledger()) return TransferResult.PendingTransferHasDifferentLedger;
        if (t.code != 0 && t.code != p.recordCode()) return TransferResult.PendingTransferHasDifferentCode;

        uint256 amount = t.amount;
        if (isVoid ? amount == 0 : amount == AMOUNT_MAX) amount = p.amount();
        if (amount > p.amount()) return TransferResult.ExceedsPendingTransferAmount;
        if (isVoid && amount < p.amount()) return TransferResult.PendingTransferHasDifferentAmount;
        uint256 status = p.status();
        if (status == uint256(PendingStatus.Posted)) return TransferResult.PendingTransferAlreadyPosted;
        if (status == uint256(PendingStatus.Voided)) return TransferResult.PendingTransferAlreadyVoided;
        if (status == uint256(PendingStatus.Expired) || _isOverdue(p)) return TransferResult.PendingTransferExpired;
        // Posting needs the debit owner's authority; the payee may also release a hold by voiding it.
        if (!_isAuthorized(dr.meta.owner(), authority) && !(isVoid && _isAuthorized(cr.meta.owner(), authority))) {
            return TransferResult.NotAuthorized;
        }
        if (!isVoid) {
            if (drDebits.flags() & SovrCodes.CLOSED != 0) return TransferResult.DebitAccountAlreadyClosed;
            if (crCredits.flags() & SovrCodes.CLOSED != 0) return TransferResult.CreditAccountAlreadyClosed;
            if (drDebits.flags() & SovrCodes.FROZEN != 0) return TransferResult.DebitAccountFrozen;
            if (crCredits.flags() & SovrCodes.FROZEN != 0) return TransferResult.CreditAccountFrozen;
        }

        // ---- effects
        _releasePending(dr, cr, p.amount(), drDebits, crCredits, isVoid ? 0 : amount);
        _transfers[pendingId] = p.withStatus(isVoid ? uint256(PendingStatus.Voided) : uint256(PendingStatus.Posted));
        if (isVoid && p.recordFlags() & CLOSING != 0) _reopenClosed(drId, crId, p.recordFlags());
        uint256 userTag = t.userData == bytes32(0) ? p.userTag16() : LedgerWords.tag(t.userData);
        _transfers[t.id] = LedgerWords.newRecord(
            flags,
            uint256(PendingStatus.None),
            p.recordCode(),
            p.debitIndex(),
            p.creditIndex(),
            amount,
            LedgerWords.postExtra(LedgerWords.tag(bytes32(uint256(pendingId))), userTag)
        );
        _emitTransferCreated(t, drId, crId, amount, drDebits.ledger(), p.recordCode());
        return TransferResult.Ok;
    }

    /// @dev Idempotency: compares a resent transfer with the stored one (TigerBeetle's `create_transfer_exists`).
    function _compareExisting(Transfer memory t, uint256 e) internal view returns (TransferResult) {
        uint256 storedFlags = e.recordFlags();
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
            uint256 p = _transfers[t.pendingId];
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
            if (t.code != 0 && t.code != e.recordCode()) return TransferResult.ExistsWithDifferentCode;
            return TransferResult.Exists;
        }
        if (t.debitAccountId != drId) return TransferResult.ExistsWithDifferentDebitAccountId;
        if (t.creditAccountId != crId) return TransferResult.ExistsWithDifferentCreditAccountId;
        bool balancing = storedFlags & (SovrCodes.BALANCING_DEBIT | SovrCodes.BALANCING_CREDIT) != 0;
        if (balancing ? t.amount < e.amount() : t.amount != e.amount()) return TransferResult.ExistsWithDifferentAmount;
        bool sameUserData = pending
            ? userTag & LedgerWords.MASK_16 == e.userTag16()
            : userTag & LedgerWords.MASK_80 == e.extra();
        if (!sameUserData) return TransferResult.ExistsWithDifferentUserData;
        if (t.ledger != _accounts[drId].debits.ledger()) return TransferResult.ExistsWithDifferentLedger;
        if (t.code != e.recordCode()) return TransferResult.ExistsWithDifferentCode;
        return TransferResult.Exists;
    }

    /// @dev Emits `TransferCreated` from scratch memory (no allocation: batches emit one per transfer).
    function _emitTransferCreated(
        Transfer memory t,
        uint128 drId,
        uint128 crId,
        uint256 amount,
        uint256 ledger,
        uint256 code
    ) internal {
        uint128 id = t.id;
        uint128 pendingId = t.pendingId;
        bytes32 userData = t.userData;
        uint256 details = t.flags | (code << 16) | (ledger << 32) | (uint256(t.timeout) << 64);
        bytes32 topic = TransferCreated.selector;
        assembly ("memory-safe") {
            let m := mload(0x40)
            mstore(m, amount)
            mstore(add(m, 0x20), pendingId)
            mstore(add(m, 0x40), userData)
            mstore(add(m, 0x60), details)
            log4(m, 0x80, topic, id, drId, crId)
        }
    }

    /// @dev Runs `transfers[from:to]` as one linked chain and writes each member's result.
    function _runChain(
        Transfer[] calldata transfers,
        uint256 from,
        uint256 to,
        bool rollback,
        TransferResult[] memory results
    ) internal {
        try this.executeLinkedChain(msg.sender, transfers[from:to], rollback) {
            // Every member applied: results stay `Ok`.
        } catch (bytes memory reason) {
            if (reason.length != 68 || bytes4(reason) != ChainBroken.selector) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
            uint256 offset;
            uint256 broken;
            assembly ("memory-safe") {
                offset := mload(add(reason, 0x24))
                broken := mload(add(reason, 0x44))
            }
            for (uint256 k = from; k < to; ++k) {
                results[k] = k - from == offset ? TransferResult(broken) : TransferResult.LinkedEventFailed;
            }
        }
    }

    /// @dev Releases a pending reservation in full and posts `postAmount` of it (zero for voids and expiries).
    function _releasePending(
        AccountWords storage dr,
        AccountWords storage cr,
        uint256 pendingAmount,
        uint256 drDebits,
        uint256 crCredits,
        uint256 postAmount
    ) internal {
        uint256 drCredits;
        uint256 crDebits;
        bool tracked = (drDebits.flags() | crCredits.flags()) & SovrCodes.HAS_CREDIT_LINE != 0;
        if (tracked) {
            drCredits = dr.credits;
            crDebits = cr.debits;
        }
        uint256 useBefore = _creditUse(drDebits, drCredits) + _creditUse(crDebits, crCredits);
        drDebits = drDebits.subPending(pendingAmount).addPosted(postAmount);
        crCredits = crCredits.subPending(pendingAmount).addPosted(postAmount);
        dr.debits = drDebits;
        cr.credits = crCredits;
        if (tracked) {
            uint256 useAfter = _creditUse(drDebits, drCredits) + _creditUse(crDebits, crCredits);
            _trackCreditUse(drDebits.ledger(), useBefore, useAfter);
        }
    }

    function _expire(uint128 pendingId, uint256 p) internal {
        uint128 drId = _accountIdAt[p.debitIndex()];
        uint128 crId = _accountIdAt[p.creditIndex()];
        AccountWords storage dr = _accounts[drId];
        AccountWords storage cr = _accounts[crId];
        _releasePending(dr, cr, p.amount(), dr.debits, cr.credits, 0);
        _transfers[pendingId] = p.withStatus(uint256(PendingStatus.Expired));
        if (p.recordFlags() & CLOSING != 0) _reopenClosed(drId, crId, p.recordFlags());
        emit PendingTransferReleased(pendingId, drId, crId, uint128(p.amount()));
    }

    function _reopenClosed(uint128 drId, uint128 crId, uint256 pendingFlags) internal {
        if (pendingFlags & SovrCodes.CLOSING_DEBIT != 0) _setAccountFlag(drId, SovrCodes.CLOSED, false);
        if (pendingFlags & SovrCodes.CLOSING_CREDIT != 0) _setAccountFlag(crId, SovrCodes.CLOSED, false);
    }

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

    function _usableLimit(uint128 accountId, uint256 accountFlags) internal view returns (uint256) {
        if (accountFlags & SovrCodes.HAS_CREDIT_LINE == 0) return 0;
        CreditLineStorage memory line = _creditLines[accountId];
        if (line.frozen || (line.expiresAt != 0 && line.expiresAt <= block.timestamp)) return 0;
        return line.limit;
    }

    /// @dev Credit in use by an account: debits (posted and pending) beyond its posted credits.
    /// Zero for accounts that never had a credit line, whose use is not tracked.
    function _creditUse(uint256 debits, uint256 credits) internal pure returns (uint256) {
        if ((debits.flags() | credits.flags()) & SovrCodes.HAS_CREDIT_LINE == 0) return 0;
        uint256 owed = debits.total();
        uint256 paid = credits.posted();
        return owed > paid ? owed - paid : 0;
    }

    function _trackCreditUse(uint256 ledger, uint256 before, uint256 after_) internal {
        if (before == after_) return;
        CreditTotalsStorage storage totals = _creditTotals[uint32(ledger)];
        totals.used = uint128(totals.used + after_ - before);
    }

    function _isOverdue(uint256 p) internal view returns (bool) {
        uint256 timeout = p.pendingTimeout();
        return timeout != 0 && epoch + p.pendingCreated() + timeout <= block.timestamp;
    }

    function _isAuthorized(address owner, address authority) internal view returns (bool) {
        return owner == authority || _operators[owner][authority];
    }

    // ================================================================ internals: accounts

    function _storeAccount(uint128 id, address owner, uint32 ledger, uint16 code, uint16 flags) internal {
        uint256 index = _accountCount + 1;
        if (index > MAX_ACCOUNTS) revert AccountIndexExhausted();
        _accountCount = index;
        AccountWords storage s = _accounts[id];
        uint256 side = LedgerWords.newSide(ledger, flags, index);
        s.debits = side;
        s.credits = side;
        s.meta = LedgerWords.newMeta(owner, code, block.timestamp);
        _accountIdAt[index] = id;
        emit AccountCreated(id, owner, ledger, code, flags);
    }

    /// @dev Account flags live on both sides; keep them equal.
    function _setAccountFlag(uint128 id, uint256 flag, bool on) internal {
        AccountWords storage s = _accounts[id];
        uint256 debits = s.debits;
        if (debits == 0) revert AccountNotFound(id);
        uint256 flags = debits.flags();
        if ((flags & flag != 0) == on) {
            if (flag == SovrCodes.FROZEN) revert AccountFrozenStateUnchanged(id);
            return;
        }
        flags = on ? flags | flag : flags & ~flag;
        s.debits = debits.withFlags(flags);
        s.credits = s.credits.withFlags(flags);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @dev Reverts with the custom error named after `result`, carrying the transfer id.
    function _revertWith(TransferResult result, uint128 id) internal pure {
        bytes4[63] memory selectors = [
            bytes4(0x00000000),
            LinkedEventFailed.selector,
            LinkedEventChainOpen.selector,
            ReservedFlag.selector,
            IdMustNotBeZero.selector,
            IdMustNotBeIntMax.selector,
            IdReserved.selector,
            ExistsWithDifferentFlags.selector,
            ExistsWithDifferentPendingId.selector,
            ExistsWithDifferentTimeout.selector,
            ExistsWithDifferentDebitAccountId.selector,
            ExistsWithDifferentCreditAccountId.selector,
            ExistsWithDifferentAmount.selector,
            ExistsWithDifferentUserData.selector,
            ExistsWithDifferentLedger.selector,
            ExistsWithDifferentCode.selector,
            Exists.selector,
            LedgerPaused.selector,
            FlagsAreMutuallyExclusive.selector,
            DebitAccountIdMustNotBeZero.selector,
            DebitAccountIdMustNotBeIntMax.selector,
            CreditAccountIdMustNotBeZero.selector,
            CreditAccountIdMustNotBeIntMax.selector,
            AccountsMustBeDifferent.selector,
            PendingIdMustBeZero.selector,
            PendingIdMustNotBeZero.selector,
            PendingIdMustNotBeIntMax.selector,
            PendingIdMustBeDifferent.selector,
            TimeoutReservedForPendingTransfer.selector,
            ClosingTransferMustBePending.selector,
            LedgerMustNotBeZero.selector,
            CodeMustNotBeZero.selector,
            DebitAccountNotFound.selector,
            CreditAccountNotFound.selector,
            AccountsMustHaveTheSameLedger.selector,
            TransferMustHaveTheSameLedgerAsAccounts.selector,
            PendingTransferNotFound.selector,
            PendingTransferNotPending.selector,
            PendingTransferHasDifferentDebitAccountId.selector,
            PendingTransferHasDifferentCreditAccountId.selector,
            PendingTransferHasDifferentLedger.selector,
            PendingTransferHasDifferentCode.selector,
            ExceedsPendingTransferAmount.selector,
            PendingTransferHasDifferentAmount.selector,
            PendingTransferAlreadyPosted.selector,
            PendingTransferAlreadyVoided.selector,
            PendingTransferExpired.selector,
            NotAuthorized.selector,
            DebitAccountAlreadyClosed.selector,
            CreditAccountAlreadyClosed.selector,
            DebitAccountFrozen.selector,
            CreditAccountFrozen.selector,
            OverflowsDebitsPending.selector,
            OverflowsCreditsPending.selector,
            OverflowsDebitsPosted.selector,
            OverflowsCreditsPosted.selector,
            OverflowsDebits.selector,
            OverflowsCredits.selector,
            OverflowsTimeout.selector,
            CreditLineExpired.selector,
            CreditLineFrozen.selector,
            ExceedsCredits.selector,
            ExceedsDebits.selector
        ];
        bytes4 selector = selectors[uint8(result)];
        assembly ("memory-safe") {
            mstore(0x00, selector)
            mstore(0x04, id)
            revert(0x00, 0x24)
        }
    }
}
