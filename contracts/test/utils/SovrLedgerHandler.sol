// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrLedger} from "../../src/interfaces/ISovrLedger.sol";
import {SovrCodes} from "../../src/libraries/SovrCodes.sol";
import {SovrCredit} from "../../src/SovrCredit.sol";
import {SovrLedger} from "../../src/SovrLedger.sol";
import {SovrRelay} from "../../src/SovrRelay.sol";
import {SovrToken} from "../../src/SovrToken.sol";

/// @title Stateful fuzzing handler for SovrLedger, SovrCredit, SovrToken and SovrRelay
/// @notice Every `op*` function is one random action by one of several actors: account owners, an
/// approved operator, strangers, the owner (admin) and a guardian holding PAUSER_ROLE and FREEZER_ROLE.
/// @dev The handler keeps an independent model of every account's four balances and of every pending
/// transfer. The model changes only from what the handler submitted and what the ledger reported as
/// applied (`createTransfer` returning, a batch result `Ok`, an expiry call succeeding), and only
/// when the acting principal had authority over the debited account. The invariant functions then
/// compare the model with the ledger. Recorded logs cannot drive the model: the fuzzer's log
/// recorder keeps the events of rolled-back linked chains.
/// Anything found wrong while an action runs is counted in `violations` (and the first message kept),
/// never reverted, because a revert inside a handler call is discarded with the call.
// solhint-disable-next-line max-states-count
contract SovrLedgerHandler is Test {
    // ---------------------------------------------------------------- constants
    uint128 internal constant AMOUNT_MAX = type(uint128).max;
    uint32 internal constant USD = SovrCodes.LEDGER_USD;
    uint32 internal constant EUR = 978;
    uint128 internal constant ISSUER = 7;

    uint16 internal constant LINKED = uint16(SovrCodes.LINKED);
    uint16 internal constant PENDING = uint16(SovrCodes.PENDING);
    uint16 internal constant POST = uint16(SovrCodes.POST_PENDING_TRANSFER);
    uint16 internal constant VOID = uint16(SovrCodes.VOID_PENDING_TRANSFER);
    uint16 internal constant BAL_DEBIT = uint16(SovrCodes.BALANCING_DEBIT);
    uint16 internal constant BAL_CREDIT = uint16(SovrCodes.BALANCING_CREDIT);
    uint16 internal constant CLOSING_DEBIT = uint16(SovrCodes.CLOSING_DEBIT);
    uint16 internal constant CLOSING_CREDIT = uint16(SovrCodes.CLOSING_CREDIT);

    uint256 internal constant F_DNEC = SovrCodes.DEBITS_MUST_NOT_EXCEED_CREDITS;
    uint256 internal constant F_CNED = SovrCodes.CREDITS_MUST_NOT_EXCEED_DEBITS;
    uint256 internal constant F_CLOSED = SovrCodes.CLOSED;
    uint256 internal constant F_FROZEN = SovrCodes.FROZEN;
    uint256 internal constant F_LINE = SovrCodes.HAS_CREDIT_LINE;

    uint8 internal constant ST_PENDING = uint8(ISovrLedger.PendingStatus.Pending);
    uint8 internal constant ST_POSTED = uint8(ISovrLedger.PendingStatus.Posted);
    uint8 internal constant ST_VOIDED = uint8(ISovrLedger.PendingStatus.Voided);
    uint8 internal constant ST_EXPIRED = uint8(ISovrLedger.PendingStatus.Expired);

    // Authority context of the running action (who the ledger should treat as the principal).
    uint8 internal constant CTX_NONE = 0; // nobody may debit anything
    uint8 internal constant CTX_DIRECT = 1; // ledger call (or relayed signature) by ctxActor: owner or operator
    uint8 internal constant CTX_ISSUE = 2; // SovrCredit.issue by ctxActor: the issuer account, if ISSUER_ROLE
    uint8 internal constant CTX_REDEEM = 3; // SovrCredit.redeem by ctxActor: own accounts, SovrCredit as operator
    uint8 internal constant CTX_TOKEN = 4; // ERC-20 view: ctxActor's primary account, if the caller may spend it

    // Coverage counters (ok / failed) per action.
    uint256 internal constant OP_TRANSFER = 0;
    uint256 internal constant OP_PENDING = 1;
    uint256 internal constant OP_POST = 2;
    uint256 internal constant OP_VOID = 3;
    uint256 internal constant OP_BATCH = 4;
    uint256 internal constant OP_EXPIRE = 5;
    uint256 internal constant OP_EXPIRE_MANY = 6;
    uint256 internal constant OP_ISSUE = 7;
    uint256 internal constant OP_REDEEM = 8;
    uint256 internal constant OP_CEILING = 9;
    uint256 internal constant OP_LINE = 10;
    uint256 internal constant OP_LINE_FROZEN = 11;
    uint256 internal constant OP_FREEZE = 12;
    uint256 internal constant OP_PAUSE = 13;
    uint256 internal constant OP_TOKEN_TRANSFER = 14;
    uint256 internal constant OP_TOKEN_APPROVE = 15;
    uint256 internal constant OP_TOKEN_FROM = 16;
    uint256 internal constant OP_OPERATOR = 17;
    uint256 internal constant OP_RELAY = 18;
    uint256 internal constant OP_WARP = 19;
    uint256 internal constant OP_CHAIN_APPLIED = 20; // a linked chain of 2+ members applied
    uint256 internal constant OP_CHAIN_ROLLED_BACK = 21; // a linked chain rolled back
    uint256 internal constant OP_BALANCING_APPLIED = 22;
    uint256 internal constant OP_PARTIAL_POST = 23;
    uint256 internal constant OP_LINE_USED = 24; // a transfer applied that drew on a credit line
    uint256 internal constant OP_COUNT = 25;

    // ---------------------------------------------------------------- system under test
    SovrLedger public ledger;
    SovrCredit public credit;
    SovrToken public token;
    SovrRelay public relay;

    address public admin;
    address public guardian;
    address public operatorAddr;
    address public stranger;
    /// @dev Holds SETTLER_ROLE, as SovrInvoices does: some single transfers go through `createTransferFor`.
    address public settler;
    /// @dev 0-3: holders with funded accounts, 4-5: newcomers (primary accounts opened on first receipt),
    /// 6: operator, 7: stranger, 8: admin, 9: guardian. Everyone has a key (signed transfers).
    address[10] internal actors;
    uint256[10] internal keys;

    // ---------------------------------------------------------------- accounts and model
    uint128[] internal accounts;
    bool[] internal openedInSetup;
    mapping(uint128 id => uint256 indexPlusOne) internal accIndex;
    mapping(uint128 id => address) internal ownerOf;
    mapping(uint128 id => uint32) internal accLedger;
    mapping(address owner => mapping(address operator => bool)) internal ghostOperator;

    struct Balances {
        uint128 dPend;
        uint128 dPost;
        uint128 cPend;
        uint128 cPost;
    }

    mapping(uint128 id => Balances) internal model;
    mapping(uint128 id => bool) internal modelFrozen;
    mapping(uint128 id => bool) internal modelClosed;
    bool internal modelPaused;

    struct Pending {
        uint128 dr;
        uint128 cr;
        uint128 amount;
        uint64 expiresAt; // 0: never
        uint8 status;
        uint8 resolutions;
        uint16 flags;
    }

    uint128[] internal pendingIds;
    uint256 internal livePending;
    mapping(uint128 id => Pending) internal pend;

    // credit lines (ghosts)
    mapping(uint128 id => uint128) internal lineLimit;
    mapping(uint128 id => uint64) internal lineExpires;
    mapping(uint128 id => bool) internal lineFrozen;
    mapping(uint128 id => bool) internal everLine;
    mapping(uint128 id => uint128) internal maxLimitEver;

    // issuance (ghosts)
    uint128 internal ghostCeiling;
    uint256 internal maxCeilingAtIssue;

    // recently applied transfers, resent to hit `Exists` and `ExistsWithDifferent*`
    ISovrLedger.Transfer[8] internal recent;
    uint256 internal recentCount;

    // last relayed signature, replayed
    ISovrLedger.Transfer internal lastSigned;
    address internal lastSigner;
    bool internal lastSignedByClaimed;
    uint256 internal lastDeadline;
    bytes internal lastSignature;

    // running action
    uint8 internal ctxKind;
    address internal ctxActor;
    bool internal ctxAllowed;
    uint256 internal nowTs;
    uint128 internal nextId = 1_000_000;
    uint256[] internal relD; // pending debits released by voids/expiries in this action, per account index
    uint256[] internal relC;
    bool[] internal touched; // a non-release change (transfer, pending, post) was applied to the account
    bool[] internal reopened; // a void or expiry of its closing pending transfer reopened the account
    bool internal opNonRelease;

    // findings
    uint256[10] public violations;
    string public firstViolation;
    uint256[OP_COUNT] public okCount;
    uint256[OP_COUNT] public failCount;

    struct Snap {
        bool paused;
        bool[] exists;
        uint256[] dPend;
        uint256[] dPost;
        uint256[] cPend;
        uint256[] cPost;
        uint256[] flags;
    }

    constructor() {
        nowTs = 1_700_000_000;
        vm.warp(nowTs);
        string[10] memory names = [
            string("holder0"),
            "holder1",
            "holder2",
            "holder3",
            "newcomer0",
            "newcomer1",
            "operator",
            "stranger",
            "admin",
            "guardian"
        ];
        for (uint256 i; i < 10; ++i) {
            (actors[i], keys[i]) = makeAddrAndKey(names[i]);
        }
        operatorAddr = actors[6];
        stranger = actors[7];
        admin = actors[8];
        guardian = actors[9];

        ledger = new SovrLedger(admin, 1 days);
        token = ledger.token();
        relay = ledger.relay();
        ghostCeiling = 10_000_000e6;
        credit = new SovrCredit(ISovrLedger(address(ledger)), admin, 1 days, ghostCeiling);
        maxCeilingAtIssue = ghostCeiling;

        vm.startPrank(admin);
        ledger.grantRole(ledger.TREASURY_ROLE(), address(credit));
        ledger.grantRole(ledger.CREDIT_ROLE(), address(credit));
        ledger.grantRole(ledger.TREASURY_ROLE(), admin);
        ledger.grantRole(ledger.PAUSER_ROLE(), guardian);
        ledger.grantRole(ledger.FREEZER_ROLE(), guardian);
        settler = makeAddr("settler");
        ledger.grantRole(ledger.SETTLER_ROLE(), settler);
        credit.openIssuerAccount(ISSUER);
        ledger.createAccount(301, EUR, 3, 0); // unbounded treasury
        ledger.createAccount(302, EUR, 3, uint16(F_CNED)); // a second issuer-like account
        vm.stopPrank();
        _track(ISSUER, address(credit), USD);
        _track(301, admin, EUR);
        _track(302, admin, EUR);

        for (uint256 i; i < 6; ++i) {
            uint128 primary = ledger.primaryAccountId(actors[i]);
            if (i < 4) ledger.openPrimaryAccount(actors[i]);
            _track(primary, actors[i], USD);
        }
        _openAccount(0, 101, USD);
        _openAccount(1, 102, USD);
        _openAccount(2, 201, EUR);
        _openAccount(3, 202, EUR);

        // Operators: the operator acts for holders 0 and 1; every holder lets SovrCredit redeem.
        for (uint256 i; i < 4; ++i) {
            vm.prank(actors[i]);
            ledger.setOperator(address(credit), true);
            ghostOperator[actors[i]][address(credit)] = true;
        }
        for (uint256 i; i < 2; ++i) {
            vm.prank(actors[i]);
            ledger.setOperator(operatorAddr, true);
            ghostOperator[actors[i]][operatorAddr] = true;
        }

        // Funding.
        vm.startPrank(admin);
        for (uint256 i; i < 4; ++i) {
            credit.issue(uint128(10 + i), ledger.primaryAccountId(actors[i]), 1_000_000e6, bytes32(0));
        }
        ledger.createTransfer(_plain(20, 302, 301, 5_000_000e6, EUR));
        ledger.createTransfer(_plain(21, 301, 201, 1_000_000e6, EUR));
        ledger.createTransfer(_plain(22, 301, 202, 1_000_000e6, EUR));
        vm.stopPrank();
        ISovrLedger.Transfer memory seed0 = _plain(23, ledger.primaryAccountId(actors[0]), 101, 200_000e6, USD);
        ISovrLedger.Transfer memory seed1 = _plain(24, ledger.primaryAccountId(actors[1]), 102, 200_000e6, USD);
        vm.prank(actors[0]);
        ledger.createTransfer(seed0);
        vm.prank(actors[1]);
        ledger.createTransfer(seed1);

        // The model starts from the ledger's state after funding.
        for (uint256 i; i < accounts.length; ++i) {
            uint128 id = accounts[i];
            if (ledger.accountOwner(id) == address(0)) continue;
            ISovrLedger.Account memory a = ledger.getAccount(id);
            model[id] = Balances(a.debitsPending, a.debitsPosted, a.creditsPending, a.creditsPosted);
        }
        for (uint256 i; i < accounts.length; ++i) {
            openedInSetup.push(ledger.accountOwner(accounts[i]) != address(0));
        }
        relD = new uint256[](accounts.length);
        relC = new uint256[](accounts.length);
        touched = new bool[](accounts.length);
        reopened = new bool[](accounts.length);
    }

    function _track(uint128 id, address owner, uint32 ledger_) internal {
        accounts.push(id);
        accIndex[id] = accounts.length;
        ownerOf[id] = owner;
        accLedger[id] = ledger_;
    }

    function _openAccount(uint256 holder, uint128 id, uint32 ledger_) internal {
        vm.prank(actors[holder]);
        ledger.createAccount(id, ledger_, 1, uint16(F_DNEC));
        _track(id, actors[holder], ledger_);
    }

    function _plain(uint128 id, uint128 dr, uint128 cr, uint128 amount, uint32 ledger_)
        internal
        pure
        returns (ISovrLedger.Transfer memory t)
    {
        t.id = id;
        t.debitAccountId = dr;
        t.creditAccountId = cr;
        t.amount = amount;
        t.ledger = ledger_;
        t.code = 1;
    }

    // ================================================================ actions: transfers

    /// @notice One ordinary transfer (sometimes balancing, sometimes a resend of an applied one).
    function opTransfer(uint256 seed) external {
        seed = _mix(seed);
        Snap memory s = _begin();
        ISovrLedger.Transfer memory t;
        address actor;
        if (seed % 10 == 0 && recentCount > 0) {
            t = _resend(seed);
            actor = _authActorFor(t.debitAccountId, seed >> 100);
        } else {
            (t, actor) = _newTransfer(seed, false);
        }
        _single(OP_TRANSFER, t, actor);
        _end(s);
    }

    /// @notice One pending transfer with a random timeout (sometimes balancing or closing).
    function opPending(uint256 seed) external {
        _opPending(_mix(seed));
    }

    function _opPending(uint256 seed) internal {
        Snap memory s = _begin();
        (ISovrLedger.Transfer memory t, address actor) = _newTransfer(seed, true);
        _single(OP_PENDING, t, actor);
        _end(s);
    }

    /// @notice Posts a pending transfer: in full (2^128-1), partially, zero, too much; by anyone.
    function opPost(uint256 seed) external {
        seed = _mix(seed);
        if (livePending == 0 && seed % 4 != 0) return _opPending(seed >> 8); // nothing to resolve yet
        Snap memory s = _begin();
        uint128 pid = _pickPending(seed);
        ISovrLedger.Transfer memory t = _postOrVoid(seed, false, pid);
        _single(OP_POST, t, _resolveActor(seed, pid, false));
        _end(s);
    }

    /// @notice Voids a pending transfer: by its debit owner, its credit owner, an operator or a stranger.
    /// A void that must apply (live pending transfer, authorised caller, well-formed) must not be refused,
    /// not even while paused or frozen.
    function opVoid(uint256 seed) external {
        seed = _mix(seed);
        if (livePending == 0 && seed % 4 != 0) return _opPending(seed >> 8); // nothing to resolve yet
        Snap memory s = _begin();
        uint128 pid = _pickPending(seed);
        ISovrLedger.Transfer memory t = _postOrVoid(seed, true, pid);
        address actor = _resolveActor(seed, pid, true);
        _setCtx(CTX_DIRECT, actor, true);
        Pending memory p = pend[pid];
        bool mustApply = p.status == ST_PENDING && !_overdue(p) && (t.amount == 0 || t.amount == p.amount)
            && t.flags == VOID && t.debitAccountId == 0 && t.creditAccountId == 0 && t.ledger == 0 && t.code == 0
            && (_mayDebit(p.dr) || _mayDebit(p.cr));
        vm.prank(actor);
        try ledger.createTransfer(t) {
            okCount[OP_VOID]++;
            _applyTransfer(t);
        } catch {
            failCount[OP_VOID]++;
            if (mustApply) _violation(8, "a void of a live pending transfer by an authorised caller was refused");
        }
        _end(s);
    }

    /// @notice A batch of 1-6 transfers with random LINKED chains, failing members, resends, posts and
    /// voids (also of pending transfers created earlier in the same batch) and sometimes an open chain.
    function opBatch(uint256 seed) external {
        seed = _mix(seed);
        Snap memory s = _begin();
        uint256 n = 1 + seed % 6;
        address actor = _batchActor(seed >> 8);
        _setCtx(CTX_DIRECT, actor, true);
        ISovrLedger.Transfer[] memory ts = new ISovrLedger.Transfer[](n);
        uint128[] memory inBatchPending = new uint128[](n);
        uint256 inBatch;
        bool injectFailures = (seed >> 72) % 3 == 0;
        for (uint256 k; k < n; ++k) {
            uint256 r = uint256(keccak256(abi.encode(seed, k)));
            uint256 kind = r % 20;
            ISovrLedger.Transfer memory t;
            if (kind < 6) {
                (t,) = _newTransferFrom(r, false, _debitableBy(actor, r >> 200));
            } else if (kind < 10) {
                (t,) = _newTransferFrom(r, true, _debitableBy(actor, r >> 200));
                inBatchPending[inBatch++] = t.id;
            } else if (kind < 14) {
                uint128 pid = inBatch > 0 && r % 2 == 0 ? inBatchPending[(r >> 8) % inBatch] : _pickPending(r);
                t = _postOrVoid(r, kind >= 12, pid);
            } else if (kind < 16 && recentCount > 0 && injectFailures) {
                t = _resend(r);
            } else if (kind < 18 && injectFailures) {
                // A member that fails: beyond the balance, same accounts, zero code or a reused id.
                (t,) = _newTransferFrom(r, false, _debitableBy(actor, r >> 200));
                uint256 how = (r >> 120) % 4;
                if (how == 0) t.amount = uint128(1 << 100);
                else if (how == 1) t.creditAccountId = t.debitAccountId;
                else if (how == 2) t.code = 0;
                else if (k > 0) t.id = ts[k - 1].id;
            } else {
                (t,) = _newTransferFrom(r, false, _debitableBy(actor, r >> 200));
            }
            if ((r >> 180) % 5 < 2) t.flags |= LINKED;
            ts[k] = t;
        }
        if ((seed >> 64) % 8 == 0) ts[n - 1].flags |= LINKED; // an open chain
        vm.prank(actor);
        try ledger.createTransfers(ts) returns (ISovrLedger.TransferResult[] memory results) {
            okCount[OP_BATCH]++;
            _checkChains(ts, results);
            for (uint256 k; k < n; ++k) {
                if (results[k] == ISovrLedger.TransferResult.Ok) _applyTransfer(ts[k]);
            }
        } catch {
            failCount[OP_BATCH]++;
            _violation(0, "createTransfers reverted on a well-formed batch");
        }
        _end(s);
    }

    /// @notice A transfer signed off-chain (by the owner, its operator, a forger or the wrong key) and
    /// relayed by anyone; sometimes the previous signature is replayed.
    function opRelay(uint256 seed) external {
        seed = _mix(seed);
        Snap memory s = _begin();
        if (seed % 7 == 0 && lastSigner != address(0)) {
            _setCtx(CTX_DIRECT, lastSignedByClaimed ? lastSigner : address(0xdead), true);
            ISovrLedger.Transfer memory again = lastSigned;
            vm.prank(actors[(seed >> 8) % 10]);
            try relay.createTransferWithSignature(again, lastSigner, lastDeadline, lastSignature) {
                okCount[OP_RELAY]++;
                _applyTransfer(again);
            } catch {
                failCount[OP_RELAY]++;
            }
            _end(s);
            return;
        }
        ISovrLedger.Transfer memory t;
        uint256 kind = (seed >> 8) % 10;
        if (kind < 6) {
            (t,) = _newTransfer(seed >> 16, kind >= 4);
        } else {
            t = _postOrVoid(seed >> 16, kind >= 8, _pickPending(seed >> 16));
        }
        // The signer: usually an owner (or operator) of the debit account, sometimes a forger.
        uint256 signerIdx;
        address owner = t.debitAccountId != 0 ? ownerOf[t.debitAccountId] : ownerOf[pend[t.pendingId].dr];
        if (kind >= 8 && (seed >> 40) % 3 == 0) owner = ownerOf[pend[t.pendingId].cr];
        uint256 w = (seed >> 44) % 10;
        signerIdx = w < 7 ? _actorIndex(owner) : w < 8 ? 6 : (seed >> 48) % 10;
        if (signerIdx >= 10) signerIdx = 7; // the issuer's owner (SovrCredit) cannot sign
        address claimed = actors[signerIdx];
        // A forgery: the relayer claims the (usually entitled) signer but another key signed.
        bool forged = (seed >> 52) % 6 == 0;
        uint256 key = forged ? keys[(signerIdx + 1 + (seed >> 64) % 9) % 10] : keys[signerIdx];
        uint256 deadline = (seed >> 56) % 10 == 0 ? nowTs - 1 : nowTs + 1 + (seed >> 60) % 3600;
        (uint8 v, bytes32 r, bytes32 sig) = vm.sign(key, relay.transferDigest(t, deadline));
        bytes memory signature = abi.encodePacked(r, sig, v);
        // Only a valid signature by the claimed signer carries its authority.
        _setCtx(CTX_DIRECT, forged ? address(0xdead) : claimed, true);
        lastSigned = t;
        lastSigner = claimed;
        lastSignedByClaimed = !forged;
        lastDeadline = deadline;
        lastSignature = signature;
        vm.prank(actors[(seed >> 68) % 10]);
        try relay.createTransferWithSignature(t, claimed, deadline, signature) {
            okCount[OP_RELAY]++;
            _applyTransfer(t);
        } catch {
            failCount[OP_RELAY]++;
        }
        _end(s);
    }

    /// @notice Moves the clock forward (pending timeouts, credit-line expiries).
    function opWarp(uint256 seed) external {
        seed = _mix(seed);
        Snap memory s = _begin();
        uint256 k = seed % 10;
        uint256 secs = k < 5 ? (seed >> 8) % 600 : k < 8 ? 600 + (seed >> 8) % 7200 : (seed >> 8) % 2 days;
        nowTs += secs;
        vm.warp(nowTs);
        okCount[OP_WARP]++;
        _end(s);
    }

    /// @notice Expires one pending transfer (anyone may). An overdue pending transfer must expire.
    function _opExpire(uint256 seed) internal {
        Snap memory s = _begin();
        uint128 pid = _pickExpirable(seed);
        Pending memory p = pend[pid];
        bool mustApply = p.status == ST_PENDING && _overdue(p);
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(actors[(seed >> 8) % 10]);
        try ledger.expirePendingTransfer(pid) {
            okCount[OP_EXPIRE]++;
            _applyExpiry(pid);
        } catch {
            failCount[OP_EXPIRE]++;
            if (mustApply) _violation(5, "an overdue pending transfer could not be expired");
        }
        _end(s);
    }

    /// @notice Expires a keeper's list: overdue, live, resolved, unknown and repeated ids.
    function _opExpireMany(uint256 seed) internal {
        Snap memory s = _begin();
        uint256 n = 1 + seed % 6;
        uint128[] memory ids = new uint128[](n);
        for (uint256 k; k < n; ++k) {
            uint256 r = uint256(keccak256(abi.encode(seed, k)));
            uint256 kind = r % 10;
            if (kind < 6) ids[k] = _pickExpirable(r);
            else if (kind < 8) ids[k] = _pickPending(r);
            else if (kind == 8 && k > 0) ids[k] = ids[k - 1];
            else ids[k] = recentCount > 0 ? recent[r % 8].id : 424242;
        }
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(actors[(seed >> 8) % 10]);
        try ledger.expirePendingTransfers(ids) returns (uint256 expired) {
            okCount[OP_EXPIRE_MANY]++;
            uint256 expected;
            for (uint256 k; k < n; ++k) {
                Pending memory p = pend[ids[k]];
                if (p.status == ST_PENDING && _overdue(p)) {
                    _applyExpiry(ids[k]);
                    ++expected;
                }
            }
            if (expired != expected) _violation(5, "expirePendingTransfers released other than the overdue ones");
        } catch {
            failCount[OP_EXPIRE_MANY]++;
            _violation(5, "expirePendingTransfers reverted");
        }
        _end(s);
    }

    // ================================================================ actions: SovrCredit

    /// @notice Issues SOVR (issue to an account or issueTo an address), by the owner or by others.
    function opIssue(uint256 seed) external {
        seed = _mix(seed);
        Snap memory s = _begin();
        address caller = seed % 8 == 0 ? actors[(seed >> 8) % 10] : admin;
        bool toAddress = (seed >> 16) % 5 < 2;
        address holder = actors[(seed >> 20) % 6];
        uint128 to = toAddress
            ? ledger.primaryAccountId(holder)
            : (seed >> 24) % 4 == 0 ? accounts[(seed >> 28) % accounts.length] : _usdHolderAccount(seed >> 28);
        uint256 outstandingBefore = _modelOutstanding();
        uint256 room = ghostCeiling > outstandingBefore ? ghostCeiling - outstandingBefore : 0;
        uint256 k = (seed >> 32) % 10;
        uint128 amount = uint128(
            k == 0 ? 0 : k == 1 ? room : k == 2 ? room + 1 : k == 3 ? (seed >> 40) % 1e13 : 1 + (seed >> 40) % 100_000e6
        );
        uint128 id = _newId();
        _setCtx(CTX_ISSUE, caller, caller == admin);
        vm.prank(caller);
        bool ok;
        if (toAddress) {
            try credit.issueTo(id, holder, amount, bytes32(seed)) {
                ok = true;
            } catch {}
        } else {
            try credit.issue(id, to, amount, bytes32(seed)) {
                ok = true;
            } catch {}
        }
        if (ok) {
            okCount[OP_ISSUE]++;
            if (outstandingBefore + amount > ghostCeiling) _violation(7, "issued past the ceiling");
            if (ghostCeiling > maxCeilingAtIssue) maxCeilingAtIssue = ghostCeiling;
            _applyPlain(id, ISSUER, to, amount);
        } else {
            failCount[OP_ISSUE]++;
        }
        _end(s);
    }

    /// @notice Redeems SOVR back to the issuer (holders that approved SovrCredit as operator, or not).
    function opRedeem(uint256 seed) external {
        seed = _mix(seed);
        Snap memory s = _begin();
        uint128 from = (seed >> 16) % 8 == 0 ? accounts[(seed >> 20) % accounts.length] : _usdHolderAccount(seed >> 20);
        address caller = seed % 8 == 0 || ownerOf[from] == address(credit) ? actors[(seed >> 8) % 10] : ownerOf[from];
        uint128 amount = _amount(seed >> 32, from);
        uint128 id = _newId();
        _setCtx(CTX_REDEEM, caller, true);
        vm.prank(caller);
        try credit.redeem(id, from, amount, bytes32(0)) {
            okCount[OP_REDEEM]++;
            _applyPlain(id, from, ISSUER, amount);
        } catch {
            failCount[OP_REDEEM]++;
        }
        _end(s);
    }

    /// @notice Changes the issuance ceiling (owner; others fail).
    function _opCeiling(uint256 seed) internal {
        Snap memory s = _begin();
        address caller = seed % 8 == 0 ? actors[(seed >> 8) % 10] : admin;
        uint256 out = _modelOutstanding();
        uint256 k = (seed >> 16) % 4;
        uint128 ceiling = uint128(k == 0 ? out / 2 : k == 1 ? out : out + (seed >> 24) % 5_000_000e6);
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(caller);
        try credit.setIssuanceCeiling(ceiling) {
            okCount[OP_CEILING]++;
            ghostCeiling = ceiling;
        } catch {
            failCount[OP_CEILING]++;
        }
        _end(s);
    }

    /// @notice Grants, adjusts, lowers below use, removes or lets expire a credit line.
    function _opCreditLine(uint256 seed) internal {
        Snap memory s = _begin();
        address caller = seed % 10 == 0 ? actors[(seed >> 8) % 10] : admin;
        uint128 id = (seed >> 16) % 6 == 0 ? accounts[(seed >> 20) % accounts.length] : _usdHolderAccount(seed >> 20);
        Balances memory b = model[id];
        uint256 used = uint256(b.dPend) + b.dPost > b.cPost ? uint256(b.dPend) + b.dPost - b.cPost : 0;
        uint256 k = (seed >> 24) % 10;
        uint128 limit = uint128(
            k == 0 ? 0 : k == 1 ? used / 2 : k == 2 ? uint256(1) << 97 : k == 3 ? used : 1 + (seed >> 32) % 500_000e6
        );
        uint256 e = (seed >> 100) % 10;
        uint64 expiresAt = uint64(e < 4 ? 0 : e < 9 ? nowTs + 1 + (seed >> 110) % 5000 : nowTs - (seed >> 110) % 2);
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(caller);
        try credit.setCreditLine(id, limit, expiresAt) {
            okCount[OP_LINE]++;
            lineLimit[id] = limit;
            lineExpires[id] = expiresAt;
            everLine[id] = true;
            if (limit > maxLimitEver[id]) maxLimitEver[id] = limit;
        } catch {
            failCount[OP_LINE]++;
        }
        _end(s);
    }

    /// @notice Freezes or unfreezes a credit line.
    function _opCreditLineFrozen(uint256 seed) internal {
        Snap memory s = _begin();
        address caller = seed % 10 == 0 ? actors[(seed >> 8) % 10] : admin;
        uint128 id = accounts[(seed >> 16) % accounts.length];
        if ((seed >> 20) % 5 != 0) {
            for (uint256 j; j < accounts.length; ++j) {
                uint128 c = accounts[((seed >> 28) + j) % accounts.length];
                if (everLine[c]) {
                    id = c;
                    break;
                }
            }
        }
        bool frozen = (seed >> 24) % 2 == 0;
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(caller);
        try credit.setCreditLineFrozen(id, frozen) {
            okCount[OP_LINE_FROZEN]++;
            lineFrozen[id] = frozen;
        } catch {
            failCount[OP_LINE_FROZEN]++;
        }
        _end(s);
    }

    // ================================================================ actions: safety

    /// @notice Freezes (guardian) or unfreezes (owner) an account; others fail.
    function _opFreeze(uint256 seed) internal {
        Snap memory s = _begin();
        uint128 id = accounts[(seed >> 8) % accounts.length];
        uint256 k = (seed >> 16) % 10;
        _setCtx(CTX_NONE, address(0), false);
        if (modelFrozen[id]) {
            address caller = k < 7 ? admin : k < 9 ? guardian : stranger;
            vm.prank(caller);
            try ledger.unfreezeAccount(id) {
                okCount[OP_FREEZE]++;
                modelFrozen[id] = false;
                if (caller != admin) _violation(9, "unfrozen by someone other than the owner");
            } catch {
                failCount[OP_FREEZE]++;
            }
        } else {
            address caller = k < 4 ? guardian : k < 7 ? stranger : k < 9 ? admin : operatorAddr;
            vm.prank(caller);
            try ledger.freezeAccount(id) {
                okCount[OP_FREEZE]++;
                modelFrozen[id] = true;
                if (caller != guardian) _violation(9, "frozen by someone without FREEZER_ROLE");
            } catch {
                failCount[OP_FREEZE]++;
            }
        }
        _end(s);
    }

    /// @notice Pauses (guardian) or unpauses (owner) the ledger; others fail.
    function _opPause(uint256 seed) internal {
        Snap memory s = _begin();
        uint256 k = seed % 10;
        _setCtx(CTX_NONE, address(0), false);
        if (modelPaused) {
            address caller = k < 8 ? admin : k < 9 ? guardian : stranger;
            vm.prank(caller);
            try ledger.unpause() {
                okCount[OP_PAUSE]++;
                modelPaused = false;
                if (caller != admin) _violation(8, "unpaused by someone other than the owner");
            } catch {
                failCount[OP_PAUSE]++;
            }
        } else {
            address caller = k < 5 ? guardian : k < 8 ? stranger : admin;
            vm.prank(caller);
            try ledger.pause() {
                okCount[OP_PAUSE]++;
                modelPaused = true;
                if (caller != guardian) _violation(8, "paused by someone without PAUSER_ROLE");
            } catch {
                failCount[OP_PAUSE]++;
            }
        }
        _end(s);
    }

    /// @notice Approves or revokes an operator (the shared operator, SovrCredit, another holder).
    function _opSetOperator(uint256 seed) internal {
        Snap memory s = _begin();
        address owner = actors[seed % 6];
        uint256 k = (seed >> 8) % 4;
        address op = k == 0 ? operatorAddr : k == 1 ? address(credit) : actors[(seed >> 16) % 10];
        bool approved = (seed >> 24) % 3 != 0;
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(owner);
        try ledger.setOperator(op, approved) {
            okCount[OP_OPERATOR]++;
            ghostOperator[owner][op] = approved;
        } catch {
            failCount[OP_OPERATOR]++;
        }
        _end(s);
    }

    // ================================================================ actions: ERC-20 view

    /// @notice `transfer` between primary accounts (to holders, newcomers or oneself).
    function _opTokenTransfer(uint256 seed) internal {
        Snap memory s = _begin();
        address from = actors[seed % 6];
        address to = actors[(seed >> 8) % 6];
        uint128 amount = _amount(seed >> 16, ledger.primaryAccountId(from));
        _setCtx(CTX_TOKEN, from, true);
        vm.prank(from);
        try token.transfer(to, amount) {
            okCount[OP_TOKEN_TRANSFER]++;
            if (from != to) _applyToken(from, to, amount);
        } catch {
            failCount[OP_TOKEN_TRANSFER]++;
        }
        _end(s);
    }

    /// @notice `approve` (no ledger effect).
    function _opTokenApprove(uint256 seed) internal {
        Snap memory s = _begin();
        address owner = actors[seed % 6];
        address spender = actors[(seed >> 8) % 10];
        uint256 k = (seed >> 16) % 4;
        uint256 amount = k == 0 ? type(uint256).max : k == 1 ? 0 : (seed >> 24) % 500_000e6;
        _setCtx(CTX_NONE, address(0), false);
        vm.prank(owner);
        try token.approve(spender, amount) {
            okCount[OP_TOKEN_APPROVE]++;
        } catch {
            failCount[OP_TOKEN_APPROVE]++;
        }
        _end(s);
    }

    /// @notice `transferFrom` by a spender with or without allowance (operators have none by default).
    function _opTokenTransferFrom(uint256 seed) internal {
        Snap memory s = _begin();
        address from = actors[seed % 6];
        address spender = actors[(seed >> 8) % 10];
        address to = actors[(seed >> 16) % 6];
        uint256 allowance = token.allowance(from, spender);
        uint128 amount = (seed >> 24) % 3 == 0 && allowance < 1e15
            ? uint128(allowance)
            : _amount(seed >> 32, ledger.primaryAccountId(from));
        _setCtx(CTX_TOKEN, from, allowance >= amount);
        vm.prank(spender);
        try token.transferFrom(from, to, amount) {
            okCount[OP_TOKEN_FROM]++;
            if (from != to) _applyToken(from, to, amount);
        } catch {
            failCount[OP_TOKEN_FROM]++;
        }
        _end(s);
    }

    // ================================================================ dispatchers
    // Fewer, broader fuzz targets: transfers make up half of all calls, administration a twelfth.

    /// @notice Expires one pending transfer or a keeper's list of them.
    function opExpire(uint256 seed) external {
        seed = _mix(seed);
        if (seed % 5 < 3) _opExpire(seed >> 8);
        else _opExpireMany(seed >> 8);
    }

    /// @notice ERC-20 view: transfer, approve or transferFrom.
    function opToken(uint256 seed) external {
        seed = _mix(seed);
        uint256 k = seed % 10;
        if (k < 5) _opTokenTransfer(seed >> 8);
        else if (k < 7) _opTokenApprove(seed >> 8);
        else _opTokenTransferFrom(seed >> 8);
    }

    /// @notice Administration: ceiling, credit lines, freezes, pause, operator approvals.
    function opAdmin(uint256 seed) external {
        seed = _mix(seed);
        uint256 k = seed % 16;
        if (modelPaused && k < 6) _opPause(seed >> 8); // pauses stay short
        else if (k < 2) _opCeiling(seed >> 8);
        else if (k < 6) _opCreditLine(seed >> 8);
        else if (k < 8) _opCreditLineFrozen(seed >> 8);
        else if (k < 11) _opFreeze(seed >> 8);
        else if (k < 13) _opPause(seed >> 8);
        else _opSetOperator(seed >> 8);
    }

    // ================================================================ building transfers

    /// @dev The fuzzer favours small and edge values; every decision is drawn from a hash of the input.
    function _mix(uint256 seed) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed)));
    }

    function _newId() internal returns (uint128) {
        return ++nextId;
    }

    /// @dev A new ordinary or pending transfer from a random debit account, with a random actor.
    function _newTransfer(uint256 r, bool pending) internal returns (ISovrLedger.Transfer memory t, address actor) {
        uint128 dr = (r >> 250) % 10 == 0 ? accounts[r % accounts.length] : _existingAccount(r);
        (t, actor) = _newTransferFrom(r, pending, dr);
    }

    function _newTransferFrom(uint256 r, bool pending, uint128 dr)
        internal
        returns (ISovrLedger.Transfer memory t, address actor)
    {
        t.id = _newId();
        t.debitAccountId = dr;
        t.creditAccountId = _pickCredit(r >> 8, dr);
        uint256 f = (r >> 16) % 20;
        if (f < 2) t.flags |= BAL_DEBIT;
        else if (f < 4) t.flags |= BAL_CREDIT;
        else if (f == 4) t.flags |= BAL_DEBIT | BAL_CREDIT;
        if (pending) {
            t.flags |= PENDING;
            uint256 c = (r >> 24) % 40;
            if (c == 0) t.flags |= CLOSING_DEBIT;
            else if (c == 1) t.flags |= CLOSING_CREDIT;
            uint256 tk = (r >> 32) % 10;
            t.timeout = uint32(tk < 3 ? 0 : tk < 7 ? 1 + (r >> 40) % 300 : 1 + (r >> 40) % 7200);
        }
        t.amount = (t.flags & (BAL_DEBIT | BAL_CREDIT)) != 0 && (r >> 48) % 3 == 0 ? AMOUNT_MAX : _amount(r >> 56, dr);
        t.ledger = (r >> 150) % 30 == 0 ? EUR + USD - accLedger[dr] : accLedger[dr];
        t.code = (r >> 160) % 40 == 0 ? 0 : 1;
        if ((r >> 170) % 3 == 0) t.userData = keccak256(abi.encode(r));
        actor = _authActorFor(dr, r >> 180);
    }

    /// @dev A post or void of `pid`, with a random amount and sometimes explicit (right or wrong) fields.
    function _postOrVoid(uint256 r, bool isVoid, uint128 pid) internal returns (ISovrLedger.Transfer memory t) {
        Pending memory p = pend[pid];
        t.id = _newId();
        t.pendingId = pid;
        t.flags = isVoid ? VOID : POST;
        uint256 k = (r >> 32) % 10;
        if (isVoid) {
            t.amount = k < 7 ? 0 : k < 9 ? p.amount : p.amount + 1;
        } else {
            if (k < 3 || k == 9) t.amount = AMOUNT_MAX; // full
            else if (k < 6) t.amount = uint128((r >> 64) % (uint256(p.amount) + 1)); // partial
            else if (k == 6) t.amount = 0;
            else if (k == 7) t.amount = p.amount;
            else t.amount = p.amount + 1; // too much
        }
        uint256 f = (r >> 40) % 24;
        if (f < 2) {
            t.debitAccountId = p.dr;
            t.creditAccountId = p.cr;
            t.ledger = accLedger[p.dr];
            t.code = 1;
        } else if (f == 1) {
            t.debitAccountId = p.cr;
        } else if (f == 2) {
            t.code = 9;
        } else if (f == 3) {
            t.userData = keccak256(abi.encode(r, "memo"));
        } else if (f == 4) {
            t.flags |= PENDING; // flags are mutually exclusive
        }
    }

    /// @dev An exact copy of a recently applied transfer (`Exists`) or one with a field changed.
    function _resend(uint256 r) internal view returns (ISovrLedger.Transfer memory t) {
        t = recent[r % (recentCount < 8 ? recentCount : 8)];
        uint256 k = (r >> 8) % 8;
        if (k == 0) t.amount += 1;
        else if (k == 1) t.userData = bytes32(r);
        else if (k == 2) t.code = 2;
        else if (k == 3 && t.flags & (POST | VOID) == 0) t.flags ^= PENDING;
    }

    function _pickCredit(uint256 r, uint128 dr) internal view returns (uint128) {
        uint256 n = accounts.length;
        uint256 k = r % 20;
        if (k == 0 && (r >> 4) % 2 == 0) return dr;
        if (k == 1) return accounts[(r >> 8) % n];
        uint256 start = (r >> 8) % n;
        for (uint256 j; j < n; ++j) {
            uint128 c = accounts[(start + j) % n];
            if (c != dr && accLedger[c] == accLedger[dr] && _exists(accIndex[c] - 1)) return c;
        }
        return accounts[start];
    }

    /// @dev Amounts around what the account can spend: within, exactly, one above, zero, large, huge.
    function _amount(uint256 r, uint128 dr) internal view returns (uint128) {
        uint256 avail = ledger.availableBalance(dr);
        uint256 x = r >> 8;
        uint256 k = r % 12;
        if (k < 5) return uint128(x % (avail + 1));
        if (k == 5) return uint128(avail);
        if (k == 6) return uint128(avail + 1);
        if (k == 7) return 0;
        if (k < 10) return uint128(x % 50_000e6);
        if (k == 10) return uint128(x % 1e15);
        return uint128(x % (uint256(1) << 100));
    }

    function _pickPending(uint256 r) internal view returns (uint128) {
        uint256 n = pendingIds.length;
        if (n == 0 || r % 16 == 0) return r % 32 == 0 ? nextId + 777 : (recentCount > 0 ? recent[(r >> 4) % 8].id : 1);
        uint256 start = (r >> 8) % n;
        if (r % 4 != 0) {
            for (uint256 j; j < n; ++j) {
                uint128 id = pendingIds[(start + j) % n];
                if (pend[id].status == ST_PENDING) return id;
            }
        }
        return pendingIds[start];
    }

    function _pickExpirable(uint256 r) internal view returns (uint128) {
        uint256 n = pendingIds.length;
        if (n == 0) return _pickPending(r);
        uint256 start = (r >> 8) % n;
        if (r % 4 != 0) {
            for (uint256 j; j < n; ++j) {
                uint128 id = pendingIds[(start + j) % n];
                if (pend[id].status == ST_PENDING && _overdue(pend[id])) return id;
            }
        }
        return _pickPending(r);
    }

    /// @dev Usually someone entitled to debit `dr`, sometimes the operator, a stranger or another holder.
    function _authActorFor(uint128 dr, uint256 r) internal view returns (address) {
        uint256 k = r % 20;
        address owner = ownerOf[dr];
        if (k < 12 && owner != address(credit) && owner != address(0)) return owner;
        if (k < 14) return operatorAddr;
        if (k < 16) return stranger;
        if (k < 18) return actors[(r >> 8) % 6];
        return k == 18 ? admin : guardian;
    }

    /// @dev Post: debit owner, operator, credit owner, stranger. Void: also the credit owner often.
    function _resolveActor(uint256 r, uint128 pid, bool isVoid) internal view returns (address) {
        Pending memory p = pend[pid];
        uint256 k = (r >> 80) % 20;
        address drOwner = ownerOf[p.dr];
        address crOwner = ownerOf[p.cr];
        if (k < (isVoid ? 7 : 11) && drOwner != address(credit) && drOwner != address(0)) return drOwner;
        if (k < 13 && crOwner != address(credit) && crOwner != address(0)) return crOwner;
        if (k < 15) return operatorAddr;
        if (k < 18) return stranger;
        return actors[(r >> 88) % 10];
    }

    function _batchActor(uint256 r) internal view returns (address) {
        uint256 k = r % 20;
        if (k < 13) return actors[(r >> 8) % 4];
        if (k < 16) return operatorAddr;
        if (k < 18) return stranger;
        return admin;
    }

    /// @dev An account `actor` may debit (owned or operated for), or a random one.
    function _debitableBy(address actor, uint256 r) internal view returns (uint128) {
        uint256 n = accounts.length;
        uint256 start = r % n;
        if ((r >> 8) % 5 != 0) {
            for (uint256 j; j < n; ++j) {
                uint128 id = accounts[(start + j) % n];
                address owner = ownerOf[id];
                if ((owner == actor || ghostOperator[owner][actor]) && _exists((start + j) % n)) return id;
            }
        }
        return accounts[start];
    }

    function _existingAccount(uint256 r) internal view returns (uint128) {
        uint256 n = accounts.length;
        for (uint256 j; j < n; ++j) {
            uint128 id = accounts[(r + j) % n];
            if (_exists((r + j) % n)) return id;
        }
        return accounts[r % n];
    }

    /// @dev An existing holder account on ledger 840 (not the issuer).
    function _usdHolderAccount(uint256 r) internal view returns (uint128) {
        uint256 n = accounts.length;
        for (uint256 j; j < n; ++j) {
            uint128 id = accounts[(r + j) % n];
            if (accLedger[id] == USD && id != ISSUER && _exists((r + j) % n)) return id;
        }
        return accounts[r % n];
    }

    function _actorIndex(address a) internal view returns (uint256) {
        for (uint256 i; i < 10; ++i) {
            if (actors[i] == a) return i;
        }
        return 10;
    }

    // ================================================================ running an action

    /// @dev One transfer with `actor`'s authority: called by the actor itself, or (every third id) passed on
    /// by the settler, which the ledger must check exactly as the actor's own call.
    function _single(uint256 op, ISovrLedger.Transfer memory t, address actor) internal {
        _setCtx(CTX_DIRECT, actor, true);
        bool applied = true;
        if (t.id % 3 == 0) {
            vm.prank(settler);
            try ledger.createTransferFor(actor, t) {}
            catch {
                applied = false;
            }
        } else {
            vm.prank(actor);
            try ledger.createTransfer(t) {}
            catch {
                applied = false;
            }
        }
        if (applied) {
            okCount[op]++;
            _applyTransfer(t);
        } else {
            failCount[op]++;
        }
    }

    function _setCtx(uint8 kind, address actor, bool allowed) internal {
        ctxKind = kind;
        ctxActor = actor;
        ctxAllowed = allowed;
    }

    function _begin() internal returns (Snap memory s) {
        vm.warp(nowTs);
        _setCtx(CTX_NONE, address(0), false);
        for (uint256 i; i < accounts.length; ++i) {
            relD[i] = 0;
            relC[i] = 0;
            touched[i] = false;
            reopened[i] = false;
        }
        opNonRelease = false;
        s = _snap();
    }

    function _snap() internal view returns (Snap memory s) {
        uint256 n = accounts.length;
        s.paused = ledger.paused();
        s.exists = new bool[](n);
        s.dPend = new uint256[](n);
        s.dPost = new uint256[](n);
        s.cPend = new uint256[](n);
        s.cPost = new uint256[](n);
        s.flags = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            if (!_exists(i)) continue;
            ISovrLedger.Account memory a = ledger.getAccount(accounts[i]);
            s.exists[i] = true;
            s.dPend[i] = a.debitsPending;
            s.dPost[i] = a.debitsPosted;
            s.cPend[i] = a.creditsPending;
            s.cPost[i] = a.creditsPosted;
            s.flags[i] = a.flags;
        }
    }

    /// @dev Accounts opened in the constructor always exist; newcomers' primary accounts appear later.
    function _exists(uint256 i) internal view returns (bool) {
        return openedInSetup[i] || ledger.accountOwner(accounts[i]) != address(0);
    }

    /// @dev Checks made around every action, from ledger snapshots before and after it:
    /// - no account's debits grew unless the action's principal could debit it (invariant 4);
    /// - while paused, and on frozen or closed accounts, balances moved only by the pending amounts
    ///   that voids and expiries of this action released (invariants 8 and 9).
    function _end(Snap memory s) internal {
        Snap memory e = _snap();
        for (uint256 i; i < accounts.length; ++i) {
            if (!e.exists[i]) continue;
            uint128 id = accounts[i];
            if (e.dPend[i] + e.dPost[i] > s.dPend[i] + s.dPost[i] && !_mayDebit(id)) {
                _violation(4, "an account's debits grew in an action without its owner's authority");
            }
            // A closed account reopened by this action (a batch that voids the closing transfer first)
            // may take part in later members; the model checks those in order.
            bool locked = s.flags[i] & F_FROZEN != 0 || (s.flags[i] & F_CLOSED != 0 && !reopened[i]);
            if (!s.paused && !locked) continue;
            bool onlyReleases = e.dPost[i] == s.dPost[i] && e.cPost[i] == s.cPost[i]
                && e.dPend[i] + relD[i] == s.dPend[i] && e.cPend[i] + relC[i] == s.cPend[i];
            if (!onlyReleases) {
                _violation(s.paused ? 8 : 9, "balances changed other than by voids and expiries");
            }
            if (locked && touched[i]) _violation(9, "a transfer or post applied to a frozen or closed account");
        }
        if (s.paused && opNonRelease) _violation(8, "a transfer or post applied while paused");
    }

    /// @dev Whether the running action's principal may debit `id`.
    function _mayDebit(uint128 id) internal view returns (bool) {
        address owner = ownerOf[id];
        if (owner == address(0)) return false;
        if (ctxKind == CTX_DIRECT) return owner == ctxActor || ghostOperator[owner][ctxActor];
        if (ctxKind == CTX_ISSUE) return id == ISSUER && ctxAllowed;
        if (ctxKind == CTX_REDEEM) return owner == ctxActor && ghostOperator[owner][address(credit)];
        if (ctxKind == CTX_TOKEN) return id == ledger.primaryAccountId(ctxActor) && ctxAllowed;
        return false;
    }

    // ================================================================ the model

    function _applyTransfer(ISovrLedger.Transfer memory t) internal {
        if (t.flags & (POST | VOID) != 0) _applyPostOrVoid(t);
        else _applyNew(t);
    }

    /// @dev An ordinary or pending transfer the ledger applied.
    function _applyNew(ISovrLedger.Transfer memory t) internal {
        uint128 dr = t.debitAccountId;
        uint128 cr = t.creditAccountId;
        uint256 amount = t.amount;
        if (t.flags & BAL_DEBIT != 0) {
            uint256 room = uint256(model[dr].cPost) + _usableLimit(dr);
            uint256 total = uint256(model[dr].dPend) + model[dr].dPost;
            amount = _min(amount, room > total ? room - total : 0);
        }
        if (t.flags & BAL_CREDIT != 0) {
            uint256 total = uint256(model[cr].cPend) + model[cr].cPost;
            amount = _min(amount, model[cr].dPost > total ? model[cr].dPost - total : 0);
        }
        if (t.flags & (BAL_DEBIT | BAL_CREDIT) != 0) okCount[OP_BALANCING_APPLIED]++;
        _checkStored(t.id, dr, cr, amount);
        if (accIndex[dr] == 0 || accIndex[cr] == 0) {
            _violation(0, "a transfer applied between unknown accounts");
            return;
        }
        if (!_mayDebit(dr) || (t.flags & CLOSING_CREDIT != 0 && !_mayDebit(cr))) {
            _violation(4, "a transfer applied without the debit account owner's authority");
            return;
        }
        if (modelFrozen[dr] || modelFrozen[cr] || modelClosed[dr] || modelClosed[cr]) {
            _violation(9, "a transfer applied to a frozen or closed account");
        }
        if (uint256(model[dr].dPend) + model[dr].dPost + amount > model[dr].cPost) okCount[OP_LINE_USED]++;
        _touch(dr);
        _touch(cr);
        if (t.flags & PENDING != 0) {
            model[dr].dPend += uint128(amount);
            model[cr].cPend += uint128(amount);
            pend[t.id] = Pending({
                dr: dr,
                cr: cr,
                amount: uint128(amount),
                expiresAt: t.timeout == 0 ? 0 : uint64(nowTs + t.timeout),
                status: ST_PENDING,
                resolutions: 0,
                flags: t.flags
            });
            pendingIds.push(t.id);
            livePending++;
            if (t.flags & CLOSING_DEBIT != 0) modelClosed[dr] = true;
            if (t.flags & CLOSING_CREDIT != 0) modelClosed[cr] = true;
        } else {
            model[dr].dPost += uint128(amount);
            model[cr].cPost += uint128(amount);
        }
        _remember(t);
    }

    /// @dev A post or void the ledger applied.
    function _applyPostOrVoid(ISovrLedger.Transfer memory t) internal {
        Pending storage p = pend[t.pendingId];
        bool isVoid = t.flags & VOID != 0;
        if (p.dr == 0) {
            _violation(5, "a post or void of an unknown pending transfer applied");
            return;
        }
        p.resolutions++;
        if (p.status != ST_PENDING) {
            _violation(5, "a pending transfer was resolved twice");
            return;
        }
        if (p.expiresAt != 0 && p.expiresAt <= nowTs) {
            _violation(5, "a pending transfer was posted or voided after its timeout");
            return;
        }
        uint128 amount = isVoid ? p.amount : t.amount == AMOUNT_MAX ? p.amount : t.amount;
        if (amount > p.amount) {
            _violation(5, "a post exceeded its pending amount");
            return;
        }
        _checkStored(t.id, p.dr, p.cr, amount);
        bool authorised = isVoid ? _mayDebit(p.dr) || _mayDebit(p.cr) : _mayDebit(p.dr);
        if (!authorised) {
            _violation(
                4, isVoid ? "a void by a stranger applied" : "a post without the debit owner's authority applied"
            );
            return;
        }
        livePending--;
        if (isVoid) {
            _release(p.dr, p.cr, p.amount);
            p.status = ST_VOIDED;
            _reopen(p);
        } else {
            if (modelFrozen[p.dr] || modelFrozen[p.cr] || modelClosed[p.dr] || modelClosed[p.cr]) {
                _violation(9, "a post applied to a frozen or closed account");
            }
            if (amount < p.amount) okCount[OP_PARTIAL_POST]++;
            _touch(p.dr);
            _touch(p.cr);
            model[p.dr].dPend -= p.amount;
            model[p.cr].cPend -= p.amount;
            model[p.dr].dPost += amount;
            model[p.cr].cPost += amount;
            p.status = ST_POSTED;
        }
        _remember(t);
    }

    function _applyExpiry(uint128 pid) internal {
        Pending storage p = pend[pid];
        if (p.dr == 0) {
            _violation(5, "an unknown pending transfer expired");
            return;
        }
        p.resolutions++;
        if (p.status != ST_PENDING || !_overdue(p)) {
            _violation(5, "a pending transfer expired that was resolved or not overdue");
            return;
        }
        livePending--;
        _release(p.dr, p.cr, p.amount);
        p.status = ST_EXPIRED;
        _reopen(p);
    }

    /// @dev An ordinary transfer made on the holder's behalf by SovrCredit.
    function _applyPlain(uint128 id, uint128 dr, uint128 cr, uint128 amount) internal {
        ISovrLedger.Transfer memory t = _plain(id, dr, cr, amount, USD);
        t.code = dr == ISSUER ? SovrCodes.TRANSFER_ISSUE : SovrCodes.TRANSFER_REDEEM;
        _applyNew(t);
    }

    /// @dev An ERC-20 view transfer: ids are minted by the ledger, so the stored record is not looked up.
    function _applyToken(address from, address to, uint128 amount) internal {
        uint128 dr = ledger.primaryAccountId(from);
        uint128 cr = ledger.primaryAccountId(to);
        if (!_mayDebit(dr)) {
            _violation(4, "a token transfer applied without the holder's authority");
            return;
        }
        if (modelFrozen[dr] || modelFrozen[cr]) _violation(9, "a token transfer applied to a frozen account");
        if (uint256(model[dr].dPend) + model[dr].dPost + amount > model[dr].cPost) okCount[OP_LINE_USED]++;
        _touch(dr);
        _touch(cr);
        model[dr].dPost += amount;
        model[cr].cPost += amount;
    }

    function _release(uint128 dr, uint128 cr, uint128 amount) internal {
        model[dr].dPend -= amount;
        model[cr].cPend -= amount;
        relD[accIndex[dr] - 1] += amount;
        relC[accIndex[cr] - 1] += amount;
    }

    function _reopen(Pending storage p) internal {
        if (p.flags & CLOSING_DEBIT != 0) {
            modelClosed[p.dr] = false;
            reopened[accIndex[p.dr] - 1] = true;
        }
        if (p.flags & CLOSING_CREDIT != 0) {
            modelClosed[p.cr] = false;
            reopened[accIndex[p.cr] - 1] = true;
        }
    }

    function _touch(uint128 id) internal {
        touched[accIndex[id] - 1] = true;
        opNonRelease = true;
    }

    function _checkStored(uint128 id, uint128 dr, uint128 cr, uint256 amount) internal {
        try ledger.getTransfer(id) returns (ISovrLedger.StoredTransfer memory st) {
            if (st.debitAccountId != dr || st.creditAccountId != cr || st.amount != amount) {
                _violation(0, "the stored transfer differs from what the model applied");
            }
        } catch {
            _violation(0, "an applied transfer is not stored");
        }
    }

    function _remember(ISovrLedger.Transfer memory t) internal {
        recent[recentCount % 8] = t;
        recentCount++;
    }

    /// @dev TigerBeetle's chain rules on a batch's results: a chain applies as a whole or not at all,
    /// an open chain never applies and ends in `LinkedEventChainOpen`, a failed chain names one cause.
    function _checkChains(ISovrLedger.Transfer[] memory ts, ISovrLedger.TransferResult[] memory results) internal {
        uint256 n = ts.length;
        if (results.length != n) {
            _violation(0, "createTransfers returned the wrong number of results");
            return;
        }
        uint256 i;
        while (i < n) {
            if (ts[i].flags & LINKED == 0) {
                ++i;
                continue;
            }
            uint256 end = i;
            while (end < n && ts[end].flags & LINKED != 0) ++end;
            bool open = end == n;
            uint256 last = open ? n - 1 : end;
            uint256 oks;
            uint256 causes;
            for (uint256 k = i; k <= last; ++k) {
                if (results[k] == ISovrLedger.TransferResult.Ok) oks++;
                else if (results[k] != ISovrLedger.TransferResult.LinkedEventFailed) causes++;
            }
            uint256 size = last - i + 1;
            if (open) {
                if (oks != 0 || results[last] != ISovrLedger.TransferResult.LinkedEventChainOpen || causes > 2) {
                    _violation(0, "an open chain applied or was misreported");
                }
            } else if (oks != 0 && oks != size) {
                _violation(0, "a linked chain applied in part");
            } else if (oks == 0 && causes != 1) {
                _violation(0, "a rolled-back chain does not name exactly one cause");
            }
            if (size > 1) okCount[oks == size ? OP_CHAIN_APPLIED : OP_CHAIN_ROLLED_BACK]++;
            i = last + 1;
        }
    }

    function _usableLimit(uint128 id) internal view returns (uint256) {
        if (!everLine[id] || lineFrozen[id]) return 0;
        if (lineExpires[id] != 0 && lineExpires[id] <= nowTs) return 0;
        return lineLimit[id];
    }

    function _overdue(Pending memory p) internal view returns (bool) {
        return p.expiresAt != 0 && p.expiresAt <= nowTs;
    }

    function _modelOutstanding() internal view returns (uint256) {
        Balances memory b = model[ISSUER];
        return uint256(b.dPend) + b.dPost - b.cPost;
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }

    function _violation(uint256 invariant, string memory reason) internal {
        violations[invariant]++;
        if (bytes(firstViolation).length == 0) {
            firstViolation = string.concat("invariant ", vm.toString(invariant), ": ", reason);
        }
    }

    // ================================================================ invariants (called by the test)

    /// @dev The ledger's state, read once per check.
    struct LedgerView {
        bool[] exists;
        ISovrLedger.Account[] acc;
        ISovrLedger.StoredTransfer[] pending; // in `pendingIds` order
    }

    function _load() internal view returns (LedgerView memory v) {
        uint256 n = accounts.length;
        v.exists = new bool[](n);
        v.acc = new ISovrLedger.Account[](n);
        for (uint256 i; i < n; ++i) {
            if (!_exists(i)) continue;
            v.exists[i] = true;
            v.acc[i] = ledger.getAccount(accounts[i]);
        }
        v.pending = new ISovrLedger.StoredTransfer[](pendingIds.length);
        for (uint256 j; j < pendingIds.length; ++j) {
            v.pending[j] = ledger.getTransfer(pendingIds[j]);
        }
    }

    /// @notice Checks every invariant against the ledger's current state.
    function checkAll() external view {
        // What the handler saw going wrong while an action ran, with the number of the invariant broken.
        for (uint256 k; k < 10; ++k) {
            if (violations[k] != 0) _fail();
        }
        LedgerView memory v = _load();
        _checkDoubleEntry(v);
        _checkPendingBalances(v);
        _checkAccountFlags(v);
        _checkAuthorisedDebits(v);
        _checkResolutions(v);
        _checkCreditTotals(v);
        _checkIssuance(v);
        _checkPauseAndFreeze();
    }

    /// @dev 1. Debits posted equal credits posted; debits pending equal credits pending.
    function _checkDoubleEntry(LedgerView memory v) internal pure {
        uint256 dPend;
        uint256 dPost;
        uint256 cPend;
        uint256 cPost;
        for (uint256 i; i < v.acc.length; ++i) {
            dPend += v.acc[i].debitsPending;
            dPost += v.acc[i].debitsPosted;
            cPend += v.acc[i].creditsPending;
            cPost += v.acc[i].creditsPosted;
        }
        _eq(dPost, cPost, "invariant 1: sum of debits posted != sum of credits posted");
        _eq(dPend, cPend, "invariant 1: sum of debits pending != sum of credits pending");
    }

    /// @dev 2. The pending transfers still in status Pending (getTransfer) account for every pending
    /// balance, in total and per account.
    function _checkPendingBalances(LedgerView memory v) internal view {
        uint256 n = accounts.length;
        uint256[] memory dPend = new uint256[](n);
        uint256[] memory cPend = new uint256[](n);
        uint256 live;
        for (uint256 j; j < v.pending.length; ++j) {
            ISovrLedger.StoredTransfer memory st = v.pending[j];
            if (st.status != ISovrLedger.PendingStatus.Pending) continue;
            live += st.amount;
            dPend[accIndex[st.debitAccountId] - 1] += st.amount;
            cPend[accIndex[st.creditAccountId] - 1] += st.amount;
        }
        uint256 total;
        for (uint256 i; i < n; ++i) {
            total += v.acc[i].debitsPending;
            _eq(v.acc[i].debitsPending, dPend[i], "invariant 2: an account's debits pending != its live pendings");
            _eq(v.acc[i].creditsPending, cPend[i], "invariant 2: an account's credits pending != its live pendings");
        }
        _eq(live, total, "invariant 2: amounts of live pending transfers != total debits pending");
    }

    /// @dev 3. No account violates its flags; a credit line allows at most the highest limit ever granted.
    function _checkAccountFlags(LedgerView memory v) internal view {
        for (uint256 i; i < accounts.length; ++i) {
            if (!v.exists[i]) continue;
            ISovrLedger.Account memory a = v.acc[i];
            uint128 id = accounts[i];
            uint256 debits = uint256(a.debitsPending) + a.debitsPosted;
            _eq(a.flags & F_LINE != 0, everLine[id], "invariant 3: credit-line flag differs from the lines granted");
            if (a.flags & F_DNEC != 0) {
                if (!everLine[id]) {
                    _le(debits, a.creditsPosted, "invariant 3: debits exceed credits on a debit-bounded account");
                } else {
                    _le(
                        debits,
                        uint256(a.creditsPosted) + maxLimitEver[id],
                        "invariant 3: debits exceed credits plus the highest credit line ever granted"
                    );
                }
            }
            if (a.flags & F_CNED != 0) {
                _le(
                    uint256(a.creditsPending) + a.creditsPosted,
                    a.debitsPosted,
                    "invariant 3: credits exceed debits posted on a credit-bounded account"
                );
            }
        }
    }

    /// @dev 4. Every account's debits are exactly those the model attributes to authorised actions
    /// (and its credits, frozen and closed flags match the model too).
    function _checkAuthorisedDebits(LedgerView memory v) internal view {
        for (uint256 i; i < accounts.length; ++i) {
            uint128 id = accounts[i];
            Balances memory m = model[id];
            ISovrLedger.Account memory a = v.acc[i];
            _eq(a.debitsPosted, m.dPost, "invariant 4: debits posted != debits of authorised actions");
            _eq(a.debitsPending, m.dPend, "invariant 4: debits pending != debits of authorised actions");
            _eq(a.creditsPosted, m.cPost, "invariant 4 (model): credits posted differ from the model");
            _eq(a.creditsPending, m.cPend, "invariant 4 (model): credits pending differ from the model");
            _eq(a.flags & F_FROZEN != 0, modelFrozen[id], "invariant 9 (model): frozen flag differs");
            _eq(a.flags & F_CLOSED != 0, modelClosed[id], "invariant 9 (model): closed flag differs");
        }
    }

    /// @dev 5. Each pending transfer is resolved at most once and never returns to Pending: the ledger's
    /// status equals the model's, which only moves Pending -> Posted/Voided/Expired, once.
    function _checkResolutions(LedgerView memory v) internal view {
        for (uint256 j; j < pendingIds.length; ++j) {
            Pending memory p = pend[pendingIds[j]];
            _eq(uint8(v.pending[j].status), p.status, "invariant 5: a pending status differs from its resolutions");
            _le(p.resolutions, 1, "invariant 5: a pending transfer was resolved more than once");
            _eq(p.resolutions == 1, p.status != ST_PENDING, "invariant 5: resolution count and status disagree");
        }
    }

    /// @dev 6. Credit totals: used == sum over credit-line accounts of debits beyond credits posted;
    /// extended == sum of the current limits.
    function _checkCreditTotals(LedgerView memory v) internal view {
        uint256 used;
        uint256 extended;
        for (uint256 i; i < accounts.length; ++i) {
            uint128 id = accounts[i];
            if (!everLine[id]) continue;
            ISovrLedger.Account memory a = v.acc[i];
            uint256 debits = uint256(a.debitsPending) + a.debitsPosted;
            if (debits > a.creditsPosted) used += debits - a.creditsPosted;
            uint128 limit = ledger.creditLineOf(id).limit;
            extended += limit;
            _eq(limit, lineLimit[id], "invariant 6: a credit line's limit differs from the one granted");
        }
        (uint128 ledgerExtended, uint128 ledgerUsed) = ledger.creditTotals(USD);
        _eq(ledgerUsed, used, "invariant 6: creditTotals.used != sum of credit in use");
        _eq(ledgerExtended, extended, "invariant 6: creditTotals.extended != sum of current limits");
    }

    /// @dev 7. Outstanding SOVR stays within the highest ceiling in force at any issue and equals the
    /// issuer's debits minus credits; the token supply is the issuer's posted net debit.
    function _checkIssuance(LedgerView memory v) internal view {
        ISovrLedger.Account memory a = v.acc[accIndex[ISSUER] - 1];
        uint256 outstanding = credit.outstanding();
        _le(outstanding, maxCeilingAtIssue, "invariant 7: outstanding above every ceiling it was issued under");
        _eq(
            outstanding,
            uint256(a.debitsPending) + a.debitsPosted - a.creditsPosted,
            "invariant 7: outstanding != issuer debits - credits"
        );
        _eq(outstanding, _modelOutstanding(), "invariant 7: outstanding != issued - redeemed (model)");
        _eq(token.totalSupply(), uint256(a.debitsPosted) - a.creditsPosted, "invariant 7: totalSupply != issuer debit");
        _eq(a.debitsPending, 0, "invariant 7: the issuer has pending debits");
    }

    /// @dev 8 and 9. While paused, and on frozen (or closed) accounts, only voids and expiries moved
    /// balances (checked around each action); pause and freeze follow the roles.
    function _checkPauseAndFreeze() internal view {
        _eq(ledger.paused(), modelPaused, "invariant 8: paused flag differs from the model");
    }

    function _fail() internal view {
        assertTrue(false, firstViolation);
    }

    // Assertions go through the cheatcode only when they fail: the invariant runs after every call.
    function _eq(uint256 a, uint256 b, string memory message) internal pure {
        if (a != b) assertEq(a, b, message);
    }

    function _eq(bool a, bool b, string memory message) internal pure {
        if (a != b) assertEq(a, b, message);
    }

    function _le(uint256 a, uint256 b, string memory message) internal pure {
        if (a > b) assertLe(a, b, message);
    }

    // ================================================================ views for the test

    function pendingCount() external view returns (uint256) {
        return pendingIds.length;
    }

    function accountCount() external view returns (uint256) {
        return accounts.length;
    }
}
