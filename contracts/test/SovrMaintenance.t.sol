// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {ComponentRegistry} from "../src/ComponentRegistry.sol";
import {IComponentRegistry} from "../src/interfaces/IComponentRegistry.sol";
import {ISovrMaintenance} from "../src/interfaces/ISovrMaintenance.sol";
import {SovrMaintenance} from "../src/SovrMaintenance.sol";

/// @notice Unit and fuzz tests of SovrMaintenance: every function, event and custom error.
contract SovrMaintenanceTest is Test {
    ComponentRegistry internal registry;
    SovrMaintenance internal maintenance;
    address internal owner = makeAddr("owner");
    address internal stranger = makeAddr("stranger");
    uint48 internal constant T0 = 1_800_000_000;

    function setUp() public {
        vm.warp(T0);
        registry = new ComponentRegistry(owner, 0);
        maintenance = new SovrMaintenance(IComponentRegistry(address(registry)), owner, 0);
        vm.startPrank(owner);
        registry.register("api", 0, "http://127.0.0.1/health", true, owner, owner);
        registry.register("db", 6, "tcp://127.0.0.1:5432", false, owner, owner);
        vm.stopPrank();
    }

    function test_ScheduleOnce_StoresAndEmits() public {
        vm.expectEmit(address(maintenance));
        emit ISovrMaintenance.MaintenanceScheduled(
            1, 1, ISovrMaintenance.Schedule.ONCE, T0 + 60, T0 + 3660, 3600, 0, "", "upgrade postgres"
        );
        vm.prank(owner);
        uint64 id = maintenance.scheduleOnce(1, T0 + 60, T0 + 3660, "upgrade postgres");
        assertEq(id, 1);
        assertEq(maintenance.windowCount(), 1);
        ISovrMaintenance.Window memory window = maintenance.getWindow(1);
        assertEq(window.id, 1);
        assertEq(window.componentId, 1);
        assertEq(uint8(window.schedule), uint8(ISovrMaintenance.Schedule.ONCE));
        assertEq(window.startsAt, T0 + 60);
        assertEq(window.endsAt, T0 + 3660);
        assertEq(window.duration, 3600);
        assertEq(window.period, 0);
        assertEq(window.scheduledAt, T0);
        assertEq(window.cancelledAt, 0);
        assertEq(window.cron, "");
    }

    function test_ScheduleOnce_StartingInThePastCountsFromNow() public {
        vm.prank(owner);
        maintenance.scheduleOnce(0, T0 - 600, T0 + 600, "now for ten minutes");
        ISovrMaintenance.Window memory window = maintenance.getWindow(1);
        assertEq(window.componentId, 0);
        assertEq(window.startsAt, T0 - 600);
        assertEq(window.scheduledAt, T0);
    }

    function test_ScheduleEvery_AndCron() public {
        vm.startPrank(owner);
        uint64 every = maintenance.scheduleEvery(2, T0 + 3600, 1800, 7 days, 0, "weekly backup");
        vm.expectEmit(address(maintenance));
        emit ISovrMaintenance.MaintenanceScheduled(
            2,
            0,
            ISovrMaintenance.Schedule.CRON,
            T0,
            T0 + 30 days,
            7200,
            0,
            "TZ=Europe/Berlin 0 3 * * 0",
            "patch sunday"
        );
        uint64 cron = maintenance.scheduleCron(0, "TZ=Europe/Berlin 0 3 * * 0", 7200, T0, T0 + 30 days, "patch sunday");
        vm.stopPrank();
        assertEq(every, 1);
        assertEq(cron, 2);
        ISovrMaintenance.Window memory weekly = maintenance.getWindow(every);
        assertEq(uint8(weekly.schedule), uint8(ISovrMaintenance.Schedule.EVERY));
        assertEq(weekly.period, 7 days);
        assertEq(weekly.endsAt, 0);
        ISovrMaintenance.Window memory patch = maintenance.getWindow(cron);
        assertEq(uint8(patch.schedule), uint8(ISovrMaintenance.Schedule.CRON));
        assertEq(patch.cron, "TZ=Europe/Berlin 0 3 * * 0");
        assertEq(patch.duration, 7200);
    }

    function test_Cancel_EndsAWindowNowOnce() public {
        vm.prank(owner);
        maintenance.scheduleOnce(1, T0, T0 + 3600, "");
        vm.warp(T0 + 100);
        vm.expectEmit(address(maintenance));
        emit ISovrMaintenance.MaintenanceCancelled(1, 1);
        vm.prank(owner);
        maintenance.cancel(1);
        assertEq(maintenance.getWindow(1).cancelledAt, T0 + 100);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.WindowAlreadyCancelled.selector, 1));
        maintenance.cancel(1);
    }

    function test_Cancel_RefusesUnknownAndFinishedWindows() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.UnknownWindow.selector, 7));
        maintenance.cancel(7);
        maintenance.scheduleOnce(1, T0, T0 + 60, "");
        maintenance.scheduleEvery(1, T0, 60, 3600, T0 + 7200, "");
        vm.warp(T0 + 60);
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.WindowOver.selector, 1));
        maintenance.cancel(1);
        // The recurring window's last occurrence starts before T0 + 7200 and lasts 60 s.
        vm.warp(T0 + 7200 + 59);
        maintenance.cancel(2);
        vm.stopPrank();
    }

    function test_RecurringWindowOverAfterItsLastOccurrence() public {
        vm.prank(owner);
        maintenance.scheduleEvery(1, T0, 60, 3600, T0 + 7200, "");
        vm.warp(T0 + 7200 + 60);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.WindowOver.selector, 1));
        maintenance.cancel(1);
    }

    function test_RefusesBadWindows() public {
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.EndsBeforeStart.selector, T0 + 10, T0 + 10));
        maintenance.scheduleOnce(1, T0 + 10, T0 + 10, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.WindowInThePast.selector, T0));
        maintenance.scheduleOnce(1, T0 - 100, T0, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.InvalidDuration.selector, 31 days + 1));
        maintenance.scheduleOnce(1, T0, T0 + 31 days + 1, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.UnknownComponent.selector, 3));
        maintenance.scheduleOnce(3, T0, T0 + 60, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.NoteTooLong.selector, 129));
        maintenance.scheduleOnce(1, T0, T0 + 60, string(new bytes(129)));
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.InvalidDuration.selector, 0));
        maintenance.scheduleEvery(1, T0, 0, 60, 0, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.PeriodShorterThanDuration.selector, 59, 60));
        maintenance.scheduleEvery(1, T0, 60, 59, 0, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.EndsBeforeStart.selector, T0, T0));
        maintenance.scheduleEvery(1, T0, 60, 60, T0, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.WindowInThePast.selector, T0 - 1));
        maintenance.scheduleEvery(1, T0 - 100, 60, 60, T0 - 1, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.InvalidCronLength.selector, 0));
        maintenance.scheduleCron(1, "", 60, T0, 0, "");
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.InvalidCronLength.selector, 97));
        maintenance.scheduleCron(1, string(new bytes(97)), 60, T0, 0, "");
        vm.stopPrank();
        assertEq(maintenance.windowCount(), 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrMaintenance.UnknownWindow.selector, 1));
        maintenance.getWindow(1);
    }

    function test_OnlyTheOwner() public {
        bytes memory denied =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, stranger, bytes32(0));
        vm.startPrank(stranger);
        vm.expectRevert(denied);
        maintenance.scheduleOnce(1, T0, T0 + 60, "");
        vm.expectRevert(denied);
        maintenance.scheduleEvery(1, T0, 60, 60, 0, "");
        vm.expectRevert(denied);
        maintenance.scheduleCron(1, "0 3 * * *", 60, T0, 0, "");
        vm.stopPrank();
        vm.prank(owner);
        maintenance.scheduleOnce(1, T0, T0 + 60, "");
        vm.prank(stranger);
        vm.expectRevert(denied);
        maintenance.cancel(1);
        assertEq(maintenance.getWindow(1).cancelledAt, 0);
    }

    function testFuzz_ScheduleEvery_ReadsBackOrRevertsWithTheRule(
        uint32 componentId,
        uint48 firstStartsAt,
        uint32 duration,
        uint32 period,
        uint48 until
    ) public {
        vm.prank(owner);
        try maintenance.scheduleEvery(componentId, firstStartsAt, duration, period, until, "") returns (uint64 id) {
            assertLe(componentId, 2);
            assertGt(duration, 0);
            assertLe(duration, maintenance.MAX_DURATION());
            assertGe(period, duration);
            assertTrue(until == 0 || (until > firstStartsAt && until > T0));
            ISovrMaintenance.Window memory window = maintenance.getWindow(id);
            assertEq(window.componentId, componentId);
            assertEq(window.startsAt, firstStartsAt);
            assertEq(window.endsAt, until);
            assertEq(window.duration, duration);
            assertEq(window.period, period);
            assertEq(window.scheduledAt, T0);
        } catch {
            assertTrue(
                componentId > 2 || duration == 0 || duration > maintenance.MAX_DURATION() || period < duration
                    || (until != 0 && (until <= firstStartsAt || until <= T0))
            );
            assertEq(maintenance.windowCount(), 0);
        }
    }

    function testFuzz_ScheduleOnce_ReadsBack(uint48 startsAt, uint32 length) public {
        length = uint32(bound(length, 1, 31 days));
        startsAt = uint48(bound(startsAt, T0 - length + 1, type(uint48).max - length));
        vm.prank(owner);
        uint64 id = maintenance.scheduleOnce(2, startsAt, startsAt + length, "fuzz");
        ISovrMaintenance.Window memory window = maintenance.getWindow(id);
        assertEq(window.startsAt, startsAt);
        assertEq(window.endsAt, uint256(startsAt) + length);
        assertEq(window.duration, length);
    }
}

/// @notice Drives SovrMaintenance with random schedules and cancellations by the owner and strangers.
contract MaintenanceHandler is Test {
    SovrMaintenance internal immutable maintenance;
    address internal immutable owner;
    uint256 public scheduled;
    uint256 public strangerSuccesses;
    mapping(uint64 windowId => uint256 timestamp) public cancelledAtModel;

    constructor(SovrMaintenance maintenance_, address owner_) {
        maintenance = maintenance_;
        owner = owner_;
    }

    function scheduleOnce(uint32 componentId, uint32 offset, uint32 length, bool asOwner) external {
        uint256 start = block.timestamp + (offset % 1 days);
        vm.prank(asOwner ? owner : makeAddr("stranger"));
        try maintenance.scheduleOnce(componentId % 4, uint48(start), uint48(start + (length % 2 days)), "") {
            if (!asOwner) strangerSuccesses++;
            scheduled++;
        } catch {}
    }

    function scheduleEvery(uint32 componentId, uint32 duration, uint32 period, uint32 until, bool asOwner) external {
        vm.prank(asOwner ? owner : makeAddr("stranger"));
        try maintenance.scheduleEvery(
            componentId % 4,
            uint48(block.timestamp),
            duration % 1 days,
            period % 8 days,
            until == 0 ? 0 : uint48(block.timestamp + (until % 30 days)),
            ""
        ) {
            if (!asOwner) strangerSuccesses++;
            scheduled++;
        } catch {}
    }

    function cancel(uint64 seed, bool asOwner) external {
        uint64 count = maintenance.windowCount();
        if (count == 0) return;
        uint64 id = seed % count + 1;
        vm.prank(asOwner ? owner : makeAddr("stranger"));
        try maintenance.cancel(id) {
            if (!asOwner) strangerSuccesses++;
            cancelledAtModel[id] = block.timestamp;
        } catch {}
    }

    function wait(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 1 days));
    }
}

/// @notice Invariants of SovrMaintenance: every window is well formed, only the owner changes the
/// calendar, and a cancellation is recorded once at the time it happened.
contract SovrMaintenanceInvariantTest is Test {
    SovrMaintenance internal maintenance;
    MaintenanceHandler internal handler;

    function setUp() public {
        vm.warp(1_800_000_000);
        address owner = makeAddr("owner");
        ComponentRegistry registry = new ComponentRegistry(owner, 0);
        vm.startPrank(owner);
        registry.register("api", 0, "http://127.0.0.1/health", true, owner, owner);
        registry.register("db", 6, "tcp://127.0.0.1:5432", false, owner, owner);
        vm.stopPrank();
        maintenance = new SovrMaintenance(IComponentRegistry(address(registry)), owner, 0);
        handler = new MaintenanceHandler(maintenance, owner);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](4);
        selectors[0] = MaintenanceHandler.scheduleOnce.selector;
        selectors[1] = MaintenanceHandler.scheduleEvery.selector;
        selectors[2] = MaintenanceHandler.cancel.selector;
        selectors[3] = MaintenanceHandler.wait.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice Every stored window obeys the rules it was checked against, and its cancellation is the model's.
    function invariant_WindowsAreWellFormed() public view {
        uint64 count = maintenance.windowCount();
        assertEq(count, handler.scheduled());
        for (uint64 id = 1; id <= count; ++id) {
            ISovrMaintenance.Window memory window = maintenance.getWindow(id);
            assertLe(window.componentId, 2);
            assertGt(window.duration, 0);
            assertLe(window.duration, maintenance.MAX_DURATION());
            if (window.schedule == ISovrMaintenance.Schedule.ONCE) {
                assertEq(uint256(window.endsAt) - window.startsAt, window.duration);
                assertGt(window.endsAt, window.scheduledAt);
            } else {
                assertGe(window.period, window.duration);
                assertTrue(window.endsAt == 0 || window.endsAt > window.scheduledAt);
            }
            assertEq(window.cancelledAt, handler.cancelledAtModel(id));
            if (window.cancelledAt != 0) assertGe(window.cancelledAt, window.scheduledAt);
        }
    }

    /// @notice No call by anyone but the owner ever scheduled or cancelled a window.
    function invariant_OnlyTheOwnerSchedules() public view {
        assertEq(handler.strangerSuccesses(), 0);
    }
}
