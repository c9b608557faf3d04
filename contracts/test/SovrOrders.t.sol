// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrInvoices} from "../src/interfaces/ISovrInvoices.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {ISovrOrders} from "../src/interfaces/ISovrOrders.sol";
import {SovrInvoices} from "../src/SovrInvoices.sol";
import {SovrOrders} from "../src/SovrOrders.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

/// @notice Unit and fuzz tests of SovrOrders on the real ledger and invoices, wired as Ignition wires them (both
/// settlers): every function, event and custom error; charges by anyone, at most once per period; failures,
/// retries and missed periods; cancellation; calendar months; plans, subscriptions and their paid invoices.
contract SovrOrdersTest is LedgerFixture {
    uint16 internal constant STANDING_ORDER = 5;
    uint128 internal constant RENT = 1_200e6;
    uint128 internal constant PAYER_FUNDS = 10_000e6;
    uint32 internal constant HOUR = 3600;
    uint8 internal constant SECONDS = uint8(ISovrOrders.PeriodUnit.Seconds);
    /// @dev 2026-01-31 09:00 UTC and the monthly due dates anchored to it.
    uint40 internal constant JAN_31 = 1_769_850_000;
    uint40 internal constant FEB_28 = 1_772_269_200;
    uint40 internal constant MAR_31 = 1_774_947_600;
    uint40 internal constant APR_29 = 1_777_453_200;
    uint40 internal constant APR_30 = 1_777_539_600;
    uint40 internal constant FEB_28_2027 = 1_803_805_200;
    uint40 internal constant FEB_29_2028 = 1_835_427_600;

    SovrInvoices internal invoices;
    SovrOrders internal orders;
    /// @dev alice is paid (her primary account); bob pays from his.
    uint128 internal aliceAccount;
    uint128 internal bobAccount;
    /// @dev Ids of the transfers that take bob's money away.
    uint128 internal drains;
    /// @dev The time the tests set. Kept here, not read back: under viaIR a test's `block.timestamp` reads may be
    /// merged into one, which a `vm.warp` in between does not undo.
    uint256 internal clock;

    function setUp() public override {
        super.setUp();
        invoices = new SovrInvoices(ledger);
        orders = new SovrOrders(ledger, invoices);
        bytes32 settler = ledger.SETTLER_ROLE();
        vm.startPrank(owner);
        ledger.grantRole(settler, address(invoices));
        ledger.grantRole(settler, address(orders));
        ledger.grantRole(ledger.PAUSER_ROLE(), owner);
        ledger.grantRole(ledger.FREEZER_ROLE(), owner);
        vm.stopPrank();
        aliceAccount = ledger.openPrimaryAccount(alice);
        bobAccount = ledger.openPrimaryAccount(bob);
        _fund(bobAccount, PAYER_FUNDS);
        clock = 1_750_000_000;
    }

    // ================================================================ helpers

    function _warpBy(uint256 seconds_) internal {
        clock += seconds_;
        vm.warp(clock);
    }

    function _warpTo(uint256 at) internal {
        clock = at;
        vm.warp(at);
    }

    function _every(uint40 startAt, uint32 every, ISovrOrders.PeriodUnit unit, uint32 periods, uint40 endAt)
        internal
        pure
        returns (ISovrOrders.Schedule memory)
    {
        return ISovrOrders.Schedule({startAt: startAt, every: every, unit: unit, periods: periods, endAt: endAt});
    }

    function _monthly(uint40 startAt, uint32 periods) internal pure returns (ISovrOrders.Schedule memory) {
        return _every(startAt, 1, ISovrOrders.PeriodUnit.Months, periods, 0);
    }

    function _hourly(uint40 startAt, uint32 periods) internal pure returns (ISovrOrders.Schedule memory) {
        return _every(startAt, HOUR, ISovrOrders.PeriodUnit.Seconds, periods, 0);
    }

    function _retry(uint8 retries, uint32 retryEvery) internal pure returns (ISovrOrders.RetryPolicy memory) {
        return ISovrOrders.RetryPolicy({retries: retries, retryEvery: retryEvery});
    }

    function _order(ISovrOrders.Schedule memory schedule) internal returns (uint64) {
        vm.prank(bob);
        return orders.createOrder(aliceAccount, uint64(RENT), uint64(RENT), schedule, _retry(2, 1 days));
    }

    function _refs(uint64 id, uint32 period) internal pure returns (ISovrOrders.ChargeRef[] memory refs) {
        refs = new ISovrOrders.ChargeRef[](1);
        refs[0] = ISovrOrders.ChargeRef(id, period);
    }

    /// @dev One charge, triggered by a stranger (anyone may).
    function _charge(uint64 id, uint32 period) internal returns (ISovrOrders.ChargeOutcome) {
        vm.prank(mallory);
        return orders.chargeDue(_refs(id, period))[0];
    }

    function _isCharged(uint64 id, uint32 period) internal view returns (bool) {
        return _hasTransfer(orders.chargeTransferId(id, period));
    }

    function _status(uint64 id, uint32 period) internal view returns (ISovrOrders.PeriodStatus) {
        return orders.periodState(id, period).status;
    }

    function _assertOutcome(ISovrOrders.ChargeOutcome actual, ISovrOrders.ChargeOutcome expected) internal pure {
        assertEq(uint8(actual), uint8(expected), "charge outcome");
    }

    function _assertStatus(uint64 id, uint32 period, ISovrOrders.PeriodStatus expected) internal view {
        assertEq(uint8(_status(id, period)), uint8(expected), "period status");
    }

    /// @dev Leaves bob's account with `left` micro-dollars, the rest moved to carol.
    function _drainBobTo(uint128 left) internal {
        uint128 carolAccount = ledger.openPrimaryAccount(carol);
        uint128 available = uint128(ledger.availableBalance(bobAccount));
        _submit(bob, _tx(++drains, bobAccount, carolAccount, available - left));
    }

    // ================================================================ createOrder

    function test_CreateOrder_StoresTheTermsAndEmits() public {
        uint40 start = uint40(clock) + 1 days;
        vm.expectEmit(address(orders));
        emit ISovrOrders.OrderCreated(
            1, bob, aliceAccount, uint64(RENT), 1_500e6, start, 1, ISovrOrders.PeriodUnit.Months, 12, 3, 1 days, 0
        );
        vm.prank(bob);
        uint64 id = orders.createOrder(aliceAccount, uint64(RENT), 1_500e6, _monthly(start, 12), _retry(3, 1 days));
        assertEq(id, 1);
        assertEq(orders.orderCount(), 1);
        ISovrOrders.Order memory order = orders.getOrder(id);
        assertEq(order.payer, bob);
        assertEq(order.payerAccountId, bobAccount);
        assertEq(order.payeeAccountId, aliceAccount);
        assertEq(order.amount, RENT);
        assertEq(order.maxAmount, 1_500e6);
        assertEq(order.startAt, start);
        assertEq(order.every, 1);
        assertEq(uint8(order.unit), uint8(ISovrOrders.PeriodUnit.Months));
        assertEq(order.periods, 12);
        assertEq(order.retries, 3);
        assertEq(order.retryEvery, 1 days);
        assertEq(order.planId, 0);
        assertFalse(order.cancelled);
        assertFalse(_isCharged(id, 0), "nothing is charged before the start");
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Upcoming);
        assertEq(orders.dueAt(id, 0), start);
    }

    function test_CreateOrder_StartingNowChargesPeriodZero() public {
        uint64 id = _order(_monthly(0, 0));
        uint128 transferId = orders.chargeTransferId(id, 0);
        ISovrLedger.StoredTransfer memory charge = ledger.getTransfer(transferId);
        assertEq(charge.debitAccountId, bobAccount);
        assertEq(charge.creditAccountId, aliceAccount);
        assertEq(charge.amount, RENT);
        assertEq(charge.code, STANDING_ORDER);
        _assertBalances(bobAccount, 0, RENT, 0, PAYER_FUNDS);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Charged);
        assertEq(orders.getOrder(id).periods, orders.UNTIL_CANCELLED(), "neither a count nor an end date");
        assertEq(orders.getOrder(id).startAt, clock);
    }

    function test_CreateOrder_ThatCannotBePaidNowIsNotCreated() public {
        ledger.openPrimaryAccount(carol);
        uint128 transferId = orders.chargeTransferId(1, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.ExceedsCredits.selector, transferId));
        vm.prank(carol);
        orders.createOrder(aliceAccount, 1, 1, _monthly(0, 0), _retry(0, 0));
        assertEq(orders.orderCount(), 0);
    }

    function test_CreateOrder_OpensThePayersAccount() public {
        assertEq(ledger.accountOwner(ledger.primaryAccountId(carol)), address(0));
        vm.prank(carol);
        orders.createOrder(aliceAccount, 1, 1, _monthly(uint40(clock + 1), 1), _retry(0, 0));
        assertEq(ledger.accountOwner(ledger.primaryAccountId(carol)), carol);
    }

    function test_CreateOrder_RefusesBadInput() public {
        uint40 later = uint40(clock) + 1 days;
        ISovrOrders.RetryPolicy memory retry = _retry(1, 1 days);
        ISovrOrders.Schedule memory monthly = _monthly(later, 12);
        vm.startPrank(bob);
        vm.expectRevert(ISovrOrders.AmountZero.selector);
        orders.createOrder(aliceAccount, 0, 1, monthly, retry);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.AmountAboveCap.selector, uint64(2), uint64(1)));
        orders.createOrder(aliceAccount, 2, 1, monthly, retry);
        ISovrOrders.PeriodUnit secs = ISovrOrders.PeriodUnit.Seconds;
        ISovrOrders.PeriodUnit months = ISovrOrders.PeriodUnit.Months;
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.IntervalOutOfRange.selector, uint32(59), secs));
        orders.createOrder(aliceAccount, 1, 1, _every(later, 59, secs, 1, 0), retry);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.IntervalOutOfRange.selector, uint32(0), months));
        orders.createOrder(aliceAccount, 1, 1, _every(later, 0, months, 1, 0), retry);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.IntervalOutOfRange.selector, uint32(121), months));
        orders.createOrder(aliceAccount, 1, 1, _every(later, 121, months, 1, 0), retry);
        uint40 past = uint40(clock) - 1;
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.StartInPast.selector, past));
        orders.createOrder(aliceAccount, 1, 1, _monthly(past, 1), retry);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.EndBeforeStart.selector, later - 1, later));
        orders.createOrder(aliceAccount, 1, 1, _every(later, 1, months, 0, later - 1), retry);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.RetryPolicyInvalid.selector, uint8(11), uint32(1 days)));
        orders.createOrder(aliceAccount, 1, 1, monthly, _retry(11, 1 days));
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.RetryPolicyInvalid.selector, uint8(1), uint32(59)));
        orders.createOrder(aliceAccount, 1, 1, monthly, _retry(1, 59));
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PayerIsPayee.selector, bob));
        orders.createOrder(bobAccount, 1, 1, monthly, retry);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, uint128(999)));
        orders.createOrder(999, 1, 1, monthly, retry);
        vm.stopPrank();
        _open(alice, 77, EUR, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PayeeAccountNotSovr.selector, uint128(77)));
        vm.prank(bob);
        orders.createOrder(77, 1, 1, monthly, retry);
        assertEq(orders.orderCount(), 0);
        // The limits themselves are accepted: a minute, ten years of months, ten retries a minute apart.
        vm.startPrank(bob);
        orders.createOrder(aliceAccount, 1, 1, _every(later, 60, secs, 1, 0), _retry(10, 60));
        orders.createOrder(aliceAccount, 1, 1, _every(later, 120, months, 1, 0), _retry(0, 0));
        vm.stopPrank();
        assertEq(orders.orderCount(), 2);
    }

    function test_CreateOrder_AnEndDateCutsThePeriods() public {
        uint40 start = uint40(clock) + 1 days;
        ISovrOrders.PeriodUnit secs = ISovrOrders.PeriodUnit.Seconds;
        // Every 100 s from the start, until start + 350: 0, 100, 200, 300.
        assertEq(orders.getOrder(_order(_every(start, 100, secs, 0, start + 350))).periods, 4);
        // A count below what the end date allows wins.
        assertEq(orders.getOrder(_order(_every(start, 100, secs, 3, start + 350))).periods, 3);
        // Monthly from 31 January: 28 February, 31 March, 30 April fall due by 30 April, not by 29 April.
        _warpTo(JAN_31 - 1 days);
        assertEq(orders.getOrder(_order(_every(JAN_31, 1, ISovrOrders.PeriodUnit.Months, 0, APR_30))).periods, 4);
        assertEq(orders.getOrder(_order(_every(JAN_31, 1, ISovrOrders.PeriodUnit.Months, 0, APR_29))).periods, 3);
        // An end at the start allows the first period only.
        assertEq(orders.getOrder(_order(_every(JAN_31, 1, ISovrOrders.PeriodUnit.Months, 0, JAN_31))).periods, 1);
    }

    // ================================================================ the calendar

    function test_Monthly_DueOnTheStartDayOrTheMonthsLast() public {
        _warpTo(JAN_31 - 1 days);
        uint64 id = _order(_monthly(JAN_31, 0));
        assertEq(orders.dueAt(id, 0), JAN_31);
        assertEq(orders.dueAt(id, 1), FEB_28, "February is shorter");
        assertEq(orders.dueAt(id, 2), MAR_31, "back to the 31st");
        assertEq(orders.dueAt(id, 3), APR_30);
        assertEq(orders.dueAt(id, 13), FEB_28_2027);
        assertEq(orders.dueAt(id, 25), FEB_29_2028, "a leap year");
        // Quarterly: every third month from the same start.
        vm.prank(bob);
        uint64 quarterly = orders.createOrder(
            aliceAccount, 1, 1, _every(JAN_31, 3, ISovrOrders.PeriodUnit.Months, 0, 0), _retry(0, 0)
        );
        assertEq(orders.dueAt(quarterly, 1), APR_30);
    }

    // ================================================================ chargeDue

    function test_ChargeDue_ChargesADuePeriodOnceWhoeverAsks() public {
        uint64 id = _order(_monthly(uint40(clock) + 1 days, 12));
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.NotDue);
        _warpBy(1 days);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Due);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Charged);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.AlreadyCharged);
        vm.prank(bob);
        _assertOutcome(orders.chargeDue(_refs(id, 0))[0], ISovrOrders.ChargeOutcome.AlreadyCharged);
        _assertBalances(bobAccount, 0, RENT, 0, PAYER_FUNDS);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Charged);
    }

    function test_ChargeDue_TheSamePeriodTwiceInOneBatchIsChargedOnce() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        _warpBy(1);
        ISovrOrders.ChargeRef[] memory refs = new ISovrOrders.ChargeRef[](2);
        refs[0] = ISovrOrders.ChargeRef(id, 0);
        refs[1] = ISovrOrders.ChargeRef(id, 0);
        ISovrOrders.ChargeOutcome[] memory outcomes = orders.chargeDue(refs);
        _assertOutcome(outcomes[0], ISovrOrders.ChargeOutcome.Charged);
        _assertOutcome(outcomes[1], ISovrOrders.ChargeOutcome.AlreadyCharged);
        _assertBalances(bobAccount, 0, RENT, 0, PAYER_FUNDS);
    }

    function test_ChargeDue_MissedPeriodsAreChargedOnceEachUpToTheAuthorization() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 3));
        // Nobody charged for five hours: three periods are due, the fourth is beyond the authorization.
        _warpBy(5 * HOUR);
        ISovrOrders.ChargeRef[] memory refs = new ISovrOrders.ChargeRef[](4);
        for (uint32 p; p < 4; ++p) {
            refs[p] = ISovrOrders.ChargeRef(id, p);
        }
        ISovrOrders.ChargeOutcome[] memory outcomes = orders.chargeDue(refs);
        for (uint32 p; p < 3; ++p) {
            _assertOutcome(outcomes[p], ISovrOrders.ChargeOutcome.Charged);
        }
        _assertOutcome(outcomes[3], ISovrOrders.ChargeOutcome.Closed);
        outcomes = orders.chargeDue(refs);
        for (uint32 p; p < 3; ++p) {
            _assertOutcome(outcomes[p], ISovrOrders.ChargeOutcome.AlreadyCharged);
        }
        _assertBalances(bobAccount, 0, 3 * RENT, 0, PAYER_FUNDS);
        _assertStatus(id, 3, ISovrOrders.PeriodStatus.Closed);
    }

    function test_ChargeDue_UnknownOrdersAndEmptyBatches() public {
        _assertOutcome(_charge(42, 0), ISovrOrders.ChargeOutcome.Closed);
        assertEq(orders.chargeDue(new ISovrOrders.ChargeRef[](0)).length, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.TooManyCharges.selector, uint256(501)));
        orders.chargeDue(new ISovrOrders.ChargeRef[](501));
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderNotFound.selector, uint64(42)));
        orders.periodState(42, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderNotFound.selector, uint64(42)));
        orders.dueAt(42, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderNotFound.selector, uint64(42)));
        orders.getOrder(42);
    }

    function test_ChargeDue_ARefusalIsRetriedThenGivenUp() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        _drainBobTo(RENT - 1);
        _warpBy(1);
        uint128 transferId = orders.chargeTransferId(id, 0);
        ISovrLedger.TransferResult short = ISovrLedger.TransferResult.ExceedsCredits;

        vm.expectEmit(address(ledger));
        emit ISovrLedger.TransferRejected(transferId, 0, short);
        vm.expectEmit(address(orders));
        emit ISovrOrders.ChargeFailed(id, 0, short, 1, uint40(clock + 1 days), false);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Failed);
        ISovrOrders.PeriodState memory state = orders.periodState(id, 0);
        assertEq(uint8(state.status), uint8(ISovrOrders.PeriodStatus.Failing));
        assertEq(state.attempts, 1);
        assertEq(state.retryAt, clock + 1 days);
        assertEq(uint8(state.lastResult), uint8(short));
        // Not before the retry time, whoever asks.
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.NotDue);

        _warpBy(1 days);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Failed);
        _warpBy(1 days);
        vm.expectEmit(address(orders));
        emit ISovrOrders.ChargeFailed(id, 0, short, 3, 0, true);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.GaveUp);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Missed);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Closed);

        // The order goes on: with money again, the next period is charged; the missed one never is.
        _fund(bobAccount, RENT);
        _assertOutcome(_charge(id, 1), ISovrOrders.ChargeOutcome.Charged);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Closed);
        assertFalse(_isCharged(id, 0));
    }

    function test_ChargeDue_ARetryThatSucceeds() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        _drainBobTo(0);
        _warpBy(1);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Failed);
        _fund(bobAccount, RENT);
        _warpBy(1 days);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Charged);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Charged);
        // The periods due meanwhile are charged too (with the money there is).
        _fund(bobAccount, 4 * RENT);
        for (uint32 p = 1; p < 5; ++p) {
            _assertOutcome(_charge(id, p), ISovrOrders.ChargeOutcome.Charged);
        }
    }

    function test_ChargeDue_APausedLedgerCostsNoAttempt() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        _warpBy(1);
        vm.prank(owner);
        ledger.pause();
        ISovrLedger.TransferResult paused = ISovrLedger.TransferResult.LedgerPaused;
        vm.expectEmit(address(orders));
        emit ISovrOrders.ChargeFailed(id, 0, paused, 0, uint40(clock), false);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Failed);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Due);
        assertEq(orders.periodState(id, 0).attempts, 0);
        vm.prank(owner);
        ledger.unpause();
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Charged);
    }

    function test_ChargeDue_AFrozenAccountIsRecorded() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        _warpBy(1);
        vm.prank(owner);
        ledger.freezeAccount(bobAccount);
        vm.expectEmit(address(orders));
        emit ISovrOrders.ChargeFailed(
            id, 0, ISovrLedger.TransferResult.DebitAccountFrozen, 1, uint40(clock + 1 days), false
        );
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Failed);
    }

    function test_ChargeDue_OnlyTheOrdersContractWritesChargeIds() public {
        // A charge id is in the ledger's reserved range: nobody takes it first to block a period.
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        uint128 transferId = orders.chargeTransferId(id, 0);
        assertEq(transferId >> 125, 5, "bits 127 and 125");
        _expectRejected(
            bob,
            _tx(transferId, bobAccount, aliceAccount, RENT),
            ISovrLedger.TransferResult.IdReserved,
            ISovrLedger.IdReserved.selector
        );
    }

    // ================================================================ cancel and change

    function test_CancelOrder_ByThePayerOrThePayeeStopsEveryCharge() public {
        uint64 id = _order(_hourly(uint40(clock) + 1, 5));
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.NotPayerOrPayee.selector, id, mallory));
        vm.prank(mallory);
        orders.cancelOrder(id);
        vm.expectEmit(address(orders));
        emit ISovrOrders.OrderCancelled(id, bob);
        vm.prank(bob);
        orders.cancelOrder(id);
        assertTrue(orders.getOrder(id).cancelled);
        _warpBy(1);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Closed);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Closed);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderIsCancelled.selector, id));
        vm.prank(bob);
        orders.cancelOrder(id);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderNotFound.selector, uint64(9)));
        orders.cancelOrder(9);

        // The payee, and an operator the payee approved, may cancel too.
        uint64 second = _order(_hourly(uint40(clock) + 1, 5));
        vm.prank(alice);
        orders.cancelOrder(second);
        uint64 third = _order(_hourly(uint40(clock) + 1, 5));
        vm.prank(alice);
        ledger.setOperator(carol, true);
        vm.prank(carol);
        orders.cancelOrder(third);
        assertTrue(orders.getOrder(third).cancelled);
    }

    function test_CancelOrder_KeepsWhatWasCharged() public {
        uint64 id = _order(_hourly(0, 5));
        vm.prank(bob);
        orders.cancelOrder(id);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Charged);
        _assertBalances(bobAccount, 0, RENT, 0, PAYER_FUNDS);
    }

    function test_SetOrderAmount_ByThePayeeUpToTheCap() public {
        vm.prank(bob);
        uint64 id = orders.createOrder(aliceAccount, 100e6, 150e6, _hourly(0, 5), _retry(0, 0));
        vm.expectEmit(address(orders));
        emit ISovrOrders.OrderAmountChanged(id, alice, 150e6);
        vm.prank(alice);
        orders.setOrderAmount(id, 150e6);
        assertEq(orders.getOrder(id).amount, 150e6);
        _warpBy(HOUR);
        _assertOutcome(_charge(id, 1), ISovrOrders.ChargeOutcome.Charged);
        assertEq(ledger.getTransfer(orders.chargeTransferId(id, 1)).amount, 150e6);
        // Period 0 was charged at the old amount: asked again, it stays charged once.
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.AlreadyCharged);
        _assertBalances(bobAccount, 0, 250e6, 0, PAYER_FUNDS);

        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.AmountAboveCap.selector, uint64(150e6 + 1), uint64(150e6)));
        orders.setOrderAmount(id, 150e6 + 1);
        vm.expectRevert(ISovrOrders.AmountZero.selector);
        orders.setOrderAmount(id, 0);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.NotPayee.selector, aliceAccount, bob));
        vm.prank(bob);
        orders.setOrderAmount(id, 1);
        vm.prank(bob);
        orders.cancelOrder(id);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderIsCancelled.selector, id));
        vm.prank(alice);
        orders.setOrderAmount(id, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.OrderNotFound.selector, uint64(9)));
        orders.setOrderAmount(9, 1);
    }

    // ================================================================ plans and subscriptions

    function _plan(uint16 trialDays) internal returns (uint32) {
        vm.prank(alice);
        return orders.publishPlan(aliceAccount, 25e6, 1, ISovrOrders.PeriodUnit.Months, trialDays, "Pro monthly");
    }

    function test_PublishPlan_StoresAndEmits() public {
        vm.expectEmit(address(orders));
        emit ISovrOrders.PlanPublished(
            1, aliceAccount, alice, 25e6, 1, ISovrOrders.PeriodUnit.Months, 14, "Pro monthly"
        );
        uint32 id = _plan(14);
        assertEq(orders.planCount(), 1);
        ISovrOrders.Plan memory plan = orders.getPlan(id);
        assertEq(plan.payeeAccountId, aliceAccount);
        assertEq(plan.price, 25e6);
        assertEq(plan.every, 1);
        assertEq(uint8(plan.unit), uint8(ISovrOrders.PeriodUnit.Months));
        assertEq(plan.trialDays, 14);
        assertFalse(plan.retired);
        assertEq(plan.name, "Pro monthly");
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanNotFound.selector, uint32(2)));
        orders.getPlan(2);
    }

    function test_PublishPlan_RefusesBadInput() public {
        ISovrOrders.PeriodUnit months = ISovrOrders.PeriodUnit.Months;
        vm.startPrank(alice);
        vm.expectRevert(ISovrOrders.AmountZero.selector);
        orders.publishPlan(aliceAccount, 0, 1, months, 0, "x");
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.IntervalOutOfRange.selector, uint32(0), months));
        orders.publishPlan(aliceAccount, 1, 0, months, 0, "x");
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.TrialTooLong.selector, uint16(366)));
        orders.publishPlan(aliceAccount, 1, 1, months, 366, "x");
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanNameInvalid.selector, uint256(0)));
        orders.publishPlan(aliceAccount, 1, 1, months, 0, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanNameInvalid.selector, uint256(33)));
        orders.publishPlan(aliceAccount, 1, 1, months, 0, string(new bytes(33)));
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.NotPayee.selector, aliceAccount, mallory));
        vm.prank(mallory);
        orders.publishPlan(aliceAccount, 1, 1, months, 0, "x");
        assertEq(orders.planCount(), 0);
        vm.prank(alice);
        orders.publishPlan(aliceAccount, 1, 1, months, 365, "12345678901234567890123456789012");
        assertEq(orders.getPlan(1).name, "12345678901234567890123456789012");
    }

    function test_RetirePlan_StopsNewSubscriptionsOnly() public {
        uint32 id = _plan(0);
        vm.prank(bob);
        uint64 subscription = orders.subscribe(id, 25e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.NotPayee.selector, aliceAccount, mallory));
        vm.prank(mallory);
        orders.retirePlan(id);
        vm.expectEmit(address(orders));
        emit ISovrOrders.PlanRetired(id, alice);
        vm.prank(alice);
        orders.retirePlan(id);
        assertTrue(orders.getPlan(id).retired);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanIsRetired.selector, id));
        vm.prank(alice);
        orders.retirePlan(id);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanIsRetired.selector, id));
        vm.prank(carol);
        orders.subscribe(id, 25e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanNotFound.selector, uint32(7)));
        orders.retirePlan(7);
        // The existing subscription runs on.
        _warpBy(31 days);
        _assertOutcome(_charge(subscription, 1), ISovrOrders.ChargeOutcome.Charged);
    }

    function test_Subscribe_ChargesAtOnceAndIssuesAPaidInvoice() public {
        uint32 plan = _plan(0);
        uint128 transferId = orders.chargeTransferId(1, 0);
        vm.expectEmit(address(orders));
        emit ISovrOrders.Subscribed(plan, 1, bob);
        vm.expectEmit(address(invoices));
        emit ISovrInvoices.InvoiceSettled(1, bob, transferId, 25e6);
        vm.prank(bob);
        uint64 id = orders.subscribe(plan, 30e6);
        ISovrOrders.Order memory order = orders.getOrder(id);
        assertEq(order.planId, plan);
        assertEq(order.amount, 25e6);
        assertEq(order.maxAmount, 30e6);
        assertEq(order.periods, orders.UNTIL_CANCELLED());
        assertEq(order.retries, orders.SUBSCRIPTION_RETRIES());
        assertEq(orders.subscriptionOf(plan, bob), id);
        _assertStatus(id, 0, ISovrOrders.PeriodStatus.Charged);

        ISovrInvoices.Invoice memory invoice = invoices.getInvoice(1);
        assertEq(uint8(invoice.status), uint8(ISovrInvoices.InvoiceStatus.Paid));
        assertEq(invoice.amount, 25e6);
        assertEq(invoice.paid, 25e6);
        assertEq(invoice.payeeAccountId, aliceAccount);

        // A month later the next charge issues the next invoice.
        _warpBy(31 days);
        _assertOutcome(_charge(id, 1), ISovrOrders.ChargeOutcome.Charged);
        assertEq(invoices.invoiceCount(), 2);
        assertEq(uint8(invoices.getInvoice(2).status), uint8(ISovrInvoices.InvoiceStatus.Paid));
        // A charge asked for again issues no second invoice.
        _assertOutcome(_charge(id, 1), ISovrOrders.ChargeOutcome.AlreadyCharged);
        assertEq(invoices.invoiceCount(), 2);
    }

    function test_Subscribe_TheTrialDelaysTheFirstCharge() public {
        uint32 plan = _plan(14);
        vm.prank(bob);
        uint64 id = orders.subscribe(plan, 25e6);
        assertEq(orders.dueAt(id, 0), clock + 14 days);
        assertEq(invoices.invoiceCount(), 0);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.NotDue);
        _warpBy(14 days);
        _assertOutcome(_charge(id, 0), ISovrOrders.ChargeOutcome.Charged);
        assertEq(invoices.invoiceCount(), 1);
    }

    function test_Subscribe_OnceUntilCancelled() public {
        uint32 plan = _plan(0);
        vm.prank(bob);
        uint64 first = orders.subscribe(plan, 25e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.AlreadySubscribed.selector, plan, first));
        vm.prank(bob);
        orders.subscribe(plan, 25e6);
        vm.prank(bob);
        orders.cancelOrder(first);
        assertEq(orders.subscriptionOf(plan, bob), 0);
        vm.prank(bob);
        uint64 second = orders.subscribe(plan, 25e6);
        assertEq(orders.subscriptionOf(plan, bob), second);
        assertTrue(second != first);
    }

    function test_Subscribe_Refusals() public {
        uint32 plan = _plan(0);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PlanNotFound.selector, uint32(2)));
        vm.prank(bob);
        orders.subscribe(2, 25e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.AmountAboveCap.selector, uint64(25e6), uint64(24e6)));
        vm.prank(bob);
        orders.subscribe(plan, 24e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrOrders.PayerIsPayee.selector, alice));
        vm.prank(alice);
        orders.subscribe(plan, 25e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.ExceedsCredits.selector, orders.chargeTransferId(1, 0)));
        vm.prank(carol);
        orders.subscribe(plan, 25e6);
        assertEq(orders.orderCount(), 0);
        assertEq(invoices.invoiceCount(), 0);
    }

    function test_IssuePaid_OnlyBySettlers() public {
        vm.expectRevert(abi.encodeWithSelector(ISovrInvoices.NotSettler.selector, mallory));
        vm.prank(mallory);
        invoices.issuePaid(aliceAccount, mallory, 1, "fake", 1);
        vm.prank(address(orders));
        uint64 id = invoices.issuePaid(aliceAccount, bob, 5, "ok", 1);
        assertEq(invoices.getInvoice(id).paid, 5);
    }

    // ================================================================ fuzz

    /// @dev An end date authorizes exactly the periods due by it, monthly or in seconds.
    function testFuzz_EndDateAuthorizesThePeriodsDueByIt(uint40 startOffset, uint32 every, bool monthly, uint40 span)
        public
    {
        uint40 start = uint40(clock) + uint40(bound(startOffset, 1, 400 days));
        every = uint32(monthly ? bound(every, 1, 24) : bound(every, 60, 90 days));
        uint40 end = start + uint40(bound(span, 0, 20 * 365 days));
        ISovrOrders.PeriodUnit unit = monthly ? ISovrOrders.PeriodUnit.Months : ISovrOrders.PeriodUnit.Seconds;
        uint64 id = _order(_every(start, every, unit, 0, end));
        uint32 periods = orders.getOrder(id).periods;
        assertGe(periods, 1);
        assertLe(orders.dueAt(id, periods - 1), end, "the last period falls due by the end");
        assertGt(orders.dueAt(id, periods), end, "the next would not");
    }

    /// @dev Whatever is asked, in whatever order and however often: each period is charged at most once, never
    /// before it falls due nor beyond the authorization, and never above the cap.
    function testFuzz_ChargesNeverExceedTheAuthorization(uint8 periods, uint32 elapsed, uint256 seed) public {
        periods = uint8(bound(periods, 1, 8));
        uint64 id = _order(_hourly(uint40(clock) + 1, periods));
        _warpBy(bound(elapsed, 0, 12 * HOUR));
        ISovrOrders.ChargeRef[] memory refs = new ISovrOrders.ChargeRef[](24);
        for (uint256 i; i < refs.length; ++i) {
            refs[i] = ISovrOrders.ChargeRef(id, uint32(uint256(keccak256(abi.encode(seed, i))) % (periods + 3)));
        }
        orders.chargeDue(refs);
        orders.chargeDue(refs);
        uint256 due;
        for (uint32 p; p < periods + 3; ++p) {
            bool charged = _isCharged(id, p);
            if (charged) {
                assertLt(p, periods, "charged beyond the authorization");
                assertLe(orders.dueAt(id, p), clock, "charged before it fell due");
                ++due;
            }
        }
        assertEq(ledger.getAccount(bobAccount).debitsPosted, due * RENT, "each charged period once");
        assertLe(due * RENT, uint256(periods) * orders.getOrder(id).maxAmount);
    }
}
