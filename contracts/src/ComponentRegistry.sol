// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IComponentRegistry} from "./interfaces/IComponentRegistry.sol";
import {
    ComponentHealth,
    ComponentHealthLibrary,
    ComponentProfile,
    ComponentProfileLibrary,
    ControlIntent,
    ControlIntentLibrary
} from "./libraries/ComponentWords.sol";

/// @title ComponentRegistry: the owner's services on-chain
/// @notice The owner registers components and requests control actions (START, RESTART, STOP) for one,
/// several or all of them; each component's controller (the host's supervisor key) reports the outcome
/// of each intent once, records status transitions with their latency and a low-rate liveness beat;
/// each component's reporter (its own key) records signals. Uptime is derived from the transitions.
/// @dev Storage (see `ComponentWords`): per component a health word (controller, status, latency, last
/// change; the only word a health report touches), a profile word (reporter, kind, flags, last beat;
/// the only word a signal reads) and its two strings, which no hot path reads; per intent one word;
/// a bitmap of retired ids so that `requestControlAll` reads one word per 256 components; and one word
/// of counters (beat interval, component, intent and signal counts).
contract ComponentRegistry is IComponentRegistry, AccessControlDefaultAdminRules {
    /// @notice Longest component name, in bytes.
    uint256 public constant MAX_NAME_LENGTH = 64;
    /// @notice Longest health endpoint, in bytes.
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;
    /// @notice Longest signal kind (such as "auth_failure"), in bytes.
    uint256 public constant MAX_SIGNAL_KIND_LENGTH = 32;
    /// @notice Longest signal message, in bytes.
    uint256 public constant MAX_MESSAGE_LENGTH = 280;
    /// @notice Longest reason given with an intent's outcome, in bytes.
    uint256 public constant MAX_REASON_LENGTH = 128;
    /// @notice Minimum seconds between two liveness beats of a component until the owner sets another value.
    uint32 public constant DEFAULT_BEAT_INTERVAL = 300;

    /// @dev Retired ids are kept 256 to a bitmap word.
    uint256 internal constant BITMAP_SHIFT = 8;
    uint256 internal constant BITMAP_MASK = (1 << BITMAP_SHIFT) - 1;

    /// @notice A component's strings; read by views only.
    struct Description {
        string name;
        string endpoint;
    }

    mapping(uint32 id => ComponentHealth word) internal _health;
    mapping(uint32 id => ComponentProfile word) internal _profiles;
    mapping(uint32 id => Description) internal _descriptions;
    mapping(uint64 intentId => ControlIntent word) internal _intents;
    mapping(uint256 bucket => uint256 bits) internal _retiredBits;

    // One word: the counters and the beat interval.
    /// @inheritdoc IComponentRegistry
    uint32 public beatInterval;
    uint32 internal _componentCount;
    uint64 internal _intentCount;
    uint64 internal _signalCount;

    /// @param admin The owner: holds DEFAULT_ADMIN_ROLE (transferable to a Safe with `beginDefaultAdminTransfer`).
    /// @param adminTransferDelay Seconds a started admin transfer must wait before it can be accepted.
    constructor(address admin, uint48 adminTransferDelay) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        beatInterval = DEFAULT_BEAT_INTERVAL;
        emit BeatIntervalSet(0, DEFAULT_BEAT_INTERVAL);
    }

    // ================================================================ owner: components

    /// @inheritdoc IComponentRegistry
    /// @param name 1 to `MAX_NAME_LENGTH` bytes.
    /// @param kind A `Kind`.
    /// @param endpoint The health URL, 1 to `MAX_ENDPOINT_LENGTH` bytes.
    /// @param critical Whether the stack depends on this component.
    /// @param controller The supervisor address that controls and reports health for it (not zero).
    /// @param reporter The address the component uses for its own signals (not zero).
    /// @return id The new component's id (ids run from 1).
    function register(
        string calldata name,
        uint8 kind,
        string calldata endpoint,
        bool critical,
        address controller,
        address reporter
    ) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint32 id) {
        _checkDescription(name, kind, endpoint, controller, reporter);
        id = ++_componentCount;
        _health[id] = ComponentHealthLibrary.create(controller, uint8(Status.UNKNOWN), 0, Time.timestamp());
        _profiles[id] = ComponentProfileLibrary.create(reporter, kind, critical, 0);
        _descriptions[id] = Description({name: name, endpoint: endpoint});
        emit ComponentRegistered(id, controller, reporter, name, Kind(kind), endpoint, critical);
    }

    /// @inheritdoc IComponentRegistry
    /// @param id The component.
    /// @param name 1 to `MAX_NAME_LENGTH` bytes.
    /// @param kind A `Kind`.
    /// @param endpoint The health URL, 1 to `MAX_ENDPOINT_LENGTH` bytes.
    /// @param critical Whether the stack depends on this component.
    /// @param controller The supervisor address that controls and reports health for it (not zero).
    /// @param reporter The address the component uses for its own signals (not zero).
    function update(
        uint32 id,
        string calldata name,
        uint8 kind,
        string calldata endpoint,
        bool critical,
        address controller,
        address reporter
    ) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _checkDescription(name, kind, endpoint, controller, reporter);
        ComponentHealth health = _liveHealth(id);
        ComponentProfile profile = _profiles[id];
        _health[id] = health.withController(controller);
        _profiles[id] = ComponentProfileLibrary.create(reporter, kind, critical, profile.beatAt());
        _descriptions[id] = Description({name: name, endpoint: endpoint});
        emit ComponentUpdated(id, controller, reporter, name, Kind(kind), endpoint, critical);
    }

    /// @inheritdoc IComponentRegistry
    /// @dev Intents still pending stay resolvable by the controller.
    /// @param id The component.
    function retire(uint32 id) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ComponentHealth health = _liveHealth(id);
        _health[id] = health.retired();
        _profiles[id] = _profiles[id].retired();
        _retiredBits[id >> BITMAP_SHIFT] |= 1 << (id & BITMAP_MASK);
        emit ComponentRetired(id);
    }

    /// @inheritdoc IComponentRegistry
    /// @param interval Seconds (not zero).
    function setBeatInterval(uint32 interval) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (interval == 0) revert ZeroBeatInterval();
        emit BeatIntervalSet(beatInterval, interval);
        beatInterval = interval;
    }

    // ================================================================ owner: control intents

    /// @inheritdoc IComponentRegistry
    /// @param id The component (registered, not retired).
    /// @param action An `Action`.
    /// @return intentId The intent's id.
    function requestControl(uint32 id, uint8 action) external onlyRole(DEFAULT_ADMIN_ROLE) returns (uint64 intentId) {
        _checkAction(action);
        _liveHealth(id);
        intentId = ++_intentCount;
        _storeIntent(intentId, id, action);
    }

    /// @inheritdoc IComponentRegistry
    /// @param ids The components (each registered and not retired; a repeated id gets one intent per mention).
    /// @param action An `Action`.
    /// @return firstIntentId The first intent's id; the others follow in the order of `ids`.
    function requestControlMany(uint32[] calldata ids, uint8 action)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (uint64 firstIntentId)
    {
        _checkAction(action);
        uint256 n = ids.length;
        if (n == 0) revert EmptyIdList();
        uint64 last = _intentCount;
        firstIntentId = last + 1;
        for (uint256 i = 0; i < n; ++i) {
            uint32 id = ids[i];
            _liveHealth(id);
            _storeIntent(++last, id, action);
        }
        _intentCount = last;
    }

    /// @inheritdoc IComponentRegistry
    /// @param action An `Action`.
    /// @return firstIntentId The first intent's id; the others follow in component id order.
    /// @return count How many intents were requested (one per component that is not retired).
    function requestControlAll(uint8 action)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
        returns (uint64 firstIntentId, uint256 count)
    {
        _checkAction(action);
        uint256 components = _componentCount;
        uint64 last = _intentCount;
        firstIntentId = last + 1;
        uint256 retiredBits = _retiredBits[0];
        for (uint256 id = 1; id <= components; ++id) {
            uint256 bit = id & BITMAP_MASK;
            if (bit == 0) retiredBits = _retiredBits[id >> BITMAP_SHIFT];
            if ((retiredBits >> bit) & 1 != 0) continue;
            _storeIntent(++last, uint32(id), action);
        }
        count = last + 1 - firstIntentId;
        if (count == 0) revert NoActiveComponents();
        _intentCount = last;
    }

    // ================================================================ controller

    /// @inheritdoc IComponentRegistry
    /// @dev The caller must be the component's controller now (after an `update`, the new controller).
    /// Intents of a component retired after they were requested can still be resolved.
    /// @param intentId The intent.
    /// @param executed Whether the controller carried out the action.
    /// @param reason Why (0 to `MAX_REASON_LENGTH` bytes).
    function reportOutcome(uint64 intentId, bool executed, string calldata reason) external {
        if (bytes(reason).length > MAX_REASON_LENGTH) revert ReasonTooLong(bytes(reason).length);
        ControlIntent intent = _intents[intentId];
        if (intent.isEmpty()) revert UnknownIntent(intentId);
        uint32 id = intent.componentId();
        if (_health[id].controller() != msg.sender) revert NotController(id, msg.sender);
        if (intent.status() != uint8(IntentStatus.Pending)) revert IntentAlreadyResolved(intentId);
        IntentStatus outcome = executed ? IntentStatus.Executed : IntentStatus.Failed;
        _intents[intentId] = intent.resolved(uint8(outcome), Time.timestamp());
        emit ControlResolved(intentId, id, executed, reason);
    }

    /// @inheritdoc IComponentRegistry
    /// @param id The component.
    /// @param status A `Status` other than the component's current one.
    /// @param latencyMs The latency the controller measured, in milliseconds.
    function reportHealth(uint32 id, uint8 status, uint32 latencyMs) external {
        if (status > uint8(type(Status).max)) revert UnknownStatus(status);
        ComponentHealth health = _controlledHealth(id);
        uint256 previous = health.status();
        if (previous == status) revert StatusUnchanged(id, Status(status));
        _health[id] = health.withStatus(status, latencyMs, Time.timestamp());
        emit HealthChanged(id, Status(previous), Status(status), latencyMs);
    }

    /// @inheritdoc IComponentRegistry
    /// @dev The first beat of a component is allowed at once; the latency becomes the component's latest.
    /// @param id The component.
    /// @param latencyMs The latency the controller measured, in milliseconds.
    function beat(uint32 id, uint32 latencyMs) external {
        ComponentHealth health = _controlledHealth(id);
        ComponentProfile profile = _profiles[id];
        uint256 lastBeatAt = profile.beatAt();
        uint256 now_ = Time.timestamp();
        if (lastBeatAt != 0) {
            uint256 nextAllowedAt = lastBeatAt + beatInterval;
            if (now_ < nextAllowedAt) revert BeatTooSoon(id, nextAllowedAt);
        }
        _profiles[id] = profile.withBeatAt(now_);
        _health[id] = health.withLatency(latencyMs);
        emit LivenessBeat(id, Status(health.status()), latencyMs);
    }

    // ================================================================ reporter

    /// @inheritdoc IComponentRegistry
    /// @param id The component.
    /// @param severity A `Severity`.
    /// @param kind What happened, 1 to `MAX_SIGNAL_KIND_LENGTH` bytes (such as "auth_failure").
    /// @param message Details, 0 to `MAX_MESSAGE_LENGTH` bytes; only in the event, never stored.
    /// @return signalId The signal's id (ids run from 1).
    function signal(uint32 id, uint8 severity, string calldata kind, string calldata message)
        external
        returns (uint64 signalId)
    {
        if (severity > uint8(type(Severity).max)) revert UnknownSeverity(severity);
        uint256 kindLength = bytes(kind).length;
        if (kindLength == 0 || kindLength > MAX_SIGNAL_KIND_LENGTH) revert InvalidSignalKindLength(kindLength);
        if (bytes(message).length > MAX_MESSAGE_LENGTH) revert MessageTooLong(bytes(message).length);
        ComponentProfile profile = _profiles[id];
        if (profile.isEmpty()) revert UnknownComponent(id);
        if (profile.reporter() != msg.sender) revert NotReporter(id, msg.sender);
        if (profile.isRetired()) revert ComponentIsRetired(id);
        signalId = ++_signalCount;
        emit SignalRecorded(signalId, id, Severity(severity), kind, message);
    }

    // ================================================================ views

    /// @inheritdoc IComponentRegistry
    /// @param id The component.
    function getComponent(uint32 id) external view returns (Component memory component) {
        ComponentHealth health = _health[id];
        if (health.isEmpty()) revert UnknownComponent(id);
        ComponentProfile profile = _profiles[id];
        Description storage description = _descriptions[id];
        component = Component({
            id: id,
            name: description.name,
            kind: Kind(profile.kind()),
            endpoint: description.endpoint,
            critical: profile.isCritical(),
            controller: health.controller(),
            reporter: profile.reporter(),
            status: Status(health.status()),
            latencyMs: uint32(health.latency()),
            lastChangeAt: uint48(health.changedAt()),
            lastBeatAt: uint48(profile.beatAt()),
            retired: health.isRetired()
        });
    }

    /// @inheritdoc IComponentRegistry
    /// @param intentId The intent.
    function getIntent(uint64 intentId) external view returns (Intent memory intent) {
        ControlIntent word = _intents[intentId];
        if (word.isEmpty()) revert UnknownIntent(intentId);
        intent = Intent({
            id: intentId,
            componentId: word.componentId(),
            action: Action(word.action()),
            status: IntentStatus(word.status()),
            requestedAt: uint48(word.requestedAt()),
            resolvedAt: uint48(word.resolvedAt())
        });
    }

    /// @inheritdoc IComponentRegistry
    function componentCount() external view returns (uint32) {
        return _componentCount;
    }

    /// @inheritdoc IComponentRegistry
    function intentCount() external view returns (uint64) {
        return _intentCount;
    }

    /// @inheritdoc IComponentRegistry
    function signalCount() external view returns (uint64) {
        return _signalCount;
    }

    // ================================================================ internal

    /// @dev Reverts unless the name, kind, endpoint, controller and reporter are acceptable.
    function _checkDescription(
        string calldata name,
        uint8 kind,
        string calldata endpoint,
        address controller,
        address reporter
    ) internal pure {
        uint256 nameLength = bytes(name).length;
        if (nameLength == 0 || nameLength > MAX_NAME_LENGTH) revert InvalidNameLength(nameLength);
        if (kind > uint8(type(Kind).max)) revert UnknownKind(kind);
        uint256 endpointLength = bytes(endpoint).length;
        if (endpointLength == 0 || endpointLength > MAX_ENDPOINT_LENGTH) revert InvalidEndpointLength(endpointLength);
        if (controller == address(0)) revert ZeroController();
        if (reporter == address(0)) revert ZeroReporter();
    }

    /// @dev Reverts unless `action` is an `Action`.
    function _checkAction(uint8 action) internal pure {
        if (action > uint8(type(Action).max)) revert UnknownAction(action);
    }

    /// @dev The health word of a registered component that is not retired.
    function _liveHealth(uint32 id) internal view returns (ComponentHealth health) {
        health = _health[id];
        if (health.isEmpty()) revert UnknownComponent(id);
        if (health.isRetired()) revert ComponentIsRetired(id);
    }

    /// @dev The health word of a registered component that is not retired and that the caller controls.
    function _controlledHealth(uint32 id) internal view returns (ComponentHealth health) {
        health = _health[id];
        if (health.isEmpty()) revert UnknownComponent(id);
        if (health.controller() != msg.sender) revert NotController(id, msg.sender);
        if (health.isRetired()) revert ComponentIsRetired(id);
    }

    /// @dev Stores a pending intent and emits `ControlRequested`.
    function _storeIntent(uint64 intentId, uint32 id, uint8 action) internal {
        _intents[intentId] = ControlIntentLibrary.create(id, action, Time.timestamp());
        emit ControlRequested(intentId, id, Action(action), msg.sender);
    }
}
