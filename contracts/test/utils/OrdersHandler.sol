// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ISovrOrders} from "../../src/interfaces/ISovrOrders.sol";
import {ISovrLedger} from "../../src/interfaces/ISovrLedger.sol";
import {SovrCredit} from "../../src/SovrCredit.sol";
import {SovrInvoices} from "../../src/SovrInvoices.sol";
import {SovrLedger} from "../../src/SovrLedger.sol";
import {SovrOrders} from "../../src/SovrOrders.sol";

/// @title Stateful fuzzing handler for SovrOrders on the real ledger and invoices
/// @notice Payers authorize orders (some starting now, some monthly, some with an end date or a count) and
/// subscribe to a plan; anyone asks for charges of any period of any order, repeated, early or beyond the
/// authorization; payers and payees cancel, payees change amounts within (and beyond) the cap, payers run out of
/// money and get more, the ledger is paused and resumed, time passes. Every charge the contract reports is
/// recorded with what it was allowed to be; the invariant test compares that record with the ledger.
// A handler is its ghost record: one state variable per thing it remembers.
// solhint-disable-next-line max-states-count
contract OrdersHandler is Test {
    uint128 internal constant ISSUER = 1;
    uint128 internal constant FUNDS = 5_000e6;
    uint256 internal constant PAYEES = 2;
    uint256 internal constant PAYERS = 3;
    /// @dev Periods asked for run up to this index, beyond what most orders authorize.
    uint32 internal constant PERIOD_RANGE = 12;

    SovrLedger public ledger;
    SovrCredit public credit;
    SovrInvoices public invoices;
    SovrOrders public orders;
    address internal admin = makeAddr("admin");
    address internal stranger = makeAddr("stranger");
    address internal sink = makeAddr("sink");
    /// @dev 0-1 payees, 2-4 payers.
    address[PAYEES + PAYERS] internal actors;
    uint32 internal plan;
    uint128 internal nextTransferId = 1_000;

    /// @notice What the handler saw: each order's charges, and every breach of the rules it checked as it went.
    mapping(uint64 id => mapping(uint32 period => uint256)) public timesCharged;
    mapping(uint64 id => mapping(uint32 period => bool)) public givenUp;
    mapping(uint64 id => uint256) public chargedTotal;
    mapping(uint64 id => uint256) public cancelledAt;
    mapping(address payer => uint256) public paidByOrders;
    mapping(address payer => uint256) public movedAway;
    mapping(uint128 account => uint256) public receivedByOrders;
    uint256 public subscriptionCharges;

    /// @notice Charges that broke a rule, by rule; each must stay zero.
    struct Breaches {
        uint256 chargedTwice;
        uint256 chargedEarly;
        uint256 chargedBeyondAuthorization;
        uint256 chargedAboveCap;
        uint256 chargedAfterCancelling;
        uint256 chargedAfterGivingUp;
    }

    Breaches public breaches;

    constructor() {
        vm.warp(1_750_000_000);
        ledger = new SovrLedger(admin, 0);
        credit = new SovrCredit(ledger, admin, 0, type(uint96).max);
        invoices = new SovrInvoices(ledger);
        orders = new SovrOrders(ledger, invoices);
        vm.startPrank(admin);
        ledger.grantRole(ledger.TREASURY_ROLE(), address(credit));
        ledger.grantRole(ledger.CREDIT_ROLE(), address(credit));
        ledger.grantRole(ledger.SETTLER_ROLE(), address(invoices));
        ledger.grantRole(ledger.SETTLER_ROLE(), address(orders));
        ledger.grantRole(ledger.PAUSER_ROLE(), admin);
        credit.openIssuerAccount(ISSUER);
        vm.stopPrank();
        string[PAYEES + PAYERS] memory names = ["payee0", "payee1", "payer0", "payer1", "payer2"];
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = makeAddr(names[i]);
            ledger.openPrimaryAccount(actors[i]);
        }
        ledger.openPrimaryAccount(sink);
        for (uint256 i = PAYEES; i < actors.length; ++i) {
            _issue(actors[i], FUNDS);
        }
        uint128 planPayee = ledger.primaryAccountId(actors[0]);
        vm.prank(actors[0]);
        plan = orders.publishPlan(planPayee, 30e6, 1, ISovrOrders.PeriodUnit.Months, 0, "Pro");
    }

    // ================================================================ actions

    /// @notice A payer authorizes an order: any amount under a cap, seconds or months, a count, an end date or
    /// neither, starting now (charged at once, when it can be) or later.
    function createOrder(uint256 seed) external {
        address payer = actors[PAYEES + seed % PAYERS];
        uint128 payeeAccount = ledger.primaryAccountId(actors[(seed >> 8) % PAYEES]);
        uint64 amount = uint64(bound(seed >> 16, 1, 400e6));
        uint64 cap = amount + uint64((seed >> 56) % 100e6);
        bool monthly = (seed >> 96) % 2 == 0;
        uint32 every = monthly ? uint32(1 + (seed >> 100) % 3) : uint32(bound(seed >> 100, 1 days, 10 days));
        uint40 start = (seed >> 140) % 3 == 0 ? 0 : uint40(block.timestamp + (seed >> 142) % 10 days);
        uint32 periods = uint32((seed >> 170) % 7);
        uint40 end = (seed >> 180) % 2 == 0 ? 0 : uint40(block.timestamp + 10 days + (seed >> 182) % 200 days);
        ISovrOrders.Schedule memory schedule = ISovrOrders.Schedule({
            startAt: start,
            every: every,
            unit: monthly ? ISovrOrders.PeriodUnit.Months : ISovrOrders.PeriodUnit.Seconds,
            periods: periods,
            endAt: end
        });
        ISovrOrders.RetryPolicy memory retry = ISovrOrders.RetryPolicy({
            retries: uint8((seed >> 220) % 4),
            retryEvery: uint32(1 hours + (seed >> 224) % 3 days)
        });
        vm.prank(payer);
        try orders.createOrder(payeeAccount, amount, cap, schedule, retry) returns (uint64 id) {
            _recordIfCharged(id, 0);
        } catch {}
    }

    /// @notice A payer subscribes to the plan (charged at once).
    function subscribe(uint256 seed) external {
        vm.prank(actors[PAYEES + seed % PAYERS]);
        try orders.subscribe(plan, uint64(30e6 + (seed >> 8) % 10e6)) returns (uint64 id) {
            _recordIfCharged(id, 0);
        } catch {}
    }

    /// @notice Anyone asks for up to eight charges: any order (or none), any period, repeats included.
    function charge(uint256 seed) external {
        uint64 count = orders.orderCount();
        uint256 n = 1 + seed % 8;
        ISovrOrders.ChargeRef[] memory refs = new ISovrOrders.ChargeRef[](n);
        for (uint256 i; i < n; ++i) {
            uint256 pick = uint256(keccak256(abi.encode(seed, i)));
            refs[i] = ISovrOrders.ChargeRef(uint64(1 + pick % (count + 1)), uint32((pick >> 64) % PERIOD_RANGE));
        }
        vm.prank(stranger);
        ISovrOrders.ChargeOutcome[] memory outcomes = orders.chargeDue(refs);
        for (uint256 i; i < n; ++i) {
            if (outcomes[i] == ISovrOrders.ChargeOutcome.Charged) _record(refs[i].orderId, refs[i].period);
            if (outcomes[i] == ISovrOrders.ChargeOutcome.GaveUp) givenUp[refs[i].orderId][refs[i].period] = true;
        }
    }

    /// @notice The payer, the payee or a stranger (refused) cancels an order.
    function cancel(uint256 seed) external {
        uint64 count = orders.orderCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        address caller = (seed >> 64) % 3 == 0 ? stranger : actors[(seed >> 66) % actors.length];
        vm.prank(caller);
        try orders.cancelOrder(id) {
            cancelledAt[id] = block.timestamp;
        } catch {}
    }

    /// @notice Someone (the payee, or another, refused) changes an order's amount, sometimes above the cap.
    function setAmount(uint256 seed) external {
        uint64 count = orders.orderCount();
        if (count == 0) return;
        uint64 id = uint64(1 + seed % count);
        ISovrOrders.Order memory order = orders.getOrder(id);
        vm.prank(actors[(seed >> 64) % actors.length]);
        try orders.setOrderAmount(id, uint64(1 + (seed >> 72) % (uint256(order.maxAmount) + 2))) {} catch {}
    }

    /// @notice A payer moves most of its money away (charges start failing), or gets more.
    function money(uint256 seed) external {
        address payer = actors[PAYEES + seed % PAYERS];
        uint128 account = ledger.primaryAccountId(payer);
        if ((seed >> 8) % 2 == 0) {
            _issue(payer, uint128(bound(seed >> 16, 1e6, FUNDS)));
            return;
        }
        uint256 available = ledger.availableBalance(account);
        if (available == 0) return;
        uint128 amount = uint128(available - available / 10);
        if (amount == 0) return;
        vm.prank(payer);
        ledger.createTransfer(_payment(nextTransferId++, account, ledger.primaryAccountId(sink), amount));
        movedAway[payer] += amount;
    }

    /// @notice The ledger is paused or resumed.
    function pauseOrResume() external {
        vm.prank(admin);
        if (ledger.paused()) ledger.unpause();
        else ledger.pause();
    }

    /// @notice Time passes.
    function warp(uint256 seed) external {
        vm.warp(block.timestamp + seed % 20 days);
    }

    // ================================================================ recording

    function _recordIfCharged(uint64 id, uint32 period) internal {
        try ledger.getTransfer(orders.chargeTransferId(id, period)) {
            _record(id, period);
        } catch {}
    }

    /// @dev A charge the contract made: checked against the rules now, while the time and the order are as they
    /// were when it happened.
    function _record(uint64 id, uint32 period) internal {
        ISovrOrders.Order memory order = orders.getOrder(id);
        ISovrLedger.StoredTransfer memory t = ledger.getTransfer(orders.chargeTransferId(id, period));
        if (++timesCharged[id][period] > 1) ++breaches.chargedTwice;
        if (orders.dueAt(id, period) > block.timestamp) ++breaches.chargedEarly;
        if (period >= order.periods) ++breaches.chargedBeyondAuthorization;
        if (t.amount > order.maxAmount) ++breaches.chargedAboveCap;
        if (cancelledAt[id] != 0) ++breaches.chargedAfterCancelling;
        if (givenUp[id][period]) ++breaches.chargedAfterGivingUp;
        if (order.planId != 0) ++subscriptionCharges;
        chargedTotal[id] += t.amount;
        paidByOrders[order.payer] += t.amount;
        receivedByOrders[order.payeeAccountId] += t.amount;
    }

    function _issue(address to, uint128 amount) internal {
        vm.prank(admin);
        credit.issueTo(nextTransferId++, to, amount, bytes32(0));
    }

    function _payment(uint128 id, uint128 from, uint128 to, uint128 amount)
        internal
        pure
        returns (ISovrLedger.Transfer memory)
    {
        return ISovrLedger.Transfer({
            id: id,
            debitAccountId: from,
            creditAccountId: to,
            amount: amount,
            pendingId: 0,
            userData: bytes32(0),
            timeout: 0,
            ledger: 840,
            code: 1,
            flags: 0
        });
    }

    // ================================================================ reads for the invariants

    function actor(uint256 index) external view returns (address) {
        return actors[index];
    }
}
