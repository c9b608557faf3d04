// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev A maintenance window in one storage word, low bits first:
/// component id 32 | schedule 8 | flags 8 | starts at 48 | ends at 48 | duration 32 | period 32 | scheduled at 48.
/// Zero means "no such window" (`scheduled at` is never zero once stored). The cancellation time of a
/// window lives in a word of its own, written only by `cancel`.
type MaintenanceWindow is uint256;

using MaintenanceWindowLibrary for MaintenanceWindow global;

/// @title MaintenanceWindowLibrary: getters and setters of a `MaintenanceWindow` word
library MaintenanceWindowLibrary {
    uint256 internal constant MASK_48 = (1 << 48) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;

    uint256 internal constant SCHEDULE_SHIFT = 32;
    uint256 internal constant FLAGS_SHIFT = 40;
    uint256 internal constant STARTS_AT_SHIFT = 48;
    uint256 internal constant ENDS_AT_SHIFT = 96;
    uint256 internal constant DURATION_SHIFT = 144;
    uint256 internal constant PERIOD_SHIFT = 176;
    uint256 internal constant SCHEDULED_AT_SHIFT = 208;

    /// @dev Flag bits (within the flags byte).
    uint256 internal constant FLAG_CANCELLED = 1 << 0;

    /// @dev A new word from its fields.
    function create(
        uint256 componentId_,
        uint256 schedule_,
        uint256 startsAt_,
        uint256 endsAt_,
        uint256 duration_,
        uint256 period_,
        uint256 scheduledAt_
    ) internal pure returns (MaintenanceWindow) {
        return MaintenanceWindow.wrap(
            componentId_ | (schedule_ << SCHEDULE_SHIFT) | (startsAt_ << STARTS_AT_SHIFT) | (endsAt_ << ENDS_AT_SHIFT)
                | (duration_ << DURATION_SHIFT) | (period_ << PERIOD_SHIFT) | (scheduledAt_ << SCHEDULED_AT_SHIFT)
        );
    }

    /// @dev Whether the word is zero: nothing is stored under its key.
    function isEmpty(MaintenanceWindow window) internal pure returns (bool) {
        return MaintenanceWindow.unwrap(window) == 0;
    }

    /// @dev The component it covers (0: every component).
    function componentId(MaintenanceWindow window) internal pure returns (uint32) {
        return uint32(MaintenanceWindow.unwrap(window) & MASK_32);
    }

    /// @dev The schedule (an `ISovrMaintenance.Schedule`).
    function schedule(MaintenanceWindow window) internal pure returns (uint256) {
        return (MaintenanceWindow.unwrap(window) >> SCHEDULE_SHIFT) & MASK_8;
    }

    /// @dev Whether the owner cancelled it.
    function isCancelled(MaintenanceWindow window) internal pure returns (bool) {
        return (MaintenanceWindow.unwrap(window) >> FLAGS_SHIFT) & FLAG_CANCELLED != 0;
    }

    /// @dev The start (ONCE), the first start (EVERY) or the earliest start (CRON).
    function startsAt(MaintenanceWindow window) internal pure returns (uint256) {
        return (MaintenanceWindow.unwrap(window) >> STARTS_AT_SHIFT) & MASK_48;
    }

    /// @dev The end (ONCE), or the time no occurrence starts at or after (0: never).
    function endsAt(MaintenanceWindow window) internal pure returns (uint256) {
        return (MaintenanceWindow.unwrap(window) >> ENDS_AT_SHIFT) & MASK_48;
    }

    /// @dev Seconds each occurrence lasts.
    function duration(MaintenanceWindow window) internal pure returns (uint256) {
        return (MaintenanceWindow.unwrap(window) >> DURATION_SHIFT) & MASK_32;
    }

    /// @dev Seconds between two starts (EVERY), otherwise 0.
    function period(MaintenanceWindow window) internal pure returns (uint256) {
        return (MaintenanceWindow.unwrap(window) >> PERIOD_SHIFT) & MASK_32;
    }

    /// @dev When it was scheduled.
    function scheduledAt(MaintenanceWindow window) internal pure returns (uint256) {
        return (MaintenanceWindow.unwrap(window) >> SCHEDULED_AT_SHIFT) & MASK_48;
    }

    /// @dev The same window, cancelled.
    function cancelled(MaintenanceWindow window) internal pure returns (MaintenanceWindow) {
        return MaintenanceWindow.wrap(MaintenanceWindow.unwrap(window) | (FLAG_CANCELLED << FLAGS_SHIFT));
    }
}
