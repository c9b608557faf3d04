// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";

import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {LedgerAccounts} from "./ledger/LedgerAccounts.sol";
import {LedgerCredit} from "./ledger/LedgerCredit.sol";
import {LedgerIdempotency} from "./ledger/LedgerIdempotency.sol";
import {LedgerTokenView} from "./ledger/LedgerTokenView.sol";
import {AccountSide, LedgerWords, TransferRecord, TransferRecordLibrary} from "./libraries/LedgerWords.sol";
import {SovrCodes} from "./libraries/SovrCodes.sol";
import {TransferResults} from "./libraries/TransferResults.sol";
import {SovrRelay} from "./SovrRelay.sol";

/// @title SovrLedger: double-entry settlement with TigerBeetle's semantics
/// @notice Accounts hold posted and pending debits and credits; transfers are immutable, idempotent
/// by id, optionally two-phase with a timeout, and can be linked into all-or-nothing chains.
/// Debits need the debit account owner's authority: the owner, an approved operator, the
/// owner's EIP-712 signature relayed by anyone through `relay`, or a settler (SETTLER_ROLE, granted by the
/// admin: SovrInvoices, SovrOrders, SovrCommitments) that passes on the authority the owner gave it: its own
/// call (an invoice's payment), or its standing order or commitment. A pending transfer a settler reserved
/// (a commitment's milestone) is posted or voided only through a settler, so its terms bind its payer.
/// @dev This contract is the transfer engine. The storage layout and account helpers are in
/// `LedgerStorage`, accounts in `LedgerAccounts`, credit lines in `LedgerCredit`, the comparison of a
/// resent transfer with the stored one in `LedgerIdempotency`, the ERC-20 view in `LedgerTokenView`,
/// the result-code/custom-error table in `TransferResults` and the packed words in `LedgerWords`.
contract SovrLedger is LedgerAccounts, LedgerCredit, LedgerIdempotency, LedgerTokenView {
    /// @dev Bytes of an ABI-encoded `Transfer` (ten words).
    uint256 internal constant TRANSFER_SIZE = 0x140;
    /// @dev Widths of the narrow `Transfer` fields, checked by `_load`.
    uint256 internal constant UINT128_BITS = 128;
    uint256 internal constant UINT32_BITS = 32;
    uint256 internal constant UINT16_BITS = 16;
    /// @dev Positions of code, ledger and timeout in `TransferCreated.details` (flags are bits 0-15).
    uint256 internal constant DETAILS_CODE_SHIFT = 16;
    uint256 internal constant DETAILS_LEDGER_SHIFT = 32;
    uint256 internal constant DETAILS_TIMEOUT_SHIFT = 64;
    /// @dev Bytes of a `ChainBroken(uint256,uint8)` revert: selector and two words.
    uint256 internal constant CHAIN_BROKEN_LENGTH = 4 + 2 * 32;

    /// @notice The EIP-712 relay for signed transfers, deployed by this contract and trusted by it alone.
    SovrRelay public immutable relay;
    /// @notice Deployment time; pending transfers keep their creation time relative to it.
    uint256 public immutable epoch;

    /// @param admin The owner: holds DEFAULT_ADMIN_ROLE (transferable to a Safe with `beginDefaultAdminTransfer`).
    /// @param adminTransferDelay Seconds a started admin transfer must wait before it can be accepted.
    constructor(address admin, uint48 adminTransferDelay) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        epoch = block.timestamp;
        relay = new SovrRelay(this);
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
    /// @dev The settler names the id: its own ids live in the reserved range, where no account owner can take
    /// them first (SovrInvoices derives them from invoice and payment ids, SovrOrders from order and period).
    function createTransferFor(address authority, Transfer calldata transfer) external onlyRole(SETTLER_ROLE) {
        _applyOrRevert(_load(transfer, _newTransferBuffer()), authority, true);
    }

    /// @inheritdoc ISovrLedger
    /// @dev A settler's batch has no linked chains: a member flagged LINKED is `LinkedEventChainOpen`, as a lone
    /// linked transfer is. Used by SovrOrders to charge many due periods in one transaction.
    function createTransfersFor(address[] calldata authorities, Transfer[] calldata transfers)
        external
        onlyRole(SETTLER_ROLE)
        returns (TransferResult[] memory results)
    {
        uint256 n = transfers.length;
        if (n == 0) revert EmptyBatch();
        if (authorities.length != n) revert BatchLengthMismatch(authorities.length, n);
        results = new TransferResult[](n);
        // One buffer for every member: each is copied over the previous one.
        Transfer memory t = _newTransferBuffer();
        for (uint256 i; i < n; ++i) {
            TransferResult result = _load(transfers[i], t).flags & SovrCodes.LINKED != 0
                ? TransferResult.LinkedEventChainOpen
                : _createTransfer(t, authorities[i], true);
            if (result != TransferResult.Ok) {
                results[i] = result;
                emit TransferRejected(t.id, i, result);
            }
        }
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
        TransferRecord p = _transfers[pendingId];
        if (p.isEmpty()) revert PendingTransferNotFound(pendingId);
        if (p.flags() & SovrCodes.PENDING == 0) revert PendingTransferNotPending(pendingId);
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
            TransferRecord p = _transfers[pendingIds[k]];
            if (
                p.flags() & SovrCodes.PENDING != 0 && p.status() == uint256(PendingStatus.Pending)
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
        TransferRecord r = _transfers[id];
        if (r.isEmpty()) revert PendingTransferNotFound(id);
        stored.id = id;
        stored.debitAccountId = _accountIdAt[r.debitIndex()];
        stored.creditAccountId = _accountIdAt[r.creditIndex()];
        stored.amount = uint128(r.amount());
        stored.code = uint16(r.code());
        stored.flags = uint16(r.flags());
        stored.status = PendingStatus(r.status());
        if (r.flags() & SovrCodes.PENDING != 0) {
            stored.timeout = uint32(r.pendingTimeout());
            stored.timestamp = uint64(epoch + r.pendingCreated());
        } else if (r.flags() & POST_OR_VOID == 0) {
            stored.userDataTag = uint64(r.extra());
        }
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

    // ================================================================ internals: transfers

    /// @dev A fresh, zeroed transfer buffer in memory.
    function _newTransferBuffer() internal pure returns (Transfer memory t) {}

    /// @dev Copies a calldata transfer into `buffer` with one `calldatacopy`, then checks every narrow
    /// field in one go (Solidity would re-validate a calldata member on each access).
    function _load(Transfer calldata source, Transfer memory buffer) internal pure returns (Transfer memory) {
        bytes4 invalidEncoding = InvalidTransferEncoding.selector;
        // The struct's ten fields are ten words, in memory as in calldata: ids and amounts (words 0-4) must
        // fit 128 bits, userData (word 5) is any bytes32, timeout and ledger (words 6, 7) 32 bits, code and
        // flags (words 8, 9) 16 bits.
        assembly ("memory-safe") {
            calldatacopy(buffer, source, TRANSFER_SIZE)
            let dirty := or(shr(UINT128_BITS, mload(buffer)), shr(UINT128_BITS, mload(add(buffer, 0x20))))
            dirty := or(dirty, shr(UINT128_BITS, mload(add(buffer, 0x40))))
            dirty := or(dirty, shr(UINT128_BITS, mload(add(buffer, 0x60))))
            dirty := or(dirty, shr(UINT128_BITS, mload(add(buffer, 0x80))))
            dirty := or(dirty, shr(UINT32_BITS, mload(add(buffer, 0xc0))))
            dirty := or(dirty, shr(UINT32_BITS, mload(add(buffer, 0xe0))))
            dirty := or(dirty, shr(UINT16_BITS, mload(add(buffer, 0x100))))
            dirty := or(dirty, shr(UINT16_BITS, mload(add(buffer, 0x120))))
            if dirty {
                mstore(0x00, invalidEncoding)
                revert(0x00, 0x04)
            }
        }
        return buffer;
    }

    /// @dev Applies one transfer or reverts with the custom error of its result.
    function _applyOrRevert(Transfer memory t, address authority, bool ledgerMinted) internal {
        // A lone transfer with LINKED is a batch whose chain never closes.
        TransferResult result = t.flags & SovrCodes.LINKED != 0
            ? TransferResult.LinkedEventChainOpen
            : _createTransfer(t, authority, ledgerMinted);
        if (result != TransferResult.Ok) TransferResults.revertWith(result, t.id);
    }

    /// @dev Validates and applies one transfer; returns its result and changes nothing unless `Ok`.
    function _createTransfer(Transfer memory t, address authority, bool ledgerMinted)
        internal
        override
        returns (TransferResult)
    {
        uint256 flags = t.flags;
        uint128 id = t.id;
        if (flags & ~USER_TRANSFER_FLAGS != 0) return TransferResult.ReservedFlag;
        if (id == 0) return TransferResult.IdMustNotBeZero;
        if (id == AMOUNT_MAX) return TransferResult.IdMustNotBeIntMax;
        if (id & RESERVED_ID_BIT != 0 && !ledgerMinted) return TransferResult.IdReserved;
        TransferRecord existing = _transfers[id];
        if (!existing.isEmpty()) return _compareExisting(t, existing);
        if (flags & SovrCodes.VOID_PENDING_TRANSFER == 0 && paused()) return TransferResult.LedgerPaused;
        if (flags & POST_OR_VOID != 0) return _postOrVoid(t, authority, ledgerMinted);
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
        AccountSide drDebits = dr.debits;
        if (drDebits.isEmpty()) return TransferResult.DebitAccountNotFound;
        AccountSide crCredits = cr.credits;
        if (crCredits.isEmpty()) return TransferResult.CreditAccountNotFound;
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
        AccountSide drCredits;
        AccountSide crDebits;
        if (drFlags & (SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS | SovrCodes.HAS_CREDIT_LINE) != 0
            || flags & SovrCodes.BALANCING_DEBIT != 0) {
            drCredits = dr.credits;
        }
        if (crFlags & (SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS | SovrCodes.HAS_CREDIT_LINE) != 0
            || flags & SovrCodes.BALANCING_CREDIT != 0) {
            crDebits = cr.debits;
        }

        uint256 amount = flags & BALANCING == 0
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
        _transfers[t.id] = TransferRecordLibrary.create(
            flags,
            pending ? uint256(PendingStatus.Pending) : uint256(PendingStatus.None),
            t.code,
            drDebits.index(),
            crCredits.index(),
            amount,
            pending ? TransferRecordLibrary.pendingExtra(t.timeout, created, userTag) : userTag & LedgerWords.MASK_80
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
        AccountSide drDebits,
        AccountSide drCredits,
        AccountSide crDebits,
        AccountSide crCredits
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

    /// @dev Posts or voids a pending transfer (TigerBeetle's `post_or_void_pending_transfer`). `viaSettler`: the
    /// call came through a settler, the only way to resolve a pending transfer in the reserved range.
    function _postOrVoid(Transfer memory t, address authority, bool viaSettler) internal returns (TransferResult) {
        uint256 flags = t.flags;
        uint128 pendingId = t.pendingId;
        bool isVoid = flags & SovrCodes.VOID_PENDING_TRANSFER != 0;
        if (flags & POST_OR_VOID == POST_OR_VOID) return TransferResult.FlagsAreMutuallyExclusive;
        if (flags & NOT_WITH_POST_OR_VOID != 0) return TransferResult.FlagsAreMutuallyExclusive;
        if (pendingId == 0) return TransferResult.PendingIdMustNotBeZero;
        if (pendingId == AMOUNT_MAX) return TransferResult.PendingIdMustNotBeIntMax;
        if (pendingId == t.id) return TransferResult.PendingIdMustBeDifferent;
        if (t.timeout != 0) return TransferResult.TimeoutReservedForPendingTransfer;
        TransferRecord p = _transfers[pendingId];
        if (p.isEmpty()) return TransferResult.PendingTransferNotFound;
        if (p.flags() & SovrCodes.PENDING == 0) return TransferResult.PendingTransferNotPending;

        // Zero account ids mean "the pending transfer's"; naming them saves the index lookups.
        uint128 drId = t.debitAccountId == 0 ? _accountIdAt[p.debitIndex()] : t.debitAccountId;
        uint128 crId = t.creditAccountId == 0 ? _accountIdAt[p.creditIndex()] : t.creditAccountId;
        AccountWords storage dr = _accounts[drId];
        AccountWords storage cr = _accounts[crId];
        AccountSide drDebits = dr.debits;
        if (drDebits.isEmpty() || drDebits.index() != p.debitIndex()) {
            return TransferResult.PendingTransferHasDifferentDebitAccountId;
        }
        AccountSide crCredits = cr.credits;
        if (crCredits.isEmpty() || crCredits.index() != p.creditIndex()) {
            return TransferResult.PendingTransferHasDifferentCreditAccountId;
        }
        if (t.ledger != 0 && t.ledger != drDebits.ledger()) return TransferResult.PendingTransferHasDifferentLedger;
        if (t.code != 0 && t.code != p.code()) return TransferResult.PendingTransferHasDifferentCode;

        uint256 amount = t.amount;
        if (isVoid ? amount == 0 : amount == AMOUNT_MAX) amount = p.amount();
        if (amount > p.amount()) return TransferResult.ExceedsPendingTransferAmount;
        if (isVoid && amount < p.amount()) return TransferResult.PendingTransferHasDifferentAmount;
        uint256 status = p.status();
        if (status == uint256(PendingStatus.Posted)) return TransferResult.PendingTransferAlreadyPosted;
        if (status == uint256(PendingStatus.Voided)) return TransferResult.PendingTransferAlreadyVoided;
        if (status == uint256(PendingStatus.Expired) || _isOverdue(p)) return TransferResult.PendingTransferExpired;
        // Posting needs the debit owner's authority; the payee may also release a hold by voiding it. A settler's
        // reservation (a commitment's milestone) follows the settler's rules, never a direct call.
        if (!_isAuthorized(dr.meta.owner(), authority) && !(isVoid && _isAuthorized(cr.meta.owner(), authority))) {
            return TransferResult.NotAuthorized;
        }
        if (pendingId & RESERVED_ID_BIT != 0 && !viaSettler) return TransferResult.NotAuthorized;
        if (!isVoid) {
            if (drDebits.flags() & SovrCodes.CLOSED != 0) return TransferResult.DebitAccountAlreadyClosed;
            if (crCredits.flags() & SovrCodes.CLOSED != 0) return TransferResult.CreditAccountAlreadyClosed;
            if (drDebits.flags() & SovrCodes.FROZEN != 0) return TransferResult.DebitAccountFrozen;
            if (crCredits.flags() & SovrCodes.FROZEN != 0) return TransferResult.CreditAccountFrozen;
        }

        // ---- effects
        _releasePending(dr, cr, p.amount(), drDebits, crCredits, isVoid ? 0 : amount);
        _transfers[pendingId] = p.withStatus(isVoid ? uint256(PendingStatus.Voided) : uint256(PendingStatus.Posted));
        if (isVoid && p.flags() & CLOSING != 0) _reopenClosed(drId, crId, p.flags());
        uint256 userTag = t.userData == bytes32(0) ? p.userTag16() : LedgerWords.tag(t.userData);
        _transfers[t.id] = TransferRecordLibrary.create(
            flags,
            uint256(PendingStatus.None),
            p.code(),
            p.debitIndex(),
            p.creditIndex(),
            amount,
            TransferRecordLibrary.postExtra(LedgerWords.tag(bytes32(uint256(pendingId))), userTag)
        );
        _emitTransferCreated(t, drId, crId, amount, drDebits.ledger(), p.code());
        return TransferResult.Ok;
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
        uint256 details = t.flags | (code << DETAILS_CODE_SHIFT) | (ledger << DETAILS_LEDGER_SHIFT)
            | (uint256(t.timeout) << DETAILS_TIMEOUT_SHIFT);
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
            if (reason.length != CHAIN_BROKEN_LENGTH || bytes4(reason) != ChainBroken.selector) {
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
        AccountSide drDebits,
        AccountSide crCredits,
        uint256 postAmount
    ) internal {
        AccountSide drCredits;
        AccountSide crDebits;
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

    /// @dev Releases an overdue pending transfer: its reservation is undone and its status becomes `Expired`.
    function _expire(uint128 pendingId, TransferRecord p) internal {
        uint128 drId = _accountIdAt[p.debitIndex()];
        uint128 crId = _accountIdAt[p.creditIndex()];
        AccountWords storage dr = _accounts[drId];
        AccountWords storage cr = _accounts[crId];
        _releasePending(dr, cr, p.amount(), dr.debits, cr.credits, 0);
        _transfers[pendingId] = p.withStatus(uint256(PendingStatus.Expired));
        if (p.flags() & CLOSING != 0) _reopenClosed(drId, crId, p.flags());
        emit PendingTransferReleased(pendingId, drId, crId, uint128(p.amount()));
    }

    /// @dev Undoes the closing flags of a pending closing transfer that was voided or expired.
    function _reopenClosed(uint128 drId, uint128 crId, uint256 pendingFlags) internal {
        if (pendingFlags & SovrCodes.CLOSING_DEBIT != 0) _setAccountFlag(drId, SovrCodes.CLOSED, false);
        if (pendingFlags & SovrCodes.CLOSING_CREDIT != 0) _setAccountFlag(crId, SovrCodes.CLOSED, false);
    }


    /// @dev Whether a pending record has a timeout and it has passed.
    function _isOverdue(TransferRecord p) internal view returns (bool) {
        uint256 timeout = p.pendingTimeout();
        return timeout != 0 && epoch + p.pendingCreated() + timeout <= block.timestamp;
    }

    /// @dev The smaller of two numbers.
    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

}
