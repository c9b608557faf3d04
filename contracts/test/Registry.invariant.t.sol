// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ComponentRegistry} from "../src/ComponentRegistry.sol";
import {GuardianAttestations} from "../src/GuardianAttestations.sol";
import {IComponentRegistry} from "../src/interfaces/IComponentRegistry.sol";
import {IGuardianAttestations} from "../src/interfaces/IGuardianAttestations.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {SovrLedger} from "../src/SovrLedger.sol";
import {RegistryHandler} from "./utils/RegistryHandler.sol";
/// @notice Invariants of ComponentRegistry and GuardianAttestations on the real SovrLedger, wired as deployed.
contract RegistryInvariantTest is Test {
    RegistryHandler internal handler;
    ComponentRegistry internal registry;
    GuardianAttestations internal attestations;
    SovrLedger internal ledger;

    function setUp() public {
        vm.warp(1_700_000_000);
        address owner = makeAddr("owner");
        address guardian = makeAddr("guardian");
        ledger = new SovrLedger(owner, 0);
        registry = new ComponentRegistry(owner, 0);
        attestations = new GuardianAttestations(ISovrLedger(address(ledger)), owner, 0, guardian);
        bytes32 pauser = ledger.PAUSER_ROLE();
        bytes32 freezer = ledger.FREEZER_ROLE();
        vm.startPrank(owner);
        ledger.grantRole(pauser, address(attestations));
        ledger.grantRole(freezer, address(attestations));
        vm.stopPrank();
        uint128[3] memory accounts = [
            ledger.openPrimaryAccount(makeAddr("alice")),
            ledger.openPrimaryAccount(makeAddr("bob")),
            ledger.openPrimaryAccount(makeAddr("carol"))
        ];
        handler = new RegistryHandler(registry, attestations, ledger, owner, guardian, accounts);
        // Start each sequence with three components (both controllers, both reporters) and two verdicts,
        // made through the handler so that its model holds them, so that short sequences reach every path.
        handler.register(0, uint8(IComponentRegistry.Kind.CORE_BACKEND), true, 1);
        handler.register(1, uint8(IComponentRegistry.Kind.BLOCKCHAIN), true, 1);
        handler.register(2, uint8(IComponentRegistry.Kind.WEB_DASHBOARD), false, 1);
        handler.attest(0, uint8(IGuardianAttestations.Level.HIGH), uint8(IGuardianAttestations.Action.BLOCK), 1);
        handler.attest(
            1, uint8(IGuardianAttestations.Level.CRITICAL), uint8(IGuardianAttestations.Action.EMERGENCY_SHUTDOWN), 1
        );
        assertEq(handler.componentCount(), 3);
        assertEq(handler.verdictCount(), 2);
        assertEq(handler.mismatches(), 0);
        targetContract(address(handler));
        // Only the actions: the handler's model getters would waste the campaign's calls.
        bytes4[23] memory actions = [
            RegistryHandler.register.selector,
            RegistryHandler.update.selector,
            RegistryHandler.retire.selector,
            RegistryHandler.setBeatInterval.selector,
            RegistryHandler.requestControl.selector,
            RegistryHandler.requestControlMany.selector,
            RegistryHandler.requestControlAll.selector,
            RegistryHandler.reportOutcome.selector,
            RegistryHandler.reportHealth.selector,
            RegistryHandler.beat.selector,
            RegistryHandler.signal.selector,
            RegistryHandler.warp.selector,
            RegistryHandler.attest.selector,
            RegistryHandler.freezeAccount.selector,
            RegistryHandler.pauseLedger.selector,
            RegistryHandler.attestAndFreeze.selector,
            RegistryHandler.attestAndPause.selector,
            RegistryHandler.setPolicy.selector,
            RegistryHandler.acknowledge.selector,
            RegistryHandler.acknowledgeMany.selector,
            RegistryHandler.ownerUnpause.selector,
            RegistryHandler.ownerUnfreeze.selector,
            RegistryHandler.directLedgerCall.selector
        ];
        bytes4[] memory selectors = new bytes4[](actions.length);
        for (uint256 i = 0; i < actions.length; ++i) {
            selectors[i] = actions[i];
        }
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Every call succeeded exactly when the model said it must (unauthorised calls never succeeded).
    function invariant_CallsSucceedExactlyWhenAllowed() public view {
        assertEq(handler.mismatches(), 0, handler.lastMismatch());
    }

    /// @notice Each intent is resolved at most once and never goes back to Pending.
    function invariant_IntentsResolveAtMostOnce() public view {
        uint256 n = handler.intentCount();
        assertEq(registry.intentCount(), n);
        for (uint64 id = 1; id <= n; ++id) {
            RegistryHandler.GhostIntent memory ghost = handler.ghostIntent(id);
            IComponentRegistry.Intent memory intent = registry.getIntent(id);
            assertLe(ghost.resolutions, 1, "resolved twice");
            assertEq(uint8(intent.status), ghost.status, "status");
            assertEq(ghost.resolutions == 0, intent.status == IComponentRegistry.IntentStatus.Pending, "pending");
            assertEq(intent.componentId, ghost.componentId);
            assertEq(uint8(intent.action), ghost.action);
            assertEq(intent.requestedAt, ghost.requestedAt);
            assertEq(intent.resolvedAt, ghost.resolvedAt);
        }
    }

    /// @notice A component's status, latency and times change only through its controller's reports.
    function invariant_HealthChangesOnlyThroughTheController() public view {
        uint32 n = handler.componentCount();
        assertEq(registry.componentCount(), n);
        assertEq(registry.signalCount(), handler.signalCount());
        assertEq(registry.beatInterval(), handler.beatInterval());
        for (uint32 id = 1; id <= n; ++id) {
            RegistryHandler.GhostComponent memory ghost = handler.ghostComponent(id);
            IComponentRegistry.Component memory c = registry.getComponent(id);
            assertEq(uint8(c.status), ghost.status, "status");
            assertEq(c.latencyMs, ghost.latency, "latency");
            assertEq(c.lastChangeAt, ghost.changedAt, "last change");
            assertEq(c.lastBeatAt, ghost.beatAt, "last beat");
            assertEq(c.controller, ghost.controller, "controller");
            assertEq(c.reporter, ghost.reporter, "reporter");
            assertEq(c.retired, ghost.retired, "retired");
        }
    }

    /// @notice One verdict per (subject, analyzer), and verdicts keep what was attested.
    function invariant_OneVerdictPerSubjectAndAnalyzer() public view {
        uint256 n = handler.verdictCount();
        assertEq(attestations.verdictCount(), n);
        for (uint64 id = 1; id <= n; ++id) {
            RegistryHandler.GhostVerdict memory ghost = handler.ghostVerdict(id);
            assertEq(handler.attestsPerKey(ghost.subject, ghost.analyzer), 1, "attested twice");
            assertEq(attestations.verdictIdOf(ghost.subject, ghost.analyzer), id, "index");
            IGuardianAttestations.Verdict memory v = attestations.getVerdict(id);
            assertEq(v.subject, ghost.subject);
            assertEq(uint8(v.level), ghost.level);
            assertEq(uint8(v.action), ghost.action);
            assertEq(v.acknowledged, ghost.acknowledged);
            assertEq(v.pausedLedger, ghost.pausedLedger);
        }
    }

    /// @notice The ledger is paused, and an account frozen, only on a verdict the policy in force allowed.
    function invariant_PausedOrFrozenOnlyByAnAllowedVerdict() public view {
        assertEq(ledger.paused(), handler.paused(), "paused");
        if (ledger.paused()) {
            _assertJustified(handler.pauseJustification(), uint8(IGuardianAttestations.Action.EMERGENCY_SHUTDOWN));
        }
        for (uint256 i = 0; i < 3; ++i) {
            uint128 account = handler.accounts(i);
            bool isFrozen = ledger.getAccount(account).flags & (1 << 6) != 0;
            assertEq(isFrozen, handler.frozen(account), "frozen");
            if (isFrozen) {
                _assertJustified(handler.freezeJustification(account), uint8(IGuardianAttestations.Action.BLOCK));
            }
        }
    }

    function _assertJustified(RegistryHandler.Justification memory j, uint8 action) internal view {
        assertTrue(j.verdictId != 0 && j.verdictId <= attestations.verdictCount(), "a verdict existed");
        assertEq(j.verdictAction, action, "with the acting action");
        assertTrue(j.policyAllowed, "the policy allowed the act");
        assertGe(j.verdictLevel, j.policyMinLevel, "at the verdict's level");
        assertEq(uint8(attestations.getVerdict(j.verdictId).level), j.verdictLevel);
    }
}
