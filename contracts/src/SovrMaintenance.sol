// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IComponentRegistry} from "./interfaces/IComponentRegistry.sol";
import {ISovrMaintenance} from "./interfaces/ISovrMaintenance.sol";
import {MaintenanceWindow, MaintenanceWindowLibrary} from "./libraries/MaintenanceWords.sol";

/// @title SovrMaintenance: the owner's maintenance calendar
/// @notice The owner schedules maintenance windows (one-off, every fixed period, or on a cron schedule) for
/// one registered component or for all of them, and cancels them. The contract records; readers (the
/// indexer, the guardian, the notifier) work out the occurrences. A window never reaches back before the
/// block it was scheduled in, and a cancellation ends it at the block it was cancelled in, so uptime
/// already recorded cannot be rewritten by a later window.
/// @dev One storage word per window (see `MaintenanceWords`), the cron text of CRON windows beside it, and
/// the cancellation time in a word written only by `cancel`.
contract SovrMaintenance is ISovrMaintenance, AccessControlDefaultAdminRules {
    /// @notice Longest cron expression (with its optional `TZ=<zone> ` prefix), in bytes.
    uint256 public constant MAX_CRON_LENGTH = 96;
    /// @notice Longest note, in bytes (only in the event, never stored).
    uint256 public constant MAX_NOTE_LENGTH = 128;
    /// @notice Longest occurrence: 31 days.
    uint32 public constant MAX_DURATION = 31 days;

    /// @notice The registry whose component ids windows name.
    IComponentRegistry public immutable registry;

    mapping(uint64 windowId => MaintenanceWindow word) internal _windows;
    mapping(uint64 windowId => string cron) internal _crons;
    mapping(uint64 windowId => uint256 timestamp) internal _cancelledAt;
    uint64 internal _windowCount;

    /// @param registry_ The component registry (component ids are checked against its count).
    /// @param admin The owner: holds DEFAULT_ADMIN_ROLE (transferable to a Safe with `beginDefaultAdminTransfer`).
    /// @param adminTransferDelay Seconds a started admin transfer must wait before it can be accepted.
    constructor(IComponentRegistry registry_, address admin, uint48 adminTransferDelay)
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        registry = registry_;
    }

    // ================================================================ owner

    /// @inheritdoc ISovrMaintenance
    /// @param componentId A registered component, or 0 for every component.
    /// @param startsAt The start (may be in the past: the window then counts from now).
    /// @param endsAt The end: after `startsAt` and after now, at most `MAX_DURATION` after `startsAt`.
    /// @param note Why, 0 to `MAX_NOTE_LENGTH` bytes; only in the event.
    /// @return windowId The new window's id (ids run from 1).
    function scheduleOnce(uint32 componentId, uint48 startsAt, uint48 endsAt, string calldata note)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (uint64 windowId)
    {
        if (endsAt <= startsAt) revert EndsBeforeStart(startsAt, endsAt);
        uint256 duration = uint256(endsAt) - startsAt;
        if (duration > MAX_DURATION) revert InvalidDuration(duration);
        windowId = _store(componentId, Schedule.ONCE, startsAt, endsAt, duration, 0, "", note);
    }

    /// @inheritdoc ISovrMaintenance
    /// @param componentId A registered component, or 0 for every component.
    /// @param firstStartsAt The first occurrence's start.
    /// @param duration Seconds each occurrence lasts, 1 to `MAX_DURATION`.
    /// @param period Seconds from one start to the next, at least `duration`.
    /// @param until No occurrence starts at or after it (0: never); after `firstStartsAt` and after now.
    /// @param note Why, 0 to `MAX_NOTE_LENGTH` bytes; only in the event.
    /// @return windowId The new window's id.
    function scheduleEvery(
        uint32 componentId,
        uint48 firstStartsAt,
        uint32 duration,
        uint32 period,
        uint48 until,
        string calldata note
    ) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint64 windowId) {
        _checkDuration(duration);
        if (period < duration) revert PeriodShorterThanDuration(period, duration);
        _checkUntil(firstStartsAt, until);
        windowId = _store(componentId, Schedule.EVERY, firstStartsAt, until, duration, period, "", note);
    }

    /// @inheritdoc ISovrMaintenance
    /// @param componentId A registered component, or 0 for every component.
    /// @param cron Five fields, optionally after `TZ=<IANA zone> `; 1 to `MAX_CRON_LENGTH` bytes. The
    /// contract stores it as given; clients check it before they send, and readers ignore one they cannot read.
    /// @param duration Seconds each occurrence lasts, 1 to `MAX_DURATION`.
    /// @param from No occurrence starts before it.
    /// @param until No occurrence starts at or after it (0: never); after `from` and after now.
    /// @param note Why, 0 to `MAX_NOTE_LENGTH` bytes; only in the event.
    /// @return windowId The new window's id.
    function scheduleCron(
        uint32 componentId,
        string calldata cron,
        uint32 duration,
        uint48 from,
        uint48 until,
        string calldata note
    ) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint64 windowId) {
        uint256 cronLength = bytes(cron).length;
        if (cronLength == 0 || cronLength > MAX_CRON_LENGTH) revert InvalidCronLength(cronLength);
        _checkDuration(duration);
        _checkUntil(from, until);
        windowId = _store(componentId, Schedule.CRON, from, until, duration, 0, cron, note);
    }

    /// @inheritdoc ISovrMaintenance
    /// @param windowId A window that is not cancelled and not over.
    function cancel(uint64 windowId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        MaintenanceWindow window = _windows[windowId];
        if (window.isEmpty()) revert UnknownWindow(windowId);
        if (window.isCancelled()) revert WindowAlreadyCancelled(windowId);
        uint256 now_ = Time.timestamp();
        if (_isOver(window, now_)) revert WindowOver(windowId);
        _windows[windowId] = window.cancelled();
        _cancelledAt[windowId] = now_;
        emit MaintenanceCancelled(windowId, window.componentId());
    }

    // ================================================================ views

    /// @inheritdoc ISovrMaintenance
    /// @param windowId The window.
    function getWindow(uint64 windowId) external view returns (Window memory window) {
        MaintenanceWindow word = _windows[windowId];
        if (word.isEmpty()) revert UnknownWindow(windowId);
        window = Window({
            id: windowId,
            componentId: word.componentId(),
            schedule: Schedule(word.schedule()),
            startsAt: uint48(word.startsAt()),
            endsAt: uint48(word.endsAt()),
            duration: uint32(word.duration()),
            period: uint32(word.period()),
            scheduledAt: uint48(word.scheduledAt()),
            cancelledAt: uint48(_cancelledAt[windowId]),
            cron: _crons[windowId]
        });
    }

    /// @inheritdoc ISovrMaintenance
    function windowCount() external view returns (uint64) {
        return _windowCount;
    }

    // ================================================================ internal

    /// @dev Checks what every window shares, stores it and emits `MaintenanceScheduled`.
    function _store(
        uint32 componentId,
        Schedule schedule,
        uint256 startsAt,
        uint256 endsAt,
        uint256 duration,
        uint256 period,
        string memory cron,
        string calldata note
    ) internal returns (uint64 windowId) {
        if (bytes(note).length > MAX_NOTE_LENGTH) revert NoteTooLong(bytes(note).length);
        if (componentId != 0 && componentId > registry.componentCount()) revert UnknownComponent(componentId);
        uint256 now_ = Time.timestamp();
        // A one-off window must reach past now; a recurring one with an end must start one more occurrence.
        if (endsAt != 0 && endsAt <= now_) revert WindowInThePast(endsAt);
        windowId = ++_windowCount;
        _windows[windowId] =
            MaintenanceWindowLibrary.create(componentId, uint8(schedule), startsAt, endsAt, duration, period, now_);
        if (bytes(cron).length != 0) _crons[windowId] = cron;
        emit MaintenanceScheduled(
            windowId,
            componentId,
            schedule,
            uint48(startsAt),
            uint48(endsAt),
            uint32(duration),
            uint32(period),
            cron,
            note
        );
    }

    /// @dev Reverts unless an occurrence lasts 1 s to `MAX_DURATION`.
    function _checkDuration(uint32 duration) internal pure {
        if (duration == 0 || duration > MAX_DURATION) revert InvalidDuration(duration);
    }

    /// @dev Reverts unless `until` is 0 (never) or after `startsAt`.
    function _checkUntil(uint48 startsAt, uint48 until) internal pure {
        if (until != 0 && until <= startsAt) revert EndsBeforeStart(startsAt, until);
    }

    /// @dev Whether no occurrence of the window can cover `now_` or any later time.
    function _isOver(MaintenanceWindow window, uint256 now_) internal pure returns (bool) {
        uint256 endsAt = window.endsAt();
        if (endsAt == 0) return false;
        if (window.schedule() == uint8(Schedule.ONCE)) return endsAt <= now_;
        // The last occurrence starts before `endsAt` and lasts `duration`.
        return endsAt + window.duration() <= now_;
    }
}
