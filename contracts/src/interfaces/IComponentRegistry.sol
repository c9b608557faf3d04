// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Types, events and errors of the SOVR component registry
/// @notice The owner's services on-chain: what they are, who supervises them (the controller, which
/// reports health and the outcome of control intents) and which key each uses for its own signals
/// (the reporter). Intents carry no commands: what START means lives only in the host's configuration.
interface IComponentRegistry {
    /// @notice What a component is.
    enum Kind {
        CORE_BACKEND,
        MOBILE_APP,
        WEB_DASHBOARD,
        BROWSER_EXTENSION,
        BLOCKCHAIN,
        SECURITY,
        INFRASTRUCTURE,
        OTHER
    }

    /// @notice A component's health as last reported by its controller.
    enum Status {
        UNKNOWN,
        ONLINE,
        DEGRADED,
        OFFLINE,
        STOPPED
    }

    /// @notice What a control intent asks the controller to do.
    enum Action {
        START,
        RESTART,
        STOP
    }

    /// @notice Lifecycle of a control intent: resolved once, never back to Pending.
    enum IntentStatus {
        Pending,
        Executed,
        Failed
    }

    /// @notice How serious a signal is.
    enum Severity {
        INFO,
        WARNING,
        ERROR,
        CRITICAL
    }

    /// @notice A component as returned by `getComponent`.
    struct Component {
        uint32 id;
        string name;
        Kind kind;
        string endpoint;
        bool critical;
        address controller;
        address reporter;
        Status status;
        uint32 latencyMs;
        uint48 lastChangeAt;
        uint48 lastBeatAt;
        bool retired;
    }

    /// @notice A control intent as returned by `getIntent`.
    struct Intent {
        uint64 id;
        uint32 componentId;
        Action action;
        IntentStatus status;
        uint48 requestedAt;
        uint48 resolvedAt;
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when a component was registered (its status starts as UNKNOWN).
    event ComponentRegistered(
        uint32 indexed id,
        address indexed controller,
        address indexed reporter,
        string name,
        Kind kind,
        string endpoint,
        bool critical
    );

    /// @notice Emitted when a component's description, controller or reporter changed (health is kept).
    event ComponentUpdated(
        uint32 indexed id,
        address indexed controller,
        address indexed reporter,
        string name,
        Kind kind,
        string endpoint,
        bool critical
    );

    /// @notice Emitted when a component was retired; it then takes no intents, health, signals or updates.
    event ComponentRetired(uint32 indexed id);

    /// @notice Emitted when the owner requested a control action for a component.
    event ControlRequested(uint64 indexed intentId, uint32 indexed componentId, Action action, address requestedBy);

    /// @notice Emitted when a component's controller reported the outcome of an intent.
    event ControlResolved(uint64 indexed intentId, uint32 indexed componentId, bool executed, string reason);

    /// @notice Emitted when a controller recorded a status transition.
    event HealthChanged(uint32 indexed id, Status previousStatus, Status status, uint32 latencyMs);

    /// @notice Emitted when a controller recorded a liveness beat (the status is unchanged).
    event LivenessBeat(uint32 indexed id, Status status, uint32 latencyMs);

    /// @notice Emitted when a component's reporter recorded a signal (the message is not stored).
    event SignalRecorded(
        uint64 indexed signalId, uint32 indexed componentId, Severity indexed severity, string kind, string message
    );

    /// @notice Emitted when the minimum time between two liveness beats of a component changed.
    event BeatIntervalSet(uint32 previousInterval, uint32 interval);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when a component id is zero or was never registered.
    error UnknownComponent(uint32 id);
    /// @notice Thrown when a retired component is updated, retired again, controlled, reported on or signalled for.
    error ComponentIsRetired(uint32 id);
    /// @notice Thrown when a component name is empty or longer than `MAX_NAME_LENGTH` bytes.
    error InvalidNameLength(uint256 length);
    /// @notice Thrown when a health endpoint is empty or longer than `MAX_ENDPOINT_LENGTH` bytes.
    error InvalidEndpointLength(uint256 length);
    /// @notice Thrown when a signal kind is empty or longer than `MAX_SIGNAL_KIND_LENGTH` bytes.
    error InvalidSignalKindLength(uint256 length);
    /// @notice Thrown when a signal message is longer than `MAX_MESSAGE_LENGTH` bytes.
    error MessageTooLong(uint256 length);
    /// @notice Thrown when an outcome reason is longer than `MAX_REASON_LENGTH` bytes.
    error ReasonTooLong(uint256 length);
    /// @notice Thrown when a component kind is not one of `Kind`.
    error UnknownKind(uint8 kind);
    /// @notice Thrown when a status is not one of `Status`.
    error UnknownStatus(uint8 status);
    /// @notice Thrown when a control action is not one of `Action`.
    error UnknownAction(uint8 action);
    /// @notice Thrown when a signal severity is not one of `Severity`.
    error UnknownSeverity(uint8 severity);
    /// @notice Thrown when a component is registered or updated with the zero address as controller.
    error ZeroController();
    /// @notice Thrown when a component is registered or updated with the zero address as reporter.
    error ZeroReporter();
    /// @notice Thrown when someone other than a component's controller reports health, a beat or an outcome for it.
    error NotController(uint32 id, address caller);
    /// @notice Thrown when someone other than a component's reporter records a signal for it.
    error NotReporter(uint32 id, address caller);
    /// @notice Thrown when an intent id is zero or was never issued.
    error UnknownIntent(uint64 intentId);
    /// @notice Thrown when the outcome of an intent is reported a second time.
    error IntentAlreadyResolved(uint64 intentId);
    /// @notice Thrown when a control request names no component.
    error EmptyIdList();
    /// @notice Thrown when a control request for all components finds no component that is not retired.
    error NoActiveComponents();
    /// @notice Thrown when a controller reports the status a component already has.
    error StatusUnchanged(uint32 id, Status status);
    /// @notice Thrown when a liveness beat comes sooner than `beatInterval` after the previous one.
    error BeatTooSoon(uint32 id, uint256 nextAllowedAt);
    /// @notice Thrown when the beat interval is set to zero.
    error ZeroBeatInterval();

    // ---------------------------------------------------------------- functions

    /// @notice Registers a component (owner only); its status starts as UNKNOWN.
    function register(
        string calldata name,
        uint8 kind,
        string calldata endpoint,
        bool critical,
        address controller,
        address reporter
    ) external returns (uint32 id);

    /// @notice Replaces a component's description, controller and reporter (owner only); health is kept.
    function update(
        uint32 id,
        string calldata name,
        uint8 kind,
        string calldata endpoint,
        bool critical,
        address controller,
        address reporter
    ) external;

    /// @notice Retires a component for good (owner only).
    function retire(uint32 id) external;

    /// @notice Sets the minimum number of seconds between two liveness beats of a component (owner only).
    function setBeatInterval(uint32 interval) external;

    /// @notice Requests a control action for one component (owner only).
    function requestControl(uint32 id, uint8 action) external returns (uint64 intentId);

    /// @notice Requests a control action for each listed component, all or nothing (owner only).
    function requestControlMany(uint32[] calldata ids, uint8 action) external returns (uint64 firstIntentId);

    /// @notice Requests a control action for every component that is not retired (owner only).
    function requestControlAll(uint8 action) external returns (uint64 firstIntentId, uint256 count);

    /// @notice Reports the outcome of an intent, once, by the component's controller.
    function reportOutcome(uint64 intentId, bool executed, string calldata reason) external;

    /// @notice Records a status transition of a component, by its controller.
    function reportHealth(uint32 id, uint8 status, uint32 latencyMs) external;

    /// @notice Records a liveness beat of a component, by its controller, at most once per `beatInterval`.
    function beat(uint32 id, uint32 latencyMs) external;

    /// @notice Records a signal of a component, by its reporter.
    function signal(uint32 id, uint8 severity, string calldata kind, string calldata message)
        external
        returns (uint64 signalId);

    /// @notice Returns a component; reverts with `UnknownComponent` if it does not exist.
    function getComponent(uint32 id) external view returns (Component memory);

    /// @notice Returns an intent; reverts with `UnknownIntent` if it does not exist.
    function getIntent(uint64 intentId) external view returns (Intent memory);

    /// @notice Number of components ever registered (ids run from 1 to this number).
    function componentCount() external view returns (uint32);

    /// @notice Number of intents ever requested (ids run from 1 to this number).
    function intentCount() external view returns (uint64);

    /// @notice Number of signals ever recorded (ids run from 1 to this number).
    function signalCount() external view returns (uint64);

    /// @notice Minimum number of seconds between two liveness beats of a component.
    function beatInterval() external view returns (uint32);
}
