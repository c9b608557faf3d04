// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISovrCommitments} from "../src/interfaces/ISovrCommitments.sol";
import {ISovrLedger} from "../src/interfaces/ISovrLedger.sol";
import {SovrCommitments} from "../src/SovrCommitments.sol";
import {LedgerFixture} from "./utils/LedgerFixture.sol";

/// @notice Unit and fuzz tests of SovrCommitments on the real ledger (a settler, as Ignition wires it): the whole
/// amount reserved at creation, milestones posted by the payer or the arbiter, cancellation by the payee or the
/// arbiter, release at the deadline, and a payer who cannot take a reservation back on the ledger directly.
contract SovrCommitmentsTest is LedgerFixture {
    uint16 internal constant COMMITMENT = 6;
    uint128 internal constant PAYER_FUNDS = 10_000e6;
    uint40 internal constant MONTH = 30 days;

    SovrCommitments internal commitments;
    /// @dev bob commits to alice; carol is the arbiter.
    uint128 internal aliceAccount;
    uint128 internal bobAccount;

    function setUp() public override {
        super.setUp();
        commitments = new SovrCommitments(ledger);
        bytes32 settler = ledger.SETTLER_ROLE();
        vm.prank(owner);
        ledger.grantRole(settler, address(commitments));
        aliceAccount = ledger.openPrimaryAccount(alice);
        bobAccount = ledger.openPrimaryAccount(bob);
        _fund(bobAccount, PAYER_FUNDS);
    }

    // ================================================================ helpers

    function _milestones() internal pure returns (ISovrCommitments.Milestone[] memory m) {
        m = new ISovrCommitments.Milestone[](3);
        m[0] = ISovrCommitments.Milestone(1_000e6, "Design approved");
        m[1] = ISovrCommitments.Milestone(2_500e6, "Build delivered");
        m[2] = ISovrCommitments.Milestone(500e6, "Launch");
    }

    function _deadline() internal view returns (uint40) {
        return uint40(block.timestamp) + MONTH;
    }

    function _commit() internal returns (uint64) {
        vm.prank(bob);
        return commitments.createCommitment(aliceAccount, carol, _deadline(), _milestones());
    }

    function _milestoneStatus(uint64 id, uint8 index) internal view returns (ISovrLedger.PendingStatus) {
        return commitments.milestoneStatus(id, index);
    }

    function _assertMilestone(uint64 id, uint8 index, ISovrLedger.PendingStatus expected) internal view {
        assertEq(uint8(_milestoneStatus(id, index)), uint8(expected), "milestone status");
    }

    // ================================================================ createCommitment

    function test_CreateCommitment_ReservesTheWholeAmount() public {
        ISovrCommitments.Milestone[] memory m = _milestones();
        uint40 deadline = _deadline();
        vm.expectEmit(address(commitments));
        emit ISovrCommitments.CommitmentCreated(1, bob, aliceAccount, carol, deadline, 4_000e6, m);
        uint64 id = _commit();
        assertEq(id, 1);
        assertEq(commitments.commitmentCount(), 1);
        ISovrCommitments.Commitment memory c = commitments.getCommitment(id);
        assertEq(c.payer, bob);
        assertEq(c.payerAccountId, bobAccount);
        assertEq(c.payeeAccountId, aliceAccount);
        assertEq(c.arbiter, carol);
        assertEq(c.deadline, deadline);
        assertEq(c.milestoneCount, 3);
        assertEq(c.total, 4_000e6);
        assertFalse(c.cancelled);
        _assertBalances(bobAccount, 4_000e6, 0, 0, PAYER_FUNDS);
        _assertBalances(aliceAccount, 0, 0, 4_000e6, 0);
        assertEq(ledger.availableBalance(bobAccount), PAYER_FUNDS - 4_000e6);
        for (uint8 i; i < 3; ++i) {
            _assertMilestone(id, i, ISovrLedger.PendingStatus.Pending);
            ISovrLedger.StoredTransfer memory r = ledger.getTransfer(commitments.milestoneTransferId(id, i));
            assertEq(r.amount, m[i].amount);
            assertEq(r.code, COMMITMENT);
            assertEq(r.timeout, MONTH);
        }
    }

    function test_CreateCommitment_RefusesBadInput() public {
        ISovrCommitments.Milestone[] memory m = _milestones();
        uint40 deadline = _deadline();
        vm.startPrank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneCountInvalid.selector, uint256(0)));
        commitments.createCommitment(aliceAccount, carol, deadline, new ISovrCommitments.Milestone[](0));
        ISovrCommitments.Milestone[] memory many = new ISovrCommitments.Milestone[](21);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneCountInvalid.selector, uint256(21)));
        commitments.createCommitment(aliceAccount, carol, deadline, many);
        m[1].amount = 0;
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneAmountZero.selector, uint256(1)));
        commitments.createCommitment(aliceAccount, carol, deadline, m);
        m = _milestones();
        m[2].description = "";
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneDescriptionInvalid.selector, 2, 0));
        commitments.createCommitment(aliceAccount, carol, deadline, m);
        m[2].description = string(new bytes(121));
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneDescriptionInvalid.selector, 2, 121));
        commitments.createCommitment(aliceAccount, carol, deadline, m);
        m = _milestones();
        m[0].amount = type(uint96).max;
        uint256 tooMuch = uint256(type(uint96).max) + 3_000e6;
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.CommitmentTooLarge.selector, tooMuch));
        commitments.createCommitment(aliceAccount, carol, deadline, m);
        m = _milestones();
        uint40 now_ = uint40(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.DeadlineOutOfRange.selector, now_));
        commitments.createCommitment(aliceAccount, carol, now_, m);
        uint40 tooFar = now_ + 3651 days;
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.DeadlineOutOfRange.selector, tooFar));
        commitments.createCommitment(aliceAccount, carol, tooFar, m);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.ArbiterInvalid.selector, bob));
        commitments.createCommitment(aliceAccount, bob, deadline, m);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.ArbiterInvalid.selector, alice));
        commitments.createCommitment(aliceAccount, alice, deadline, m);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.PayerIsPayee.selector, bob));
        commitments.createCommitment(bobAccount, carol, deadline, m);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.AccountNotFound.selector, uint128(999)));
        commitments.createCommitment(999, carol, deadline, m);
        vm.stopPrank();
        _open(alice, 77, EUR, DEBITS_MUST_NOT_EXCEED_CREDITS);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.PayeeAccountNotSovr.selector, uint128(77)));
        vm.prank(bob);
        commitments.createCommitment(77, carol, deadline, m);
        // A payer who cannot reserve it all reserves nothing.
        uint128 lastReservation = commitments.milestoneTransferId(1, 2);
        ledger.openPrimaryAccount(mallory);
        _fund(ledger.primaryAccountId(mallory), 3_500e6);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.ExceedsCredits.selector, lastReservation));
        vm.prank(mallory);
        commitments.createCommitment(aliceAccount, carol, deadline, m);
        assertEq(commitments.commitmentCount(), 0);
        _assertBalances(ledger.primaryAccountId(mallory), 0, 0, 0, 3_500e6);
        // No arbiter is fine, and so is the longest deadline.
        vm.prank(bob);
        commitments.createCommitment(aliceAccount, address(0), now_ + 3650 days, m);
    }

    // ================================================================ approveMilestone

    function test_ApproveMilestone_PostsItsShare() public {
        uint64 id = _commit();
        vm.expectEmit(address(commitments));
        emit ISovrCommitments.MilestoneApproved(id, 0, bob);
        vm.prank(bob);
        commitments.approveMilestone(id, 0);
        _assertMilestone(id, 0, ISovrLedger.PendingStatus.Posted);
        _assertBalances(bobAccount, 3_000e6, 1_000e6, 0, PAYER_FUNDS);
        _assertBalances(aliceAccount, 0, 0, 3_000e6, 1_000e6);
        // The arbiter approves too, and so does an operator of the payer.
        vm.prank(carol);
        commitments.approveMilestone(id, 1);
        vm.prank(bob);
        ledger.setOperator(owner, true);
        vm.prank(owner);
        commitments.approveMilestone(id, 2);
        _assertBalances(aliceAccount, 0, 0, 0, 4_000e6);
    }

    function test_ApproveMilestone_Refusals() public {
        uint64 id = _commit();
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.NotPayerOrArbiter.selector, id, alice));
        vm.prank(alice);
        commitments.approveMilestone(id, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.NotPayerOrArbiter.selector, id, mallory));
        vm.prank(mallory);
        commitments.approveMilestone(id, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneNotFound.selector, id, uint8(3)));
        vm.prank(bob);
        commitments.approveMilestone(id, 3);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.CommitmentNotFound.selector, uint64(2)));
        commitments.approveMilestone(2, 0);
        vm.prank(bob);
        commitments.approveMilestone(id, 0);
        ISovrLedger.PendingStatus posted = ISovrLedger.PendingStatus.Posted;
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.MilestoneNotPending.selector, id, uint8(0), posted));
        vm.prank(bob);
        commitments.approveMilestone(id, 0);
        _assertBalances(aliceAccount, 0, 0, 3_000e6, 1_000e6);
    }

    function test_Deadline_ReleasesWhatRemains() public {
        uint64 id = _commit();
        vm.prank(bob);
        commitments.approveMilestone(id, 0);
        vm.warp(block.timestamp + MONTH);
        uint128 reservation = commitments.milestoneTransferId(id, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrLedger.PendingTransferExpired.selector, reservation + 1));
        vm.prank(bob);
        commitments.approveMilestone(id, 1);
        // Anyone releases the rest (the keeper does).
        uint128[] memory ids = new uint128[](3);
        for (uint8 i; i < 3; ++i) {
            ids[i] = commitments.milestoneTransferId(id, i);
        }
        vm.prank(mallory);
        assertEq(ledger.expirePendingTransfers(ids), 2);
        _assertMilestone(id, 0, ISovrLedger.PendingStatus.Posted);
        _assertMilestone(id, 1, ISovrLedger.PendingStatus.Expired);
        _assertMilestone(id, 2, ISovrLedger.PendingStatus.Expired);
        _assertBalances(bobAccount, 0, 1_000e6, 0, PAYER_FUNDS);
    }

    // ================================================================ cancelCommitment

    function test_CancelCommitment_VoidsWhatIsStillReserved() public {
        uint64 id = _commit();
        vm.prank(bob);
        commitments.approveMilestone(id, 1);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.NotPayeeOrArbiter.selector, id, bob));
        vm.prank(bob);
        commitments.cancelCommitment(id);
        vm.expectEmit(address(commitments));
        emit ISovrCommitments.CommitmentCancelled(id, alice, 2);
        vm.prank(alice);
        commitments.cancelCommitment(id);
        assertTrue(commitments.getCommitment(id).cancelled);
        _assertMilestone(id, 0, ISovrLedger.PendingStatus.Voided);
        _assertMilestone(id, 1, ISovrLedger.PendingStatus.Posted);
        _assertMilestone(id, 2, ISovrLedger.PendingStatus.Voided);
        _assertBalances(bobAccount, 0, 2_500e6, 0, PAYER_FUNDS);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.CommitmentIsCancelled.selector, id));
        vm.prank(alice);
        commitments.cancelCommitment(id);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.CommitmentIsCancelled.selector, id));
        vm.prank(bob);
        commitments.approveMilestone(id, 0);
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.CommitmentNotFound.selector, uint64(9)));
        commitments.cancelCommitment(9);
    }

    function test_CancelCommitment_ByTheArbiterOrThePayeesOperator() public {
        uint64 first = _commit();
        vm.prank(carol);
        commitments.cancelCommitment(first);
        uint64 second = _commit();
        vm.prank(alice);
        ledger.setOperator(owner, true);
        vm.prank(owner);
        commitments.cancelCommitment(second);
        uint64 third = _commit();
        vm.expectRevert(abi.encodeWithSelector(ISovrCommitments.NotPayeeOrArbiter.selector, third, mallory));
        vm.prank(mallory);
        commitments.cancelCommitment(third);
        _assertBalances(bobAccount, 4_000e6, 0, 0, PAYER_FUNDS);
    }

    function test_ThePayerCannotResolveAReservationOnTheLedgerDirectly() public {
        uint64 id = _commit();
        uint128 reservation = commitments.milestoneTransferId(id, 0);
        ISovrLedger.Transfer memory release = _voidTx(70, reservation);
        _expectRejected(bob, release, ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector);
        ISovrLedger.Transfer memory post = _postTx(71, reservation, AMOUNT_MAX);
        _expectRejected(bob, post, ISovrLedger.TransferResult.NotAuthorized, ISovrLedger.NotAuthorized.selector);
        _assertMilestone(id, 0, ISovrLedger.PendingStatus.Pending);
    }

    // ================================================================ fuzz

    /// @dev However a commitment is split, the reservations add up to it, and approving any set of milestones
    /// posts exactly their shares, never more than the commitment.
    function testFuzz_MilestonesAddUp(uint128[6] memory amounts, uint8 count, uint8 approved) public {
        count = uint8(bound(count, 1, 6));
        ISovrCommitments.Milestone[] memory m = new ISovrCommitments.Milestone[](count);
        uint256 total;
        for (uint256 i; i < count; ++i) {
            m[i] = ISovrCommitments.Milestone(uint128(bound(amounts[i], 1, PAYER_FUNDS / 6)), "part");
            total += m[i].amount;
        }
        vm.prank(bob);
        uint64 id = commitments.createCommitment(aliceAccount, carol, _deadline(), m);
        assertEq(ledger.getAccount(bobAccount).debitsPending, total);
        uint256 posted;
        for (uint8 i; i < count; ++i) {
            if (approved & (1 << i) == 0) continue;
            vm.prank(carol);
            commitments.approveMilestone(id, i);
            posted += m[i].amount;
        }
        vm.prank(alice);
        commitments.cancelCommitment(id);
        ISovrLedger.Account memory payee = ledger.getAccount(aliceAccount);
        assertEq(payee.creditsPosted, posted);
        assertEq(payee.creditsPending, 0);
        assertLe(payee.creditsPosted, commitments.getCommitment(id).total);
        _assertBalances(bobAccount, 0, posted, 0, PAYER_FUNDS);
    }
}
