// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types, events, errors and functions of the SOVR maintenance calendar
/// @notice The owner's maintenance windows on-chain: one-off, every fixed period, or on a cron schedule,
/// for one component or for all. Inside a window probes keep running, but no notification is sent, the
/// component shows as MAINTENANCE and the time is left out of its uptime. Every device of the owner, the
/// indexer, the guardian and the notifier read the same calendar.
interface ISovrMaintenance {
    /// @notice How a window recurs.
    enum Schedule {
        ONCE,
        EVERY,
        CRON
    }

    /// @notice A window as returned by `getWindow`.
    struct Window {
        uint64 id;
        /// @notice The component it covers; 0 for every component.
        uint32 componentId;
        Schedule schedule;
        /// @notice ONCE: the start; EVERY: the first occurrence's start; CRON: no occurrence starts before it.
        uint48 startsAt;
        /// @notice ONCE: the end; EVERY and CRON: no occurrence starts at or after it (0: never).
        uint48 endsAt;
        /// @notice Seconds each occurrence lasts (ONCE: `endsAt - startsAt`).
        uint32 duration;
        /// @notice EVERY: seconds from one occurrence's start to the next; otherwise 0.
        uint32 period;
        /// @notice When it was scheduled: nothing before this counts as maintenance.
        uint48 scheduledAt;
        /// @notice When the owner cancelled it (0: not cancelled): nothing from then on counts as maintenance.
        uint48 cancelledAt;
        /// @notice CRON: five fields (minute hour day month weekday), optionally after `TZ=<IANA zone> `;
        /// otherwise empty.
        string cron;
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when the owner scheduled a maintenance window.
    event MaintenanceScheduled(
        uint64 indexed windowId,
        uint32 indexed componentId,
        Schedule schedule,
        uint48 startsAt,
        uint48 endsAt,
        uint32 duration,
        uint32 period,
        string cron,
        string note
    );

    /// @notice Emitted when the owner cancelled a maintenance window (an occurrence under way ends there).
    event MaintenanceCancelled(uint64 indexed windowId, uint32 indexed componentId);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a window id is zero or was never issued.
    error UnknownWindow(uint64 windowId);
    /// @notice Thrown when a window is cancelled a second time.
    error WindowAlreadyCancelled(uint64 windowId);
    /// @notice Thrown when a window is cancelled after its last occurrence ended.
    error WindowOver(uint64 windowId);
    /// @notice Thrown when a window names a component the registry never registered (0 means every component).
    error UnknownComponent(uint32 id);
    /// @notice Thrown when a window would not cover a single second from now on.
    error WindowInThePast(uint256 endsAt);
    /// @notice Thrown when a window's end is not after its start.
    error EndsBeforeStart(uint256 startsAt, uint256 endsAt);
    /// @notice Thrown when an occurrence would last zero seconds or longer than `MAX_DURATION`.
    error InvalidDuration(uint256 duration);
    /// @notice Thrown when a period is shorter than an occurrence's duration.
    error PeriodShorterThanDuration(uint256 period, uint256 duration);
    /// @notice Thrown when a cron expression is empty or longer than `MAX_CRON_LENGTH` bytes.
    error InvalidCronLength(uint256 length);
    /// @notice Thrown when a note is longer than `MAX_NOTE_LENGTH` bytes.
    error NoteTooLong(uint256 length);

    // ---------------------------------------------------------------- functions

    /// @notice Schedules one window from `startsAt` to `endsAt` (owner only).
    function scheduleOnce(uint32 componentId, uint48 startsAt, uint48 endsAt, string calldata note)
        external
        returns (uint64 windowId);

    /// @notice Schedules a window of `duration` seconds every `period` seconds from `firstStartsAt` (owner only).
    function scheduleEvery(
        uint32 componentId,
        uint48 firstStartsAt,
        uint32 duration,
        uint32 period,
        uint48 until,
        string calldata note
    ) external returns (uint64 windowId);

    /// @notice Schedules a window of `duration` seconds at every time `cron` names, from `from` until `until`
    /// (owner only).
    function scheduleCron(
        uint32 componentId,
        string calldata cron,
        uint32 duration,
        uint48 from,
        uint48 until,
        string calldata note
    ) external returns (uint64 windowId);

    /// @notice Cancels a window (owner only); an occurrence under way ends now.
    function cancel(uint64 windowId) external;

    /// @notice Returns a window; reverts with `UnknownWindow` if it does not exist.
    function getWindow(uint64 windowId) external view returns (Window memory);

    /// @notice Number of windows ever scheduled (ids run from 1 to this number).
    function windowCount() external view returns (uint64);
}
