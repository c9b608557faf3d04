// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title CalendarMonths: Unix times moved by whole calendar months (UTC, proleptic Gregorian)
/// @notice A monthly standing order is anchored to its start: the same day of the month and time of day, on
/// the month's last day when the month is shorter (a start on 31 January falls due on 28 or 29 February, then
/// on 31 March again). A start is split once into its month (counted from January of year 0), day and second of
/// the day; each due time is then one `timestampOf`. Days and dates convert with Howard Hinnant's
/// `days_from_civil` / `civil_from_days`, restricted to times from 1970 on, where no intermediate value is
/// negative; the arithmetic is unchecked because every input is bounded (a 40-bit time, 32-bit counts).
library CalendarMonths {
    uint256 internal constant SECONDS_PER_DAY = 86_400;
    uint256 internal constant MONTHS_PER_YEAR = 12;
    /// @dev Days from 0000-03-01 (the algorithm's epoch, a year starting in March) to 1970-01-01.
    uint256 internal constant DAYS_TO_UNIX_EPOCH = 719_468;
    /// @dev Days in a 400-year era, and the cycles inside it.
    uint256 internal constant DAYS_PER_ERA = 146_097;
    uint256 internal constant DAYS_PER_4_YEARS = 1460;
    uint256 internal constant DAYS_PER_100_YEARS = 36_524;
    uint256 internal constant DAYS_PER_ERA_LESS_ONE = 146_096;
    uint256 internal constant YEARS_PER_ERA = 400;
    uint256 internal constant DAYS_PER_YEAR = 365;
    /// @dev Days of the five months March-July (153), the slope of the algorithm's month formula.
    uint256 internal constant DAYS_PER_FIVE_MONTHS = 153;
    uint256 internal constant FIVE_MONTHS = 5;
    /// @dev The algorithm counts months from March (March is 0, February 11) and rounds with this offset.
    uint256 internal constant MARCH = 3;
    uint256 internal constant MONTHS_MARCH_TO_DECEMBER = 10;
    uint256 internal constant MONTH_ROUNDING = 2;
    uint256 internal constant FEBRUARY = 2;
    uint256 internal constant LONG_MONTH_DAYS = 31;
    uint256 internal constant SHORT_MONTH_DAYS = 30;
    uint256 internal constant FEBRUARY_DAYS = 28;
    /// @dev Bit m set for the months m with 30 days: April, June, September, November.
    uint256 internal constant THIRTY_DAY_MONTHS = (1 << 4) | (1 << 6) | (1 << 9) | (1 << 11);
    /// @dev Leap years: every 4th, except every 100th, except every 400th.
    uint256 internal constant LEAP_EVERY = 4;
    uint256 internal constant LEAP_SKIPPED_EVERY = 100;

    /// @dev Splits a time into its month (`year * 12 + month - 1`), day of the month (1-31) and second of the day.
    function split(uint256 timestamp) internal pure returns (uint256 monthIndex, uint256 day, uint256 secondOfDay) {
        uint256 year;
        uint256 month;
        (year, month, day) = dateOf(timestamp / SECONDS_PER_DAY);
        unchecked {
            monthIndex = year * MONTHS_PER_YEAR + month - 1;
        }
        secondOfDay = timestamp % SECONDS_PER_DAY;
    }

    /// @dev The time on day `day` of month `monthIndex` (the month's last day when it has fewer days) at
    /// `secondOfDay`.
    function timestampOf(uint256 monthIndex, uint256 day, uint256 secondOfDay) internal pure returns (uint256) {
        unchecked {
            uint256 year = monthIndex / MONTHS_PER_YEAR;
            uint256 month = monthIndex % MONTHS_PER_YEAR + 1;
            uint256 lastDay = daysInMonth(year, month);
            return daysFrom(year, month, day < lastDay ? day : lastDay) * SECONDS_PER_DAY + secondOfDay;
        }
    }

    /// @dev `timestamp` plus `months` calendar months, on the same day (or the month's last) and time of day.
    function addMonths(uint256 timestamp, uint256 months) internal pure returns (uint256) {
        (uint256 monthIndex, uint256 day, uint256 secondOfDay) = split(timestamp);
        unchecked {
            return timestampOf(monthIndex + months, day, secondOfDay);
        }
    }

    /// @dev Whole calendar months from the month of `from` to the month of `to` (not before `from`), ignoring
    /// days: from 31 January to 1 March is 2.
    function monthsBetween(uint256 from, uint256 to) internal pure returns (uint256) {
        (uint256 fromMonth,,) = split(from);
        (uint256 toMonth,,) = split(to);
        return toMonth - fromMonth;
    }

    /// @dev The date of a day counted from 1970-01-01 (Hinnant's `civil_from_days`).
    function dateOf(uint256 unixDays) internal pure returns (uint256 year, uint256 month, uint256 day) {
        unchecked {
            uint256 z = unixDays + DAYS_TO_UNIX_EPOCH;
            uint256 era = z / DAYS_PER_ERA;
            uint256 dayOfEra = z - era * DAYS_PER_ERA;
            uint256 yearOfEra = (
                dayOfEra - dayOfEra / DAYS_PER_4_YEARS + dayOfEra / DAYS_PER_100_YEARS
                    - dayOfEra / DAYS_PER_ERA_LESS_ONE
            ) / DAYS_PER_YEAR;
            uint256 dayOfYear =
                dayOfEra - (DAYS_PER_YEAR * yearOfEra + yearOfEra / LEAP_EVERY - yearOfEra / LEAP_SKIPPED_EVERY);
            uint256 marchMonth = (FIVE_MONTHS * dayOfYear + MONTH_ROUNDING) / DAYS_PER_FIVE_MONTHS;
            day = dayOfYear - (DAYS_PER_FIVE_MONTHS * marchMonth + MONTH_ROUNDING) / FIVE_MONTHS + 1;
            month = marchMonth < MONTHS_MARCH_TO_DECEMBER ? marchMonth + MARCH : marchMonth + MARCH - MONTHS_PER_YEAR;
            // January and February belong to the algorithm's previous year.
            year = yearOfEra + era * YEARS_PER_ERA + (month < MARCH ? 1 : 0);
        }
    }

    /// @dev Days from 1970-01-01 to a date (Hinnant's `days_from_civil`); the date is not before 1970.
    function daysFrom(uint256 year, uint256 month, uint256 day) internal pure returns (uint256) {
        unchecked {
            uint256 y = month < MARCH ? year - 1 : year;
            uint256 era = y / YEARS_PER_ERA;
            uint256 yearOfEra = y - era * YEARS_PER_ERA;
            uint256 marchMonth = month < MARCH ? month + MONTHS_PER_YEAR - MARCH : month - MARCH;
            uint256 dayOfYear = (DAYS_PER_FIVE_MONTHS * marchMonth + MONTH_ROUNDING) / FIVE_MONTHS + day - 1;
            uint256 dayOfEra =
                yearOfEra * DAYS_PER_YEAR + yearOfEra / LEAP_EVERY - yearOfEra / LEAP_SKIPPED_EVERY + dayOfYear;
            return era * DAYS_PER_ERA + dayOfEra - DAYS_TO_UNIX_EPOCH;
        }
    }

    /// @dev Days in a month of a year.
    function daysInMonth(uint256 year, uint256 month) internal pure returns (uint256) {
        if (month == FEBRUARY) return isLeapYear(year) ? FEBRUARY_DAYS + 1 : FEBRUARY_DAYS;
        return (THIRTY_DAY_MONTHS >> month) & 1 == 1 ? SHORT_MONTH_DAYS : LONG_MONTH_DAYS;
    }

    /// @dev Whether a year has 29 February.
    function isLeapYear(uint256 year) internal pure returns (bool) {
        return year % LEAP_EVERY == 0 && (year % LEAP_SKIPPED_EVERY != 0 || year % YEARS_PER_ERA == 0);
    }
}
