// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ComponentWords: the component registry's storage words, packed by hand
/// @notice Each component keeps its fixed-size state in two words, so that a health report reads and
/// writes one word and a signal reads one word; each control intent is one word.
/// @dev Layouts, low bits first:
/// - health word: controller 160 | status 8 | flags 8 | latency (ms) 32 | last status change 48.
/// - profile word: reporter 160 | kind 8 | flags 8 | last liveness beat 48 | (unused 32).
/// - intent word: component id 32 | action 8 | status 8 | requested at 48 | resolved at 48 | (unused 112).
/// The flags byte sits at the same position in the health and profile words, so `RETIRED` (kept in
/// both, so that each hot path reads one word) is the same bit in either. A registered component's
/// words are never zero (its controller and reporter are not zero), nor is an issued intent's (its
/// component id is not zero): zero means "does not exist".
library ComponentWords {
    uint256 internal constant MASK_160 = (1 << 160) - 1;
    uint256 internal constant MASK_48 = (1 << 48) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;

    uint256 internal constant STATUS_SHIFT = 160;
    uint256 internal constant KIND_SHIFT = 160;
    uint256 internal constant FLAGS_SHIFT = 168;
    uint256 internal constant LATENCY_SHIFT = 176;
    uint256 internal constant CHANGED_AT_SHIFT = 208;
    uint256 internal constant BEAT_AT_SHIFT = 176;

    uint256 internal constant INTENT_ACTION_SHIFT = 32;
    uint256 internal constant INTENT_STATUS_SHIFT = 40;
    uint256 internal constant INTENT_REQUESTED_SHIFT = 48;
    uint256 internal constant INTENT_RESOLVED_SHIFT = 96;

    /// @dev Flag bits (within the flags byte).
    uint256 internal constant FLAG_RETIRED = 1 << 0;
    uint256 internal constant FLAG_CRITICAL = 1 << 1;
    /// @dev The retired flag as a bit of a health or profile word.
    uint256 internal constant RETIRED_BIT = FLAG_RETIRED << FLAGS_SHIFT;

    // ---------------------------------------------------------------- health word

    function newHealth(address controller_, uint256 status_, uint256 latency_, uint256 changedAt_)
        internal
        pure
        returns (uint256)
    {
        return uint256(uint160(controller_)) | (status_ << STATUS_SHIFT) | (latency_ << LATENCY_SHIFT)
            | (changedAt_ << CHANGED_AT_SHIFT);
    }

    function controller(uint256 health) internal pure returns (address) {
        return address(uint160(health));
    }

    function status(uint256 health) internal pure returns (uint256) {
        return (health >> STATUS_SHIFT) & MASK_8;
    }

    function latency(uint256 health) internal pure returns (uint256) {
        return (health >> LATENCY_SHIFT) & MASK_32;
    }

    function changedAt(uint256 health) internal pure returns (uint256) {
        return health >> CHANGED_AT_SHIFT;
    }

    /// @dev A status transition: new status, latency and change time; controller and flags are kept.
    function withStatus(uint256 health, uint256 status_, uint256 latency_, uint256 changedAt_)
        internal
        pure
        returns (uint256)
    {
        return (health & (MASK_160 | (MASK_8 << FLAGS_SHIFT))) | (status_ << STATUS_SHIFT)
            | (latency_ << LATENCY_SHIFT) | (changedAt_ << CHANGED_AT_SHIFT);
    }

    function withLatency(uint256 health, uint256 latency_) internal pure returns (uint256) {
        return (health & ~(MASK_32 << LATENCY_SHIFT)) | (latency_ << LATENCY_SHIFT);
    }

    function withController(uint256 health, address controller_) internal pure returns (uint256) {
        return (health & ~MASK_160) | uint256(uint160(controller_));
    }

    // ---------------------------------------------------------------- profile word

    function newProfile(address reporter_, uint256 kind_, bool critical_, uint256 beatAt_)
        internal
        pure
        returns (uint256)
    {
        uint256 flags = critical_ ? FLAG_CRITICAL : 0;
        return uint256(uint160(reporter_)) | (kind_ << KIND_SHIFT) | (flags << FLAGS_SHIFT)
            | (beatAt_ << BEAT_AT_SHIFT);
    }

    function reporter(uint256 profile) internal pure returns (address) {
        return address(uint160(profile));
    }

    function kind(uint256 profile) internal pure returns (uint256) {
        return (profile >> KIND_SHIFT) & MASK_8;
    }

    function isCritical(uint256 profile) internal pure returns (bool) {
        return (profile >> FLAGS_SHIFT) & FLAG_CRITICAL != 0;
    }

    function beatAt(uint256 profile) internal pure returns (uint256) {
        return (profile >> BEAT_AT_SHIFT) & MASK_48;
    }

    function withBeatAt(uint256 profile, uint256 beatAt_) internal pure returns (uint256) {
        return (profile & ~(MASK_48 << BEAT_AT_SHIFT)) | (beatAt_ << BEAT_AT_SHIFT);
    }

    // ---------------------------------------------------------------- either word

    function isRetired(uint256 word) internal pure returns (bool) {
        return word & RETIRED_BIT != 0;
    }

    // ---------------------------------------------------------------- intent word

    function newIntent(uint256 componentId_, uint256 action_, uint256 requestedAt_) internal pure returns (uint256) {
        return componentId_ | (action_ << INTENT_ACTION_SHIFT) | (requestedAt_ << INTENT_REQUESTED_SHIFT);
    }

    function componentId(uint256 intent) internal pure returns (uint32) {
        return uint32(intent);
    }

    function action(uint256 intent) internal pure returns (uint256) {
        return (intent >> INTENT_ACTION_SHIFT) & MASK_8;
    }

    function intentStatus(uint256 intent) internal pure returns (uint256) {
        return (intent >> INTENT_STATUS_SHIFT) & MASK_8;
    }

    function requestedAt(uint256 intent) internal pure returns (uint256) {
        return (intent >> INTENT_REQUESTED_SHIFT) & MASK_48;
    }

    function resolvedAt(uint256 intent) internal pure returns (uint256) {
        return (intent >> INTENT_RESOLVED_SHIFT) & MASK_48;
    }

    /// @dev Callers have checked that the intent is still pending (status and resolution time are zero).
    function resolved(uint256 intent, uint256 status_, uint256 resolvedAt_) internal pure returns (uint256) {
        return intent | (status_ << INTENT_STATUS_SHIFT) | (resolvedAt_ << INTENT_RESOLVED_SHIFT);
    }
}
