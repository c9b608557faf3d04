// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";

import {ComponentRegistry} from "../src/ComponentRegistry.sol";
import {IComponentRegistry} from "../src/interfaces/IComponentRegistry.sol";

/// @notice Unit and fuzz tests of ComponentRegistry: every function, event and custom error.
contract ComponentRegistryTest is Test {
    uint48 internal constant START = 1_700_000_000;
    uint8 internal constant KIND_CORE = uint8(IComponentRegistry.Kind.CORE_BACKEND);
    uint8 internal constant KIND_CHAIN = uint8(IComponentRegistry.Kind.BLOCKCHAIN);
    uint8 internal constant ONLINE = uint8(IComponentRegistry.Status.ONLINE);
    uint8 internal constant DEGRADED = uint8(IComponentRegistry.Status.DEGRADED);
    uint8 internal constant START_ACTION = uint8(IComponentRegistry.Action.START);
    uint8 internal constant RESTART = uint8(IComponentRegistry.Action.RESTART);
    uint8 internal constant STOP = uint8(IComponentRegistry.Action.STOP);
    uint8 internal constant WARNING = uint8(IComponentRegistry.Severity.WARNING);

    ComponentRegistry internal registry;
    address internal owner = makeAddr("owner");
    address internal controller = makeAddr("controller");
    address internal reporter = makeAddr("reporter");
    address internal otherController = makeAddr("otherController");
    address internal otherReporter = makeAddr("otherReporter");

    function setUp() public {
        vm.warp(START);
        registry = new ComponentRegistry(owner, 0);
    }

    // ================================================================ helpers

    function _register(string memory name) internal returns (uint32) {
        vm.prank(owner);
        return registry.register(name, KIND_CORE, "http://127.0.0.1:8080/health", true, controller, reporter);
    }

    function _registerMany(uint256 n) internal {
        for (uint256 i = 0; i < n; ++i) {
            _register("svc");
        }
    }

    function _retire(uint32 id) internal {
        vm.prank(owner);
        registry.retire(id);
    }

    function _request(uint32 id, uint8 action) internal returns (uint64) {
        vm.prank(owner);
        return registry.requestControl(id, action);
    }

    function _bytes(uint256 length) internal pure returns (string memory) {
        bytes memory b = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            b[i] = "a";
        }
        return string(b);
    }

    function _err(bytes4 selector, uint256 value) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector, value);
    }

    // ================================================================ register

    function test_Register_StoresEverythingAndEmits() public {
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ComponentRegistered(
            1, controller, reporter, "sovr-api", IComponentRegistry.Kind.BLOCKCHAIN, "http://h/health", false
        );
        vm.prank(owner);
        uint32 id = registry.register("sovr-api", KIND_CHAIN, "http://h/health", false, controller, reporter);

        assertEq(id, 1);
        assertEq(registry.componentCount(), 1);
        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertEq(c.id, 1);
        assertEq(c.name, "sovr-api");
        assertEq(uint8(c.kind), KIND_CHAIN);
        assertEq(c.endpoint, "http://h/health");
        assertFalse(c.critical);
        assertEq(c.controller, controller);
        assertEq(c.reporter, reporter);
        assertEq(uint8(c.status), uint8(IComponentRegistry.Status.UNKNOWN));
        assertEq(c.latencyMs, 0);
        assertEq(c.lastChangeAt, START);
        assertEq(c.lastBeatAt, 0);
        assertFalse(c.retired);
    }

    function test_Register_IdsAreSequentialFromOne() public {
        assertEq(_register("a"), 1);
        assertEq(_register("b"), 2);
        assertEq(_register("c"), 3);
        assertEq(registry.componentCount(), 3);
        assertEq(registry.getComponent(2).name, "b");
    }

    function test_Register_AcceptsLengthBounds() public {
        vm.startPrank(owner);
        uint32 a = registry.register(_bytes(1), KIND_CORE, _bytes(1), false, controller, reporter);
        uint32 b = registry.register(_bytes(64), KIND_CORE, _bytes(256), false, controller, reporter);
        vm.stopPrank();
        assertEq(bytes(registry.getComponent(a).name).length, 1);
        assertEq(bytes(registry.getComponent(b).name).length, 64);
        assertEq(bytes(registry.getComponent(b).endpoint).length, 256);
    }

    function testFuzz_Register_StoresEveryKnownKindAndFlag(uint8 kind, bool critical, address ctl, address rep) public {
        kind = uint8(bound(kind, 0, uint8(type(IComponentRegistry.Kind).max)));
        vm.assume(ctl != address(0) && rep != address(0));
        vm.prank(owner);
        uint32 id = registry.register("x", kind, "e", critical, ctl, rep);
        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertEq(uint8(c.kind), kind);
        assertEq(c.critical, critical);
        assertEq(c.controller, ctl);
        assertEq(c.reporter, rep);
    }

    function test_Register_RevertsOnEmptyName() public {
        vm.expectRevert(_err(IComponentRegistry.InvalidNameLength.selector, 0));
        vm.prank(owner);
        registry.register("", KIND_CORE, "e", false, controller, reporter);
    }

    function test_Register_RevertsOnOversizedName() public {
        vm.expectRevert(_err(IComponentRegistry.InvalidNameLength.selector, 65));
        vm.prank(owner);
        registry.register(_bytes(65), KIND_CORE, "e", false, controller, reporter);
    }

    function test_Register_RevertsOnEmptyEndpoint() public {
        vm.expectRevert(_err(IComponentRegistry.InvalidEndpointLength.selector, 0));
        vm.prank(owner);
        registry.register("n", KIND_CORE, "", false, controller, reporter);
    }

    function test_Register_RevertsOnOversizedEndpoint() public {
        vm.expectRevert(_err(IComponentRegistry.InvalidEndpointLength.selector, 257));
        vm.prank(owner);
        registry.register("n", KIND_CORE, _bytes(257), false, controller, reporter);
    }

    function testFuzz_Register_RevertsOnUnknownKind(uint8 kind) public {
        kind = uint8(bound(kind, uint8(type(IComponentRegistry.Kind).max) + 1, type(uint8).max));
        vm.expectRevert(_err(IComponentRegistry.UnknownKind.selector, kind));
        vm.prank(owner);
        registry.register("n", kind, "e", false, controller, reporter);
    }

    function test_Register_RevertsOnZeroController() public {
        vm.expectRevert(IComponentRegistry.ZeroController.selector);
        vm.prank(owner);
        registry.register("n", KIND_CORE, "e", false, address(0), reporter);
    }

    function test_Register_RevertsOnZeroReporter() public {
        vm.expectRevert(IComponentRegistry.ZeroReporter.selector);
        vm.prank(owner);
        registry.register("n", KIND_CORE, "e", false, controller, address(0));
    }

    // ================================================================ update

    function test_Update_ReplacesDescriptionAndKeysButKeepsHealth() public {
        uint32 id = _register("old");
        vm.prank(controller);
        registry.reportHealth(id, ONLINE, 12);
        vm.prank(controller);
        registry.beat(id, 15);

        vm.warp(START + 100);
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ComponentUpdated(
            id, otherController, otherReporter, "new", IComponentRegistry.Kind.OTHER, "http://new", false
        );
        vm.prank(owner);
        registry.update(
            id, "new", uint8(IComponentRegistry.Kind.OTHER), "http://new", false, otherController, otherReporter
        );

        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertEq(c.name, "new");
        assertEq(c.endpoint, "http://new");
        assertEq(uint8(c.kind), uint8(IComponentRegistry.Kind.OTHER));
        assertFalse(c.critical);
        assertEq(c.controller, otherController);
        assertEq(c.reporter, otherReporter);
        assertEq(uint8(c.status), ONLINE, "status kept");
        assertEq(c.latencyMs, 15, "latency kept");
        assertEq(c.lastChangeAt, START, "last change kept");
        assertEq(c.lastBeatAt, START, "last beat kept");

        // The keys moved: the old controller and reporter lost their rights, the new ones have them.
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotController.selector, id, controller));
        vm.prank(controller);
        registry.reportHealth(id, DEGRADED, 1);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotReporter.selector, id, reporter));
        vm.prank(reporter);
        registry.signal(id, WARNING, "k", "m");
        vm.prank(otherController);
        registry.reportHealth(id, DEGRADED, 1);
        vm.prank(otherReporter);
        assertEq(registry.signal(id, WARNING, "k", "m"), 1);
    }

    function test_Update_ValidatesLikeRegister() public {
        uint32 id = _register("a");
        vm.startPrank(owner);
        vm.expectRevert(_err(IComponentRegistry.InvalidNameLength.selector, 0));
        registry.update(id, "", KIND_CORE, "e", false, controller, reporter);
        vm.expectRevert(_err(IComponentRegistry.InvalidEndpointLength.selector, 257));
        registry.update(id, "n", KIND_CORE, _bytes(257), false, controller, reporter);
        vm.expectRevert(_err(IComponentRegistry.UnknownKind.selector, 8));
        registry.update(id, "n", 8, "e", false, controller, reporter);
        vm.expectRevert(IComponentRegistry.ZeroController.selector);
        registry.update(id, "n", KIND_CORE, "e", false, address(0), reporter);
        vm.expectRevert(IComponentRegistry.ZeroReporter.selector);
        registry.update(id, "n", KIND_CORE, "e", false, controller, address(0));
        vm.stopPrank();
        assertEq(registry.getComponent(id).name, "a");
    }

    function test_Update_RevertsOnUnknownComponent() public {
        _register("a");
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 2));
        vm.prank(owner);
        registry.update(2, "n", KIND_CORE, "e", false, controller, reporter);
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 0));
        vm.prank(owner);
        registry.update(0, "n", KIND_CORE, "e", false, controller, reporter);
    }

    function test_Update_RevertsOnRetiredComponent() public {
        uint32 id = _register("a");
        _retire(id);
        vm.expectRevert(_err(IComponentRegistry.ComponentIsRetired.selector, id));
        vm.prank(owner);
        registry.update(id, "n", KIND_CORE, "e", false, controller, reporter);
    }

    // ================================================================ retire

    function test_Retire_MarksRetiredAndEmits() public {
        uint32 id = _register("a");
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ComponentRetired(id);
        _retire(id);
        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertTrue(c.retired);
        assertEq(c.name, "a", "description kept for history");
        assertEq(registry.componentCount(), 1, "ids are never reused");
        assertEq(_register("b"), 2);
    }

    function test_Retire_RevertsTwice() public {
        uint32 id = _register("a");
        _retire(id);
        vm.expectRevert(_err(IComponentRegistry.ComponentIsRetired.selector, id));
        vm.prank(owner);
        registry.retire(id);
    }

    function test_Retire_RevertsOnUnknownComponent() public {
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 1));
        vm.prank(owner);
        registry.retire(1);
    }

    function test_Retired_TakesNoIntentsHealthBeatsOrSignals() public {
        uint32 id = _register("a");
        _retire(id);
        bytes memory retired = _err(IComponentRegistry.ComponentIsRetired.selector, id);

        vm.startPrank(owner);
        vm.expectRevert(retired);
        registry.requestControl(id, STOP);
        uint32[] memory ids = new uint32[](1);
        ids[0] = id;
        vm.expectRevert(retired);
        registry.requestControlMany(ids, STOP);
        vm.stopPrank();

        vm.startPrank(controller);
        vm.expectRevert(retired);
        registry.reportHealth(id, ONLINE, 1);
        vm.expectRevert(retired);
        registry.beat(id, 1);
        vm.stopPrank();

        vm.expectRevert(retired);
        vm.prank(reporter);
        registry.signal(id, WARNING, "k", "m");
        assertEq(registry.intentCount(), 0);
        assertEq(registry.signalCount(), 0);
    }

    // ================================================================ beat interval

    function test_BeatInterval_DefaultsAndIsSettable() public {
        assertEq(registry.beatInterval(), 300);
        assertEq(registry.DEFAULT_BEAT_INTERVAL(), 300);
        vm.expectEmit(address(registry));
        emit IComponentRegistry.BeatIntervalSet(300, 60);
        vm.prank(owner);
        registry.setBeatInterval(60);
        assertEq(registry.beatInterval(), 60);
    }

    function test_BeatInterval_RevertsOnZero() public {
        vm.expectRevert(IComponentRegistry.ZeroBeatInterval.selector);
        vm.prank(owner);
        registry.setBeatInterval(0);
        assertEq(registry.beatInterval(), 300);
    }

    // ================================================================ control intents

    function test_RequestControl_StoresIntentAndEmits() public {
        uint32 id = _register("a");
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ControlRequested(1, id, IComponentRegistry.Action.RESTART, owner);
        uint64 intentId = _request(id, RESTART);
        assertEq(intentId, 1);
        assertEq(registry.intentCount(), 1);
        IComponentRegistry.Intent memory intent = registry.getIntent(intentId);
        assertEq(intent.id, 1);
        assertEq(intent.componentId, id);
        assertEq(uint8(intent.action), RESTART);
        assertEq(uint8(intent.status), uint8(IComponentRegistry.IntentStatus.Pending));
        assertEq(intent.requestedAt, START);
        assertEq(intent.resolvedAt, 0);
        assertEq(_request(id, STOP), 2, "intent ids are sequential");
    }

    function testFuzz_RequestControl_RevertsOnUnknownAction(uint8 action) public {
        uint32 id = _register("a");
        action = uint8(bound(action, uint8(type(IComponentRegistry.Action).max) + 1, type(uint8).max));
        bytes memory unknown = _err(IComponentRegistry.UnknownAction.selector, action);
        uint32[] memory ids = new uint32[](1);
        ids[0] = id;
        vm.startPrank(owner);
        vm.expectRevert(unknown);
        registry.requestControl(id, action);
        vm.expectRevert(unknown);
        registry.requestControlMany(ids, action);
        vm.expectRevert(unknown);
        registry.requestControlAll(action);
        vm.stopPrank();
        assertEq(registry.intentCount(), 0);
    }

    function test_RequestControl_RevertsOnUnknownComponent() public {
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 7));
        vm.prank(owner);
        registry.requestControl(7, START_ACTION);
    }

    function test_RequestControlMany_IssuesConsecutiveIntentsInListOrder() public {
        _registerMany(3);
        uint32[] memory ids = new uint32[](3);
        ids[0] = 3;
        ids[1] = 1;
        ids[2] = 3;
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ControlRequested(1, 3, IComponentRegistry.Action.STOP, owner);
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ControlRequested(2, 1, IComponentRegistry.Action.STOP, owner);
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ControlRequested(3, 3, IComponentRegistry.Action.STOP, owner);
        vm.prank(owner);
        uint64 first = registry.requestControlMany(ids, STOP);
        assertEq(first, 1);
        assertEq(registry.intentCount(), 3);
        assertEq(registry.getIntent(2).componentId, 1);
        assertEq(registry.getIntent(3).componentId, 3);
        assertEq(uint8(registry.getIntent(3).action), STOP);
    }

    function test_RequestControlMany_RevertsOnEmptyList() public {
        _register("a");
        vm.expectRevert(IComponentRegistry.EmptyIdList.selector);
        vm.prank(owner);
        registry.requestControlMany(new uint32[](0), START_ACTION);
    }

    function test_RequestControlMany_IsAllOrNothing() public {
        _registerMany(3);
        _retire(2);
        uint32[] memory ids = new uint32[](3);
        ids[0] = 1;
        ids[1] = 2;
        ids[2] = 3;
        vm.expectRevert(_err(IComponentRegistry.ComponentIsRetired.selector, 2));
        vm.prank(owner);
        registry.requestControlMany(ids, START_ACTION);
        ids[1] = 9;
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 9));
        vm.prank(owner);
        registry.requestControlMany(ids, START_ACTION);
        assertEq(registry.intentCount(), 0);
        vm.expectRevert(_err(IComponentRegistry.UnknownIntent.selector, 1));
        registry.getIntent(1);
    }

    function test_RequestControlAll_SkipsRetiredComponents() public {
        _registerMany(5);
        _retire(2);
        _retire(5);
        vm.prank(owner);
        (uint64 first, uint256 count) = registry.requestControlAll(RESTART);
        assertEq(first, 1);
        assertEq(count, 3);
        assertEq(registry.intentCount(), 3);
        assertEq(registry.getIntent(1).componentId, 1);
        assertEq(registry.getIntent(2).componentId, 3);
        assertEq(registry.getIntent(3).componentId, 4);
    }

    /// @dev Retired ids are kept 256 to a bitmap word: check ids on both sides of word boundaries.
    function test_RequestControlAll_AcrossBitmapWords() public {
        _registerMany(520);
        uint32[6] memory retired = [uint32(1), 255, 256, 257, 511, 512];
        for (uint256 i = 0; i < retired.length; ++i) {
            _retire(retired[i]);
        }
        vm.prank(owner);
        (uint64 first, uint256 count) = registry.requestControlAll(STOP);
        assertEq(count, 520 - retired.length);
        uint256 expected = 1;
        for (uint64 intentId = first; intentId < first + count; ++intentId) {
            while (_contains(retired, expected)) ++expected;
            assertEq(registry.getIntent(intentId).componentId, expected);
            ++expected;
        }
        assertEq(expected, 521);
    }

    function _contains(uint32[6] memory list, uint256 value) internal pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == value) return true;
        }
        return false;
    }

    function test_RequestControlAll_RevertsWithoutComponents() public {
        vm.expectRevert(IComponentRegistry.NoActiveComponents.selector);
        vm.prank(owner);
        registry.requestControlAll(START_ACTION);
    }

    function test_RequestControlAll_RevertsWhenAllRetired() public {
        _registerMany(2);
        _retire(1);
        _retire(2);
        vm.expectRevert(IComponentRegistry.NoActiveComponents.selector);
        vm.prank(owner);
        registry.requestControlAll(START_ACTION);
    }

    /// @dev The gas benchmark's case: seven components, one transaction, seven intent words and one counter write.
    function test_RequestControlAll_SevenComponentsWritesOneWordPerIntent() public {
        _registerMany(7);
        vm.record();
        vm.prank(owner);
        (, uint256 count) = registry.requestControlAll(START_ACTION);
        (, bytes32[] memory writes) = vm.accesses(address(registry));
        assertEq(count, 7);
        assertEq(_unique(writes), 8, "7 intent words + the counters word");
    }

    // ================================================================ outcomes

    function test_ReportOutcome_ExecutedAndFailed() public {
        uint32 id = _register("a");
        uint64 a = _request(id, START_ACTION);
        uint64 b = _request(id, STOP);
        vm.warp(START + 5);

        vm.expectEmit(address(registry));
        emit IComponentRegistry.ControlResolved(a, id, true, "");
        vm.prank(controller);
        registry.reportOutcome(a, true, "");
        vm.expectEmit(address(registry));
        emit IComponentRegistry.ControlResolved(b, id, false, "exit status 1");
        vm.prank(controller);
        registry.reportOutcome(b, false, "exit status 1");

        IComponentRegistry.Intent memory ia = registry.getIntent(a);
        assertEq(uint8(ia.status), uint8(IComponentRegistry.IntentStatus.Executed));
        assertEq(ia.resolvedAt, START + 5);
        assertEq(ia.requestedAt, START);
        assertEq(uint8(ia.action), START_ACTION);
        assertEq(uint8(registry.getIntent(b).status), uint8(IComponentRegistry.IntentStatus.Failed));
    }

    function test_ReportOutcome_AcceptsReasonOfMaxLength() public {
        uint32 id = _register("a");
        uint64 intentId = _request(id, START_ACTION);
        vm.prank(controller);
        registry.reportOutcome(intentId, false, _bytes(128));
        assertEq(uint8(registry.getIntent(intentId).status), uint8(IComponentRegistry.IntentStatus.Failed));
    }

    function test_ReportOutcome_RevertsOnOversizedReason() public {
        uint32 id = _register("a");
        uint64 intentId = _request(id, START_ACTION);
        vm.expectRevert(_err(IComponentRegistry.ReasonTooLong.selector, 129));
        vm.prank(controller);
        registry.reportOutcome(intentId, false, _bytes(129));
    }

    function test_ReportOutcome_RevertsTwice() public {
        uint32 id = _register("a");
        uint64 intentId = _request(id, START_ACTION);
        vm.prank(controller);
        registry.reportOutcome(intentId, true, "");
        vm.expectRevert(_err(IComponentRegistry.IntentAlreadyResolved.selector, intentId));
        vm.prank(controller);
        registry.reportOutcome(intentId, false, "again");
        assertEq(uint8(registry.getIntent(intentId).status), uint8(IComponentRegistry.IntentStatus.Executed));
    }

    function test_ReportOutcome_RevertsOnUnknownIntent() public {
        uint32 id = _register("a");
        _request(id, START_ACTION);
        vm.expectRevert(_err(IComponentRegistry.UnknownIntent.selector, 2));
        vm.prank(controller);
        registry.reportOutcome(2, true, "");
        vm.expectRevert(_err(IComponentRegistry.UnknownIntent.selector, 0));
        vm.prank(controller);
        registry.reportOutcome(0, true, "");
    }

    function test_ReportOutcome_OnlyTheComponentsController() public {
        uint32 mine = _register("a");
        vm.prank(owner);
        uint32 theirs = registry.register("b", KIND_CORE, "e", false, otherController, reporter);
        uint64 intentId = _request(theirs, STOP);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotController.selector, theirs, controller));
        vm.prank(controller);
        registry.reportOutcome(intentId, true, "");
        vm.prank(otherController);
        registry.reportOutcome(intentId, true, "");
        assertEq(mine, 1);
        assertEq(uint8(registry.getIntent(intentId).status), uint8(IComponentRegistry.IntentStatus.Executed));
    }

    function test_ReportOutcome_StillPossibleAfterRetirement() public {
        uint32 id = _register("a");
        uint64 intentId = _request(id, STOP);
        _retire(id);
        vm.prank(controller);
        registry.reportOutcome(intentId, true, "stopped before retirement");
        assertEq(uint8(registry.getIntent(intentId).status), uint8(IComponentRegistry.IntentStatus.Executed));
    }

    // ================================================================ health

    function test_ReportHealth_RecordsTransitionAndEmits() public {
        uint32 id = _register("a");
        vm.warp(START + 60);
        vm.expectEmit(address(registry));
        emit IComponentRegistry.HealthChanged(
            id, IComponentRegistry.Status.UNKNOWN, IComponentRegistry.Status.ONLINE, 42
        );
        vm.prank(controller);
        registry.reportHealth(id, ONLINE, 42);
        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertEq(uint8(c.status), ONLINE);
        assertEq(c.latencyMs, 42);
        assertEq(c.lastChangeAt, START + 60);
        assertEq(c.controller, controller, "controller kept in the same word");
        assertFalse(c.retired);
    }

    function testFuzz_ReportHealth_StoresExactFields(uint8 status, uint32 latencyMs, uint32 elapsed) public {
        status = uint8(bound(status, 1, uint8(type(IComponentRegistry.Status).max)));
        uint32 id = _register("a");
        vm.warp(uint256(START) + elapsed);
        vm.prank(controller);
        registry.reportHealth(id, status, latencyMs);
        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertEq(uint8(c.status), status);
        assertEq(c.latencyMs, latencyMs);
        assertEq(c.lastChangeAt, uint256(START) + elapsed);
        assertEq(c.controller, controller);
        assertEq(c.reporter, reporter);
        assertTrue(c.critical);
    }

    function test_ReportHealth_TouchesOneWord() public {
        uint32 id = _register("a");
        vm.record();
        vm.prank(controller);
        registry.reportHealth(id, ONLINE, 7);
        (bytes32[] memory reads, bytes32[] memory writes) = vm.accesses(address(registry));
        assertEq(_unique(reads), 1, "one word read");
        assertEq(_unique(writes), 1, "one word written");
    }

    function test_ReportHealth_RevertsWhenUnchanged() public {
        uint32 id = _register("a");
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.StatusUnchanged.selector, id, 0));
        vm.prank(controller);
        registry.reportHealth(id, uint8(IComponentRegistry.Status.UNKNOWN), 1);
        vm.prank(controller);
        registry.reportHealth(id, ONLINE, 1);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.StatusUnchanged.selector, id, ONLINE));
        vm.prank(controller);
        registry.reportHealth(id, ONLINE, 2);
        assertEq(registry.getComponent(id).latencyMs, 1);
    }

    function testFuzz_ReportHealth_RevertsOnUnknownStatus(uint8 status) public {
        status = uint8(bound(status, uint8(type(IComponentRegistry.Status).max) + 1, type(uint8).max));
        uint32 id = _register("a");
        vm.expectRevert(_err(IComponentRegistry.UnknownStatus.selector, status));
        vm.prank(controller);
        registry.reportHealth(id, status, 1);
    }

    function test_ReportHealth_RevertsOnUnknownComponent() public {
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 1));
        vm.prank(controller);
        registry.reportHealth(1, ONLINE, 1);
    }

    function test_ReportHealth_OnlyTheComponentsController() public {
        uint32 id = _register("a");
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotController.selector, id, reporter));
        vm.prank(reporter);
        registry.reportHealth(id, ONLINE, 1);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotController.selector, id, owner));
        vm.prank(owner);
        registry.reportHealth(id, ONLINE, 1);
        assertEq(uint8(registry.getComponent(id).status), uint8(IComponentRegistry.Status.UNKNOWN));
    }

    // ================================================================ beats

    function test_Beat_RecordsLatencyAndTimeButNotStatus() public {
        uint32 id = _register("a");
        vm.prank(controller);
        registry.reportHealth(id, ONLINE, 10);
        vm.warp(START + 30);
        vm.expectEmit(address(registry));
        emit IComponentRegistry.LivenessBeat(id, IComponentRegistry.Status.ONLINE, 25);
        vm.prank(controller);
        registry.beat(id, 25);
        IComponentRegistry.Component memory c = registry.getComponent(id);
        assertEq(c.lastBeatAt, START + 30);
        assertEq(c.latencyMs, 25);
        assertEq(uint8(c.status), ONLINE);
        assertEq(c.lastChangeAt, START, "a beat is not a transition");
    }

    function test_Beat_AtMostOncePerInterval() public {
        uint32 id = _register("a");
        vm.prank(controller);
        registry.beat(id, 1);
        vm.warp(START + 299);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.BeatTooSoon.selector, id, START + 300));
        vm.prank(controller);
        registry.beat(id, 2);
        vm.warp(START + 300);
        vm.prank(controller);
        registry.beat(id, 3);
        assertEq(registry.getComponent(id).lastBeatAt, START + 300);
        assertEq(registry.getComponent(id).latencyMs, 3);
    }

    function test_Beat_FollowsTheIntervalTheOwnerSets() public {
        uint32 id = _register("a");
        vm.prank(owner);
        registry.setBeatInterval(10);
        vm.prank(controller);
        registry.beat(id, 1);
        vm.warp(START + 9);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.BeatTooSoon.selector, id, START + 10));
        vm.prank(controller);
        registry.beat(id, 1);
        vm.warp(START + 10);
        vm.prank(controller);
        registry.beat(id, 1);
        assertEq(registry.getComponent(id).lastBeatAt, START + 10);
    }

    function test_Beat_IsPerComponent() public {
        uint32 a = _register("a");
        uint32 b = _register("b");
        vm.startPrank(controller);
        registry.beat(a, 1);
        registry.beat(b, 1);
        vm.stopPrank();
        assertEq(registry.getComponent(a).lastBeatAt, START);
        assertEq(registry.getComponent(b).lastBeatAt, START);
    }

    function test_Beat_RevertsOnUnknownComponentOrStranger() public {
        uint32 id = _register("a");
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 2));
        vm.prank(controller);
        registry.beat(2, 1);
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotController.selector, id, reporter));
        vm.prank(reporter);
        registry.beat(id, 1);
        assertEq(registry.getComponent(id).lastBeatAt, 0);
    }

    // ================================================================ signals

    function test_Signal_EmitsWithSequentialIdsAndStoresNothingButTheCount() public {
        uint32 id = _register("a");
        vm.expectEmit(address(registry));
        emit IComponentRegistry.SignalRecorded(
            1, id, IComponentRegistry.Severity.CRITICAL, "auth_failure", "5 failed logins from 10.0.0.8"
        );
        vm.prank(reporter);
        uint64 first = registry.signal(
            id, uint8(IComponentRegistry.Severity.CRITICAL), "auth_failure", "5 failed logins from 10.0.0.8"
        );
        vm.prank(reporter);
        uint64 second = registry.signal(id, uint8(IComponentRegistry.Severity.INFO), "boot", "");
        assertEq(first, 1);
        assertEq(second, 2);
        assertEq(registry.signalCount(), 2);
        assertEq(uint8(registry.getComponent(id).status), uint8(IComponentRegistry.Status.UNKNOWN));
    }

    function test_Signal_ReadsOneComponentWordAndWritesOnlyTheCounter() public {
        uint32 id = _register("a");
        vm.record();
        vm.prank(reporter);
        registry.signal(id, WARNING, "payment_anomaly", "amount 3x the 30-day mean");
        (bytes32[] memory reads, bytes32[] memory writes) = vm.accesses(address(registry));
        assertEq(_unique(reads), 2, "profile word + counters word");
        assertEq(_unique(writes), 1, "counters word");
    }

    function test_Signal_AcceptsLengthBounds() public {
        uint32 id = _register("a");
        vm.startPrank(reporter);
        registry.signal(id, WARNING, _bytes(1), "");
        registry.signal(id, WARNING, _bytes(32), _bytes(280));
        vm.stopPrank();
        assertEq(registry.signalCount(), 2);
    }

    function testFuzz_Signal_RevertsOnUnknownSeverity(uint8 severity) public {
        severity = uint8(bound(severity, uint8(type(IComponentRegistry.Severity).max) + 1, type(uint8).max));
        uint32 id = _register("a");
        vm.expectRevert(_err(IComponentRegistry.UnknownSeverity.selector, severity));
        vm.prank(reporter);
        registry.signal(id, severity, "k", "m");
    }

    function test_Signal_RevertsOnEmptyKind() public {
        uint32 id = _register("a");
        vm.expectRevert(_err(IComponentRegistry.InvalidSignalKindLength.selector, 0));
        vm.prank(reporter);
        registry.signal(id, WARNING, "", "m");
    }

    function test_Signal_RevertsOnOversizedKind() public {
        uint32 id = _register("a");
        vm.expectRevert(_err(IComponentRegistry.InvalidSignalKindLength.selector, 33));
        vm.prank(reporter);
        registry.signal(id, WARNING, _bytes(33), "m");
    }

    function testFuzz_Signal_RevertsOnOversizedMessage(uint16 length) public {
        length = uint16(bound(length, 281, 2_000));
        uint32 id = _register("a");
        vm.expectRevert(_err(IComponentRegistry.MessageTooLong.selector, length));
        vm.prank(reporter);
        registry.signal(id, WARNING, "k", _bytes(length));
    }

    function test_Signal_RevertsOnUnknownComponent() public {
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 3));
        vm.prank(reporter);
        registry.signal(3, WARNING, "k", "m");
    }

    function test_Signal_OnlyTheComponentsReporter() public {
        uint32 id = _register("a");
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotReporter.selector, id, controller));
        vm.prank(controller);
        registry.signal(id, WARNING, "k", "m");
        vm.expectRevert(abi.encodeWithSelector(IComponentRegistry.NotReporter.selector, id, owner));
        vm.prank(owner);
        registry.signal(id, WARNING, "k", "m");
        assertEq(registry.signalCount(), 0);
    }

    // ================================================================ views

    function test_GetComponent_RevertsOnUnknownComponent() public {
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 0));
        registry.getComponent(0);
        _register("a");
        vm.expectRevert(_err(IComponentRegistry.UnknownComponent.selector, 2));
        registry.getComponent(2);
    }

    function test_GetIntent_RevertsOnUnknownIntent() public {
        vm.expectRevert(_err(IComponentRegistry.UnknownIntent.selector, 1));
        registry.getIntent(1);
    }

    function _unique(bytes32[] memory slots) internal pure returns (uint256 n) {
        for (uint256 i = 0; i < slots.length; ++i) {
            bool seen;
            for (uint256 j = 0; j < i; ++j) {
                if (slots[j] == slots[i]) {
                    seen = true;
                    break;
                }
            }
            if (!seen) ++n;
        }
    }
}
