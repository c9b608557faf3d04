// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrLedger} from "../../src/interfaces/ISovrLedger.sol";
import {SovrCredit} from "../../src/SovrCredit.sol";
import {SovrLedger} from "../../src/SovrLedger.sol";
import {SovrRelay} from "../../src/SovrRelay.sol";
import {SovrToken} from "../../src/SovrToken.sol";

/// @title LedgerFixture: the deployed SOVR settlement contracts and helpers shared by the unit tests
/// @notice Deploys SovrLedger(owner, 0) and SovrCredit(ledger, owner, 0, CEILING), gives SovrCredit the
/// ledger's TREASURY_ROLE and CREDIT_ROLE, opens the issuer account, and gives `treasury` TREASURY_ROLE so
/// tests can open unbounded accounts. No tests of its own.
abstract contract LedgerFixture is Test {
    // ---------------------------------------------------------------- ledgers and codes
    uint32 internal constant USD = 840;
    uint32 internal constant EUR = 978;
    uint16 internal constant ACCOUNT_HOLDER = 1;
    uint16 internal constant ACCOUNT_ISSUER = 2;
    uint16 internal constant ACCOUNT_TREASURY = 9;
    uint16 internal constant PAYMENT = 1;
    uint16 internal constant ISSUE = 2;
    uint16 internal constant REDEEM = 3;

    // ---------------------------------------------------------------- account flags
    uint16 internal constant DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
    uint16 internal constant CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;
    uint16 internal constant ACCOUNT_CLOSED = 1 << 5;
    uint16 internal constant ACCOUNT_FROZEN = 1 << 6;
    uint16 internal constant ACCOUNT_HAS_CREDIT_LINE = 1 << 7;

    // ---------------------------------------------------------------- transfer flags
    uint16 internal constant LINKED = 1 << 0;
    uint16 internal constant PENDING = 1 << 1;
    uint16 internal constant POST = 1 << 2;
    uint16 internal constant VOID = 1 << 3;
    uint16 internal constant BALANCING_DEBIT = 1 << 4;
    uint16 internal constant BALANCING_CREDIT = 1 << 5;
    uint16 internal constant CLOSING_DEBIT = 1 << 6;
    uint16 internal constant CLOSING_CREDIT = 1 << 7;

    // ---------------------------------------------------------------- amounts and ids
    uint128 internal constant AMOUNT_MAX = type(uint128).max;
    uint128 internal constant MAX_BALANCE = type(uint96).max;
    uint128 internal constant RESERVED_ID_BIT = uint128(1) << 127;
    uint128 internal constant ISSUER_ID = 1_000_000_000;
    /// @dev One billion dollars in micro-dollars.
    uint128 internal constant CEILING = 1e15;
    /// @dev Ids of the fixture's own issue transfers start here, far from the small ids tests use.
    uint128 internal constant ISSUE_ID_BASE = uint128(1) << 100;

    SovrLedger internal ledger;
    SovrCredit internal credit;
    SovrToken internal token;
    SovrRelay internal relay;

    address internal owner = makeAddr("owner");
    address internal treasury = makeAddr("treasury");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");
    address internal mallory = makeAddr("mallory");

    uint128 internal issueNonce;

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        ledger = new SovrLedger(owner, 0);
        credit = new SovrCredit(ledger, owner, 0, CEILING);
        token = ledger.token();
        relay = ledger.relay();
        vm.startPrank(owner);
        ledger.grantRole(ledger.TREASURY_ROLE(), address(credit));
        ledger.grantRole(ledger.CREDIT_ROLE(), address(credit));
        ledger.grantRole(ledger.TREASURY_ROLE(), treasury);
        credit.openIssuerAccount(ISSUER_ID);
        vm.stopPrank();
    }

    // ================================================================ accounts

    /// @dev Opens a holder account on ledger 840 whose debits are bounded by its credits.
    function _open(address who, uint128 id) internal {
        _open(who, id, USD, DEBITS_MUST_NOT_EXCEED_CREDITS);
    }

    function _open(address who, uint128 id, uint32 ledgerNo, uint16 flags) internal {
        vm.prank(who);
        ledger.createAccount(id, ledgerNo, ACCOUNT_HOLDER, flags);
    }

    /// @dev Opens an account without balance constraints, owned by `treasury`.
    function _openUnbounded(uint128 id) internal {
        _openUnbounded(id, USD);
    }

    function _openUnbounded(uint128 id, uint32 ledgerNo) internal {
        vm.prank(treasury);
        ledger.createAccount(id, ledgerNo, ACCOUNT_TREASURY, 0);
    }

    /// @dev Issues `amount` into `accountId` through SovrCredit (a posted issuer -> account transfer).
    function _fund(uint128 accountId, uint128 amount) internal {
        vm.prank(owner);
        credit.issue(_nextIssueId(), accountId, amount, bytes32(0));
    }

    function _nextIssueId() internal returns (uint128) {
        return ISSUE_ID_BASE + ++issueNonce;
    }

    /// @dev Grants `accountId` a credit line through SovrCredit.
    function _grantLine(uint128 accountId, uint128 limit, uint64 expiresAt) internal {
        vm.prank(owner);
        credit.setCreditLine(accountId, limit, expiresAt);
    }

    function _acct(uint128 id) internal view returns (ISovrLedger.Account memory) {
        return ledger.getAccount(id);
    }

    function _assertBalances(uint128 id, uint256 dPending, uint256 dPosted, uint256 cPending, uint256 cPosted)
        internal
        view
    {
        ISovrLedger.Account memory a = ledger.getAccount(id);
        assertEq(a.debitsPending, dPending, "debitsPending");
        assertEq(a.debitsPosted, dPosted, "debitsPosted");
        assertEq(a.creditsPending, cPending, "creditsPending");
        assertEq(a.creditsPosted, cPosted, "creditsPosted");
    }

    /// @dev A fingerprint of an account (zero if it does not exist).
    function _accountHash(uint128 id) internal view returns (bytes32) {
        if (ledger.accountOwner(id) == address(0)) return bytes32(0);
        return keccak256(abi.encode(ledger.getAccount(id), ledger.creditLineOf(id)));
    }

    /// @dev A fingerprint of a stored transfer (zero if it does not exist).
    function _transferHash(uint128 id) internal view returns (bytes32) {
        try ledger.getTransfer(id) returns (ISovrLedger.StoredTransfer memory s) {
            return keccak256(abi.encode(s));
        } catch {
            return bytes32(0);
        }
    }

    function _hasTransfer(uint128 id) internal view returns (bool) {
        return _transferHash(id) != bytes32(0);
    }

    // ================================================================ transfers

    function _tx(uint128 id, uint128 dr, uint128 cr, uint128 amount)
        internal
        pure
        returns (ISovrLedger.Transfer memory t)
    {
        t.id = id;
        t.debitAccountId = dr;
        t.creditAccountId = cr;
        t.amount = amount;
        t.ledger = USD;
        t.code = PAYMENT;
    }

    function _txFlags(uint128 id, uint128 dr, uint128 cr, uint128 amount, uint16 flags)
        internal
        pure
        returns (ISovrLedger.Transfer memory t)
    {
        t = _tx(id, dr, cr, amount);
        t.flags = flags;
    }

    function _pendingTx(uint128 id, uint128 dr, uint128 cr, uint128 amount, uint32 timeout)
        internal
        pure
        returns (ISovrLedger.Transfer memory t)
    {
        t = _tx(id, dr, cr, amount);
        t.flags = PENDING;
        t.timeout = timeout;
    }

    /// @dev A post that names only the pending id (accounts, ledger and code are inherited).
    function _postTx(uint128 id, uint128 pendingId, uint128 amount)
        internal
        pure
        returns (ISovrLedger.Transfer memory t)
    {
        t.id = id;
        t.pendingId = pendingId;
        t.amount = amount;
        t.flags = POST;
    }

    /// @dev A void that names only the pending id.
    function _voidTx(uint128 id, uint128 pendingId) internal pure returns (ISovrLedger.Transfer memory t) {
        t.id = id;
        t.pendingId = pendingId;
        t.flags = VOID;
    }

    function _one(ISovrLedger.Transfer memory a) internal pure returns (ISovrLedger.Transfer[] memory ts) {
        ts = new ISovrLedger.Transfer[](1);
        ts[0] = a;
    }

    function _two(ISovrLedger.Transfer memory a, ISovrLedger.Transfer memory b)
        internal
        pure
        returns (ISovrLedger.Transfer[] memory ts)
    {
        ts = new ISovrLedger.Transfer[](2);
        ts[0] = a;
        ts[1] = b;
    }

    function _three(ISovrLedger.Transfer memory a, ISovrLedger.Transfer memory b, ISovrLedger.Transfer memory c)
        internal
        pure
        returns (ISovrLedger.Transfer[] memory ts)
    {
        ts = new ISovrLedger.Transfer[](3);
        ts[0] = a;
        ts[1] = b;
        ts[2] = c;
    }

    /// @dev Applies one transfer with `caller`'s authority (reverts on failure).
    function _submit(address caller, ISovrLedger.Transfer memory t) internal {
        vm.prank(caller);
        ledger.createTransfer(t);
    }

    function _batch(address caller, ISovrLedger.Transfer[] memory ts)
        internal
        returns (ISovrLedger.TransferResult[] memory)
    {
        vm.prank(caller);
        return ledger.createTransfers(ts);
    }

    /// @dev Asserts that `t`, sent by `caller`, is rejected with `expected` both in a one-member batch
    /// (result code, TransferRejected event, nothing changes) and alone (custom error `selector` with the id).
    function _expectRejected(
        address caller,
        ISovrLedger.Transfer memory t,
        ISovrLedger.TransferResult expected,
        bytes4 selector
    ) internal {
        bytes32 drBefore = _accountHash(t.debitAccountId);
        bytes32 crBefore = _accountHash(t.creditAccountId);
        bytes32 recordBefore = _transferHash(t.id);
        bytes32 pendingBefore = _transferHash(t.pendingId);

        vm.expectEmit(true, false, false, true, address(ledger));
        emit ISovrLedger.TransferRejected(t.id, 0, expected);
        ISovrLedger.TransferResult[] memory results = _batch(caller, _one(t));
        assertEq(results.length, 1, "one result");
        assertEq(uint256(results[0]), uint256(expected), "batch result");

        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(selector, t.id));
        ledger.createTransfer(t);

        assertEq(_accountHash(t.debitAccountId), drBefore, "debit account changed");
        assertEq(_accountHash(t.creditAccountId), crBefore, "credit account changed");
        assertEq(_transferHash(t.id), recordBefore, "transfer record changed");
        assertEq(_transferHash(t.pendingId), pendingBefore, "pending record changed");
    }

    /// @dev The `details` word of TransferCreated.
    function _details(uint256 flags, uint256 code, uint256 ledgerNo, uint256 timeout)
        internal
        pure
        returns (uint96)
    {
        return uint96(flags | (code << 16) | (ledgerNo << 32) | (timeout << 64));
    }

    /// @dev Sum of debits (posted) and credits (posted) over `ids`; also pending sides.
    function _sums(uint128[] memory ids)
        internal
        view
        returns (uint256 debitsPosted, uint256 creditsPosted, uint256 debitsPending, uint256 creditsPending)
    {
        for (uint256 k; k < ids.length; ++k) {
            ISovrLedger.Account memory a = ledger.getAccount(ids[k]);
            debitsPosted += a.debitsPosted;
            creditsPosted += a.creditsPosted;
            debitsPending += a.debitsPending;
            creditsPending += a.creditsPending;
        }
    }
}
