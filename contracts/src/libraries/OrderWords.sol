// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev What a charge reads about whom it debits, in one storage word, low bits first:
/// payer 160 | amount 64 | periods 32. Zero means "no such order" (payers are never the zero address).
type OrderTerms is uint256;

/// @dev What a charge reads about where the money goes and when, in one storage word, low bits first:
/// payee account 128 | start 40 | interval 32 | flags 8 | start's month 24 | start's day 8. The start's month
/// (since January of year 0) and day of the month are kept for monthly orders, so that a due time is one date
/// conversion. A charge reads this word and `OrderTerms`, and writes neither: the ledger's record of the
/// charge's transfer id is what says a period was charged.
type OrderSchedule is uint256;

/// @dev What only a failed charge, a change of amount or a view reads, in one storage word, low bits first:
/// cap per charge 64 | retries 8 | seconds between retries 32 | plan id 32.
type OrderPolicy is uint256;

/// @dev A period whose charge failed, in one storage word, low bits first:
/// attempts 8 | next attempt 40 | gave up 8 | last result 8. Zero means "never failed".
type PeriodFailure is uint256;

/// @dev A subscription plan, in one storage word, low bits first:
/// payee account 128 | price 64 | interval 32 | trial days 16 | flags 8.
type PlanTerms is uint256;

using OrderTermsLibrary for OrderTerms global;
using OrderScheduleLibrary for OrderSchedule global;
using OrderPolicyLibrary for OrderPolicy global;
using PeriodFailureLibrary for PeriodFailure global;
using PlanTermsLibrary for PlanTerms global;

/// @title OrderWords: widths and flag bits shared by the standing orders' storage words
library OrderWords {
    uint256 internal constant MASK_128 = (1 << 128) - 1;
    uint256 internal constant MASK_64 = (1 << 64) - 1;
    uint256 internal constant MASK_40 = (1 << 40) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_16 = (1 << 16) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;

    /// @dev Flag bits of a schedule or a plan: the interval counts calendar months, not seconds.
    uint256 internal constant FLAG_MONTHS = 1 << 0;
    /// @dev Schedule flag: the order was cancelled; nothing more is charged.
    uint256 internal constant FLAG_CANCELLED = 1 << 1;
    /// @dev Schedule flag: a charge of the order failed once, so charges read their period's failure word.
    uint256 internal constant FLAG_HAS_FAILURES = 1 << 2;
    /// @dev Schedule flag: the order is a plan's subscription, and each charge issues a paid invoice.
    uint256 internal constant FLAG_SUBSCRIPTION = 1 << 3;
    /// @dev Plan flag: no new subscriptions (existing ones run on).
    uint256 internal constant FLAG_RETIRED = 1 << 1;
}

/// @title OrderTermsLibrary: getters of an `OrderTerms` word
library OrderTermsLibrary {
    uint256 internal constant AMOUNT_SHIFT = 160;
    uint256 internal constant PERIODS_SHIFT = 224;

    /// @dev A new word from its fields.
    function create(address payer_, uint256 amount_, uint256 periods_) internal pure returns (OrderTerms) {
        return OrderTerms.wrap(uint256(uint160(payer_)) | (amount_ << AMOUNT_SHIFT) | (periods_ << PERIODS_SHIFT));
    }

    /// @dev Whether the word is zero: no order is stored under its key.
    function isEmpty(OrderTerms terms) internal pure returns (bool) {
        return OrderTerms.unwrap(terms) == 0;
    }

    /// @dev Who pays: its primary SOVR account is debited with its authority.
    function payer(OrderTerms terms) internal pure returns (address) {
        return address(uint160(OrderTerms.unwrap(terms)));
    }

    /// @dev Micro-dollars per charge.
    function amount(OrderTerms terms) internal pure returns (uint256) {
        return (OrderTerms.unwrap(terms) >> AMOUNT_SHIFT) & OrderWords.MASK_64;
    }

    /// @dev How many periods are authorized (`UNTIL_CANCELLED`: no limit).
    function periods(OrderTerms terms) internal pure returns (uint256) {
        return OrderTerms.unwrap(terms) >> PERIODS_SHIFT;
    }

    /// @dev The same word with another amount.
    function withAmount(OrderTerms terms, uint256 amount_) internal pure returns (OrderTerms) {
        uint256 cleared = OrderTerms.unwrap(terms) & ~(OrderWords.MASK_64 << AMOUNT_SHIFT);
        return OrderTerms.wrap(cleared | (amount_ << AMOUNT_SHIFT));
    }
}

/// @title OrderScheduleLibrary: getters and setters of an `OrderSchedule` word
library OrderScheduleLibrary {
    uint256 internal constant START_SHIFT = 128;
    uint256 internal constant EVERY_SHIFT = 168;
    uint256 internal constant FLAGS_SHIFT = 200;
    uint256 internal constant START_MONTH_SHIFT = 208;
    uint256 internal constant START_DAY_SHIFT = 232;
    uint256 internal constant MASK_24 = (1 << 24) - 1;

    /// @dev A new word from its fields; `startMonth_` and `startDay_` are zero for orders counted in seconds.
    function create(
        uint128 payeeAccountId_,
        uint256 startAt_,
        uint256 every_,
        uint256 flags_,
        uint256 startMonth_,
        uint256 startDay_
    ) internal pure returns (OrderSchedule) {
        return OrderSchedule.wrap(
            uint256(payeeAccountId_) | (startAt_ << START_SHIFT) | (every_ << EVERY_SHIFT) | (flags_ << FLAGS_SHIFT)
                | (startMonth_ << START_MONTH_SHIFT) | (startDay_ << START_DAY_SHIFT)
        );
    }

    /// @dev The SOVR account the charges credit.
    function payeeAccountId(OrderSchedule schedule) internal pure returns (uint128) {
        return uint128(OrderSchedule.unwrap(schedule) & OrderWords.MASK_128);
    }

    /// @dev When period 0 falls due (Unix seconds).
    function startAt(OrderSchedule schedule) internal pure returns (uint256) {
        return (OrderSchedule.unwrap(schedule) >> START_SHIFT) & OrderWords.MASK_40;
    }

    /// @dev The interval: seconds, or calendar months when `isMonthly`.
    function every(OrderSchedule schedule) internal pure returns (uint256) {
        return (OrderSchedule.unwrap(schedule) >> EVERY_SHIFT) & OrderWords.MASK_32;
    }

    /// @dev The flags byte (`OrderWords.FLAG_*`).
    function flags(OrderSchedule schedule) internal pure returns (uint256) {
        return (OrderSchedule.unwrap(schedule) >> FLAGS_SHIFT) & OrderWords.MASK_8;
    }

    /// @dev A monthly order's start month, counted from January of year 0.
    function startMonth(OrderSchedule schedule) internal pure returns (uint256) {
        return (OrderSchedule.unwrap(schedule) >> START_MONTH_SHIFT) & MASK_24;
    }

    /// @dev A monthly order's day of the month (1-31): each period falls due on it, or on a shorter month's last.
    function startDay(OrderSchedule schedule) internal pure returns (uint256) {
        return (OrderSchedule.unwrap(schedule) >> START_DAY_SHIFT) & OrderWords.MASK_8;
    }

    /// @dev Whether the interval counts calendar months.
    function isMonthly(OrderSchedule schedule) internal pure returns (bool) {
        return flags(schedule) & OrderWords.FLAG_MONTHS != 0;
    }

    /// @dev Whether the order was cancelled.
    function isCancelled(OrderSchedule schedule) internal pure returns (bool) {
        return flags(schedule) & OrderWords.FLAG_CANCELLED != 0;
    }

    /// @dev Whether a charge of the order ever failed.
    function hasFailures(OrderSchedule schedule) internal pure returns (bool) {
        return flags(schedule) & OrderWords.FLAG_HAS_FAILURES != 0;
    }

    /// @dev Whether the order is a plan's subscription.
    function isSubscription(OrderSchedule schedule) internal pure returns (bool) {
        return flags(schedule) & OrderWords.FLAG_SUBSCRIPTION != 0;
    }

    /// @dev The same word with `flag` set.
    function withFlag(OrderSchedule schedule, uint256 flag) internal pure returns (OrderSchedule) {
        return OrderSchedule.wrap(OrderSchedule.unwrap(schedule) | (flag << FLAGS_SHIFT));
    }
}

/// @title OrderPolicyLibrary: getters of an `OrderPolicy` word
library OrderPolicyLibrary {
    uint256 internal constant RETRIES_SHIFT = 64;
    uint256 internal constant RETRY_EVERY_SHIFT = 72;
    uint256 internal constant PLAN_SHIFT = 104;

    /// @dev A new word from its fields.
    function create(uint256 maxAmount_, uint256 retries_, uint256 retryEvery_, uint256 planId_)
        internal
        pure
        returns (OrderPolicy)
    {
        return OrderPolicy.wrap(
            maxAmount_ | (retries_ << RETRIES_SHIFT) | (retryEvery_ << RETRY_EVERY_SHIFT) | (planId_ << PLAN_SHIFT)
        );
    }

    /// @dev The most one charge may be: the payer's cap, which a change of amount cannot pass.
    function maxAmount(OrderPolicy policy) internal pure returns (uint256) {
        return OrderPolicy.unwrap(policy) & OrderWords.MASK_64;
    }

    /// @dev Attempts after the first before a period is given up.
    function retries(OrderPolicy policy) internal pure returns (uint256) {
        return (OrderPolicy.unwrap(policy) >> RETRIES_SHIFT) & OrderWords.MASK_8;
    }

    /// @dev Seconds from a failed attempt to the next.
    function retryEvery(OrderPolicy policy) internal pure returns (uint256) {
        return (OrderPolicy.unwrap(policy) >> RETRY_EVERY_SHIFT) & OrderWords.MASK_32;
    }

    /// @dev The plan a subscription was made from (0 for other orders).
    function planId(OrderPolicy policy) internal pure returns (uint32) {
        return uint32((OrderPolicy.unwrap(policy) >> PLAN_SHIFT) & OrderWords.MASK_32);
    }
}

/// @title PeriodFailureLibrary: getters of a `PeriodFailure` word
library PeriodFailureLibrary {
    uint256 internal constant RETRY_AT_SHIFT = 8;
    uint256 internal constant GAVE_UP_SHIFT = 48;
    uint256 internal constant RESULT_SHIFT = 56;

    /// @dev A new word from its fields.
    function create(uint256 attempts_, uint256 retryAt_, bool gaveUp_, uint256 result_)
        internal
        pure
        returns (PeriodFailure)
    {
        uint256 gaveUpBit = gaveUp_ ? 1 : 0;
        return PeriodFailure.wrap(
            attempts_ | (retryAt_ << RETRY_AT_SHIFT) | (gaveUpBit << GAVE_UP_SHIFT) | (result_ << RESULT_SHIFT)
        );
    }

    /// @dev Failed attempts so far.
    function attempts(PeriodFailure failure) internal pure returns (uint256) {
        return PeriodFailure.unwrap(failure) & OrderWords.MASK_8;
    }

    /// @dev When the next attempt may be made (0 once given up).
    function retryAt(PeriodFailure failure) internal pure returns (uint256) {
        return (PeriodFailure.unwrap(failure) >> RETRY_AT_SHIFT) & OrderWords.MASK_40;
    }

    /// @dev Whether the period was given up: it is never charged.
    function gaveUp(PeriodFailure failure) internal pure returns (bool) {
        return (PeriodFailure.unwrap(failure) >> GAVE_UP_SHIFT) & OrderWords.MASK_8 != 0;
    }

    /// @dev The ledger's result of the last attempt (an `ISovrLedger.TransferResult`).
    function lastResult(PeriodFailure failure) internal pure returns (uint256) {
        return (PeriodFailure.unwrap(failure) >> RESULT_SHIFT) & OrderWords.MASK_8;
    }
}

/// @title PlanTermsLibrary: getters and setters of a `PlanTerms` word
library PlanTermsLibrary {
    uint256 internal constant PRICE_SHIFT = 128;
    uint256 internal constant EVERY_SHIFT = 192;
    uint256 internal constant TRIAL_SHIFT = 224;
    uint256 internal constant FLAGS_SHIFT = 240;

    /// @dev A new word from its fields.
    function create(uint128 payeeAccountId_, uint256 price_, uint256 every_, uint256 trialDays_, uint256 flags_)
        internal
        pure
        returns (PlanTerms)
    {
        return PlanTerms.wrap(
            uint256(payeeAccountId_) | (price_ << PRICE_SHIFT) | (every_ << EVERY_SHIFT) | (trialDays_ << TRIAL_SHIFT)
                | (flags_ << FLAGS_SHIFT)
        );
    }

    /// @dev Whether the word is zero: no plan is stored under its key.
    function isEmpty(PlanTerms terms) internal pure returns (bool) {
        return PlanTerms.unwrap(terms) == 0;
    }

    /// @dev The SOVR account subscriptions pay into.
    function payeeAccountId(PlanTerms terms) internal pure returns (uint128) {
        return uint128(PlanTerms.unwrap(terms) & OrderWords.MASK_128);
    }

    /// @dev Micro-dollars per period.
    function price(PlanTerms terms) internal pure returns (uint256) {
        return (PlanTerms.unwrap(terms) >> PRICE_SHIFT) & OrderWords.MASK_64;
    }

    /// @dev The interval: seconds, or calendar months when `isMonthly`.
    function every(PlanTerms terms) internal pure returns (uint256) {
        return (PlanTerms.unwrap(terms) >> EVERY_SHIFT) & OrderWords.MASK_32;
    }

    /// @dev Days from subscribing to the first charge.
    function trialDays(PlanTerms terms) internal pure returns (uint256) {
        return (PlanTerms.unwrap(terms) >> TRIAL_SHIFT) & OrderWords.MASK_16;
    }

    /// @dev Whether the interval counts calendar months.
    function isMonthly(PlanTerms terms) internal pure returns (bool) {
        return (PlanTerms.unwrap(terms) >> FLAGS_SHIFT) & OrderWords.FLAG_MONTHS != 0;
    }

    /// @dev Whether the plan takes no new subscriptions.
    function isRetired(PlanTerms terms) internal pure returns (bool) {
        return (PlanTerms.unwrap(terms) >> FLAGS_SHIFT) & OrderWords.FLAG_RETIRED != 0;
    }

    /// @dev The same word, retired.
    function retired(PlanTerms terms) internal pure returns (PlanTerms) {
        return PlanTerms.wrap(PlanTerms.unwrap(terms) | (OrderWords.FLAG_RETIRED << FLAGS_SHIFT));
    }
}
