// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The ledger's safety switches, as GuardianAttestations uses them
/// @notice SovrLedger's `pause` (PAUSER_ROLE) and `freezeAccount` (FREEZER_ROLE). Their inverses are the
/// ledger admin's alone and are deliberately absent here.
interface ILedgerSafety {
    /// @notice Pauses every balance change on the ledger except voids and expiries.
    function pause() external;

    /// @notice Freezes an account: it then accepts only voids and expiries.
    function freezeAccount(uint128 id) external;
}

/// @title Types, events and errors of the SOVR guardian's attestations
/// @notice The guardian (an AI or rule-based analyzer on the host) records verdicts about indexed events;
/// the owner's policy decides which verdicts may freeze an account or pause the ledger, and the owner
/// acknowledges verdicts. The guardian can never move funds, grant roles, unpause or unfreeze.
interface IGuardianAttestations {
    /// @notice How severe a threat is.
    enum Level {
        LOW,
        MEDIUM,
        HIGH,
        CRITICAL
    }

    /// @notice What the analyzer recommends.
    enum Action {
        MONITOR,
        ALERT,
        BLOCK,
        EMERGENCY_SHUTDOWN
    }

    /// @notice Which rule refused an act.
    enum Refusal {
        /// @dev The verdict's action is not the one the act needs (BLOCK to freeze, EMERGENCY_SHUTDOWN to pause).
        ActionMismatch,
        /// @dev The policy does not let the guardian freeze accounts.
        FreezeNotAllowed,
        /// @dev The policy does not let the guardian pause the ledger.
        PauseNotAllowed,
        /// @dev The verdict's level is below the policy's minimum for the act.
        LevelBelowMinimum
    }

    /// @notice The owner's policy: what verdicts may do, and from which level on.
    struct Policy {
        bool mayFreezeOnBlock;
        Level minFreezeLevel;
        bool mayPauseOnEmergency;
        Level minPauseLevel;
    }

    /// @notice What is stored of a verdict, as returned by `getVerdict` (the rest is in `VerdictAttested`).
    struct Verdict {
        uint64 id;
        bytes32 subject;
        Level level;
        Action action;
        uint8 confidence;
        bool acknowledged;
        bool pausedLedger;
        uint48 attestedAt;
    }

    // ---------------------------------------------------------------- events

    /// @notice Emitted when the guardian attested a verdict.
    event VerdictAttested(
        uint64 indexed verdictId,
        bytes32 indexed subject,
        bytes32 indexed analyzer,
        Level level,
        Action action,
        bytes32 threatType,
        uint8 confidence,
        string summary
    );

    /// @notice Emitted when the owner set the policy.
    event PolicySet(bool mayFreezeOnBlock, Level minFreezeLevel, bool mayPauseOnEmergency, Level minPauseLevel);

    /// @notice Emitted when the guardian froze a ledger account on the strength of a verdict.
    event GuardianFroze(uint64 indexed verdictId, uint128 indexed accountId);

    /// @notice Emitted when the guardian paused the ledger on the strength of a verdict.
    event GuardianPaused(uint64 indexed verdictId);

    /// @notice Emitted when the owner acknowledged a verdict.
    event VerdictAcknowledged(uint64 indexed verdictId, address indexed by, string note);

    // ---------------------------------------------------------------- errors

    /// @notice Thrown when the ledger given at deployment is the zero address.
    error ZeroLedger();
    /// @notice Thrown when the guardian given at deployment is the zero address.
    error ZeroGuardian();
    /// @notice Thrown when a verdict id is zero or was never issued.
    error UnknownVerdict(uint64 verdictId);
    /// @notice Thrown when an analyzer attests a second verdict about the same subject.
    error VerdictExists(bytes32 subject, bytes32 analyzer, uint64 existingId);
    /// @notice Thrown when a verdict names no subject.
    error EmptySubject();
    /// @notice Thrown when a verdict names no analyzer.
    error EmptyAnalyzer();
    /// @notice Thrown when a level is not one of `Level`.
    error UnknownLevel(uint8 level);
    /// @notice Thrown when an action is not one of `Action`.
    error UnknownAction(uint8 action);
    /// @notice Thrown when a confidence is above `MAX_CONFIDENCE`.
    error ConfidenceTooHigh(uint8 confidence);
    /// @notice Thrown when a summary is empty or longer than `MAX_SUMMARY_LENGTH` bytes.
    error InvalidSummaryLength(uint256 length);
    /// @notice Thrown when an acknowledgement note is longer than `MAX_NOTE_LENGTH` bytes.
    error NoteTooLong(uint256 length);
    /// @notice Thrown when the verdict or the policy in force does not allow an act; `refusal` names the rule.
    error ActionNotAllowed(uint64 verdictId, Refusal refusal);
    /// @notice Thrown when a verdict already froze this account, or (with `accountId` 0) already paused the ledger.
    error AlreadyActed(uint64 verdictId, uint128 accountId);
    /// @notice Thrown when a verdict is acknowledged a second time.
    error AlreadyAcknowledged(uint64 verdictId);
    /// @notice Thrown when a bulk acknowledgement names no verdict.
    error NoVerdicts();

    // ---------------------------------------------------------------- functions

    /// @notice Records a verdict (GUARDIAN_ROLE); one per subject and analyzer.
    function attest(
        bytes32 subject,
        uint8 level,
        uint8 action,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer
    ) external returns (uint64 verdictId);

    /// @notice Freezes a ledger account on the strength of a BLOCK verdict, within the policy (GUARDIAN_ROLE).
    function freezeAccount(uint64 verdictId, uint128 accountId) external;

    /// @notice Pauses the ledger on the strength of an EMERGENCY_SHUTDOWN verdict, within the policy (GUARDIAN_ROLE).
    function pauseLedger(uint64 verdictId) external;

    /// @notice Records a verdict and freezes an account with it, all or nothing (GUARDIAN_ROLE).
    function attestAndFreeze(
        bytes32 subject,
        uint8 level,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer,
        uint128 accountId
    ) external returns (uint64 verdictId);

    /// @notice Records a verdict and pauses the ledger with it, all or nothing (GUARDIAN_ROLE).
    function attestAndPause(
        bytes32 subject,
        uint8 level,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer
    ) external returns (uint64 verdictId);

    /// @notice Sets the policy (owner only).
    function setPolicy(bool mayFreezeOnBlock, uint8 minFreezeLevel, bool mayPauseOnEmergency, uint8 minPauseLevel)
        external;

    /// @notice Acknowledges a verdict once, with an optional note (owner only).
    function acknowledge(uint64 verdictId, string calldata note) external;

    /// @notice Acknowledges several verdicts with one note, all or nothing, in one transaction (owner only).
    function acknowledgeMany(uint64[] calldata verdictIds, string calldata note) external;

    /// @notice Returns a verdict; reverts with `UnknownVerdict` if it does not exist.
    function getVerdict(uint64 verdictId) external view returns (Verdict memory);

    /// @notice Returns the id of the verdict about `subject` by `analyzer` (zero if none).
    function verdictIdOf(bytes32 subject, bytes32 analyzer) external view returns (uint64);

    /// @notice Number of verdicts ever attested (ids run from 1 to this number).
    function verdictCount() external view returns (uint64);

    /// @notice The policy in force.
    function policy() external view returns (Policy memory);

    /// @notice Whether verdict `verdictId` froze account `accountId`.
    function hasFrozen(uint64 verdictId, uint128 accountId) external view returns (bool);
}
