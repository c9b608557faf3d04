// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// forge-std resolves through remappings.txt, which solhint does not read.
// solhint-disable-next-line import-path-check
import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {GuardianAttestations} from "../src/GuardianAttestations.sol";
import {IGuardianAttestations} from "../src/interfaces/IGuardianAttestations.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {SovrLedger} from "../src/SovrLedger.sol";

/// @notice Unit and fuzz tests of GuardianAttestations against the real SovrLedger, wired as the
/// deployment wires it: the attestations contract holds the ledger's PAUSER_ROLE and FREEZER_ROLE.
contract GuardianAttestationsTest is Test {
    uint48 internal constant START = 1_700_000_000;
    uint16 internal constant FROZEN = 1 << 6;
    uint8 internal constant LOW = uint8(IGuardianAttestations.Level.LOW);
    uint8 internal constant MEDIUM = uint8(IGuardianAttestations.Level.MEDIUM);
    uint8 internal constant HIGH = uint8(IGuardianAttestations.Level.HIGH);
    uint8 internal constant CRITICAL = uint8(IGuardianAttestations.Level.CRITICAL);
    uint8 internal constant MONITOR = uint8(IGuardianAttestations.Action.MONITOR);
    uint8 internal constant ALERT = uint8(IGuardianAttestations.Action.ALERT);
    uint8 internal constant BLOCK = uint8(IGuardianAttestations.Action.BLOCK);
    uint8 internal constant EMERGENCY = uint8(IGuardianAttestations.Action.EMERGENCY_SHUTDOWN);
    bytes32 internal constant ANALYZER = "rules/1";
    bytes32 internal constant MODEL = "gemini-2.5-flash";
    bytes32 internal constant THREAT = "payment_anomaly";

    SovrLedger internal ledger;
    GuardianAttestations internal attestations;
    address internal owner = makeAddr("owner");
    address internal guardian = makeAddr("guardian");
    address internal holder = makeAddr("holder");
    uint128 internal account;

    function setUp() public {
        vm.warp(START);
        ledger = new SovrLedger(owner, 0);
        attestations = new GuardianAttestations(ISovrLedger(address(ledger)), owner, 0, guardian);
        vm.startPrank(owner);
        ledger.grantRole(ledger.PAUSER_ROLE(), address(attestations));
        ledger.grantRole(ledger.FREEZER_ROLE(), address(attestations));
        vm.stopPrank();
        account = ledger.openPrimaryAccount(holder);
    }

    // ================================================================ helpers

    function _attest(bytes32 subject, uint8 level, uint8 action) internal returns (uint64) {
        vm.prank(guardian);
        return attestations.attest(subject, level, action, THREAT, 90, "looks wrong", ANALYZER);
    }

    function _policy(bool mayFreeze, uint8 minFreeze, bool mayPause, uint8 minPause) internal {
        vm.prank(owner);
        attestations.setPolicy(mayFreeze, minFreeze, mayPause, minPause);
    }

    function _refused(uint64 verdictId, IGuardianAttestations.Refusal refusal) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IGuardianAttestations.ActionNotAllowed.selector, verdictId, refusal);
    }

    function _isFrozen(uint128 id) internal view returns (bool) {
        return ledger.getAccount(id).flags & FROZEN != 0;
    }

    function _bytes(uint256 length) internal pure returns (string memory) {
        bytes memory b = new bytes(length);
        for (uint256 i = 0; i < length; ++i) {
            b[i] = "a";
        }
        return string(b);
    }

    // ================================================================ deployment

    function test_Constructor_WiresRoles() public view {
        assertEq(address(attestations.ledger()), address(ledger));
        assertTrue(attestations.hasRole(attestations.GUARDIAN_ROLE(), guardian));
        assertTrue(attestations.hasRole(attestations.DEFAULT_ADMIN_ROLE(), owner));
        assertEq(attestations.defaultAdmin(), owner);
        assertFalse(attestations.hasRole(attestations.GUARDIAN_ROLE(), owner));
        assertFalse(attestations.hasRole(attestations.DEFAULT_ADMIN_ROLE(), guardian));
        assertTrue(ledger.hasRole(ledger.PAUSER_ROLE(), address(attestations)));
        assertTrue(ledger.hasRole(ledger.FREEZER_ROLE(), address(attestations)));
    }

    function test_Constructor_GuardianHoldsNoLedgerRole() public view {
        bytes32[5] memory roles = [
            ledger.DEFAULT_ADMIN_ROLE(),
            ledger.TREASURY_ROLE(),
            ledger.CREDIT_ROLE(),
            ledger.PAUSER_ROLE(),
            ledger.FREEZER_ROLE()
        ];
        for (uint256 i = 0; i < roles.length; ++i) {
            assertFalse(ledger.hasRole(roles[i], guardian));
        }
    }

    function test_Constructor_RevertsOnZeroGuardian() public {
        vm.expectRevert(IGuardianAttestations.ZeroGuardian.selector);
        new GuardianAttestations(ISovrLedger(address(ledger)), owner, 0, address(0));
    }

    function test_Constructor_RevertsOnZeroLedger() public {
        vm.expectRevert(IGuardianAttestations.ZeroLedger.selector);
        new GuardianAttestations(ISovrLedger(address(0)), owner, 0, guardian);
    }

    function test_Policy_DefaultsToNothingAllowed() public view {
        IGuardianAttestations.Policy memory p = attestations.policy();
        assertFalse(p.mayFreezeOnBlock);
        assertFalse(p.mayPauseOnEmergency);
    }

    // ================================================================ attest

    function test_Attest_StoresAndEmits() public {
        vm.warp(START + 7);
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.VerdictAttested(
            1,
            "tx:0xabc/0",
            MODEL,
            IGuardianAttestations.Level.HIGH,
            IGuardianAttestations.Action.ALERT,
            THREAT,
            87,
            "3x the 30-day mean"
        );
        vm.prank(guardian);
        uint64 id = attestations.attest("tx:0xabc/0", HIGH, ALERT, THREAT, 87, "3x the 30-day mean", MODEL);

        assertEq(id, 1);
        assertEq(attestations.verdictCount(), 1);
        assertEq(attestations.verdictIdOf("tx:0xabc/0", MODEL), 1);
        IGuardianAttestations.Verdict memory v = attestations.getVerdict(id);
        assertEq(v.id, 1);
        assertEq(v.subject, "tx:0xabc/0");
        assertEq(uint8(v.level), HIGH);
        assertEq(uint8(v.action), ALERT);
        assertEq(v.confidence, 87);
        assertFalse(v.acknowledged);
        assertFalse(v.pausedLedger);
        assertEq(v.attestedAt, START + 7);
    }

    function test_Attest_OncePerSubjectAndAnalyzer() public {
        uint64 first = _attest("s1", LOW, MONITOR);
        vm.expectRevert(
            abi.encodeWithSelector(IGuardianAttestations.VerdictExists.selector, bytes32("s1"), ANALYZER, first)
        );
        vm.prank(guardian);
        attestations.attest("s1", CRITICAL, BLOCK, THREAT, 100, "retry with other content", ANALYZER);

        // Another analyzer about the same subject, and the same analyzer about another subject, are new verdicts.
        vm.prank(guardian);
        uint64 second = attestations.attest("s1", LOW, MONITOR, THREAT, 1, "second opinion", MODEL);
        uint64 third = _attest("s2", LOW, MONITOR);
        assertEq(second, 2);
        assertEq(third, 3);
        assertEq(uint8(attestations.getVerdict(first).level), LOW, "the first verdict is unchanged");
    }

    function testFuzz_Attest_RejectsUnknownLevel(uint8 level) public {
        level = uint8(bound(level, uint8(type(IGuardianAttestations.Level).max) + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownLevel.selector, level));
        vm.prank(guardian);
        attestations.attest("s", level, MONITOR, THREAT, 1, "x", ANALYZER);
    }

    function testFuzz_Attest_RejectsUnknownAction(uint8 action) public {
        action = uint8(bound(action, uint8(type(IGuardianAttestations.Action).max) + 1, type(uint8).max));
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownAction.selector, action));
        vm.prank(guardian);
        attestations.attest("s", LOW, action, THREAT, 1, "x", ANALYZER);
    }

    function testFuzz_Attest_Confidence(uint8 confidence) public {
        if (confidence > 100) {
            vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.ConfidenceTooHigh.selector, confidence));
        }
        vm.prank(guardian);
        attestations.attest("s", LOW, MONITOR, THREAT, confidence, "x", ANALYZER);
        assertEq(attestations.verdictCount(), confidence > 100 ? 0 : 1);
    }

    function test_Attest_RejectsEmptySummary() public {
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.InvalidSummaryLength.selector, 0));
        vm.prank(guardian);
        attestations.attest("s", LOW, MONITOR, THREAT, 1, "", ANALYZER);
    }

    function test_Attest_SummaryLengthBounds() public {
        vm.prank(guardian);
        attestations.attest("s", LOW, MONITOR, THREAT, 1, _bytes(280), ANALYZER);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.InvalidSummaryLength.selector, 281));
        vm.prank(guardian);
        attestations.attest("t", LOW, MONITOR, THREAT, 1, _bytes(281), ANALYZER);
        assertEq(attestations.verdictCount(), 1);
    }

    function test_Attest_RejectsEmptySubject() public {
        vm.expectRevert(IGuardianAttestations.EmptySubject.selector);
        vm.prank(guardian);
        attestations.attest(bytes32(0), LOW, MONITOR, THREAT, 1, "x", ANALYZER);
    }

    function test_Attest_RejectsEmptyAnalyzer() public {
        vm.expectRevert(IGuardianAttestations.EmptyAnalyzer.selector);
        vm.prank(guardian);
        attestations.attest("s", LOW, MONITOR, THREAT, 1, "x", bytes32(0));
    }

    function test_Attest_OnlyGuardian() public {
        bytes32 role = attestations.GUARDIAN_ROLE();
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, owner, role));
        vm.prank(owner);
        attestations.attest("s", LOW, MONITOR, THREAT, 1, "x", ANALYZER);
    }

    // ================================================================ policy

    function test_SetPolicy_StoresAndEmits() public {
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.PolicySet(
            true, IGuardianAttestations.Level.HIGH, false, IGuardianAttestations.Level.CRITICAL
        );
        _policy(true, HIGH, false, CRITICAL);
        IGuardianAttestations.Policy memory p = attestations.policy();
        assertTrue(p.mayFreezeOnBlock);
        assertEq(uint8(p.minFreezeLevel), HIGH);
        assertFalse(p.mayPauseOnEmergency);
        assertEq(uint8(p.minPauseLevel), CRITICAL);
    }

    function testFuzz_SetPolicy_RejectsUnknownLevels(uint8 level) public {
        level = uint8(bound(level, uint8(type(IGuardianAttestations.Level).max) + 1, type(uint8).max));
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownLevel.selector, level));
        attestations.setPolicy(true, level, true, LOW);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownLevel.selector, level));
        attestations.setPolicy(true, LOW, true, level);
        vm.stopPrank();
        assertFalse(attestations.policy().mayFreezeOnBlock);
    }

    // ================================================================ freeze

    function test_Freeze_WithinPolicyFreezesTheLedgerAccount() public {
        _policy(true, HIGH, false, CRITICAL);
        uint64 id = _attest("s", HIGH, BLOCK);
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.GuardianFroze(id, account);
        vm.expectEmit(address(ledger));
        emit ISovrLedger.AccountFrozen(account, address(attestations));
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        assertTrue(_isFrozen(account));
        assertTrue(attestations.hasFrozen(id, account));
        assertFalse(ledger.paused());
    }

    function test_Freeze_RefusedByDefaultPolicy() public {
        uint64 id = _attest("s", CRITICAL, BLOCK);
        vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.FreezeNotAllowed));
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        assertFalse(_isFrozen(account));
    }

    function test_Freeze_RefusedForActionsOtherThanBlock() public {
        _policy(true, LOW, true, LOW);
        uint8[3] memory others = [MONITOR, ALERT, EMERGENCY];
        for (uint256 i = 0; i < others.length; ++i) {
            uint64 id = _attest(bytes32(i + 1), CRITICAL, others[i]);
            vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.ActionMismatch));
            vm.prank(guardian);
            attestations.freezeAccount(id, account);
        }
        assertFalse(_isFrozen(account));
    }

    function testFuzz_Freeze_OnlyFromThePolicysMinimumLevel(uint8 level, uint8 minLevel) public {
        level = uint8(bound(level, LOW, CRITICAL));
        minLevel = uint8(bound(minLevel, LOW, CRITICAL));
        _policy(true, minLevel, false, LOW);
        uint64 id = _attest("s", level, BLOCK);
        if (level < minLevel) vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.LevelBelowMinimum));
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        assertEq(_isFrozen(account), level >= minLevel);
    }

    function test_Freeze_FollowsThePolicyInForceNotTheOneAtAttestation() public {
        _policy(true, LOW, false, LOW);
        uint64 id = _attest("s", HIGH, BLOCK);
        _policy(false, LOW, false, LOW);
        vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.FreezeNotAllowed));
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        _policy(true, CRITICAL, false, LOW);
        vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.LevelBelowMinimum));
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        _policy(true, HIGH, false, LOW);
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        assertTrue(_isFrozen(account));
    }

    function test_Freeze_OncePerVerdictAndAccount() public {
        _policy(true, LOW, false, LOW);
        uint64 id = _attest("s", LOW, BLOCK);
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        vm.prank(owner);
        ledger.unfreezeAccount(account);

        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.AlreadyActed.selector, id, account));
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        assertFalse(_isFrozen(account), "the owner's unfreeze stands");

        // The same verdict may freeze another account (e.g. both sides of a suspicious transfer).
        uint128 other = ledger.openPrimaryAccount(makeAddr("counterparty"));
        vm.prank(guardian);
        attestations.freezeAccount(id, other);
        assertTrue(_isFrozen(other));
    }

    function test_Freeze_RevertsOnUnknownVerdict() public {
        _policy(true, LOW, true, LOW);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownVerdict.selector, 0));
        vm.prank(guardian);
        attestations.freezeAccount(0, account);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownVerdict.selector, 1));
        vm.prank(guardian);
        attestations.freezeAccount(1, account);
    }

    function test_Freeze_LedgerErrorsBubbleUp() public {
        _policy(true, LOW, false, LOW);
        uint64 id = _attest("s", LOW, BLOCK);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, 12345));
        vm.prank(guardian);
        attestations.freezeAccount(id, 12345);
        assertFalse(attestations.hasFrozen(id, 12345), "the whole act rolled back");
    }

    // ================================================================ pause

    function test_Pause_WithinPolicyPausesTheLedger() public {
        _policy(false, LOW, true, CRITICAL);
        uint64 id = _attest("s", CRITICAL, EMERGENCY);
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.GuardianPaused(id);
        vm.expectEmit(address(ledger));
        emit Pausable.Paused(address(attestations));
        vm.prank(guardian);
        attestations.pauseLedger(id);
        assertTrue(ledger.paused());
        assertTrue(attestations.getVerdict(id).pausedLedger);
    }

    function test_Pause_RefusedByDefaultPolicy() public {
        uint64 id = _attest("s", CRITICAL, EMERGENCY);
        vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.PauseNotAllowed));
        vm.prank(guardian);
        attestations.pauseLedger(id);
        assertFalse(ledger.paused());
    }

    function test_Pause_RefusedForActionsOtherThanEmergencyShutdown() public {
        _policy(true, LOW, true, LOW);
        uint8[3] memory others = [MONITOR, ALERT, BLOCK];
        for (uint256 i = 0; i < others.length; ++i) {
            uint64 id = _attest(bytes32(i + 1), CRITICAL, others[i]);
            vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.ActionMismatch));
            vm.prank(guardian);
            attestations.pauseLedger(id);
        }
        assertFalse(ledger.paused());
    }

    function testFuzz_Pause_OnlyFromThePolicysMinimumLevel(uint8 level, uint8 minLevel) public {
        level = uint8(bound(level, LOW, CRITICAL));
        minLevel = uint8(bound(minLevel, LOW, CRITICAL));
        _policy(false, LOW, true, minLevel);
        uint64 id = _attest("s", level, EMERGENCY);
        if (level < minLevel) vm.expectRevert(_refused(id, IGuardianAttestations.Refusal.LevelBelowMinimum));
        vm.prank(guardian);
        attestations.pauseLedger(id);
        assertEq(ledger.paused(), level >= minLevel);
    }

    function test_Pause_OncePerVerdict() public {
        _policy(false, LOW, true, LOW);
        uint64 id = _attest("s", HIGH, EMERGENCY);
        vm.prank(guardian);
        attestations.pauseLedger(id);
        vm.prank(owner);
        ledger.unpause();
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.AlreadyActed.selector, id, 0));
        vm.prank(guardian);
        attestations.pauseLedger(id);
        assertFalse(ledger.paused(), "the owner's unpause stands");
    }

    function test_Pause_WhenAlreadyPausedBubblesTheLedgerError() public {
        _policy(false, LOW, true, LOW);
        uint64 a = _attest("a", HIGH, EMERGENCY);
        uint64 b = _attest("b", HIGH, EMERGENCY);
        vm.prank(guardian);
        attestations.pauseLedger(a);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        vm.prank(guardian);
        attestations.pauseLedger(b);
        assertFalse(attestations.getVerdict(b).pausedLedger);
    }

    function test_Pause_RevertsOnUnknownVerdict() public {
        _policy(false, LOW, true, LOW);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownVerdict.selector, 3));
        vm.prank(guardian);
        attestations.pauseLedger(3);
    }

    // ================================================================ attest and act

    function test_AttestAndFreeze_RecordsABlockVerdictAndFreezes() public {
        _policy(true, MEDIUM, false, LOW);
        vm.prank(guardian);
        uint64 id = attestations.attestAndFreeze("s", HIGH, THREAT, 95, "drain pattern", ANALYZER, account);
        assertEq(uint8(attestations.getVerdict(id).action), BLOCK);
        assertEq(attestations.verdictIdOf("s", ANALYZER), id);
        assertTrue(_isFrozen(account));
        assertTrue(attestations.hasFrozen(id, account));
    }

    function test_AttestAndFreeze_RevertsEntirelyBeyondPolicy() public {
        _policy(true, CRITICAL, false, LOW);
        vm.expectRevert(_refused(1, IGuardianAttestations.Refusal.LevelBelowMinimum));
        vm.prank(guardian);
        attestations.attestAndFreeze("s", HIGH, THREAT, 95, "drain pattern", ANALYZER, account);
        assertEq(attestations.verdictCount(), 0, "no verdict recorded");
        assertEq(attestations.verdictIdOf("s", ANALYZER), 0, "the key stays free for a retry");
        assertFalse(_isFrozen(account));
    }

    function test_AttestAndPause_RecordsAnEmergencyVerdictAndPauses() public {
        _policy(false, LOW, true, HIGH);
        vm.prank(guardian);
        uint64 id = attestations.attestAndPause("s", CRITICAL, THREAT, 99, "key compromise", ANALYZER);
        IGuardianAttestations.Verdict memory v = attestations.getVerdict(id);
        assertEq(uint8(v.action), EMERGENCY);
        assertTrue(v.pausedLedger);
        assertTrue(ledger.paused());
    }

    function test_AttestAndPause_RevertsEntirelyBeyondPolicy() public {
        vm.expectRevert(_refused(1, IGuardianAttestations.Refusal.PauseNotAllowed));
        vm.prank(guardian);
        attestations.attestAndPause("s", CRITICAL, THREAT, 99, "key compromise", ANALYZER);
        assertEq(attestations.verdictCount(), 0);
        assertFalse(ledger.paused());
    }

    function test_AttestAndAct_ValidateTheVerdict() public {
        _policy(true, LOW, true, LOW);
        vm.startPrank(guardian);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownLevel.selector, 4));
        attestations.attestAndFreeze("s", 4, THREAT, 1, "x", ANALYZER, account);
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.ConfidenceTooHigh.selector, 101));
        attestations.attestAndPause("s", LOW, THREAT, 101, "x", ANALYZER);
        attestations.attest("s", LOW, MONITOR, THREAT, 1, "x", ANALYZER);
        vm.expectRevert(
            abi.encodeWithSelector(IGuardianAttestations.VerdictExists.selector, bytes32("s"), ANALYZER, 1)
        );
        attestations.attestAndPause("s", LOW, THREAT, 1, "x", ANALYZER);
        vm.stopPrank();
        assertFalse(ledger.paused());
    }

    // ================================================================ acknowledge

    function test_Acknowledge_OnceWithNote() public {
        uint64 id = _attest("s", LOW, ALERT);
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.VerdictAcknowledged(id, owner, "known batch job");
        vm.prank(owner);
        attestations.acknowledge(id, "known batch job");
        assertTrue(attestations.getVerdict(id).acknowledged);

        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.AlreadyAcknowledged.selector, id));
        vm.prank(owner);
        attestations.acknowledge(id, "");
    }

    function test_Acknowledge_NoteLengthBounds() public {
        uint64 a = _attest("a", LOW, ALERT);
        uint64 b = _attest("b", LOW, ALERT);
        uint64 c = _attest("c", LOW, ALERT);
        vm.startPrank(owner);
        attestations.acknowledge(a, "");
        attestations.acknowledge(b, _bytes(280));
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.NoteTooLong.selector, 281));
        attestations.acknowledge(c, _bytes(281));
        vm.stopPrank();
        assertFalse(attestations.getVerdict(c).acknowledged);
    }

    function test_AcknowledgeMany_AllWithOneNoteOrNone() public {
        uint64 a = _attest("a", HIGH, ALERT);
        uint64 b = _attest("b", MEDIUM, ALERT);
        uint64 c = _attest("c", LOW, ALERT);
        uint64[] memory ids = new uint64[](2);
        ids[0] = a;
        ids[1] = c;
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.VerdictAcknowledged(a, owner, "reviewed together");
        vm.expectEmit(address(attestations));
        emit IGuardianAttestations.VerdictAcknowledged(c, owner, "reviewed together");
        vm.prank(owner);
        attestations.acknowledgeMany(ids, "reviewed together");
        assertTrue(attestations.getVerdict(a).acknowledged);
        assertFalse(attestations.getVerdict(b).acknowledged);
        assertTrue(attestations.getVerdict(c).acknowledged);

        // One already acknowledged (or named twice) undoes the whole call.
        ids[0] = b;
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.AlreadyAcknowledged.selector, c));
        vm.prank(owner);
        attestations.acknowledgeMany(ids, "");
        assertFalse(attestations.getVerdict(b).acknowledged);
        ids[1] = b;
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.AlreadyAcknowledged.selector, b));
        vm.prank(owner);
        attestations.acknowledgeMany(ids, "");
    }

    function test_AcknowledgeMany_RefusesNothingStrangersAndLongNotes() public {
        uint64 a = _attest("a", LOW, ALERT);
        uint64[] memory none = new uint64[](0);
        vm.expectRevert(IGuardianAttestations.NoVerdicts.selector);
        vm.prank(owner);
        attestations.acknowledgeMany(none, "");
        uint64[] memory ids = new uint64[](1);
        ids[0] = a;
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.NoteTooLong.selector, 281));
        vm.prank(owner);
        attestations.acknowledgeMany(ids, _bytes(281));
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, bytes32(0))
        );
        vm.prank(guardian);
        attestations.acknowledgeMany(ids, "");
        ids[0] = a + 1;
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownVerdict.selector, a + 1));
        vm.prank(owner);
        attestations.acknowledgeMany(ids, "");
    }

    function testFuzz_AcknowledgeMany_MarksExactlyTheNamed(uint8 count, uint256 pick) public {
        count = uint8(bound(count, 1, 12));
        uint64[] memory all = new uint64[](count);
        for (uint256 i; i < count; ++i) {
            all[i] = _attest(bytes32(i + 1), LOW, ALERT);
        }
        uint256 named;
        for (uint256 i; i < count; ++i) {
            if ((pick >> i) & 1 == 1) named++;
        }
        vm.assume(named > 0);
        uint64[] memory ids = new uint64[](named);
        uint256 next;
        for (uint256 i; i < count; ++i) {
            if ((pick >> i) & 1 == 1) ids[next++] = all[i];
        }
        vm.prank(owner);
        attestations.acknowledgeMany(ids, "fuzz");
        for (uint256 i; i < count; ++i) {
            assertEq(attestations.getVerdict(all[i]).acknowledged, (pick >> i) & 1 == 1);
        }
    }

    function test_Acknowledge_RevertsOnUnknownVerdict() public {
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownVerdict.selector, 1));
        vm.prank(owner);
        attestations.acknowledge(1, "");
    }

    function test_Acknowledge_DoesNotStopAnAllowedAct() public {
        _policy(true, LOW, false, LOW);
        uint64 id = _attest("s", LOW, BLOCK);
        vm.prank(owner);
        attestations.acknowledge(id, "seen");
        vm.prank(guardian);
        attestations.freezeAccount(id, account);
        assertTrue(_isFrozen(account));
    }

    function test_GetVerdict_RevertsOnUnknownVerdict() public {
        vm.expectRevert(abi.encodeWithSelector(IGuardianAttestations.UnknownVerdict.selector, 0));
        attestations.getVerdict(0);
    }

    // ================================================================ the act takes effect on the ledger

    function test_FrozenAccountCannotPayAndPausedLedgerCannotSettle() public {
        bytes32 treasury = ledger.TREASURY_ROLE();
        vm.prank(owner);
        ledger.grantRole(treasury, owner);
        vm.prank(owner);
        ledger.createAccount(1, 840, 2, 0);
        vm.prank(owner);
        ledger.createTransfer(_transfer(10, 1, account, 500));
        _policy(true, LOW, true, LOW);

        uint64 block_ = _attest("s", HIGH, BLOCK);
        vm.prank(guardian);
        attestations.freezeAccount(block_, account);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.DebitAccountFrozen.selector, 11));
        vm.prank(holder);
        ledger.createTransfer(_transfer(11, account, 1, 100));

        uint64 emergency = _attest("t", CRITICAL, EMERGENCY);
        vm.prank(guardian);
        attestations.pauseLedger(emergency);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.LedgerPaused.selector, 12));
        vm.prank(owner);
        ledger.createTransfer(_transfer(12, 1, account, 1));
        assertEq(ledger.getAccount(account).creditsPosted, 500);
    }

    function _transfer(uint128 id, uint128 debit, uint128 credit, uint128 amount)
        internal
        pure
        returns (ISovrLedger.Transfer memory)
    {
        return ISovrLedger.Transfer({
            id: id,
            debitAccountId: debit,
            creditAccountId: credit,
            amount: amount,
            pendingId: 0,
            userData: bytes32(0),
            timeout: 0,
            ledger: 840,
            code: 1,
            flags: 0
        });
    }
}
