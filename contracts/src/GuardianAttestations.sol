// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IGuardianAttestations, ILedgerSafety} from "./interfaces/IGuardianAttestations.sol";
import {ISovrLedger} from "./interfaces/ISovrLedger.sol";

/// @title GuardianAttestations: the guardian's verdicts and the owner's policy
/// @notice The guardian records one verdict per subject and analyzer (so a worker's retries land exactly
/// once). A BLOCK verdict may freeze ledger accounts and an EMERGENCY_SHUTDOWN verdict may pause the
/// ledger, each only if the owner's policy in force allows it at the verdict's level; this contract holds
/// the ledger's FREEZER_ROLE and PAUSER_ROLE, the guardian holds no ledger role. Nothing here moves funds,
/// grants ledger roles, unpauses or unfreezes: those stay with the ledger's admin.
/// @dev Storage: per verdict two words (the subject; then level, action, confidence, acknowledged and
/// paused-ledger flags and attestation time packed); one word holding the verdict count and the policy;
/// the (subject, analyzer) -> verdict id index; and which accounts each verdict froze.
contract GuardianAttestations is IGuardianAttestations, AccessControlDefaultAdminRules {
    /// @notice May attest verdicts and act on them within the policy.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Highest confidence, in percent.
    uint8 public constant MAX_CONFIDENCE = 100;
    /// @notice Longest verdict summary, in bytes.
    uint256 public constant MAX_SUMMARY_LENGTH = 280;
    /// @notice Longest acknowledgement note, in bytes.
    uint256 public constant MAX_NOTE_LENGTH = 280;
    /// @dev `AlreadyActed` names this account id for a pause (ledger account ids are never zero).
    uint128 internal constant NO_ACCOUNT = 0;

    /// @notice A verdict as stored: the subject in its own word, everything acting and acknowledging need in another.
    struct VerdictRecord {
        bytes32 subject;
        Level level;
        Action action;
        uint8 confidence;
        bool acknowledged;
        bool pausedLedger;
        uint48 attestedAt;
    }

    /// @notice The ledger whose accounts may be frozen and which may be paused.
    ISovrLedger public immutable ledger;

    mapping(uint64 verdictId => VerdictRecord) internal _verdicts;
    mapping(bytes32 subject => mapping(bytes32 analyzer => uint64 verdictId)) internal _verdictIds;
    mapping(uint64 verdictId => mapping(uint128 accountId => bool)) internal _froze;

    // One word: the verdict count and the policy (default: nothing allowed).
    uint64 internal _verdictCount;
    bool internal _mayFreezeOnBlock;
    Level internal _minFreezeLevel;
    bool internal _mayPauseOnEmergency;
    Level internal _minPauseLevel;

    /// @dev The guardian key should be its own (the host's), not the owner's: the policy only binds a
    /// guardian that is not also the admin. This is documented rather than enforced, so a single-key
    /// development setup remains possible.
    /// @param ledger_ The ledger; this contract needs its FREEZER_ROLE and PAUSER_ROLE to act.
    /// @param admin The owner: holds DEFAULT_ADMIN_ROLE (sets the policy, acknowledges, manages GUARDIAN_ROLE).
    /// @param adminTransferDelay Seconds a started admin transfer must wait before it can be accepted.
    /// @param guardian The guardian worker's address (not zero); receives GUARDIAN_ROLE.
    constructor(ISovrLedger ledger_, address admin, uint48 adminTransferDelay, address guardian)
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        if (address(ledger_) == address(0)) revert ZeroLedger();
        if (guardian == address(0)) revert ZeroGuardian();
        ledger = ledger_;
        _grantRole(GUARDIAN_ROLE, guardian);
    }

    // ================================================================ guardian

    /// @inheritdoc IGuardianAttestations
    /// @param subject The indexed event the verdict judges (not zero).
    /// @param level A `Level`.
    /// @param action An `Action`.
    /// @param threatType A short label, such as "payment_anomaly".
    /// @param confidence 0 to `MAX_CONFIDENCE` percent.
    /// @param summary 1 to `MAX_SUMMARY_LENGTH` bytes; only in the event, never stored.
    /// @param analyzer The model name or rule set version that produced the verdict (not zero).
    /// @return verdictId The verdict's id (ids run from 1).
    function attest(
        bytes32 subject,
        uint8 level,
        uint8 action,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer
    ) external onlyRole(GUARDIAN_ROLE) returns (uint64 verdictId) {
        if (action > uint8(type(Action).max)) revert UnknownAction(action);
        verdictId = _attest(subject, level, Action(action), threatType, confidence, summary, analyzer);
    }

    /// @inheritdoc IGuardianAttestations
    /// @param verdictId A BLOCK verdict whose level is at least the policy's minimum freeze level.
    /// @param accountId The ledger account to freeze (once per verdict).
    function freezeAccount(uint64 verdictId, uint128 accountId) external onlyRole(GUARDIAN_ROLE) {
        _freeze(verdictId, accountId);
    }

    /// @inheritdoc IGuardianAttestations
    /// @param verdictId An EMERGENCY_SHUTDOWN verdict whose level is at least the policy's minimum pause level.
    function pauseLedger(uint64 verdictId) external onlyRole(GUARDIAN_ROLE) {
        _pauseLedger(verdictId);
    }

    /// @inheritdoc IGuardianAttestations
    /// @dev The verdict's action is BLOCK. Reverts entirely (no verdict recorded) if the policy forbids the freeze.
    /// @param subject The indexed event the verdict judges (not zero).
    /// @param level A `Level`.
    /// @param threatType A short label.
    /// @param confidence 0 to `MAX_CONFIDENCE` percent.
    /// @param summary 1 to `MAX_SUMMARY_LENGTH` bytes.
    /// @param analyzer The model name or rule set version (not zero).
    /// @param accountId The ledger account to freeze.
    /// @return verdictId The verdict's id.
    function attestAndFreeze(
        bytes32 subject,
        uint8 level,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer,
        uint128 accountId
    ) external onlyRole(GUARDIAN_ROLE) returns (uint64 verdictId) {
        verdictId = _attest(subject, level, Action.BLOCK, threatType, confidence, summary, analyzer);
        _freeze(verdictId, accountId);
    }

    /// @inheritdoc IGuardianAttestations
    /// @dev The verdict's action is EMERGENCY_SHUTDOWN. Reverts entirely if the policy forbids the pause.
    /// @param subject The indexed event the verdict judges (not zero).
    /// @param level A `Level`.
    /// @param threatType A short label.
    /// @param confidence 0 to `MAX_CONFIDENCE` percent.
    /// @param summary 1 to `MAX_SUMMARY_LENGTH` bytes.
    /// @param analyzer The model name or rule set version (not zero).
    /// @return verdictId The verdict's id.
    function attestAndPause(
        bytes32 subject,
        uint8 level,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer
    ) external onlyRole(GUARDIAN_ROLE) returns (uint64 verdictId) {
        verdictId = _attest(subject, level, Action.EMERGENCY_SHUTDOWN, threatType, confidence, summary, analyzer);
        _pauseLedger(verdictId);
    }

    // ================================================================ owner

    /// @inheritdoc IGuardianAttestations
    /// @dev Applies to every later act, including acts on verdicts attested before.
    /// @param mayFreezeOnBlock Whether BLOCK verdicts may freeze accounts.
    /// @param minFreezeLevel The lowest `Level` at which they may.
    /// @param mayPauseOnEmergency Whether EMERGENCY_SHUTDOWN verdicts may pause the ledger.
    /// @param minPauseLevel The lowest `Level` at which they may.
    function setPolicy(bool mayFreezeOnBlock, uint8 minFreezeLevel, bool mayPauseOnEmergency, uint8 minPauseLevel)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        _checkLevel(minFreezeLevel);
        _checkLevel(minPauseLevel);
        _mayFreezeOnBlock = mayFreezeOnBlock;
        _minFreezeLevel = Level(minFreezeLevel);
        _mayPauseOnEmergency = mayPauseOnEmergency;
        _minPauseLevel = Level(minPauseLevel);
        emit PolicySet(mayFreezeOnBlock, Level(minFreezeLevel), mayPauseOnEmergency, Level(minPauseLevel));
    }

    /// @inheritdoc IGuardianAttestations
    /// @param verdictId The verdict.
    /// @param note 0 to `MAX_NOTE_LENGTH` bytes; only in the event, never stored.
    function acknowledge(uint64 verdictId, string calldata note) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (bytes(note).length > MAX_NOTE_LENGTH) revert NoteTooLong(bytes(note).length);
        _acknowledge(verdictId, note);
    }

    /// @inheritdoc IGuardianAttestations
    /// @param verdictIds At least one verdict, each not yet acknowledged and named once.
    /// @param note 0 to `MAX_NOTE_LENGTH` bytes, the same for every verdict; only in the events.
    function acknowledgeMany(uint64[] calldata verdictIds, string calldata note) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (verdictIds.length == 0) revert NoVerdicts();
        if (bytes(note).length > MAX_NOTE_LENGTH) revert NoteTooLong(bytes(note).length);
        for (uint256 i; i < verdictIds.length; ++i) {
            _acknowledge(verdictIds[i], note);
        }
    }

    /// @dev Marks one verdict acknowledged; a second time (also within one `acknowledgeMany`) reverts.
    function _acknowledge(uint64 verdictId, string calldata note) private {
        VerdictRecord storage verdict = _existing(verdictId);
        if (verdict.acknowledged) revert AlreadyAcknowledged(verdictId);
        verdict.acknowledged = true;
        emit VerdictAcknowledged(verdictId, msg.sender, note);
    }

    // ================================================================ views

    /// @inheritdoc IGuardianAttestations
    /// @param verdictId The verdict.
    function getVerdict(uint64 verdictId) external view returns (Verdict memory) {
        VerdictRecord storage record = _existing(verdictId);
        return Verdict({
            id: verdictId,
            subject: record.subject,
            level: record.level,
            action: record.action,
            confidence: record.confidence,
            acknowledged: record.acknowledged,
            pausedLedger: record.pausedLedger,
            attestedAt: record.attestedAt
        });
    }

    /// @inheritdoc IGuardianAttestations
    /// @param subject The judged event.
    /// @param analyzer The analyzer.
    function verdictIdOf(bytes32 subject, bytes32 analyzer) external view returns (uint64) {
        return _verdictIds[subject][analyzer];
    }

    /// @inheritdoc IGuardianAttestations
    function verdictCount() external view returns (uint64) {
        return _verdictCount;
    }

    /// @inheritdoc IGuardianAttestations
    function policy() external view returns (Policy memory) {
        return Policy({
            mayFreezeOnBlock: _mayFreezeOnBlock,
            minFreezeLevel: _minFreezeLevel,
            mayPauseOnEmergency: _mayPauseOnEmergency,
            minPauseLevel: _minPauseLevel
        });
    }

    /// @inheritdoc IGuardianAttestations
    /// @param verdictId The verdict.
    /// @param accountId The ledger account.
    function hasFrozen(uint64 verdictId, uint128 accountId) external view returns (bool) {
        return _froze[verdictId][accountId];
    }

    // ================================================================ internal

    /// @dev Checks and records a verdict, once per (subject, analyzer); emits `VerdictAttested`.
    function _attest(
        bytes32 subject,
        uint8 level,
        Action action,
        bytes32 threatType,
        uint8 confidence,
        string calldata summary,
        bytes32 analyzer
    ) internal returns (uint64 verdictId) {
        if (subject == bytes32(0)) revert EmptySubject();
        if (analyzer == bytes32(0)) revert EmptyAnalyzer();
        _checkLevel(level);
        if (confidence > MAX_CONFIDENCE) revert ConfidenceTooHigh(confidence);
        uint256 summaryLength = bytes(summary).length;
        if (summaryLength == 0 || summaryLength > MAX_SUMMARY_LENGTH) revert InvalidSummaryLength(summaryLength);
        uint64 existing = _verdictIds[subject][analyzer];
        if (existing != 0) revert VerdictExists(subject, analyzer, existing);

        verdictId = ++_verdictCount;
        _verdictIds[subject][analyzer] = verdictId;
        _verdicts[verdictId] = VerdictRecord({
            subject: subject,
            level: Level(level),
            action: action,
            confidence: confidence,
            acknowledged: false,
            pausedLedger: false,
            attestedAt: Time.timestamp()
        });
        emit VerdictAttested(verdictId, subject, analyzer, Level(level), action, threatType, confidence, summary);
    }

    /// @dev Freezes `accountId` on the ledger if the policy allows it for this verdict (effects, then the call).
    function _freeze(uint64 verdictId, uint128 accountId) internal {
        VerdictRecord storage verdict = _existing(verdictId);
        if (verdict.action != Action.BLOCK) revert ActionNotAllowed(verdictId, Refusal.ActionMismatch);
        if (!_mayFreezeOnBlock) revert ActionNotAllowed(verdictId, Refusal.FreezeNotAllowed);
        if (verdict.level < _minFreezeLevel) revert ActionNotAllowed(verdictId, Refusal.LevelBelowMinimum);
        if (_froze[verdictId][accountId]) revert AlreadyActed(verdictId, accountId);
        _froze[verdictId][accountId] = true;
        emit GuardianFroze(verdictId, accountId);
        ILedgerSafety(address(ledger)).freezeAccount(accountId);
    }

    /// @dev Pauses the ledger if the policy allows it for this verdict (effects, then the call).
    function _pauseLedger(uint64 verdictId) internal {
        VerdictRecord storage verdict = _existing(verdictId);
        if (verdict.action != Action.EMERGENCY_SHUTDOWN) revert ActionNotAllowed(verdictId, Refusal.ActionMismatch);
        if (!_mayPauseOnEmergency) revert ActionNotAllowed(verdictId, Refusal.PauseNotAllowed);
        if (verdict.level < _minPauseLevel) revert ActionNotAllowed(verdictId, Refusal.LevelBelowMinimum);
        if (verdict.pausedLedger) revert AlreadyActed(verdictId, NO_ACCOUNT);
        verdict.pausedLedger = true;
        emit GuardianPaused(verdictId);
        ILedgerSafety(address(ledger)).pause();
    }

    /// @dev The stored verdict; reverts with `UnknownVerdict` if there is none.
    function _existing(uint64 verdictId) internal view returns (VerdictRecord storage verdict) {
        if (verdictId == 0 || verdictId > _verdictCount) revert UnknownVerdict(verdictId);
        verdict = _verdicts[verdictId];
    }

    /// @dev Reverts unless `level` is a `Level`.
    function _checkLevel(uint8 level) internal pure {
        if (level > uint8(type(Level).max)) revert UnknownLevel(level);
    }
}
