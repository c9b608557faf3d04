// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrLedger} from "./ISovrLedger.sol";

/// @title Types, events, errors and functions of SovrOrders: standing orders and subscriptions on the SOVR ledger
/// @notice A payer authorizes a payee to be paid a fixed amount every period from the payer's primary SOVR
/// account; anyone may trigger a due charge. Each charge is a ledger transfer whose id derives from the order and
/// the period, so a period is charged at most once whoever triggers it, however often. A payee publishes plans;
/// subscribing to one is a standing order whose every charge also issues a paid invoice (SovrInvoices).
interface ISovrOrders {
    /// @notice What an order's or plan's interval counts.
    enum PeriodUnit {
        Seconds,
        Months
    }

    /// @notice What `chargeDue` did with one requested charge.
    enum ChargeOutcome {
        /// @dev The period was charged now.
        Charged,
        /// @dev The period was charged before (by anyone): nothing happened.
        AlreadyCharged,
        /// @dev The ledger refused the charge; it was recorded and will be retried per the order's policy.
        Failed,
        /// @dev The ledger refused the last attempt the order's policy allows: the period is given up.
        GaveUp,
        /// @dev The period is not due yet, or its next attempt is not.
        NotDue,
        /// @dev Nothing to charge: no such order, the order was cancelled, the period is beyond the authorization
        /// or was given up.
        Closed
    }

    /// @notice Where one period of an order stands, as `periodState` returns it.
    enum PeriodStatus {
        /// @dev Not due yet.
        Upcoming,
        /// @dev Due and not charged: anyone may charge it.
        Due,
        /// @dev Charged (the ledger holds its transfer).
        Charged,
        /// @dev Its charge failed; the next attempt is at `retryAt`.
        Failing,
        /// @dev Given up after the attempts the policy allows: never charged.
        Missed,
        /// @dev Never charged: beyond the authorization, or the order was cancelled before it was charged.
        Closed
    }

    /// @notice When an order falls due: period k is due `startAt + k * every` (seconds), or `k * every`
    /// calendar months after `startAt` on the same day (the month's last day when shorter) and time of day.
    struct Schedule {
        /// @dev When period 0 falls due; 0 means now (it is then charged in the creating transaction).
        uint40 startAt;
        uint32 every;
        PeriodUnit unit;
        /// @dev Most periods to charge; 0 for no count.
        uint32 periods;
        /// @dev Last second a period may fall due; 0 for no end date. With neither, the order runs until cancelled.
        uint40 endAt;
    }

    /// @notice What happens when a charge fails: `retries` more attempts, `retryEvery` seconds apart, then the
    /// period is given up (missed) and the order goes on with the next.
    struct RetryPolicy {
        uint8 retries;
        uint32 retryEvery;
    }

    /// @notice An order as stored, as `getOrder` returns it.
    struct Order {
        address payer;
        /// @dev The payer's primary SOVR account, which every charge debits.
        uint128 payerAccountId;
        uint128 payeeAccountId;
        uint64 amount;
        uint64 maxAmount;
        uint40 startAt;
        uint32 every;
        PeriodUnit unit;
        /// @dev `UNTIL_CANCELLED` when the order has neither a count nor an end date.
        uint32 periods;
        uint8 retries;
        uint32 retryEvery;
        /// @dev The plan a subscription was made from; 0 for other orders.
        uint32 planId;
        bool cancelled;
    }

    /// @notice A plan as stored, as `getPlan` returns it.
    struct Plan {
        uint128 payeeAccountId;
        uint64 price;
        uint32 every;
        PeriodUnit unit;
        uint16 trialDays;
        bool retired;
        string name;
    }

    /// @notice One charge to make: a period of an order.
    struct ChargeRef {
        uint64 orderId;
        uint32 period;
    }

    /// @notice One period of an order, as `periodState` returns it.
    struct PeriodState {
        PeriodStatus status;
        /// @dev When the period falls due.
        uint40 dueAt;
        /// @dev Failed attempts so far.
        uint8 attempts;
        /// @dev When the next attempt may be made (failing periods only).
        uint40 retryAt;
        /// @dev The ledger's result of the last failed attempt (`Ok` when none failed).
        ISovrLedger.TransferResult lastResult;
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a payer authorized a standing order (a subscription too); `periods` is the count the
    /// schedule's count and end date allow (`UNTIL_CANCELLED` without either).
    event OrderCreated(
        uint64 indexed id,
        address indexed payer,
        uint128 indexed payeeAccountId,
        uint64 amount,
        uint64 maxAmount,
        uint40 startAt,
        uint32 every,
        PeriodUnit unit,
        uint32 periods,
        uint8 retries,
        uint32 retryEvery,
        uint32 planId
    );

    /// @notice Emitted when an order was cancelled by its payer or its payee; nothing more is charged.
    event OrderCancelled(uint64 indexed id, address indexed by);

    /// @notice Emitted when the payee changed the amount of the charges not yet made (never above the cap).
    event OrderAmountChanged(uint64 indexed id, address indexed by, uint64 amount);

    /// @notice Emitted when the ledger refused a period's charge (`result`); `retryAt` is when it may be tried
    /// again, and `gaveUp` says the policy's attempts are used up and the period is missed. A paused ledger costs
    /// no attempt.
    event ChargeFailed(
        uint64 indexed id,
        uint32 indexed period,
        ISovrLedger.TransferResult result,
        uint8 attempts,
        uint40 retryAt,
        bool gaveUp
    );

    /// @notice Emitted when a payee published a subscription plan.
    event PlanPublished(
        uint32 indexed id,
        uint128 indexed payeeAccountId,
        address indexed publisher,
        uint64 price,
        uint32 every,
        PeriodUnit unit,
        uint16 trialDays,
        string name
    );

    /// @notice Emitted when a plan stopped taking subscriptions (existing ones go on).
    event PlanRetired(uint32 indexed id, address indexed by);

    /// @notice Emitted when a subscriber subscribed to a plan: `orderId` is its standing order.
    event Subscribed(uint32 indexed planId, uint64 indexed orderId, address indexed subscriber);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when an order does not exist.
    error OrderNotFound(uint64 id);
    /// @notice Thrown when an order's (or plan's) amount is zero.
    error AmountZero();
    /// @notice Thrown when an amount is above the payer's cap per charge.
    error AmountAboveCap(uint64 amount, uint64 maxAmount);
    /// @notice Thrown when an interval is shorter than `MIN_INTERVAL_SECONDS` or longer than `MAX_INTERVAL_MONTHS`.
    error IntervalOutOfRange(uint32 every, PeriodUnit unit);
    /// @notice Thrown when a start time is already past.
    error StartInPast(uint40 startAt);
    /// @notice Thrown when an end date is before the start.
    error EndBeforeStart(uint40 endAt, uint40 startAt);
    /// @notice Thrown when a retry policy allows more than `MAX_RETRIES` retries or spaces them under
    /// `MIN_RETRY_SECONDS`.
    error RetryPolicyInvalid(uint8 retries, uint32 retryEvery);
    /// @notice Thrown when the payee account is not on the SOVR ledger (840).
    error PayeeAccountNotSovr(uint128 accountId);
    /// @notice Thrown when the payer would pay itself.
    error PayerIsPayee(address payer);
    /// @notice Thrown when the caller neither owns the payee account nor is an operator its owner approved.
    error NotPayee(uint128 accountId, address caller);
    /// @notice Thrown when someone other than the order's payer or payee tries to cancel it.
    error NotPayerOrPayee(uint64 id, address caller);
    /// @notice Thrown when changing or cancelling an order that was cancelled.
    error OrderIsCancelled(uint64 id);
    /// @notice Thrown when a plan does not exist.
    error PlanNotFound(uint32 id);
    /// @notice Thrown when subscribing to, or retiring, a retired plan.
    error PlanIsRetired(uint32 id);
    /// @notice Thrown when a plan's name is empty or longer than `MAX_PLAN_NAME_LENGTH` bytes.
    error PlanNameInvalid(uint256 length);
    /// @notice Thrown when a plan's trial is longer than `MAX_TRIAL_DAYS`.
    error TrialTooLong(uint16 trialDays);
    /// @notice Thrown when the subscriber already has a subscription to the plan that is not cancelled.
    error AlreadySubscribed(uint32 planId, uint64 orderId);
    /// @notice Thrown when `chargeDue` is asked for more than `MAX_CHARGES_PER_CALL` charges.
    error TooManyCharges(uint256 count);

    // ---------------------------------------------------------------- functions

    /// @notice Authorizes a standing order from the caller's primary SOVR account (opened if missing) to
    /// `payeeAccountId`; a start of now charges period 0 in this transaction. Returns its id.
    function createOrder(
        uint128 payeeAccountId,
        uint64 amount,
        uint64 maxAmount,
        Schedule calldata schedule,
        RetryPolicy calldata retry
    ) external returns (uint64 id);

    /// @notice Cancels an order (its payer, or the payee account's owner or operator): nothing more is charged.
    function cancelOrder(uint64 id) external;

    /// @notice Changes the amount of the charges not yet made (the payee account's owner or operator), up to the
    /// payer's cap per charge.
    function setOrderAmount(uint64 id, uint64 amount) external;

    /// @notice Charges due periods, anyone may call it; each charge is tried once, in one ledger batch. Returns
    /// what happened to each.
    function chargeDue(ChargeRef[] calldata charges) external returns (ChargeOutcome[] memory outcomes);

    /// @notice Publishes a subscription plan paid into `payeeAccountId` (its owner or operator); returns its id.
    function publishPlan(
        uint128 payeeAccountId,
        uint64 price,
        uint32 every,
        PeriodUnit unit,
        uint16 trialDays,
        string calldata name
    ) external returns (uint32 id);

    /// @notice Stops a plan taking subscriptions (the payee account's owner or operator); existing ones go on.
    function retirePlan(uint32 id) external;

    /// @notice Subscribes the caller to a plan: a standing order at the plan's price until cancelled, charged
    /// from the end of the trial (now when there is none), never above `maxAmount` per charge.
    function subscribe(uint32 planId, uint64 maxAmount) external returns (uint64 orderId);

    /// @notice Returns an order; reverts with `OrderNotFound` if it does not exist.
    function getOrder(uint64 id) external view returns (Order memory);

    /// @notice Returns a plan; reverts with `PlanNotFound` if it does not exist.
    function getPlan(uint32 id) external view returns (Plan memory);

    /// @notice Returns where one period of an order stands.
    function periodState(uint64 id, uint32 period) external view returns (PeriodState memory);

    /// @notice Returns when a period of an order falls due.
    function dueAt(uint64 id, uint32 period) external view returns (uint40);

    /// @notice Returns the subscriber's subscription to a plan that is not cancelled (0 when none).
    function subscriptionOf(uint32 planId, address subscriber) external view returns (uint64);

    /// @notice Returns the ledger transfer id of a period's charge: reserved range, bit 125, order id, period.
    function chargeTransferId(uint64 id, uint32 period) external pure returns (uint128);

    /// @notice Returns how many orders were created; ids run from 1 to this number.
    function orderCount() external view returns (uint64);

    /// @notice Returns how many plans were published; ids run from 1 to this number.
    function planCount() external view returns (uint32);

    /// @notice Returns the ledger the orders are charged on.
    function ledger() external view returns (ISovrLedger);
}
