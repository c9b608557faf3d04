// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

/// @notice Pending transfers: post (full, partial, zero), void, timeouts and expiry, closing flags,
/// authorization, and their interplay with pause and freeze.
contract SovrLedgerTwoPhaseTest is LedgerFixture {
    uint128 internal constant A = 1; // alice
    uint128 internal constant B = 2; // bob
    uint128 internal constant C = 3; // carol
    uint128 internal constant P = 10; // the pending transfer of most tests

    address internal pauser = makeAddr("pauser");
    address internal freezer = makeAddr("freezer");
    bytes32 internal constant MEMO = keccak256("hold for order 9");

    function setUp() public override {
        super.setUp();
        _open(alice, A);
        _open(bob, B);
        _open(carol, C);
        _fund(A, 1000);
        vm.startPrank(owner);
        ledger.grantRole(ledger.PAUSER_ROLE(), pauser);
        ledger.grantRole(ledger.FREEZER_ROLE(), freezer);
        vm.stopPrank();
    }

    /// @dev Alice reserves 300 for bob with a 60 s timeout.
    function _hold() internal {
        ISovrLedger.Transfer memory t = _pendingTx(P, A, B, 300, 60);
        t.userData = MEMO;
        _submit(alice, t);
    }

    function _status(uint128 id) internal view returns (ISovrLedger.PendingStatus) {
        return ledger.getTransfer(id).status;
    }

    // ================================================================ pending

    function test_pending_reservesAndRecords() public {
        ISovrLedger.Transfer memory t = _pendingTx(P, A, B, 300, 60);
        t.userData = MEMO;
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(P, A, B, 300, 0, MEMO, _details(PENDING, PAYMENT, USD, 60));
        _submit(alice, t);

        _assertBalances(A, 300, 0, 0, 1000);
        _assertBalances(B, 0, 0, 300, 0);
        assertEq(ledger.availableBalance(A), 700);
        assertEq(ledger.availableBalance(B), 0, "pending credits are not spendable");
        ISovrLedger.StoredTransfer memory s = ledger.getTransfer(P);
        assertEq(s.amount, 300);
        assertEq(s.flags, PENDING);
        assertEq(s.timeout, 60);
        assertEq(s.timestamp, block.timestamp);
        assertEq(uint256(s.status), uint256(ISovrLedger.PendingStatus.Pending));
        assertEq(s.debitAccountId, A);
        assertEq(s.creditAccountId, B);
    }

    // ================================================================ post

    function test_post_fullWithAmountMax() public {
        _hold();
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(11, A, B, 300, P, bytes32(0), _details(POST, PAYMENT, USD, 0));
        _submit(alice, _postTx(11, P, AMOUNT_MAX));
        _assertBalances(A, 0, 300, 0, 1000);
        _assertBalances(B, 0, 0, 0, 300);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Posted));
        ISovrLedger.StoredTransfer memory s = ledger.getTransfer(11);
        assertEq(s.amount, 300);
        assertEq(s.flags, POST);
        assertEq(s.debitAccountId, A);
        assertEq(s.creditAccountId, B);
        assertEq(s.code, PAYMENT);
        assertEq(uint256(s.status), uint256(ISovrLedger.PendingStatus.None));
    }

    function test_post_exactAmountWithNamedFields() public {
        _hold();
        ISovrLedger.Transfer memory t = _postTx(11, P, 300);
        t.debitAccountId = A;
        t.creditAccountId = B;
        t.ledger = USD;
        t.code = PAYMENT;
        t.userData = keccak256("receipt");
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(11, A, B, 300, P, keccak256("receipt"), _details(POST, PAYMENT, USD, 0));
        _submit(alice, t);
        _assertBalances(B, 0, 0, 0, 300);
    }

    function test_post_partialReleasesTheRest() public {
        _hold();
        _submit(alice, _postTx(11, P, 120));
        _assertBalances(A, 0, 120, 0, 1000);
        _assertBalances(B, 0, 0, 0, 120);
        assertEq(ledger.availableBalance(A), 880);
        assertEq(ledger.getTransfer(11).amount, 120);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Posted));
        assertEq(ledger.getTransfer(P).amount, 300, "the pending record keeps its amount");
    }

    function test_post_zeroReleasesEverything() public {
        _hold();
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(11, A, B, 0, P, bytes32(0), _details(POST, PAYMENT, USD, 0));
        _submit(alice, _postTx(11, P, 0));
        _assertBalances(A, 0, 0, 0, 1000);
        _assertBalances(B, 0, 0, 0, 0);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Posted));
        _expectRejected(
            alice,
            _postTx(12, P, 0),
            ISovrLedger.TransferResult.PendingTransferAlreadyPosted,
            ISovrLedger.PendingTransferAlreadyPosted.selector
        );
    }

    function test_post_ofPendingAmountMax() public {
        // A pending transfer's amount cannot reach 2^128-1 (balances are 96-bit), so AMOUNT_MAX always means "all".
        _openUnbounded(101);
        _submit(treasury, _pendingTx(P, 101, B, MAX_BALANCE, 0));
        _submit(treasury, _postTx(11, P, AMOUNT_MAX));
        _assertBalances(B, 0, 0, 0, MAX_BALANCE);
        assertEq(ledger.getTransfer(11).amount, MAX_BALANCE);
    }

    // ================================================================ void

    function test_void_releasesAndRecords() public {
        _hold();
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(11, A, B, 300, P, bytes32(0), _details(VOID, PAYMENT, USD, 0));
        _submit(alice, _voidTx(11, P));
        _assertBalances(A, 0, 0, 0, 1000);
        _assertBalances(B, 0, 0, 0, 0);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Voided));
        assertEq(ledger.getTransfer(11).amount, 300);
        _expectRejected(
            alice,
            _voidTx(12, P),
            ISovrLedger.TransferResult.PendingTransferAlreadyVoided,
            ISovrLedger.PendingTransferAlreadyVoided.selector
        );
    }

    function test_void_withExactAmount() public {
        _hold();
        ISovrLedger.Transfer memory t = _voidTx(11, P);
        t.amount = 300;
        _submit(alice, t);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Voided));
        _assertBalances(A, 0, 0, 0, 1000);
    }

    function test_amountRules() public {
        _hold();
        ISovrLedger.Transfer memory t = _voidTx(11, P);
        t.amount = 299;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentAmount,
            ISovrLedger.PendingTransferHasDifferentAmount.selector
        );
        t.amount = 301;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExceedsPendingTransferAmount,
            ISovrLedger.ExceedsPendingTransferAmount.selector
        );
        _expectRejected(
            alice,
            _postTx(11, P, 301),
            ISovrLedger.TransferResult.ExceedsPendingTransferAmount,
            ISovrLedger.ExceedsPendingTransferAmount.selector
        );
        _expectRejected(
            alice,
            _postTx(11, P, AMOUNT_MAX - 1),
            ISovrLedger.TransferResult.ExceedsPendingTransferAmount,
            ISovrLedger.ExceedsPendingTransferAmount.selector
        );
    }

    // ================================================================ validation

    function test_flagsAreMutuallyExclusive() public {
        _hold();
        uint16[7] memory bad = [
            POST | VOID,
            POST | PENDING,
            VOID | PENDING,
            POST | BALANCING_DEBIT,
            VOID | BALANCING_CREDIT,
            POST | CLOSING_DEBIT,
            VOID | CLOSING_CREDIT
        ];
        for (uint256 k; k < bad.length; ++k) {
            ISovrLedger.Transfer memory t = _postTx(11, P, 1);
            t.flags = bad[k];
            _expectRejected(
                alice,
                t,
                ISovrLedger.TransferResult.FlagsAreMutuallyExclusive,
                ISovrLedger.FlagsAreMutuallyExclusive.selector
            );
        }
        // LINKED is compatible with post and void.
        ISovrLedger.Transfer memory v = _voidTx(11, P);
        v.flags = VOID | LINKED;
        ISovrLedger.TransferResult[] memory r = _batch(alice, _two(v, _tx(12, A, B, 1)));
        assertEq(uint256(r[0]), uint256(ISovrLedger.TransferResult.Ok));
        assertEq(uint256(r[1]), uint256(ISovrLedger.TransferResult.Ok));
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Voided));
    }

    function test_pendingIdChecks() public {
        _hold();
        _expectRejected(
            alice,
            _postTx(11, 0, 1),
            ISovrLedger.TransferResult.PendingIdMustNotBeZero,
            ISovrLedger.PendingIdMustNotBeZero.selector
        );
        _expectRejected(
            alice,
            _voidTx(11, AMOUNT_MAX),
            ISovrLedger.TransferResult.PendingIdMustNotBeIntMax,
            ISovrLedger.PendingIdMustNotBeIntMax.selector
        );
        _expectRejected(
            alice,
            _postTx(11, 11, 1),
            ISovrLedger.TransferResult.PendingIdMustBeDifferent,
            ISovrLedger.PendingIdMustBeDifferent.selector
        );
        ISovrLedger.Transfer memory t = _postTx(11, P, 1);
        t.timeout = 5;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.TimeoutReservedForPendingTransfer,
            ISovrLedger.TimeoutReservedForPendingTransfer.selector
        );
        _expectRejected(
            alice,
            _postTx(11, 999, 1),
            ISovrLedger.TransferResult.PendingTransferNotFound,
            ISovrLedger.PendingTransferNotFound.selector
        );
        _submit(alice, _tx(20, A, B, 5));
        _expectRejected(
            alice,
            _voidTx(11, 20),
            ISovrLedger.TransferResult.PendingTransferNotPending,
            ISovrLedger.PendingTransferNotPending.selector
        );
        // A pending id belongs to post and void only.
        t = _tx(11, A, B, 1);
        t.pendingId = P;
        _expectRejected(
            alice, t, ISovrLedger.TransferResult.PendingIdMustBeZero, ISovrLedger.PendingIdMustBeZero.selector
        );
    }

    function test_mismatchWithPendingTransfer() public {
        _hold();
        ISovrLedger.Transfer memory t = _postTx(11, P, 1);
        t.debitAccountId = C;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentDebitAccountId,
            ISovrLedger.PendingTransferHasDifferentDebitAccountId.selector
        );
        t.debitAccountId = 999; // an account that does not exist
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentDebitAccountId,
            ISovrLedger.PendingTransferHasDifferentDebitAccountId.selector
        );
        t = _postTx(11, P, 1);
        t.creditAccountId = A;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentCreditAccountId,
            ISovrLedger.PendingTransferHasDifferentCreditAccountId.selector
        );
        t = _voidTx(11, P);
        t.ledger = EUR;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentLedger,
            ISovrLedger.PendingTransferHasDifferentLedger.selector
        );
        t = _voidTx(11, P);
        t.code = 2;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentCode,
            ISovrLedger.PendingTransferHasDifferentCode.selector
        );
        // Mismatches come before the amount check.
        t.amount = 5000;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.PendingTransferHasDifferentCode,
            ISovrLedger.PendingTransferHasDifferentCode.selector
        );
    }

    function test_statusPrecedence() public {
        _hold();
        _submit(alice, _postTx(11, P, 100));
        // The amount check comes before the status check.
        _expectRejected(
            alice,
            _postTx(12, P, 301),
            ISovrLedger.TransferResult.ExceedsPendingTransferAmount,
            ISovrLedger.ExceedsPendingTransferAmount.selector
        );
        // Posted is reported even after the timeout has passed, and even to strangers.
        vm.warp(block.timestamp + 1 days);
        _expectRejected(
            mallory,
            _voidTx(12, P),
            ISovrLedger.TransferResult.PendingTransferAlreadyPosted,
            ISovrLedger.PendingTransferAlreadyPosted.selector
        );
    }

    // ================================================================ authorization

    function test_auth_postNeedsDebitOwnerOrOperator() public {
        _hold();
        _expectRejected(
            bob, _postTx(11, P, 1), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
        _expectRejected(
            mallory, _postTx(11, P, 1), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
        vm.prank(alice);
        ledger.setOperator(carol, true);
        _submit(carol, _postTx(11, P, 40));
        _assertBalances(B, 0, 0, 0, 40);
    }

    function test_auth_voidByDebitOrCreditSide() public {
        _hold();
        _expectRejected(
            mallory, _voidTx(11, P), ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector
        );
        // The payee may release the hold ...
        _submit(bob, _voidTx(11, P));
        _assertBalances(A, 0, 0, 0, 1000);
        // ... and so may the payee's operator.
        _submit(alice, _pendingTx(12, A, B, 50, 0));
        vm.prank(bob);
        ledger.setOperator(carol, true);
        _submit(carol, _voidTx(13, 12));
        assertEq(uint256(_status(12)), uint256(ISovrLedger.PendingStatus.Voided));
    }

    // ================================================================ timeouts and expiry

    function test_timeout_zeroNeverExpires() public {
        _submit(alice, _pendingTx(P, A, B, 300, 0));
        vm.warp(block.timestamp + 100 * 365 days);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferNotExpired.selector, P));
        ledger.expirePendingTransfer(P);
        assertEq(ledger.expirePendingTransfers(_ids(P)), 0);
        _submit(alice, _postTx(11, P, AMOUNT_MAX));
        _assertBalances(B, 0, 0, 0, 300);
    }

    function test_timeout_boundary() public {
        uint256 start = block.timestamp;
        _hold(); // expires at start + 60
        _submit(alice, _pendingTx(20, A, C, 100, 60));
        vm.warp(start + 59);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferNotExpired.selector, P));
        ledger.expirePendingTransfer(P);
        _submit(alice, _postTx(21, 20, AMOUNT_MAX)); // one second before expiry: fine
        vm.warp(start + 60);
        _expectRejected(
            alice,
            _postTx(11, P, AMOUNT_MAX),
            ISovrLedger.TransferResult.PendingTransferExpired,
            ISovrLedger.PendingTransferExpired.selector
        );
        _expectRejected(
            bob,
            _voidTx(11, P),
            ISovrLedger.TransferResult.PendingTransferExpired,
            ISovrLedger.PendingTransferExpired.selector
        );
        // Until someone expires it, the reservation stays (lazy expiry), and the status is still Pending.
        _assertBalances(A, 300, 100, 0, 1000);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Pending));
    }

    function test_expire_releasesAndRecords() public {
        _hold();
        vm.warp(block.timestamp + 60);
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.PendingTransferReleased(P, A, B, 300);
        vm.prank(mallory); // anyone
        ledger.expirePendingTransfer(P);
        _assertBalances(A, 0, 0, 0, 1000);
        _assertBalances(B, 0, 0, 0, 0);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Expired));

        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferExpired.selector, P));
        ledger.expirePendingTransfer(P);
        _expectRejected(
            alice,
            _postTx(11, P, 1),
            ISovrLedger.TransferResult.PendingTransferExpired,
            ISovrLedger.PendingTransferExpired.selector
        );
        _expectRejected(
            alice,
            _voidTx(11, P),
            ISovrLedger.TransferResult.PendingTransferExpired,
            ISovrLedger.PendingTransferExpired.selector
        );
    }

    function test_expire_errors() public {
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferNotFound.selector, uint128(999)));
        ledger.expirePendingTransfer(999);
        _submit(alice, _tx(20, A, B, 1));
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferNotPending.selector, uint128(20)));
        ledger.expirePendingTransfer(20);
        _submit(alice, _pendingTx(21, A, B, 1, 5));
        _submit(alice, _pendingTx(22, A, B, 1, 5));
        _submit(alice, _postTx(23, 21, 1));
        _submit(alice, _voidTx(24, 22));
        vm.warp(block.timestamp + 5);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferAlreadyPosted.selector, uint128(21)));
        ledger.expirePendingTransfer(21);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferAlreadyVoided.selector, uint128(22)));
        ledger.expirePendingTransfer(22);
        assertEq(uint256(_status(21)), uint256(ISovrLedger.PendingStatus.Posted));
        assertEq(uint256(_status(22)), uint256(ISovrLedger.PendingStatus.Voided));
    }

    function test_expirePendingTransfers_skipsTheOthers() public {
        uint256 start = block.timestamp;
        _submit(alice, _pendingTx(31, A, B, 10, 10)); // overdue
        _submit(alice, _pendingTx(32, A, B, 20, 100)); // not yet
        _submit(alice, _pendingTx(33, A, C, 30, 5)); // overdue
        _submit(alice, _pendingTx(34, A, C, 40, 0)); // never
        _submit(alice, _pendingTx(35, A, C, 50, 1)); // posted
        _submit(alice, _postTx(36, 35, 50));
        _submit(alice, _tx(37, A, B, 1)); // not pending
        vm.warp(start + 10);
        uint128[] memory ids = new uint128[](8);
        (ids[0], ids[1], ids[2], ids[3]) = (31, 32, 33, 34);
        (ids[4], ids[5], ids[6], ids[7]) = (35, 37, 999, 31);
        vm.prank(mallory);
        assertEq(ledger.expirePendingTransfers(ids), 2);
        assertEq(uint256(_status(31)), uint256(ISovrLedger.PendingStatus.Expired));
        assertEq(uint256(_status(33)), uint256(ISovrLedger.PendingStatus.Expired));
        assertEq(uint256(_status(32)), uint256(ISovrLedger.PendingStatus.Pending));
        assertEq(uint256(_status(34)), uint256(ISovrLedger.PendingStatus.Pending));
        _assertBalances(A, 60, 51, 0, 1000);
        _assertBalances(B, 0, 0, 20, 1);
        _assertBalances(C, 0, 0, 40, 50);
        assertEq(ledger.expirePendingTransfers(ids), 0, "nothing left to expire");
    }

    function test_overflowsTimeout() public {
        vm.warp(ledger.epoch() + 10);
        uint32 room = type(uint32).max - 10;
        _expectRejected(
            alice,
            _pendingTx(P, A, B, 1, room + 1),
            ISovrLedger.TransferResult.OverflowsTimeout,
            ISovrLedger.OverflowsTimeout.selector
        );
        _submit(alice, _pendingTx(P, A, B, 1, room));
        assertEq(ledger.getTransfer(P).timeout, room);
        // Far in the future (136 years after deployment) even short timeouts no longer fit the ledger clock.
        vm.warp(ledger.epoch() + type(uint32).max);
        _expectRejected(
            alice,
            _pendingTx(11, A, B, 1, 1),
            ISovrLedger.TransferResult.OverflowsTimeout,
            ISovrLedger.OverflowsTimeout.selector
        );
        // Timeouts belong to pending transfers only, and a pending transfer without timeout still fits.
        _submit(alice, _pendingTx(11, A, B, 1, 0));
    }

    // ================================================================ closing

    function test_closingMustBePending() public {
        _expectRejected(
            alice,
            _txFlags(11, A, B, 0, CLOSING_DEBIT),
            ISovrLedger.TransferResult.ClosingTransferMustBePending,
            ISovrLedger.ClosingTransferMustBePending.selector
        );
        _expectRejected(
            alice,
            _txFlags(11, A, B, 0, CLOSING_CREDIT | BALANCING_DEBIT),
            ISovrLedger.TransferResult.ClosingTransferMustBePending,
            ISovrLedger.ClosingTransferMustBePending.selector
        );
    }

    function test_closingDebit_closesAndVoidReopens() public {
        _submit(alice, _txFlags(P, A, B, 0, PENDING | CLOSING_DEBIT));
        assertEq(_acct(A).flags & ACCOUNT_CLOSED, ACCOUNT_CLOSED);
        _expectRejected(
            alice,
            _tx(11, A, B, 1),
            ISovrLedger.TransferResult.DebitAccountAlreadyClosed,
            ISovrLedger.DebitAccountAlreadyClosed.selector
        );
        _expectRejected(
            alice,
            _txFlags(11, A, B, 0, PENDING | CLOSING_DEBIT),
            ISovrLedger.TransferResult.DebitAccountAlreadyClosed,
            ISovrLedger.DebitAccountAlreadyClosed.selector
        );
        _fund(C, 5);
        _expectRejected(
            carol,
            _tx(11, C, A, 1),
            ISovrLedger.TransferResult.CreditAccountAlreadyClosed,
            ISovrLedger.CreditAccountAlreadyClosed.selector
        );
        // A closing transfer can never be posted: its own account is closed.
        _expectRejected(
            alice,
            _postTx(11, P, AMOUNT_MAX),
            ISovrLedger.TransferResult.DebitAccountAlreadyClosed,
            ISovrLedger.DebitAccountAlreadyClosed.selector
        );
        _submit(alice, _voidTx(11, P));
        assertEq(_acct(A).flags & ACCOUNT_CLOSED, 0, "reopened");
        _submit(alice, _tx(12, A, B, 1));
        _assertBalances(B, 0, 0, 0, 1);
    }

    function test_closingCredit_needsCreditOwnerAndExpiryReopens() public {
        _expectRejected(
            alice,
            _txFlags(P, A, B, 0, PENDING | CLOSING_CREDIT),
            ISovrLedger.TransferResult.NotAuthorized,
            ISovrLedger.NotAuthorized.selector
        );
        vm.prank(bob);
        ledger.setOperator(alice, true);
        ISovrLedger.Transfer memory t = _txFlags(P, A, B, 25, PENDING | CLOSING_CREDIT | CLOSING_DEBIT);
        t.timeout = 30;
        _submit(alice, t);
        assertEq(_acct(A).flags & ACCOUNT_CLOSED, ACCOUNT_CLOSED);
        assertEq(_acct(B).flags & ACCOUNT_CLOSED, ACCOUNT_CLOSED);
        _fund(C, 5);
        _expectRejected(
            carol,
            _tx(11, C, B, 1),
            ISovrLedger.TransferResult.CreditAccountAlreadyClosed,
            ISovrLedger.CreditAccountAlreadyClosed.selector
        );
        vm.warp(block.timestamp + 30);
        ledger.expirePendingTransfer(P);
        assertEq(_acct(A).flags & ACCOUNT_CLOSED, 0);
        assertEq(_acct(B).flags & ACCOUNT_CLOSED, 0);
        _assertBalances(A, 0, 0, 0, 1000);
        _submit(carol, _tx(11, C, B, 1));
    }

    function test_closedAccount_voidsStillWorkPostsDoNot() public {
        _submit(alice, _pendingTx(20, A, B, 100, 0));
        _submit(alice, _pendingTx(21, A, B, 200, 0));
        _submit(bob, _txFlags(P, B, C, 0, PENDING | CLOSING_DEBIT)); // bob closes B
        _expectRejected(
            alice,
            _postTx(22, 20, AMOUNT_MAX),
            ISovrLedger.TransferResult.CreditAccountAlreadyClosed,
            ISovrLedger.CreditAccountAlreadyClosed.selector
        );
        _submit(alice, _voidTx(22, 20));
        _submit(bob, _voidTx(23, 21));
        _assertBalances(A, 0, 0, 0, 1000);
        _assertBalances(B, 0, 0, 0, 0);
        assertEq(_acct(B).flags & ACCOUNT_CLOSED, ACCOUNT_CLOSED, "still closed: only its own void reopens it");
    }

    // ================================================================ pause and freeze

    function test_pause_voidsAndExpiriesStillWork() public {
        _hold();
        _submit(alice, _pendingTx(20, A, C, 100, 10));
        vm.prank(pauser);
        ledger.pause();
        _expectRejected(
            alice,
            _postTx(11, P, AMOUNT_MAX),
            ISovrLedger.TransferResult.LedgerPaused,
            ISovrLedger.LedgerPaused.selector
        );
        _expectRejected(
            alice,
            _pendingTx(11, A, B, 1, 0),
            ISovrLedger.TransferResult.LedgerPaused,
            ISovrLedger.LedgerPaused.selector
        );
        _submit(bob, _voidTx(11, P));
        vm.warp(block.timestamp + 10);
        ledger.expirePendingTransfer(20);
        _assertBalances(A, 0, 0, 0, 1000);
        // A void of a pending transfer that has expired reports the expiry, not the pause.
        _expectRejected(
            alice,
            _voidTx(12, 20),
            ISovrLedger.TransferResult.PendingTransferExpired,
            ISovrLedger.PendingTransferExpired.selector
        );
    }

    function test_freeze_voidsAndExpiriesStillWork() public {
        _hold();
        _submit(alice, _pendingTx(20, A, B, 100, 10));
        _submit(alice, _pendingTx(21, A, C, 100, 0));
        vm.startPrank(freezer);
        ledger.freezeAccount(A);
        ledger.freezeAccount(C);
        vm.stopPrank();
        _expectRejected(
            alice,
            _postTx(11, P, AMOUNT_MAX),
            ISovrLedger.TransferResult.DebitAccountFrozen,
            ISovrLedger.DebitAccountFrozen.selector
        );
        vm.prank(owner);
        ledger.unfreezeAccount(A);
        _expectRejected(
            alice,
            _postTx(11, 21, AMOUNT_MAX),
            ISovrLedger.TransferResult.CreditAccountFrozen,
            ISovrLedger.CreditAccountFrozen.selector
        );
        vm.prank(freezer);
        ledger.freezeAccount(A);
        _submit(alice, _voidTx(11, P));
        _submit(carol, _voidTx(12, 21));
        vm.warp(block.timestamp + 10);
        ledger.expirePendingTransfer(20);
        _assertBalances(A, 0, 0, 0, 1000);
    }

    // ================================================================ idempotency of posts and voids

    function test_exists_postAmounts() public {
        // TigerBeetle: pending 15 posted 13; 14, 0, 12 differ, 13 exists.
        _submit(alice, _pendingTx(101, A, B, 15, 0));
        _submit(alice, _postTx(102, 101, 13));
        uint128[3] memory differ = [uint128(14), 0, 12];
        for (uint256 k; k < differ.length; ++k) {
            _expectRejected(
                alice,
                _postTx(102, 101, differ[k]),
                ISovrLedger.TransferResult.ExistsWithDifferentAmount,
                ISovrLedger.ExistsWithDifferentAmount.selector
            );
        }
        _expectRejected(
            alice,
            _postTx(102, 101, AMOUNT_MAX),
            ISovrLedger.TransferResult.ExistsWithDifferentAmount,
            ISovrLedger.ExistsWithDifferentAmount.selector
        );
        _expectRejected(alice, _postTx(102, 101, 13), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);

        // Pending 7 posted in full: 7 and AMOUNT_MAX exist; 8, 6, 0 differ.
        _submit(alice, _pendingTx(105, A, B, 7, 0));
        _submit(alice, _postTx(106, 105, AMOUNT_MAX));
        _expectRejected(alice, _postTx(106, 105, 7), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        _expectRejected(
            alice, _postTx(106, 105, AMOUNT_MAX), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector
        );
        uint128[3] memory differ2 = [uint128(8), 6, 0];
        for (uint256 k; k < differ2.length; ++k) {
            _expectRejected(
                alice,
                _postTx(106, 105, differ2[k]),
                ISovrLedger.TransferResult.ExistsWithDifferentAmount,
                ISovrLedger.ExistsWithDifferentAmount.selector
            );
        }

        // Pending 1 posted 0: 0 exists, 1 differs.
        _submit(alice, _pendingTx(107, A, B, 1, 0));
        _submit(alice, _postTx(108, 107, 0));
        _expectRejected(alice, _postTx(108, 107, 0), ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        _expectRejected(
            alice,
            _postTx(108, 107, 1),
            ISovrLedger.TransferResult.ExistsWithDifferentAmount,
            ISovrLedger.ExistsWithDifferentAmount.selector
        );
    }

    function test_exists_postAndVoidFields() public {
        ISovrLedger.Transfer memory p = _pendingTx(101, A, B, 15, 0);
        p.userData = MEMO;
        _submit(alice, p);
        _submit(alice, _pendingTx(103, A, B, 15, 0));
        _submit(alice, _voidTx(102, 101));

        ISovrLedger.Transfer memory t = _voidTx(102, 101);
        _expectRejected(alice, t, ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        t.amount = 15; // the full amount, named
        t.debitAccountId = A;
        t.creditAccountId = B;
        t.ledger = USD;
        t.code = PAYMENT;
        t.userData = MEMO; // the inherited user data, named
        _expectRejected(alice, t, ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);

        t = _voidTx(102, 101);
        t.flags = POST;
        _expectRejected(
            alice, t, ISovrLedger.TransferResult.ExistsWithDifferentFlags, ISovrLedger.ExistsWithDifferentFlags.selector
        );
        t = _voidTx(102, 103);
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentPendingId,
            ISovrLedger.ExistsWithDifferentPendingId.selector
        );
        t = _voidTx(102, 101);
        t.timeout = 1;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentTimeout,
            ISovrLedger.ExistsWithDifferentTimeout.selector
        );
        t = _voidTx(102, 101);
        t.debitAccountId = C;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentDebitAccountId,
            ISovrLedger.ExistsWithDifferentDebitAccountId.selector
        );
        t = _voidTx(102, 101);
        t.creditAccountId = C;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentCreditAccountId,
            ISovrLedger.ExistsWithDifferentCreditAccountId.selector
        );
        t = _voidTx(102, 101);
        t.amount = 14;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentAmount,
            ISovrLedger.ExistsWithDifferentAmount.selector
        );
        t = _voidTx(102, 101);
        t.userData = bytes32(uint256(1)); // 16-bit tags of MEMO and 1 differ (checked below)
        assertTrue(uint16(uint256(keccak256(abi.encode(MEMO)))) != uint16(uint256(keccak256(abi.encode(t.userData)))));
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentUserData,
            ISovrLedger.ExistsWithDifferentUserData.selector
        );
        t = _voidTx(102, 101);
        t.ledger = EUR;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentLedger,
            ISovrLedger.ExistsWithDifferentLedger.selector
        );
        t = _voidTx(102, 101);
        t.code = 4;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentCode,
            ISovrLedger.ExistsWithDifferentCode.selector
        );
    }

    function test_exists_pendingFields() public {
        _hold();
        ISovrLedger.Transfer memory t = _pendingTx(P, A, B, 300, 60);
        t.userData = MEMO;
        _expectRejected(alice, t, ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
        t.timeout = 61;
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentTimeout,
            ISovrLedger.ExistsWithDifferentTimeout.selector
        );
        t.timeout = 60;
        t.userData = bytes32(0); // pending records keep a 16-bit tag; these two differ (checked)
        assertTrue(uint16(uint256(keccak256(abi.encode(MEMO)))) != uint16(uint256(keccak256(abi.encode(bytes32(0))))));
        _expectRejected(
            alice,
            t,
            ISovrLedger.TransferResult.ExistsWithDifferentUserData,
            ISovrLedger.ExistsWithDifferentUserData.selector
        );
        // Still Exists after the pending transfer was posted.
        t.userData = MEMO;
        _submit(alice, _postTx(11, P, 1));
        _expectRejected(alice, t, ISovrLedger.TransferResult.Exists, ISovrLedger.Exists.selector);
    }

    // ================================================================ fuzz

    /// @dev A post of any amount <= pending (or AMOUNT_MAX) releases exactly the pending amount from both
    /// pending sides and posts exactly the posted amount; other pending transfers are untouched.
    function testFuzz_partialPostReleasesExactlyThePendingAmount(
        uint128 pendingAmount,
        uint128 postAmount,
        uint128 otherAmount,
        bool full,
        bool byCreditSide
    ) public {
        pendingAmount = uint128(bound(pendingAmount, 0, 600));
        otherAmount = uint128(bound(otherAmount, 0, 1000 - pendingAmount));
        postAmount = full ? AMOUNT_MAX : uint128(bound(postAmount, 0, pendingAmount));
        uint128 posted = full ? pendingAmount : postAmount;
        _submit(alice, _pendingTx(P, A, B, pendingAmount, 3600));
        if (otherAmount != 0) _submit(alice, _pendingTx(20, A, B, otherAmount, 0));
        ISovrLedger.Account memory a0 = _acct(A);
        ISovrLedger.Account memory b0 = _acct(B);

        if (byCreditSide) {
            // The payee may not post; only void.
            _expectRejected(
                bob,
                _postTx(11, P, postAmount),
                ISovrLedger.TransferResult.NotAuthorized,
                ISovrLedger.NotAuthorized.selector
            );
        }
        vm.expectEmit(true, true, true, true, address(ledger));
        emit ISovrLedger.TransferCreated(11, A, B, posted, P, bytes32(0), _details(POST, PAYMENT, USD, 0));
        _submit(alice, _postTx(11, P, postAmount));

        ISovrLedger.Account memory a1 = _acct(A);
        ISovrLedger.Account memory b1 = _acct(B);
        assertEq(a0.debitsPending - a1.debitsPending, pendingAmount, "debit pending released");
        assertEq(b0.creditsPending - b1.creditsPending, pendingAmount, "credit pending released");
        assertEq(a1.debitsPosted - a0.debitsPosted, posted, "debit posted");
        assertEq(b1.creditsPosted - b0.creditsPosted, posted, "credit posted");
        assertEq(a1.debitsPending, otherAmount);
        assertEq(b1.creditsPending, otherAmount);
        assertEq(ledger.getTransfer(11).amount, posted);
        assertEq(ledger.availableBalance(A), 1000 - otherAmount - posted);
        assertEq(uint256(_status(P)), uint256(ISovrLedger.PendingStatus.Posted));
        if (otherAmount != 0) assertEq(uint256(_status(20)), uint256(ISovrLedger.PendingStatus.Pending));
    }

    /// @dev Voids and expiries release exactly the pending amount too, and leave posted balances alone.
    function testFuzz_voidOrExpiryReleasesThePendingAmount(uint128 amount, uint32 timeout, bool expire) public {
        // A holds 1000 and first pays 7: at most 993 can be held (997 failed with ExceedsCredits).
        amount = uint128(bound(amount, 0, 993));
        timeout = uint32(bound(timeout, 1, 365 days));
        _submit(alice, _tx(20, A, C, 7));
        _submit(alice, _pendingTx(P, A, B, amount, timeout));
        if (expire) {
            vm.warp(block.timestamp + timeout);
            ledger.expirePendingTransfer(P);
        } else {
            vm.warp(block.timestamp + timeout - 1);
            _submit(bob, _voidTx(11, P));
        }
        _assertBalances(A, 0, 7, 0, 1000);
        _assertBalances(B, 0, 0, 0, 0);
        assertEq(
            uint256(_status(P)),
            uint256(expire ? ISovrLedger.PendingStatus.Expired : ISovrLedger.PendingStatus.Voided)
        );
    }

    function _ids(uint128 id) internal pure returns (uint128[] memory ids) {
        ids = new uint128[](1);
        ids[0] = id;
    }
}
