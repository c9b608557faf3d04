// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {CommonBase} from "forge-std/Base.sol";
// solhint-disable-next-line import-path-check
import {StdUtils} from "forge-std/StdUtils.sol";

import {ComponentRegistry} from "../../src/ComponentRegistry.sol";
import {GuardianAttestations} from "../../src/GuardianAttestations.sol";
import {IComponentRegistry} from "../../src/interfaces/IComponentRegistry.sol";
import {IGuardianAttestations} from "../../src/interfaces/IGuardianAttestations.sol";
import {SovrLedger} from "../../src/SovrLedger.sol";

/// @notice Drives random sequences of registry and guardian operations from the right and the wrong callers,
/// and keeps an exact model of what each call must do: every call must succeed exactly when the model says
/// so (`mismatches` counts the calls that did not), and the model, not the contracts, is what the invariants
/// compare the contracts' state against.
contract RegistryHandler is CommonBase, StdUtils {
    uint256 internal constant MAX_COMPONENTS = 10;
    uint256 internal constant ACCOUNTS = 3;
    uint256 internal constant SUBJECTS = 8;
    uint8 internal constant KINDS = 8;
    uint8 internal constant STATUSES = 5;
    uint8 internal constant ACTIONS = 3;
    uint8 internal constant SEVERITIES = 4;
    uint8 internal constant LEVELS = 4;
    uint8 internal constant VERDICT_ACTIONS = 4;
    uint8 internal constant BLOCK = uint8(IGuardianAttestations.Action.BLOCK);
    uint8 internal constant EMERGENCY = uint8(IGuardianAttestations.Action.EMERGENCY_SHUTDOWN);
    uint8 internal constant PENDING = uint8(IComponentRegistry.IntentStatus.Pending);

    struct GhostComponent {
        address controller;
        address reporter;
        uint8 status;
        uint32 latency;
        uint48 changedAt;
        uint48 beatAt;
        bool retired;
    }

    struct GhostIntent {
        uint32 componentId;
        uint8 action;
        uint8 status;
        uint48 requestedAt;
        uint48 resolvedAt;
        uint256 resolutions;
    }

    struct GhostVerdict {
        bytes32 subject;
        bytes32 analyzer;
        uint8 level;
        uint8 action;
        bool acknowledged;
        bool pausedLedger;
    }

    /// @notice The owner's policy in force.
    struct GhostPolicy {
        bool mayFreeze;
        uint8 minFreeze;
        bool mayPause;
        uint8 minPause;
    }

    /// @notice What justified the ledger's pause or an account's freeze: the verdict and the policy in force.
    struct Justification {
        uint64 verdictId;
        uint8 verdictAction;
        uint8 verdictLevel;
        bool policyAllowed;
        uint8 policyMinLevel;
    }

    ComponentRegistry public immutable registry;
    GuardianAttestations public immutable attestations;
    SovrLedger public immutable ledger;
    address public immutable owner;
    address public immutable guardian;
    address public immutable controllerA;
    address public immutable controllerB;
    address public immutable reporterA;
    address public immutable reporterB;
    address public immutable stranger;

    uint128[ACCOUNTS] public accounts;

    mapping(uint32 id => GhostComponent) internal _components;
    uint32 public componentCount;
    GhostIntent[] internal _intents;
    uint64 public signalCount;
    uint32 public beatInterval = 300;

    GhostVerdict[] internal _verdicts;
    mapping(bytes32 subject => mapping(bytes32 analyzer => uint256 attests)) public attestsPerKey;
    mapping(uint64 verdictId => mapping(uint128 accountId => bool)) internal _froze;
    GhostPolicy internal _policy;

    /// @dev Set while the ledger is paused (its verdict id is then not zero).
    Justification internal _pauseJustification;
    mapping(uint128 accountId => bool) public frozen;
    mapping(uint128 accountId => Justification) internal _freezeJustification;

    /// @notice Calls whose success or failure differed from the model, and the last one's name.
    uint256 public mismatches;
    string public lastMismatch;

    constructor(
        ComponentRegistry registry_,
        GuardianAttestations attestations_,
        SovrLedger ledger_,
        address owner_,
        address guardian_,
        uint128[ACCOUNTS] memory accounts_
    ) {
        registry = registry_;
        attestations = attestations_;
        ledger = ledger_;
        owner = owner_;
        guardian = guardian_;
        controllerA = address(0xC0A);
        controllerB = address(0xC0B);
        reporterA = address(0xA0A);
        reporterB = address(0xA0B);
        stranger = address(0x5757);
        accounts = accounts_;
    }

    // ================================================================ registry: owner

    function register(uint256 seed, uint8 kind, bool critical, uint256 callerSeed) external {
        if (componentCount >= MAX_COMPONENTS) return;
        kind = uint8(bound(kind, 0, KINDS)); // KINDS itself is unknown
        address caller = _ownerMostly(callerSeed);
        address ctl = seed % 2 == 0 ? controllerA : controllerB;
        address rep = (seed >> 1) % 2 == 0 ? reporterA : reporterB;
        bool expected = caller == owner && kind < KINDS;
        vm.prank(caller);
        try registry.register("component", kind, "http://127.0.0.1/health", critical, ctl, rep) returns (uint32 id) {
            _outcome("register", true, expected);
            componentCount++;
            if (id != componentCount) _mismatch("register: id");
            _components[id] = GhostComponent(ctl, rep, 0, 0, uint48(block.timestamp), 0, false);
        } catch {
            _outcome("register", false, expected);
        }
    }

    function update(uint256 idSeed, uint256 seed, uint256 callerSeed) external {
        uint32 id = _componentId(idSeed);
        address caller = _ownerMostly(callerSeed);
        address ctl = seed % 2 == 0 ? controllerA : controllerB;
        address rep = (seed >> 1) % 2 == 0 ? reporterA : reporterB;
        bool expected = caller == owner && _live(id);
        vm.prank(caller);
        try registry.update(id, "renamed", 1, "http://127.0.0.1/h", false, ctl, rep) {
            _outcome("update", true, expected);
            _components[id].controller = ctl;
            _components[id].reporter = rep;
        } catch {
            _outcome("update", false, expected);
        }
    }

    function retire(uint256 idSeed, uint256 callerSeed) external {
        if (idSeed % 3 != 0) return; // retire one call in three, or the components run out
        uint32 id = _componentId(idSeed / 3);
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && _live(id);
        vm.prank(caller);
        try registry.retire(id) {
            _outcome("retire", true, expected);
            _components[id].retired = true;
        } catch {
            _outcome("retire", false, expected);
        }
    }

    function setBeatInterval(uint32 interval, uint256 callerSeed) external {
        interval = uint32(bound(interval, 0, 600));
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && interval != 0;
        vm.prank(caller);
        try registry.setBeatInterval(interval) {
            _outcome("setBeatInterval", true, expected);
            beatInterval = interval;
        } catch {
            _outcome("setBeatInterval", false, expected);
        }
    }

    function requestControl(uint256 idSeed, uint8 action, uint256 callerSeed) external {
        uint32 id = _componentId(idSeed);
        action = uint8(bound(action, 0, ACTIONS));
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && action < ACTIONS && _live(id);
        vm.prank(caller);
        try registry.requestControl(id, action) returns (uint64 intentId) {
            _outcome("requestControl", true, expected);
            _newIntent(intentId, id, action);
        } catch {
            _outcome("requestControl", false, expected);
        }
    }

    function requestControlMany(uint256 idSeedA, uint256 idSeedB, uint8 action, uint256 callerSeed) external {
        uint32[] memory ids = new uint32[](idSeedA % 3); // 0, 1 or 2 ids
        if (ids.length > 0) ids[0] = _componentId(idSeedA >> 2);
        if (ids.length > 1) ids[1] = _componentId(idSeedB);
        action = uint8(bound(action, 0, ACTIONS));
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && action < ACTIONS && ids.length > 0;
        for (uint256 i = 0; i < ids.length; ++i) {
            expected = expected && _live(ids[i]);
        }
        vm.prank(caller);
        try registry.requestControlMany(ids, action) returns (uint64 first) {
            _outcome("requestControlMany", true, expected);
            for (uint256 i = 0; i < ids.length; ++i) {
                _newIntent(first + uint64(i), ids[i], action);
            }
        } catch {
            _outcome("requestControlMany", false, expected);
        }
    }

    function requestControlAll(uint8 action, uint256 callerSeed) external {
        action = uint8(bound(action, 0, ACTIONS));
        address caller = _ownerMostly(callerSeed);
        uint256 live;
        for (uint32 id = 1; id <= componentCount; ++id) {
            if (!_components[id].retired) ++live;
        }
        bool expected = caller == owner && action < ACTIONS && live > 0;
        vm.prank(caller);
        try registry.requestControlAll(action) returns (uint64 first, uint256 count) {
            _outcome("requestControlAll", true, expected);
            if (count != live) _mismatch("requestControlAll: count");
            uint64 next = first;
            for (uint32 id = 1; id <= componentCount; ++id) {
                if (!_components[id].retired) _newIntent(next++, id, action);
            }
        } catch {
            _outcome("requestControlAll", false, expected);
        }
    }

    // ================================================================ registry: controllers and reporters

    function reportOutcome(uint256 intentSeed, bool executed, uint256 callerSeed) external {
        uint64 intentId = uint64(intentSeed % (_intents.length + 2)); // includes 0 and an unknown id
        bool exists = intentId != 0 && intentId <= _intents.length;
        uint32 id = exists ? _intents[intentId - 1].componentId : 0;
        address caller = _controllerMostly(callerSeed, id);
        bool expected = exists && caller == _components[id].controller && _intents[intentId - 1].status == PENDING;
        vm.prank(caller);
        try registry.reportOutcome(intentId, executed, "done") {
            _outcome("reportOutcome", true, expected);
            GhostIntent storage intent = _intents[intentId - 1];
            intent.status = executed
                ? uint8(IComponentRegistry.IntentStatus.Executed)
                : uint8(IComponentRegistry.IntentStatus.Failed);
            intent.resolvedAt = uint48(block.timestamp);
            intent.resolutions++;
        } catch {
            _outcome("reportOutcome", false, expected);
        }
    }

    function reportHealth(uint256 idSeed, uint8 status, uint32 latency, uint256 callerSeed) external {
        uint32 id = _componentId(idSeed);
        status = uint8(bound(status, 0, STATUSES));
        address caller = _controllerMostly(callerSeed, id);
        GhostComponent storage c = _components[id];
        bool expected = status < STATUSES && _live(id) && caller == c.controller && status != c.status;
        vm.prank(caller);
        try registry.reportHealth(id, status, latency) {
            _outcome("reportHealth", true, expected);
            // The model moves only on a report it allows: any other change shows as a divergence too.
            if (!expected) return;
            c.status = status;
            c.latency = latency;
            c.changedAt = uint48(block.timestamp);
        } catch {
            _outcome("reportHealth", false, expected);
        }
    }

    function beat(uint256 idSeed, uint32 latency, uint256 callerSeed) external {
        uint32 id = _componentId(idSeed);
        address caller = _controllerMostly(callerSeed, id);
        GhostComponent storage c = _components[id];
        bool due = c.beatAt == 0 || block.timestamp >= uint256(c.beatAt) + beatInterval;
        bool expected = _live(id) && caller == c.controller && due;
        vm.prank(caller);
        try registry.beat(id, latency) {
            _outcome("beat", true, expected);
            if (!expected) return;
            c.beatAt = uint48(block.timestamp);
            c.latency = latency;
        } catch {
            _outcome("beat", false, expected);
        }
    }

    function signal(uint256 idSeed, uint8 severity, uint256 callerSeed) external {
        uint32 id = _componentId(idSeed);
        severity = uint8(bound(severity, 0, SEVERITIES));
        address caller = _reporterMostly(callerSeed, id);
        bool expected = severity < SEVERITIES && _live(id) && caller == _components[id].reporter;
        vm.prank(caller);
        try registry.signal(id, severity, "auth_failure", "m") returns (uint64 signalId) {
            _outcome("signal", true, expected);
            if (signalId != ++signalCount) _mismatch("signal: id");
        } catch {
            _outcome("signal", false, expected);
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 900));
    }

    // ================================================================ guardian

    function attest(uint256 keySeed, uint8 level, uint8 action, uint256 callerSeed) external {
        (bytes32 subject, bytes32 analyzer) = _key(keySeed);
        level = uint8(bound(level, 0, LEVELS));
        action = uint8(bound(action, 0, VERDICT_ACTIONS));
        address caller = _guardianMostly(callerSeed);
        bool expected =
            caller == guardian && level < LEVELS && action < VERDICT_ACTIONS && attestsPerKey[subject][analyzer] == 0;
        vm.prank(caller);
        try attestations.attest(subject, level, action, "threat", 50, "summary", analyzer) returns (uint64 verdictId) {
            _outcome("attest", true, expected);
            _newVerdict(verdictId, subject, analyzer, level, action);
        } catch {
            _outcome("attest", false, expected);
        }
    }

    function freezeAccount(uint256 verdictSeed, uint256 accountSeed, uint256 callerSeed) external {
        uint64 verdictId = _verdictId(verdictSeed);
        uint128 account = accounts[accountSeed % ACCOUNTS];
        address caller = _guardianMostly(callerSeed);
        bool expected =
            caller == guardian && _mayFreezeWith(verdictId) && !_froze[verdictId][account] && !frozen[account];
        vm.prank(caller);
        try attestations.freezeAccount(verdictId, account) {
            _outcome("freezeAccount", true, expected);
            _recordFreeze(verdictId, account);
        } catch {
            _outcome("freezeAccount", false, expected);
        }
    }

    function pauseLedger(uint256 verdictSeed, uint256 callerSeed) external {
        uint64 verdictId = _verdictId(verdictSeed);
        address caller = _guardianMostly(callerSeed);
        bool expected = caller == guardian && _mayPauseWith(verdictId) && !_verdicts[_index(verdictId)].pausedLedger
            && !paused();
        vm.prank(caller);
        try attestations.pauseLedger(verdictId) {
            _outcome("pauseLedger", true, expected);
            _recordPause(verdictId);
        } catch {
            _outcome("pauseLedger", false, expected);
        }
    }

    function attestAndFreeze(uint256 keySeed, uint8 level, uint256 accountSeed, uint256 callerSeed) external {
        (bytes32 subject, bytes32 analyzer) = _key(keySeed);
        level = uint8(bound(level, 0, LEVELS - 1));
        uint128 account = accounts[accountSeed % ACCOUNTS];
        address caller = _guardianMostly(callerSeed);
        bool expected = caller == guardian && attestsPerKey[subject][analyzer] == 0 && _policy.mayFreeze
            && level >= _policy.minFreeze && !frozen[account];
        vm.prank(caller);
        try attestations.attestAndFreeze(subject, level, "threat", 90, "summary", analyzer, account) returns (
            uint64 verdictId
        ) {
            _outcome("attestAndFreeze", true, expected);
            _newVerdict(verdictId, subject, analyzer, level, BLOCK);
            _recordFreeze(verdictId, account);
        } catch {
            _outcome("attestAndFreeze", false, expected);
        }
    }

    function attestAndPause(uint256 keySeed, uint8 level, uint256 callerSeed) external {
        (bytes32 subject, bytes32 analyzer) = _key(keySeed);
        level = uint8(bound(level, 0, LEVELS - 1));
        address caller = _guardianMostly(callerSeed);
        bool expected = caller == guardian && attestsPerKey[subject][analyzer] == 0 && _policy.mayPause
            && level >= _policy.minPause && !paused();
        vm.prank(caller);
        try attestations.attestAndPause(subject, level, "threat", 90, "summary", analyzer) returns (uint64 verdictId) {
            _outcome("attestAndPause", true, expected);
            _newVerdict(verdictId, subject, analyzer, level, EMERGENCY);
            _recordPause(verdictId);
        } catch {
            _outcome("attestAndPause", false, expected);
        }
    }

    // ================================================================ owner: policy, acknowledgements, ledger

    function setPolicy(bool mayFreeze_, uint8 minFreeze_, bool mayPause_, uint8 minPause_, uint256 callerSeed)
        external
    {
        minFreeze_ = uint8(bound(minFreeze_, 0, LEVELS));
        minPause_ = uint8(bound(minPause_, 0, LEVELS - 1));
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && minFreeze_ < LEVELS;
        vm.prank(caller);
        try attestations.setPolicy(mayFreeze_, minFreeze_, mayPause_, minPause_) {
            _outcome("setPolicy", true, expected);
            _policy = GhostPolicy(mayFreeze_, minFreeze_, mayPause_, minPause_);
        } catch {
            _outcome("setPolicy", false, expected);
        }
    }

    function acknowledge(uint256 verdictSeed, uint256 callerSeed) external {
        uint64 verdictId = _verdictId(verdictSeed);
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && _verdictExists(verdictId) && !_verdicts[_index(verdictId)].acknowledged;
        vm.prank(caller);
        try attestations.acknowledge(verdictId, "ok") {
            _outcome("acknowledge", true, expected);
            _verdicts[verdictId - 1].acknowledged = true;
        } catch {
            _outcome("acknowledge", false, expected);
        }
    }

    /// @dev Two verdicts at once (possibly the same one twice): all acknowledged, or none.
    function acknowledgeMany(uint256 firstSeed, uint256 secondSeed, uint256 callerSeed) external {
        uint64[] memory ids = new uint64[](2);
        ids[0] = _verdictId(firstSeed);
        ids[1] = _verdictId(secondSeed);
        address caller = _ownerMostly(callerSeed);
        bool expected = caller == owner && ids[0] != ids[1];
        for (uint256 i; i < 2; ++i) {
            expected = expected && _verdictExists(ids[i]) && !_verdicts[_index(ids[i])].acknowledged;
        }
        vm.prank(caller);
        try attestations.acknowledgeMany(ids, "ok") {
            _outcome("acknowledgeMany", true, expected);
            _verdicts[ids[0] - 1].acknowledged = true;
            _verdicts[ids[1] - 1].acknowledged = true;
        } catch {
            _outcome("acknowledgeMany", false, expected);
        }
    }

    function ownerUnpause() external {
        bool expected = paused();
        vm.prank(owner);
        try ledger.unpause() {
            _outcome("unpause", true, expected);
            delete _pauseJustification;
        } catch {
            _outcome("unpause", false, expected);
        }
    }

    function ownerUnfreeze(uint256 accountSeed) external {
        uint128 account = accounts[accountSeed % ACCOUNTS];
        bool expected = frozen[account];
        vm.prank(owner);
        try ledger.unfreezeAccount(account) {
            _outcome("unfreeze", true, expected);
            frozen[account] = false;
            delete _freezeJustification[account];
        } catch {
            _outcome("unfreeze", false, expected);
        }
    }

    /// @notice Anyone but the attestations contract trying the ledger's switches (and their inverses) directly.
    function directLedgerCall(uint256 callerSeed, uint256 which, uint256 accountSeed) external {
        address[5] memory callers = [guardian, owner, controllerA, reporterA, stranger];
        address caller = callers[callerSeed % callers.length];
        uint128 account = accounts[accountSeed % ACCOUNTS];
        which %= 4;
        vm.prank(caller);
        if (which == 0) {
            try ledger.pause() {
                _outcome("direct pause", true, false);
            } catch {}
        } else if (which == 1) {
            try ledger.freezeAccount(account) {
                _outcome("direct freeze", true, false);
            } catch {}
        } else if (which == 2) {
            bool expected = caller == owner && paused();
            try ledger.unpause() {
                _outcome("direct unpause", true, expected);
                delete _pauseJustification;
            } catch {
                _outcome("direct unpause", false, expected);
            }
        } else {
            bool expected = caller == owner && frozen[account];
            try ledger.unfreezeAccount(account) {
                _outcome("direct unfreeze", true, expected);
                frozen[account] = false;
                delete _freezeJustification[account];
            } catch {
                _outcome("direct unfreeze", false, expected);
            }
        }
    }

    // ================================================================ model views for the invariants

    function intentCount() external view returns (uint256) {
        return _intents.length;
    }

    function ghostIntent(uint64 intentId) external view returns (GhostIntent memory) {
        return _intents[intentId - 1];
    }

    function ghostComponent(uint32 id) external view returns (GhostComponent memory) {
        return _components[id];
    }

    function verdictCount() external view returns (uint256) {
        return _verdicts.length;
    }

    function ghostVerdict(uint64 verdictId) external view returns (GhostVerdict memory) {
        return _verdicts[verdictId - 1];
    }

    function paused() public view returns (bool) {
        return _pauseJustification.verdictId != 0;
    }

    function pauseJustification() external view returns (Justification memory) {
        return _pauseJustification;
    }

    function freezeJustification(uint128 account) external view returns (Justification memory) {
        return _freezeJustification[account];
    }

    // ================================================================ internal

    function _outcome(string memory action, bool succeeded, bool expected) internal {
        if (succeeded != expected) {
            _mismatch(string.concat(action, succeeded ? ": succeeded unexpectedly" : ": failed unexpectedly"));
        }
    }

    function _mismatch(string memory what) internal {
        mismatches++;
        lastMismatch = what;
    }

    function _newIntent(uint64 intentId, uint32 id, uint8 action) internal {
        if (intentId != _intents.length + 1) _mismatch("intent id");
        _intents.push(GhostIntent(id, action, PENDING, uint48(block.timestamp), 0, 0));
    }

    function _newVerdict(uint64 verdictId, bytes32 subject, bytes32 analyzer, uint8 level, uint8 action) internal {
        if (verdictId != _verdicts.length + 1) _mismatch("verdict id");
        attestsPerKey[subject][analyzer]++;
        _verdicts.push(GhostVerdict(subject, analyzer, level, action, false, false));
    }

    function _recordFreeze(uint64 verdictId, uint128 account) internal {
        GhostVerdict memory v = _verdicts[verdictId - 1];
        _froze[verdictId][account] = true;
        frozen[account] = true;
        _freezeJustification[account] =
            Justification(verdictId, v.action, v.level, _policy.mayFreeze, _policy.minFreeze);
    }

    function _recordPause(uint64 verdictId) internal {
        GhostVerdict storage v = _verdicts[verdictId - 1];
        v.pausedLedger = true;
        _pauseJustification = Justification(verdictId, v.action, v.level, _policy.mayPause, _policy.minPause);
    }

    function _mayFreezeWith(uint64 verdictId) internal view returns (bool) {
        if (!_verdictExists(verdictId)) return false;
        GhostVerdict storage v = _verdicts[verdictId - 1];
        return v.action == BLOCK && _policy.mayFreeze && v.level >= _policy.minFreeze;
    }

    function _mayPauseWith(uint64 verdictId) internal view returns (bool) {
        if (!_verdictExists(verdictId)) return false;
        GhostVerdict storage v = _verdicts[verdictId - 1];
        return v.action == EMERGENCY && _policy.mayPause && v.level >= _policy.minPause;
    }

    function _verdictExists(uint64 verdictId) internal view returns (bool) {
        return verdictId != 0 && verdictId <= _verdicts.length;
    }

    /// @dev Index into `_verdicts` for a verdict that may not exist (callers check existence first).
    function _index(uint64 verdictId) internal view returns (uint256) {
        return _verdictExists(verdictId) ? verdictId - 1 : 0;
    }

    function _live(uint32 id) internal view returns (bool) {
        return id != 0 && id <= componentCount && !_components[id].retired;
    }

    /// @dev Mostly registered ids, sometimes 0 or one past the last.
    function _componentId(uint256 seed) internal view returns (uint32) {
        return uint32(seed % (uint256(componentCount) + 2));
    }

    function _verdictId(uint256 seed) internal view returns (uint64) {
        return uint64(seed % (_verdicts.length + 2));
    }

    function _key(uint256 seed) internal pure returns (bytes32 subject, bytes32 analyzer) {
        subject = bytes32(seed % SUBJECTS + 1);
        analyzer = (seed / SUBJECTS) % 2 == 0 ? bytes32("rules/1") : bytes32("model/a");
    }

    function _ownerMostly(uint256 seed) internal view returns (address) {
        address[4] memory others = [guardian, controllerA, reporterB, stranger];
        return seed % 5 == 0 ? others[(seed / 5) % 4] : owner;
    }

    function _guardianMostly(uint256 seed) internal view returns (address) {
        address[4] memory others = [owner, controllerB, reporterA, stranger];
        return seed % 5 == 0 ? others[(seed / 5) % 4] : guardian;
    }

    function _controllerMostly(uint256 seed, uint32 id) internal view returns (address) {
        address own = _components[id].controller;
        if (own == address(0)) own = controllerA;
        address[6] memory others = [controllerA, controllerB, owner, guardian, reporterA, stranger];
        return seed % 3 != 0 ? own : others[(seed / 3) % 6];
    }

    function _reporterMostly(uint256 seed, uint32 id) internal view returns (address) {
        address own = _components[id].reporter;
        if (own == address(0)) own = reporterA;
        address[6] memory others = [reporterA, reporterB, controllerA, owner, guardian, stranger];
        return seed % 3 != 0 ? own : others[(seed / 3) % 6];
    }
}
