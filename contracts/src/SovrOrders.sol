// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrInvoices} from "./interfaces/ISovrInvoices.sol";
import {ISovrLedger} from "./interfaces/ISovrLedger.sol";
import {ISovrOrders} from "./interfaces/ISovrOrders.sol";
import {CalendarMonths} from "./libraries/CalendarMonths.sol";
import {
    OrderPolicy,
    OrderPolicyLibrary,
    OrderSchedule,
    OrderScheduleLibrary,
    OrderTerms,
    OrderTermsLibrary,
    OrderWords,
    PeriodFailure,
    PeriodFailureLibrary,
    PlanTerms,
    PlanTermsLibrary
} from "./libraries/OrderWords.sol";
import {SettlerBatch, SettlerBatchLibrary} from "./libraries/SettlerBatch.sol";
import {SovrCodes} from "./libraries/SovrCodes.sol";

/// @title SovrOrders: standing orders and subscriptions, charged on the SOVR ledger by anyone
/// @notice A payer authorizes a payee to be paid a fixed amount every period (seconds, or calendar months
/// anchored to the start's day) from a start, for a count of periods, until an end date or until cancelled,
/// never more than a cap per charge. Anyone may charge a due period, so the payee never depends on one host;
/// the charge's ledger transfer id derives from (order, period), so the ledger's own idempotency makes each
/// period charged at most once, whoever triggers it and however often. A refused charge is recorded with the
/// ledger's result and retried per the order's policy, then given up. Payees publish plans; a subscription is
/// an order from a plan whose every charge also issues a paid invoice.
/// @dev The ledger grants this contract SETTLER_ROLE: `createTransfersFor` debits each payer with the authority
/// its order recorded. A charge reads two storage words and writes none (the ledger's transfer record is the
/// record of the charge); only failures write. Charge transfer ids are in the ledger's reserved range (bit 127)
/// with bit 125 set, over the order id and the period.
contract SovrOrders is ISovrOrders {
    /// @notice Shortest interval in seconds.
    uint32 public constant MIN_INTERVAL_SECONDS = 60;
    /// @notice Longest interval in calendar months (ten years).
    uint32 public constant MAX_INTERVAL_MONTHS = 120;
    /// @notice Most retries a policy may ask for.
    uint8 public constant MAX_RETRIES = 10;
    /// @notice Shortest time between retries, in seconds.
    uint32 public constant MIN_RETRY_SECONDS = 60;
    /// @notice Longest trial of a plan, in days.
    uint16 public constant MAX_TRIAL_DAYS = 365;
    /// @notice Longest plan name, in bytes (it is a subscription invoice's reference).
    uint256 public constant MAX_PLAN_NAME_LENGTH = 32;
    /// @notice Most charges one `chargeDue` call takes (a bound on its gas).
    uint256 public constant MAX_CHARGES_PER_CALL = 500;
    /// @notice The period count of an order with neither a count nor an end date: it runs until cancelled.
    uint32 public constant UNTIL_CANCELLED = type(uint32).max;
    /// @notice A subscription's retry policy: three more attempts, a day apart, then the period is missed.
    uint8 public constant SUBSCRIPTION_RETRIES = 3;
    uint32 public constant SUBSCRIPTION_RETRY_SECONDS = 1 days;

    /// @dev The ledger's reserved range (bit 127) and this contract's part of it (bit 125).
    uint128 internal constant CHARGE_ID_PREFIX = (uint128(1) << 127) | (uint128(1) << 125);
    /// @dev Position of the order id in a charge transfer id (the period is below it).
    uint8 internal constant ORDER_ID_SHIFT = 32;
    /// @dev The primary account id of an address: the address below the reserved bit.
    uint128 internal constant PRIMARY_ACCOUNT_BIT = uint128(1) << 127;
    uint256 internal constant SECONDS_PER_DAY = 1 days;
    /// @dev Bytes in a word: a plan name is stored left-aligned in one.
    uint256 internal constant WORD_BYTES = 32;

    /// @notice The ledger the orders are charged on.
    ISovrLedger public immutable ledger;
    /// @notice Where each subscription charge's paid invoice is issued.
    ISovrInvoices public immutable invoices;
    /// @notice How many orders were created; ids run from 1 to this number.
    uint64 public orderCount;
    /// @notice How many plans were published; ids run from 1 to this number.
    uint32 public planCount;

    /// @notice An order's words: the two a charge reads first, then the one only failures and changes read.
    struct OrderRecord {
        OrderTerms terms;
        OrderSchedule schedule;
        OrderPolicy policy;
    }

    /// @notice A plan's words: its terms and its name (left-aligned, zero-padded).
    struct PlanRecord {
        PlanTerms terms;
        bytes32 name;
    }

    mapping(uint64 id => OrderRecord) internal _orders;
    mapping(uint64 id => mapping(uint32 period => PeriodFailure)) internal _failures;
    mapping(uint32 id => PlanRecord) internal _plans;
    mapping(uint32 planId => mapping(address subscriber => uint64 orderId)) internal _subscriptions;

    /// @param ledger_ The ledger, which must grant this contract SETTLER_ROLE before anything can be charged.
    /// @param invoices_ The invoices contract, on which subscription charges are issued as paid invoices.
    constructor(ISovrLedger ledger_, ISovrInvoices invoices_) {
        ledger = ledger_;
        invoices = invoices_;
    }

    // ================================================================ orders

    /// @inheritdoc ISovrOrders
    /// @param payeeAccountId The SOVR account the charges credit (not the caller's own).
    /// @param amount Micro-dollars per charge.
    /// @param maxAmount The cap per charge: the payee may change the amount, never above it.
    /// @param schedule Start (0: now), interval, and a count of periods and/or an end date (neither: until cancelled).
    /// @param retry How often a refused charge is tried again before its period is given up.
    function createOrder(
        uint128 payeeAccountId,
        uint64 amount,
        uint64 maxAmount,
        Schedule calldata schedule,
        RetryPolicy calldata retry
    ) external returns (uint64 id) {
        bool dueNow;
        (id, dueNow) = _createOrder(msg.sender, payeeAccountId, amount, maxAmount, schedule, retry, 0);
        _openAndChargeFirst(id, msg.sender, dueNow);
    }

    /// @inheritdoc ISovrOrders
    /// @param id The order.
    function cancelOrder(uint64 id) external {
        OrderRecord storage order = _orders[id];
        OrderTerms terms = order.terms;
        if (terms.isEmpty()) revert OrderNotFound(id);
        OrderSchedule schedule = order.schedule;
        if (schedule.isCancelled()) revert OrderIsCancelled(id);
        if (msg.sender != terms.payer() && !_actsForAccount(schedule.payeeAccountId(), msg.sender)) {
            revert NotPayerOrPayee(id, msg.sender);
        }
        order.schedule = schedule.withFlag(OrderWords.FLAG_CANCELLED);
        emit OrderCancelled(id, msg.sender);
    }

    /// @inheritdoc ISovrOrders
    /// @param id The order.
    /// @param amount Micro-dollars per charge from now on, at most the order's cap.
    function setOrderAmount(uint64 id, uint64 amount) external {
        OrderRecord storage order = _orders[id];
        OrderTerms terms = order.terms;
        if (terms.isEmpty()) revert OrderNotFound(id);
        OrderSchedule schedule = order.schedule;
        if (schedule.isCancelled()) revert OrderIsCancelled(id);
        uint128 payeeAccountId = schedule.payeeAccountId();
        if (!_actsForAccount(payeeAccountId, msg.sender)) revert NotPayee(payeeAccountId, msg.sender);
        if (amount == 0) revert AmountZero();
        uint64 maxAmount = uint64(order.policy.maxAmount());
        if (amount > maxAmount) revert AmountAboveCap(amount, maxAmount);
        order.terms = terms.withAmount(amount);
        emit OrderAmountChanged(id, msg.sender, amount);
    }

    /// @inheritdoc ISovrOrders
    /// @dev Checks every charge and writes its transfer into the ledger call, applies them in one ledger batch, then
    /// records the refusals (the only writes besides the ledger's) and issues subscriptions' invoices. Each result
    /// comes from the ledger: `Exists` (or any `ExistsWithDifferent*`: the amount may have changed since) means the
    /// period was charged before.
    /// @param charges The periods to charge; the same period twice is charged once (the second is
    /// `AlreadyCharged`).
    function chargeDue(ChargeRef[] calldata charges) external returns (ChargeOutcome[] memory outcomes) {
        uint256 n = charges.length;
        if (n > MAX_CHARGES_PER_CALL) revert TooManyCharges(n);
        outcomes = new ChargeOutcome[](n);
        // Which request each batched transfer answers.
        uint256[] memory requests = new uint256[](n);
        SettlerBatch batch = SettlerBatchLibrary.create(n);
        bool anySubscription;
        for (uint256 i; i < n; ++i) {
            uint64 id = charges[i].orderId;
            uint32 period = charges[i].period;
            OrderRecord storage order = _orders[id];
            OrderTerms terms = order.terms;
            OrderSchedule schedule = order.schedule;
            ChargeOutcome outcome = _chargeability(id, period, terms, schedule);
            if (outcome != ChargeOutcome.Charged) {
                outcomes[i] = outcome;
                continue;
            }
            requests[batch.count()] = i;
            address payer = terms.payer();
            batch.push(
                chargeTransferId(id, period),
                PRIMARY_ACCOUNT_BIT | uint128(uint160(payer)),
                schedule.payeeAccountId(),
                uint128(terms.amount()),
                SovrCodes.TRANSFER_STANDING_ORDER,
                payer
            );
            anySubscription = anySubscription || schedule.isSubscription();
        }
        uint256 count = batch.count();
        if (count == 0) return outcomes;

        uint256 results = batch.submit(ledger);

        for (uint256 k; k < count; ++k) {
            ISovrLedger.TransferResult result = SettlerBatchLibrary.resultAt(results, k);
            uint256 i = requests[k];
            if (result == ISovrLedger.TransferResult.Ok) {
                // outcomes[i] is already `Charged` (zero).
                if (anySubscription && _orders[charges[i].orderId].schedule.isSubscription()) {
                    _issueInvoice(charges[i].orderId, charges[i].period);
                }
            } else if (_isExists(result)) {
                outcomes[i] = ChargeOutcome.AlreadyCharged;
            } else {
                outcomes[i] = _recordFailure(charges[i].orderId, charges[i].period, result);
            }
        }
    }

    // ================================================================ plans and subscriptions

    /// @inheritdoc ISovrOrders
    /// @param payeeAccountId The SOVR account subscriptions pay into (the caller's, or one it operates).
    /// @param price Micro-dollars per period.
    /// @param every The interval, in `unit`s.
    /// @param unit Seconds or calendar months.
    /// @param trialDays Days from subscribing to the first charge, at most `MAX_TRIAL_DAYS`.
    /// @param name The plan's name, 1 to `MAX_PLAN_NAME_LENGTH` bytes: each charge's invoice reference.
    function publishPlan(
        uint128 payeeAccountId,
        uint64 price,
        uint32 every,
        PeriodUnit unit,
        uint16 trialDays,
        string calldata name
    ) external returns (uint32 id) {
        if (price == 0) revert AmountZero();
        _checkInterval(every, unit);
        if (trialDays > MAX_TRIAL_DAYS) revert TrialTooLong(trialDays);
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_PLAN_NAME_LENGTH) revert PlanNameInvalid(nameLength);
        _checkPayeeAccount(payeeAccountId);
        if (!_actsForAccount(payeeAccountId, msg.sender)) revert NotPayee(payeeAccountId, msg.sender);

        id = planCount + 1;
        planCount = id;
        PlanRecord storage plan = _plans[id];
        uint256 flags = unit == PeriodUnit.Months ? OrderWords.FLAG_MONTHS : 0;
        plan.terms = PlanTermsLibrary.create(payeeAccountId, price, every, trialDays, flags);
        plan.name = bytes32(bytes(name));
        emit PlanPublished(id, payeeAccountId, msg.sender, price, every, unit, trialDays, name);
    }

    /// @inheritdoc ISovrOrders
    /// @param id The plan.
    function retirePlan(uint32 id) external {
        PlanRecord storage plan = _plans[id];
        PlanTerms terms = plan.terms;
        if (terms.isEmpty()) revert PlanNotFound(id);
        if (terms.isRetired()) revert PlanIsRetired(id);
        uint128 payeeAccountId = terms.payeeAccountId();
        if (!_actsForAccount(payeeAccountId, msg.sender)) revert NotPayee(payeeAccountId, msg.sender);
        plan.terms = terms.retired();
        emit PlanRetired(id, msg.sender);
    }

    /// @inheritdoc ISovrOrders
    /// @param planId The plan.
    /// @param maxAmount The subscriber's cap per charge: at least the price (a later change of price by the payee
    /// applies only up to it).
    function subscribe(uint32 planId, uint64 maxAmount) external returns (uint64 orderId) {
        PlanTerms terms = _plans[planId].terms;
        if (terms.isEmpty()) revert PlanNotFound(planId);
        if (terms.isRetired()) revert PlanIsRetired(planId);
        uint64 current = _subscriptions[planId][msg.sender];
        if (current != 0 && !_orders[current].schedule.isCancelled()) revert AlreadySubscribed(planId, current);
        Schedule memory schedule = Schedule({
            startAt: uint40(block.timestamp + terms.trialDays() * SECONDS_PER_DAY),
            every: uint32(terms.every()),
            unit: terms.isMonthly() ? PeriodUnit.Months : PeriodUnit.Seconds,
            periods: 0,
            endAt: 0
        });
        RetryPolicy memory retry = RetryPolicy({retries: SUBSCRIPTION_RETRIES, retryEvery: SUBSCRIPTION_RETRY_SECONDS});
        bool dueNow;
        (orderId, dueNow) =
            _createOrder(msg.sender, terms.payeeAccountId(), uint64(terms.price()), maxAmount, schedule, retry, planId);
        _subscriptions[planId][msg.sender] = orderId;
        emit Subscribed(planId, orderId, msg.sender);
        _openAndChargeFirst(orderId, msg.sender, dueNow);
    }

    // ================================================================ views

    /// @inheritdoc ISovrOrders
    /// @param id The order.
    function getOrder(uint64 id) external view returns (Order memory) {
        OrderRecord storage order = _orders[id];
        OrderTerms terms = order.terms;
        if (terms.isEmpty()) revert OrderNotFound(id);
        OrderSchedule schedule = order.schedule;
        OrderPolicy policy = order.policy;
        address payer = terms.payer();
        return Order({
            payer: payer,
            payerAccountId: PRIMARY_ACCOUNT_BIT | uint128(uint160(payer)),
            payeeAccountId: schedule.payeeAccountId(),
            amount: uint64(terms.amount()),
            maxAmount: uint64(policy.maxAmount()),
            startAt: uint40(schedule.startAt()),
            every: uint32(schedule.every()),
            unit: schedule.isMonthly() ? PeriodUnit.Months : PeriodUnit.Seconds,
            periods: uint32(terms.periods()),
            retries: uint8(policy.retries()),
            retryEvery: uint32(policy.retryEvery()),
            planId: policy.planId(),
            cancelled: schedule.isCancelled()
        });
    }

    /// @inheritdoc ISovrOrders
    /// @param id The plan.
    function getPlan(uint32 id) external view returns (Plan memory) {
        PlanRecord storage plan = _plans[id];
        PlanTerms terms = plan.terms;
        if (terms.isEmpty()) revert PlanNotFound(id);
        return Plan({
            payeeAccountId: terms.payeeAccountId(),
            price: uint64(terms.price()),
            every: uint32(terms.every()),
            unit: terms.isMonthly() ? PeriodUnit.Months : PeriodUnit.Seconds,
            trialDays: uint16(terms.trialDays()),
            retired: terms.isRetired(),
            name: _nameOf(plan.name)
        });
    }

    /// @inheritdoc ISovrOrders
    /// @param id The order.
    /// @param period The period, from 0.
    function periodState(uint64 id, uint32 period) external view returns (PeriodState memory state) {
        OrderRecord storage order = _orders[id];
        OrderTerms terms = order.terms;
        if (terms.isEmpty()) revert OrderNotFound(id);
        OrderSchedule schedule = order.schedule;
        uint256 due = _dueAt(schedule, period);
        PeriodFailure failure = _failures[id][period];
        state.dueAt = uint40(due);
        state.attempts = uint8(failure.attempts());
        state.lastResult = ISovrLedger.TransferResult(failure.lastResult());
        if (period >= terms.periods()) {
            state.status = PeriodStatus.Closed;
        } else if (_isCharged(chargeTransferId(id, period))) {
            state.status = PeriodStatus.Charged;
        } else if (failure.gaveUp()) {
            state.status = PeriodStatus.Missed;
        } else if (schedule.isCancelled()) {
            state.status = PeriodStatus.Closed;
        } else if (failure.attempts() != 0) {
            state.status = PeriodStatus.Failing;
            state.retryAt = uint40(failure.retryAt());
        } else {
            state.status = due <= block.timestamp ? PeriodStatus.Due : PeriodStatus.Upcoming;
        }
    }

    /// @inheritdoc ISovrOrders
    /// @param id The order.
    /// @param period The period, from 0.
    function dueAt(uint64 id, uint32 period) external view returns (uint40) {
        OrderRecord storage order = _orders[id];
        if (order.terms.isEmpty()) revert OrderNotFound(id);
        return uint40(_dueAt(order.schedule, period));
    }

    /// @inheritdoc ISovrOrders
    /// @param planId The plan.
    /// @param subscriber The subscriber.
    function subscriptionOf(uint32 planId, address subscriber) external view returns (uint64) {
        uint64 id = _subscriptions[planId][subscriber];
        return id == 0 || _orders[id].schedule.isCancelled() ? 0 : id;
    }

    /// @inheritdoc ISovrOrders
    /// @param id The order.
    /// @param period The period, from 0.
    function chargeTransferId(uint64 id, uint32 period) public pure returns (uint128) {
        return CHARGE_ID_PREFIX | (uint128(id) << ORDER_ID_SHIFT) | period;
    }

    // ================================================================ internals

    /// @dev Checks and stores an order for `payer` (no interactions); says whether period 0 is due now.
    function _createOrder(
        address payer,
        uint128 payeeAccountId,
        uint64 amount,
        uint64 maxAmount,
        Schedule memory schedule,
        RetryPolicy memory retry,
        uint32 planId
    ) internal returns (uint64 id, bool dueNow) {
        if (amount == 0) revert AmountZero();
        if (amount > maxAmount) revert AmountAboveCap(amount, maxAmount);
        _checkInterval(schedule.every, schedule.unit);
        if (retry.retries > MAX_RETRIES || (retry.retries != 0 && retry.retryEvery < MIN_RETRY_SECONDS)) {
            revert RetryPolicyInvalid(retry.retries, retry.retryEvery);
        }
        uint256 startAt = schedule.startAt;
        if (startAt == 0) startAt = block.timestamp;
        else if (startAt < block.timestamp) revert StartInPast(schedule.startAt);
        if (_checkPayeeAccount(payeeAccountId) == payer) revert PayerIsPayee(payer);
        uint256 flags = planId == 0 ? 0 : OrderWords.FLAG_SUBSCRIPTION;
        uint256 startMonth;
        uint256 startDay;
        if (schedule.unit == PeriodUnit.Months) {
            flags |= OrderWords.FLAG_MONTHS;
            (startMonth, startDay,) = CalendarMonths.split(startAt);
        }
        OrderSchedule stored =
            OrderScheduleLibrary.create(payeeAccountId, startAt, schedule.every, flags, startMonth, startDay);
        uint32 periods = _authorizedPeriods(stored, schedule.periods, schedule.endAt);

        id = orderCount + 1;
        orderCount = id;
        OrderRecord storage order = _orders[id];
        order.terms = OrderTermsLibrary.create(payer, amount, periods);
        order.schedule = stored;
        order.policy = OrderPolicyLibrary.create(maxAmount, retry.retries, retry.retryEvery, planId);
        emit OrderCreated(
            id,
            payer,
            payeeAccountId,
            amount,
            maxAmount,
            uint40(startAt),
            schedule.every,
            schedule.unit,
            periods,
            retry.retries,
            retry.retryEvery,
            planId
        );
        dueNow = startAt == block.timestamp;
    }

    /// @dev A new order's interactions: opens the payer's primary account when missing and, when period 0 is due
    /// now, charges it, reverting with the ledger's error if it is refused (an order that cannot be paid now is
    /// never created).
    function _openAndChargeFirst(uint64 id, address payer, bool dueNow) internal {
        ledger.openPrimaryAccount(payer);
        if (!dueNow) return;
        OrderRecord storage order = _orders[id];
        OrderTerms terms = order.terms;
        OrderSchedule schedule = order.schedule;
        ISovrLedger.Transfer memory transfer;
        _fillCharge(transfer, id, 0, terms, schedule);
        ledger.createTransferFor(terms.payer(), transfer);
        if (schedule.isSubscription()) _issueInvoice(id, 0);
    }

    /// @dev Whether a period can be charged now (`Charged`), or why not. Reads the period's failure word only for
    /// orders that ever failed.
    function _chargeability(uint64 id, uint32 period, OrderTerms terms, OrderSchedule schedule)
        internal
        view
        returns (ChargeOutcome)
    {
        if (terms.isEmpty() || schedule.isCancelled() || period >= terms.periods()) return ChargeOutcome.Closed;
        if (_dueAt(schedule, period) > block.timestamp) return ChargeOutcome.NotDue;
        if (schedule.hasFailures()) {
            PeriodFailure failure = _failures[id][period];
            if (failure.gaveUp()) return ChargeOutcome.Closed;
            if (failure.retryAt() > block.timestamp) return ChargeOutcome.NotDue;
        }
        return ChargeOutcome.Charged;
    }

    /// @dev Writes a period's charge into a (zeroed) transfer buffer.
    function _fillCharge(
        ISovrLedger.Transfer memory transfer,
        uint64 id,
        uint32 period,
        OrderTerms terms,
        OrderSchedule schedule
    ) internal pure {
        transfer.id = chargeTransferId(id, period);
        transfer.debitAccountId = PRIMARY_ACCOUNT_BIT | uint128(uint160(terms.payer()));
        transfer.creditAccountId = schedule.payeeAccountId();
        transfer.amount = uint128(terms.amount());
        transfer.ledger = SovrCodes.LEDGER_USD;
        transfer.code = SovrCodes.TRANSFER_STANDING_ORDER;
    }

    /// @dev Records a refused charge: one more attempt (none for a paused ledger, which is nobody's default), the
    /// next one `retryEvery` later, or the period given up once the policy's retries are used.
    function _recordFailure(uint64 id, uint32 period, ISovrLedger.TransferResult result)
        internal
        returns (ChargeOutcome)
    {
        OrderRecord storage order = _orders[id];
        PeriodFailure failure = _failures[id][period];
        if (result == ISovrLedger.TransferResult.LedgerPaused) {
            emit ChargeFailed(id, period, result, uint8(failure.attempts()), uint40(block.timestamp), false);
            return ChargeOutcome.Failed;
        }
        OrderPolicy policy = order.policy;
        uint256 attempts = failure.attempts() + 1;
        bool gaveUp = attempts > policy.retries();
        uint256 retryAt = gaveUp ? 0 : block.timestamp + policy.retryEvery();
        _failures[id][period] = PeriodFailureLibrary.create(attempts, retryAt, gaveUp, uint256(result));
        OrderSchedule schedule = order.schedule;
        if (!schedule.hasFailures()) order.schedule = schedule.withFlag(OrderWords.FLAG_HAS_FAILURES);
        emit ChargeFailed(id, period, result, uint8(attempts), uint40(retryAt), gaveUp);
        return gaveUp ? ChargeOutcome.GaveUp : ChargeOutcome.Failed;
    }

    /// @dev Issues the paid invoice of a subscription's charge, with the plan's name as its reference.
    function _issueInvoice(uint64 id, uint32 period) internal {
        OrderRecord storage order = _orders[id];
        OrderTerms terms = order.terms;
        bytes32 name = _plans[order.policy.planId()].name;
        uint128 payeeAccountId = order.schedule.payeeAccountId();
        uint128 amount = uint128(terms.amount());
        invoices.issuePaid(payeeAccountId, terms.payer(), amount, _nameOf(name), chargeTransferId(id, period));
    }

    /// @dev When a period falls due: `every` seconds apart, or `every` calendar months after the start (on its
    /// day of the month and time of day).
    function _dueAt(OrderSchedule schedule, uint256 period) internal pure returns (uint256) {
        uint256 startAt = schedule.startAt();
        // A 32-bit period times a 32-bit interval, plus a 40-bit time: far from overflowing.
        unchecked {
            uint256 offset = period * schedule.every();
            if (!schedule.isMonthly()) return startAt + offset;
            return CalendarMonths.timestampOf(
                schedule.startMonth() + offset, schedule.startDay(), startAt % CalendarMonths.SECONDS_PER_DAY
            );
        }
    }

    /// @dev The periods an order may charge: its count, cut at its end date (the periods due by then), or
    /// `UNTIL_CANCELLED` with neither.
    function _authorizedPeriods(OrderSchedule schedule, uint32 count, uint40 endAt) internal pure returns (uint32) {
        uint256 periods = count == 0 ? UNTIL_CANCELLED : count;
        if (endAt == 0) return uint32(periods);
        uint256 startAt = schedule.startAt();
        if (endAt < startAt) revert EndBeforeStart(endAt, uint40(startAt));
        uint256 every = schedule.every();
        uint256 lastPeriod;
        if (schedule.isMonthly()) {
            lastPeriod = CalendarMonths.monthsBetween(startAt, endAt) / every;
            // A later day of the month than the end's can put the last candidate after the end.
            if (_dueAt(schedule, lastPeriod) > endAt) --lastPeriod;
        } else {
            lastPeriod = (endAt - startAt) / every;
        }
        uint256 byEnd = lastPeriod + 1;
        return uint32(byEnd < periods ? byEnd : periods);
    }

    /// @dev Refuses an interval out of range.
    function _checkInterval(uint32 every, PeriodUnit unit) internal pure {
        bool valid = unit == PeriodUnit.Months
            ? every != 0 && every <= MAX_INTERVAL_MONTHS
            : every >= MIN_INTERVAL_SECONDS;
        if (!valid) revert IntervalOutOfRange(every, unit);
    }

    /// @dev Refuses a payee account that is not on the SOVR ledger (a missing one reverts in the ledger with
    /// `AccountNotFound`); returns its owner.
    function _checkPayeeAccount(uint128 accountId) internal view returns (address) {
        ISovrLedger.Account memory account = ledger.getAccount(accountId);
        if (account.ledger != SovrCodes.LEDGER_USD) revert PayeeAccountNotSovr(accountId);
        return account.owner;
    }

    /// @dev Whether `caller` owns `accountId` or is an operator its owner approved.
    function _actsForAccount(uint128 accountId, address caller) internal view returns (bool) {
        address accountOwner = ledger.accountOwner(accountId);
        return accountOwner == caller || ledger.isOperator(accountOwner, caller);
    }

    /// @dev Whether the ledger holds a transfer under `transferId`.
    function _isCharged(uint128 transferId) internal view returns (bool) {
        try ledger.getTransfer(transferId) returns (ISovrLedger.StoredTransfer memory) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev Whether a ledger result says the id was used before (`Exists` or `ExistsWithDifferent*`).
    function _isExists(ISovrLedger.TransferResult result) internal pure returns (bool) {
        return result >= ISovrLedger.TransferResult.ExistsWithDifferentFlags
            && result <= ISovrLedger.TransferResult.Exists;
    }

    /// @dev A plan name stored left-aligned in a word, without its zero padding.
    function _nameOf(bytes32 word) internal pure returns (string memory name) {
        uint256 length = WORD_BYTES;
        while (length != 0 && word[length - 1] == 0) --length;
        if (length == 0) return "";
        name = new string(length);
        assembly ("memory-safe") {
            mstore(add(name, 0x20), word)
        }
    }
}
