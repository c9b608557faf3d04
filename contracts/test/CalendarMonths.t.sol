// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {CalendarMonths} from "../src/libraries/CalendarMonths.sol";

/// @notice CalendarMonths against known dates and against a plain reference that counts days year by year and
/// month by month (slow, obviously right), for any date from 1970 to the year 9999.
contract CalendarMonthsTest is Test {
    uint256 internal constant LAST_DAY = 2_932_896; // 9999-12-31, in days from 1970-01-01

    function test_KnownDates() public pure {
        _assertDate(0, 1970, 1, 1);
        _assertDate(11_016, 2000, 2, 29);
        _assertDate(20_484, 2026, 1, 31);
        _assertDate(LAST_DAY, 9999, 12, 31);
        assertEq(CalendarMonths.daysFrom(2028, 2, 29), 21_243);
        assertTrue(CalendarMonths.isLeapYear(2000));
        assertFalse(CalendarMonths.isLeapYear(2100));
        assertEq(CalendarMonths.daysInMonth(2026, 4), 30);
        assertEq(CalendarMonths.daysInMonth(2026, 12), 31);
    }

    function test_AddMonthsClampsToTheMonthsLastDay() public pure {
        uint256 jan31 = 1_769_850_000; // 2026-01-31 09:00
        assertEq(CalendarMonths.addMonths(jan31, 1), 1_772_269_200, "2026-02-28 09:00");
        assertEq(CalendarMonths.addMonths(jan31, 2), 1_774_947_600, "2026-03-31 09:00");
        assertEq(CalendarMonths.addMonths(jan31, 25), 1_835_427_600, "2028-02-29 09:00");
        assertEq(CalendarMonths.monthsBetween(jan31, 1_772_269_200), 1);
        assertEq(CalendarMonths.monthsBetween(jan31, jan31), 0);
    }

    /// @dev Day -> date -> day is the identity, and the date is the reference's.
    function testFuzz_DatesRoundTrip(uint256 unixDays) public pure {
        unixDays = bound(unixDays, 0, LAST_DAY);
        (uint256 year, uint256 month, uint256 day) = CalendarMonths.dateOf(unixDays);
        assertEq(CalendarMonths.daysFrom(year, month, day), unixDays);
        assertEq(_referenceDays(year, month, day), unixDays, "the reference counts the same days");
        assertGe(day, 1);
        assertLe(day, CalendarMonths.daysInMonth(year, month));
    }

    /// @dev Months later: the same time of day, the start's day or the month's last, and exactly the months asked.
    function testFuzz_AddMonthsKeepsTheDayAndTime(uint256 timestamp, uint256 months) public pure {
        // Up to a hundred years later, still before 9999-12-31.
        timestamp = bound(timestamp, 0, 253_402_300_799 - 101 * 366 days);
        months = bound(months, 0, 1200);
        uint256 later = CalendarMonths.addMonths(timestamp, months);
        assertEq(later % 1 days, timestamp % 1 days, "the time of day");
        (uint256 y0, uint256 m0, uint256 d0) = CalendarMonths.dateOf(timestamp / 1 days);
        (uint256 y1, uint256 m1, uint256 d1) = CalendarMonths.dateOf(later / 1 days);
        assertEq(y1 * 12 + m1, y0 * 12 + m0 + months, "the month");
        uint256 lastDay = CalendarMonths.daysInMonth(y1, m1);
        assertEq(d1, d0 < lastDay ? d0 : lastDay, "the day");
        assertEq(CalendarMonths.monthsBetween(timestamp, later), months);
    }

    function _assertDate(uint256 unixDays, uint256 year, uint256 month, uint256 day) internal pure {
        (uint256 y, uint256 m, uint256 d) = CalendarMonths.dateOf(unixDays);
        assertEq(y, year, "year");
        assertEq(m, month, "month");
        assertEq(d, day, "day");
        assertEq(CalendarMonths.daysFrom(year, month, day), unixDays);
    }

    /// @dev Days from 1970-01-01 counted year by year (400-year blocks first), then month by month.
    function _referenceDays(uint256 year, uint256 month, uint256 day) internal pure returns (uint256 total) {
        uint256 y = 1970;
        // 2370 starts a 400-year block that has the same leap years as the one from 1970.
        while (y + 400 <= year) {
            total += 146_097;
            y += 400;
        }
        for (; y < year; ++y) {
            total += _isLeap(y) ? 366 : 365;
        }
        uint8[12] memory lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for (uint256 m = 1; m < month; ++m) {
            total += lengths[m - 1];
            if (m == 2 && _isLeap(year)) total += 1;
        }
        total += day - 1;
    }

    function _isLeap(uint256 year) internal pure returns (bool) {
        return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    }
}
