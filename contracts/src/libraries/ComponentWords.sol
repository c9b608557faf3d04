// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @dev A component's health in one storage word, low bits first:
/// controller 160 | status 8 | flags 8 | latency (ms) 32 | last status change 48.
/// The only word a health report reads and writes. Zero means "no such component".
type ComponentHealth is uint256;

/// @dev A component's profile in one storage word, low bits first:
/// reporter 160 | kind 8 | flags 8 | last liveness beat 48 | (unused 32).
/// The only word a signal reads. Zero means "no such component".
type ComponentProfile is uint256;

/// @dev A control intent in one storage word, low bits first:
/// component id 32 | action 8 | status 8 | requested at 48 | resolved at 48 | (unused 112).
/// Zero means "no such intent" (component ids start at 1).
type ControlIntent is uint256;

using ComponentHealthLibrary for ComponentHealth global;
using ComponentProfileLibrary for ComponentProfile global;
using ControlIntentLibrary for ControlIntent global;

/// @title ComponentWords: widths and flag bits shared by the component registry's storage words
/// @notice Each component keeps its fixed-size state in two words, so that a health report reads and
/// writes one word and a signal reads one word; each control intent is one word. Each word is its own
/// type, so a profile cannot be passed where a health word is expected.
/// @dev The flags byte sits at the same position in the health and profile words, so `RETIRED` (kept in
/// both, so that each hot path reads one word) is the same bit in either.
library ComponentWords {
    uint256 internal constant MASK_160 = (1 << 160) - 1;
    uint256 internal constant MASK_48 = (1 << 48) - 1;
    uint256 internal constant MASK_32 = (1 << 32) - 1;
    uint256 internal constant MASK_8 = (1 << 8) - 1;

    /// @dev Position of the flags byte in a health or profile word.
    uint256 internal constant FLAGS_SHIFT = 168;
    /// @dev Flag bits (within the flags byte).
    uint256 internal constant FLAG_RETIRED = 1 << 0;
    uint256 internal constant FLAG_CRITICAL = 1 << 1;
    /// @dev The retired flag as a bit of a health or profile word.
    uint256 internal constant RETIRED_BIT = FLAG_RETIRED << FLAGS_SHIFT;
}

/// @title ComponentHealthLibrary: getters and setters of a `ComponentHealth` word
library ComponentHealthLibrary {
    uint256 internal constant STATUS_SHIFT = 160;
    uint256 internal constant LATENCY_SHIFT = 176;
    uint256 internal constant CHANGED_AT_SHIFT = 208;

    /// @dev A new word from its fields.
    function create(address controller_, uint256 status_, uint256 latency_, uint256 changedAt_)
        internal
        pure
        returns (ComponentHealth)
    {
        return ComponentHealth.wrap(
            uint256(uint160(controller_)) | (status_ << STATUS_SHIFT) | (latency_ << LATENCY_SHIFT)
                | (changedAt_ << CHANGED_AT_SHIFT)
        );
    }

    /// @dev Whether the word is zero: nothing is stored under its key.
    function isEmpty(ComponentHealth health) internal pure returns (bool) {
        return ComponentHealth.unwrap(health) == 0;
    }

    /// @dev The component's controller.
    function controller(ComponentHealth health) internal pure returns (address) {
        return address(uint160(ComponentHealth.unwrap(health)));
    }

    /// @dev The status (a `Status`, or an `IntentStatus` for intents).
    function status(ComponentHealth health) internal pure returns (uint256) {
        return (ComponentHealth.unwrap(health) >> STATUS_SHIFT) & ComponentWords.MASK_8;
    }

    /// @dev The latest latency, in milliseconds.
    function latency(ComponentHealth health) internal pure returns (uint256) {
        return (ComponentHealth.unwrap(health) >> LATENCY_SHIFT) & ComponentWords.MASK_32;
    }

    /// @dev When the status last changed.
    function changedAt(ComponentHealth health) internal pure returns (uint256) {
        return ComponentHealth.unwrap(health) >> CHANGED_AT_SHIFT;
    }

    /// @dev Whether the component is retired.
    function isRetired(ComponentHealth health) internal pure returns (bool) {
        return ComponentHealth.unwrap(health) & ComponentWords.RETIRED_BIT != 0;
    }

    /// @dev A status transition: new status, latency and change time; controller and flags are kept.
    function withStatus(ComponentHealth health, uint256 status_, uint256 latency_, uint256 changedAt_)
        internal
        pure
        returns (ComponentHealth)
    {
        uint256 kept = ComponentHealth.unwrap(health)
            & (ComponentWords.MASK_160 | (ComponentWords.MASK_8 << ComponentWords.FLAGS_SHIFT));
        return ComponentHealth.wrap(
            kept | (status_ << STATUS_SHIFT) | (latency_ << LATENCY_SHIFT) | (changedAt_ << CHANGED_AT_SHIFT)
        );
    }

    /// @dev The same word with another latency.
    function withLatency(ComponentHealth health, uint256 latency_) internal pure returns (ComponentHealth) {
        uint256 word = ComponentHealth.unwrap(health);
        return ComponentHealth.wrap((word & ~(ComponentWords.MASK_32 << LATENCY_SHIFT)) | (latency_ << LATENCY_SHIFT));
    }

    /// @dev The same word with another controller.
    function withController(ComponentHealth health, address controller_) internal pure returns (ComponentHealth) {
        uint256 word = ComponentHealth.unwrap(health);
        return ComponentHealth.wrap((word & ~ComponentWords.MASK_160) | uint256(uint160(controller_)));
    }

    /// @dev The same word, retired.
    function retired(ComponentHealth health) internal pure returns (ComponentHealth) {
        return ComponentHealth.wrap(ComponentHealth.unwrap(health) | ComponentWords.RETIRED_BIT);
    }
}

/// @title ComponentProfileLibrary: getters and setters of a `ComponentProfile` word
library ComponentProfileLibrary {
    uint256 internal constant KIND_SHIFT = 160;
    uint256 internal constant BEAT_AT_SHIFT = 176;

    /// @dev A new word from its fields.
    function create(address reporter_, uint256 kind_, bool critical_, uint256 beatAt_)
        internal
        pure
        returns (ComponentProfile)
    {
        uint256 flags = critical_ ? ComponentWords.FLAG_CRITICAL : 0;
        return ComponentProfile.wrap(
            uint256(uint160(reporter_)) | (kind_ << KIND_SHIFT) | (flags << ComponentWords.FLAGS_SHIFT)
                | (beatAt_ << BEAT_AT_SHIFT)
        );
    }

    /// @dev Whether the word is zero: nothing is stored under its key.
    function isEmpty(ComponentProfile profile) internal pure returns (bool) {
        return ComponentProfile.unwrap(profile) == 0;
    }

    /// @dev The component's reporter.
    function reporter(ComponentProfile profile) internal pure returns (address) {
        return address(uint160(ComponentProfile.unwrap(profile)));
    }

    /// @dev The component's kind.
    function kind(ComponentProfile profile) internal pure returns (uint256) {
        return (ComponentProfile.unwrap(profile) >> KIND_SHIFT) & ComponentWords.MASK_8;
    }

    /// @dev Whether the component is critical.
    function isCritical(ComponentProfile profile) internal pure returns (bool) {
        return (ComponentProfile.unwrap(profile) >> ComponentWords.FLAGS_SHIFT) & ComponentWords.FLAG_CRITICAL != 0;
    }

    /// @dev Whether the component is retired.
    function isRetired(ComponentProfile profile) internal pure returns (bool) {
        return ComponentProfile.unwrap(profile) & ComponentWords.RETIRED_BIT != 0;
    }

    /// @dev When the last liveness beat was recorded.
    function beatAt(ComponentProfile profile) internal pure returns (uint256) {
        return (ComponentProfile.unwrap(profile) >> BEAT_AT_SHIFT) & ComponentWords.MASK_48;
    }

    function withBeatAt(ComponentProfile profile, uint256 beatAt_) internal pure returns (ComponentProfile) {
        uint256 word = ComponentProfile.unwrap(profile);
        return ComponentProfile.wrap((word & ~(ComponentWords.MASK_48 << BEAT_AT_SHIFT)) | (beatAt_ << BEAT_AT_SHIFT));
    }

    /// @dev The same word, retired.
    function retired(ComponentProfile profile) internal pure returns (ComponentProfile) {
        return ComponentProfile.wrap(ComponentProfile.unwrap(profile) | ComponentWords.RETIRED_BIT);
    }
}

/// @title ControlIntentLibrary: getters and setters of a `ControlIntent` word
library ControlIntentLibrary {
    uint256 internal constant ACTION_SHIFT = 32;
    uint256 internal constant STATUS_SHIFT = 40;
    uint256 internal constant REQUESTED_SHIFT = 48;
    uint256 internal constant RESOLVED_SHIFT = 96;

    /// @dev A new word from its fields.
    function create(uint256 componentId_, uint256 action_, uint256 requestedAt_) internal pure returns (ControlIntent) {
        return ControlIntent.wrap(componentId_ | (action_ << ACTION_SHIFT) | (requestedAt_ << REQUESTED_SHIFT));
    }

    /// @dev Whether the word is zero: nothing is stored under its key.
    function isEmpty(ControlIntent intent) internal pure returns (bool) {
        return ControlIntent.unwrap(intent) == 0;
    }

    /// @dev The component the intent is for.
    function componentId(ControlIntent intent) internal pure returns (uint32) {
        return uint32(ControlIntent.unwrap(intent));
    }

    /// @dev The requested action.
    function action(ControlIntent intent) internal pure returns (uint256) {
        return (ControlIntent.unwrap(intent) >> ACTION_SHIFT) & ComponentWords.MASK_8;
    }

    /// @dev The status (a `Status`, or an `IntentStatus` for intents).
    function status(ControlIntent intent) internal pure returns (uint256) {
        return (ControlIntent.unwrap(intent) >> STATUS_SHIFT) & ComponentWords.MASK_8;
    }

    /// @dev When the intent was requested.
    function requestedAt(ControlIntent intent) internal pure returns (uint256) {
        return (ControlIntent.unwrap(intent) >> REQUESTED_SHIFT) & ComponentWords.MASK_48;
    }

    /// @dev When the intent was resolved (zero while pending).
    function resolvedAt(ControlIntent intent) internal pure returns (uint256) {
        return (ControlIntent.unwrap(intent) >> RESOLVED_SHIFT) & ComponentWords.MASK_48;
    }

    /// @dev Callers have checked that the intent is still pending (status and resolution time are zero).
    function resolved(ControlIntent intent, uint256 status_, uint256 resolvedAt_)
        internal
        pure
        returns (ControlIntent)
    {
        return ControlIntent.wrap(
            ControlIntent.unwrap(intent) | (status_ << STATUS_SHIFT) | (resolvedAt_ << RESOLVED_SHIFT)
        );
    }
}
